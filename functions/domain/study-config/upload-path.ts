import { hasControlCharacter } from './text-lines.js';

/** A path resolved against the upload root, or why it was refused. */
export type PathResolution = { ok: true; path: string } | { ok: false; reason: string };

/**
 * Resolves `path`, written relative to `folder` (itself relative to the upload root, `''` for the root), to a
 * path relative to the upload root: `\` becomes `/`, `.` segments are dropped and `..` segments climb. Refused:
 * an empty path, control characters, absolute paths (`/x`, `C:\x`), empty segments (`a//b`, a trailing `/`) and
 * anything that climbs above the root. The result is `''` when the path names the root itself; callers that
 * need a file must refuse that. Upload code reuses this for folder and file names, so it must stay strict.
 */
export function resolveUploadPath(folder: string, path: string): PathResolution {
  const base = folder === '' ? { ok: true as const, segments: [] } : walk([], folder);
  if (!base.ok) return { ok: false, reason: `the folder "${folder}" is not valid: ${base.reason}` };
  const resolved = walk(base.segments, path);
  return resolved.ok ? { ok: true, path: resolved.segments.join('/') } : resolved;
}

type Walk = { ok: true; segments: string[] } | { ok: false; reason: string };

function walk(start: readonly string[], path: string): Walk {
  if (path === '') return { ok: false, reason: 'the path is empty' };
  if (hasControlCharacter(path, false)) return { ok: false, reason: 'the path contains a control character' };
  const normalized = path.replaceAll('\\', '/');
  if (normalized.startsWith('/') || /^[A-Za-z]:/.test(normalized)) {
    return { ok: false, reason: `"${path}" is an absolute path; write it relative to the file's folder` };
  }
  const segments = [...start];
  for (const segment of normalized.split('/')) {
    if (segment === '') return { ok: false, reason: `"${path}" has an empty path segment` };
    if (segment === '.') continue;
    if (segment === '..') {
      if (segments.length === 0) return { ok: false, reason: `"${path}" climbs above the upload root` };
      segments.pop();
      continue;
    }
    segments.push(segment);
  }
  return { ok: true, segments };
}
