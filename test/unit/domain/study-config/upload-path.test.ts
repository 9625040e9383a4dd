import { describe, expect, it } from 'vitest';
import { resolveUploadPath } from '../../../../functions/domain/study-config/upload-path.js';

describe('resolveUploadPath', () => {
  it('resolves against the folder and climbs with ..', () => {
    expect(resolveUploadPath('study1', '../otherfolder/011938r082.tif')).toEqual({
      ok: true,
      path: 'otherfolder/011938r082.tif',
    });
    expect(resolveUploadPath('study1', 'sub/./a.svs')).toEqual({ ok: true, path: 'study1/sub/a.svs' });
    expect(resolveUploadPath('', './test')).toEqual({ ok: true, path: 'test' });
  });

  it('turns backslashes into slashes', () => {
    expect(resolveUploadPath('s', '..\\other\\a.tif')).toEqual({ ok: true, path: 'other/a.tif' });
  });

  it('gives the empty path when the result is the root itself', () => {
    expect(resolveUploadPath('s', '..')).toEqual({ ok: true, path: '' });
  });

  it.each([
    ['', '../a.tif', 'climbs above the upload root'],
    ['s', '../../a.tif', 'climbs above the upload root'],
    ['s', 'a/../../../b', 'climbs above the upload root'],
    ['s', '/etc/passwd', 'absolute'],
    ['s', '\\\\server\\share\\a.tif', 'absolute'],
    ['s', 'C:\\slides\\a.tif', 'absolute'],
    ['s', 'a//b.tif', 'empty path segment'],
    ['s', 'folder/', 'empty path segment'],
    ['s', '', 'empty'],
    ['s', 'a\u0000.tif', 'control character'],
    ['s', 'a\nb.tif', 'control character'],
    ['../x', 'a.tif', 'folder "../x" is not valid'],
  ])('refuses folder %j path %j', (folder, path, reason) => {
    const result = resolveUploadPath(folder, path);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain(reason);
  });
});
