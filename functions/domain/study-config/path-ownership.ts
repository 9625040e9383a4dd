import { studyOfAttachmentFolder } from '../attachments/attachment-files.js';
import { classifyRootFileName } from './file-names.js';

/** Where a study keeps its files: its name, and its folder (the `folder:` of its `.config`, else its name). */
export interface StudyPlace {
  id: number;
  name: string;
  folder: string;
}

/**
 * Which studies own an upload path (docs/tokens.md, "Study ownership of paths"):
 * - a root file `study.<name>.*` belongs to the study of that name;
 * - a file in a folder belongs to every study whose folder is that folder or one above it.
 * - a file in a study's attachment folder (`_attachments_<id>`) belongs to that study alone.
 * Names and folders are compared without case, so that no study can be reached by writing another case of its
 * folder. A path no study owns is written only by tokens that hold all studies.
 */
export function ownersOfPath(path: string, studies: readonly StudyPlace[]): number[] {
  const slash = path.lastIndexOf('/');
  const attachments = slash < 0 ? undefined : attachmentOwner(path.slice(0, slash), studies);
  if (attachments) return attachments;
  if (slash < 0) {
    const root = classifyRootFileName(path);
    if (!root) return [];
    const name = root.studyName.toLowerCase();
    return studies.filter((s) => s.name.toLowerCase() === name).map((s) => s.id);
  }
  const lower = path.toLowerCase();
  return studies.filter((s) => s.folder !== '' && lower.startsWith(`${s.folder.toLowerCase()}/`)).map((s) => s.id);
}

/**
 * The studies a study setting `folder: <folder>` would reach into: those whose folder is the same, above it
 * (they own its files) or below it (its files would be read with theirs).
 */
export function ownersOfFolder(folder: string, studies: readonly StudyPlace[]): number[] {
  const attachments = attachmentOwner(folder, studies);
  if (attachments) return attachments;
  const lower = folder.toLowerCase();
  return studies
    .filter((s) => {
      const own = s.folder.toLowerCase();
      return own !== '' && (own === lower || lower.startsWith(`${own}/`) || own.startsWith(`${lower}/`));
    })
    .map((s) => s.id);
}

/** An attachment folder belongs to its study only (and to none when that study does not exist). */
function attachmentOwner(folder: string, studies: readonly StudyPlace[]): number[] | undefined {
  const studyId = studyOfAttachmentFolder(folder);
  return studyId === undefined ? undefined : studies.filter((s) => s.id === studyId).map((s) => s.id);
}
