import { SIGNATURE_BYTES, type SlideFormat, slideFormatOf } from '../domain/slides/slide-format.js';
import type { UploadedFiles } from '../storage/uploaded-files.js';
import type { IndexedFile } from '../uploads/file-index.js';

export type SlideCheck = { ok: true; file: IndexedFile; format: SlideFormat } | { ok: false; reason: string };

/**
 * Whether an uploaded file is a slide this server can read, by its first bytes (not its extension): those the
 * index kept at commit, else one ranged read.
 */
export async function checkSlide(files: UploadedFiles, file: IndexedFile): Promise<SlideCheck> {
  if (file.size === 0) return { ok: false, reason: `${file.path}: the file is empty` };
  const head = file.head ? Buffer.from(file.head, 'base64') : await files.readObjectRange(file, 0, SIGNATURE_BYTES);
  const format = slideFormatOf(head);
  return format ? { ok: true, file, format } : { ok: false, reason: `${file.path}: not a slide this server can read` };
}

/** The same, by path; a missing file is a refusal too. */
export async function checkSlidePath(files: UploadedFiles, path: string): Promise<SlideCheck> {
  const file = await files.stat(path);
  return file ? checkSlide(files, file) : { ok: false, reason: `${path}: no such uploaded file` };
}
