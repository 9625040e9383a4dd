import { realpath } from 'node:fs/promises';
import { isAbsolute, resolve, sep } from 'node:path';
import { appConfig } from '../common/config.js';
import { services } from '../common/services.js';
import { fileRangeSource, indexSlide, SlideReader } from '../slides/index.js';
import type { SlideFileLink } from './slide-file-links.js';

/**
 * Which file GenerateSlideFileURL's `filename` names: an upload path (relative, as RequestUpload made it), or an
 * absolute path inside one of the directories of `slideFileDirs` (SLIDE_FILE_DIRS, `npm start` only). Any
 * other absolute path is refused: the server never reads other files from disk.
 */
export function slideFileSource(
  filename: string,
  dirs: readonly string[] = appConfig().slideFileDirs ?? [],
): { ok: true; path: string; source: SlideFileLink['source'] } | { ok: false; reason: string } {
  const name = filename.trim();
  if (name === '' || name.includes('\0')) return { ok: false, reason: 'filename is empty' };
  if (!isAbsolute(name)) return { ok: true, path: name, source: 'upload' };
  const path = resolve(name);
  if (!dirs.some((dir) => inside(dir, path))) {
    return {
      ok: false,
      reason:
        dirs.length === 0
          ? `${name} is not an upload path, and this server shows no files from its disk (no SLIDE_FILE_DIRS)`
          : `${name} is not an upload path nor a file under a directory listed in SLIDE_FILE_DIRS`,
    };
  }
  return { ok: true, path, source: 'dir' };
}

function inside(dir: string, path: string): boolean {
  const base = resolve(dir);
  return path.startsWith(base.endsWith(sep) ? base : `${base}${sep}`);
}

/** Local readers of SLIDE_FILE_DIRS files, with their open file handles: a few at a time. */
const localReaders = new Map<string, { reader: SlideReader; close: () => Promise<void> }>();
const MAX_LOCAL_READERS = 8;

/** The reader of a link's file; throws (slide errors, or FileNotShown) when it cannot be shown. */
export async function slideFileReader(link: SlideFileLink): Promise<SlideReader> {
  if (link.source === 'upload') {
    const file = await services().files.stat(link.path);
    if (!file) throw new FileNotShown(`There is no uploaded file ${link.path}`);
    return services().slides.readerFor(file);
  }
  const dirs = appConfig().slideFileDirs ?? [];
  // Symbolic links must not lead out of the directories either: compare real paths.
  let real: string;
  try {
    real = await realpath(link.path);
  } catch {
    throw new FileNotShown(`There is no file ${link.path}`);
  }
  const realDirs = await Promise.all(dirs.map((d) => realpath(d).catch(() => undefined)));
  if (!realDirs.some((dir) => dir !== undefined && inside(dir, real))) {
    throw new FileNotShown(`${link.path} is not under a directory this server shows files from`);
  }
  const known = localReaders.get(real);
  if (known) return known.reader;
  const source = await fileRangeSource(real, link.path);
  try {
    const reader = new SlideReader(await indexSlide(source), source, { cacheKey: `file:${real}` });
    if (localReaders.size >= MAX_LOCAL_READERS) {
      const [oldest] = localReaders.keys();
      if (oldest !== undefined) {
        const old = localReaders.get(oldest);
        localReaders.delete(oldest);
        // Tiles being read from it finish first.
        setTimeout(() => void old?.close().catch(() => undefined), 30_000).unref();
      }
    }
    localReaders.set(real, { reader, close: source.close });
    return reader;
  } catch (error) {
    await source.close();
    throw error;
  }
}

/** A link whose file is not there (any more): the viewer page says so. */
export class FileNotShown extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FileNotShown';
  }
}
