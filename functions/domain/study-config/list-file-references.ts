import { parseConfigFile } from './config-file.js';
import { classifyRootFileName, isImagesListFile } from './file-names.js';
import { parseImagesFile } from './images-file.js';

/** What a list file points at: files (slides, TMA maps) and folders (a `.config`'s `folder:`). */
export interface ListFileReferences {
  paths: string[];
  folders: string[];
}

/**
 * The paths a study list file names, read when it is uploaded so that its references can be checked against
 * the uploading token (docs/tokens.md). List files are `study.<name>.images` and `study.<name>.config` in the
 * root, and `*.images` in a folder; any other path is not one (undefined). Lines with errors name nothing:
 * imports skip them too.
 */
export function listFileReferences(path: string, text: string): ListFileReferences | undefined {
  const slash = path.lastIndexOf('/');
  const fileName = path.slice(slash + 1);
  const root = slash < 0 ? classifyRootFileName(fileName) : undefined;
  if (root?.kind === 'config') {
    const folder = parseConfigFile(path, text).value.folder;
    return { paths: [], folders: folder ? [folder] : [] };
  }
  if (root?.kind === 'images' || (slash >= 0 && isImagesListFile(fileName))) {
    const entries = parseImagesFile(path, text).value;
    return {
      paths: [...new Set(entries.flatMap((e) => (e.tmaMap ? [e.path, e.tmaMap] : [e.path])))],
      folders: [],
    };
  }
  return undefined;
}
