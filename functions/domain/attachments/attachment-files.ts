import { extname } from 'node:path';

/**
 * Where attachments live and how they are served (docs/studies.md, "Attachments"). Each study keeps its
 * attachments in one folder of the upload root that only it owns, `_attachments_<studyId>`, away from the study
 * folder so that Reimport never mistakes an attached TIFF for a slide. A stored file is named
 * `<guid>-<original name>`; the guid is the secret of the attachment's link `/a/{attId}/{guid}/{name}`.
 */
const FOLDER_PREFIX = '_attachments_';

export function attachmentFolder(studyId: number): string {
  return `${FOLDER_PREFIX}${studyId}`;
}

/** The study whose attachment folder this is (names compared without case, as all folders are), or undefined. */
export function studyOfAttachmentFolder(folder: string): number | undefined {
  const match = /^_attachments_([1-9][0-9]{0,14})$/i.exec(folder);
  return match ? Number(match[1]) : undefined;
}

export function storedAttachmentName(guid: string, filename: string): string {
  return `${guid}-${filename}`;
}

export interface AttachmentContentType {
  contentType: string;
  /** Shown in the browser (`inline`); everything else is downloaded (`attachment`). */
  inline: boolean;
}

/**
 * Types a browser may show in place. None of them runs script in our origin: no HTML, SVG or XML, which are
 * served as downloads of `application/octet-stream` whatever their name says.
 */
const INLINE_TYPES: Readonly<Record<string, string>> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.pdf': 'application/pdf',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.mp4': 'video/mp4',
};

/** Types named correctly but always downloaded. */
const DOWNLOAD_TYPES: Readonly<Record<string, string>> = {
  '.zip': 'application/zip',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.pptx': 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  '.doc': 'application/msword',
  '.xls': 'application/vnd.ms-excel',
  '.json': 'application/json',
};

export function attachmentContentType(filename: string): AttachmentContentType {
  const extension = extname(filename).toLowerCase();
  const inline = INLINE_TYPES[extension];
  if (inline) return { contentType: inline, inline: true };
  return { contentType: DOWNLOAD_TYPES[extension] ?? 'application/octet-stream', inline: false };
}

/** `inline` or `attachment`, with an ASCII fallback name and the UTF-8 one (RFC 6266). */
export function contentDisposition(kind: 'inline' | 'attachment', filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}
