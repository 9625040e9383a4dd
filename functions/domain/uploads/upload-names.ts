/**
 * The rules for where an upload may go: the upload root (`""`) or one folder below it ("you can't create a
 * folder inside a folder"), and a plain file name. Everything here is checked before a byte is stored, so a
 * path can never leave the upload root.
 */
export type NameCheck = { ok: true; value: string } | { ok: false; reason: string };

const MAX_NAME_BYTES = 255;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * A folder as clients send it: `""` (the root), `name`, `./name`, `name/` or `./name/`. Refused: nested
 * folders, `.` and `..`, backslashes, absolute paths, control characters.
 */
export function normalizeFolder(folder: string): NameCheck {
  let value = folder.trim();
  if (value.startsWith('./')) value = value.slice(2);
  if (value.endsWith('/')) value = value.slice(0, -1);
  if (value === '' || value === '.') return { ok: true, value: '' };
  if (value.startsWith('/') || /^[A-Za-z]:/.test(value))
    return { ok: false, reason: 'Folder must be relative to the upload root' };
  if (value.includes('/'))
    return { ok: false, reason: 'Folder not allowed: you can only upload to the root folder or one folder below it' };
  const name = checkName(value, 'Folder');
  return name.ok ? name : { ok: false, reason: name.reason };
}

/** A file name: not empty, no separators, not `.` or `..`, no control characters, at most 255 bytes. */
export function checkFileName(filename: string): NameCheck {
  return checkName(filename, 'File name');
}

function checkName(name: string, what: string): NameCheck {
  if (name.trim() === '') return { ok: false, reason: `${what} is empty` };
  if (name !== name.trim()) return { ok: false, reason: `${what} must not start or end with a space` };
  if (name.includes('/') || name.includes('\\')) return { ok: false, reason: `${what} must not contain / or \\` };
  if (name === '.' || name === '..') return { ok: false, reason: `${what} must not be . or ..` };
  if (CONTROL.test(name)) return { ok: false, reason: `${what} must not contain control characters` };
  if (Buffer.byteLength(name, 'utf8') > MAX_NAME_BYTES)
    return { ok: false, reason: `${what} is longer than ${MAX_NAME_BYTES} bytes` };
  return { ok: true, value: name };
}

/** `folder/filename`, or just `filename` in the root. */
export function uploadPath(folder: string, filename: string): string {
  return folder === '' ? filename : `${folder}/${filename}`;
}

/** Splits a root-relative path into folder and file name; undefined when it is deeper than one folder. */
export function splitUploadPath(path: string): { folder: string; filename: string } | undefined {
  const parts = path.split('/');
  if (parts.length === 1) return { folder: '', filename: parts[0] as string };
  if (parts.length === 2) return { folder: parts[0] as string, filename: parts[1] as string };
  return undefined;
}
