import { log } from '../../common/log.js';
import { services } from '../../common/services.js';
import { publicHandler } from '../../http/api-handler.js';
import { cookieOf } from '../../http/cookies.js';
import { HttpError, notFound } from '../../http/errors.js';
import { headerOf } from '../../http/middlewares/parse-parameters.js';
import { raw } from '../../http/replies.js';
import { withPixelErrors } from '../../pixels/pixel-errors.js';
import { osdTileSize } from '../../slides/index.js';
import { SLIDE_FILE_COOKIE, slideFileKey } from '../../web/slide-file-links.js';
import { FileNotShown, slideFileReader } from '../../web/slide-files.js';

/** The longest a browser may keep a tile of a link: never past the link. */
const MAX_TILE_AGE_SECONDS = 3600;

/**
 * GET /SlideFile/{key}/i_files/{level}/{col}_{row}.jpeg with cookie `sf` (the link token, whose fingerprint is
 * `key`): a DeepZoom tile of a slide file link, read by the slide reader as DeepZoomTile reads an image's (403
 * without the cookie or when the link is not valid or was withdrawn, 503 when it expired).
 */
export const handler = publicHandler('SlideFileTile', async ({ event }) => {
  const tile = /^(\d{1,9})_(\d{1,9})\.(jpeg|jpg)$/i.exec(event.pathParameters?.tile ?? '');
  const level = event.pathParameters?.level ?? '';
  if (!tile || !/^\d{1,3}$/.test(level)) throw notFound(`No such tile: ${event.rawPath}`);
  const token = cookieOf(event, SLIDE_FILE_COOKIE);
  if (!token) throw new HttpError(403, 'A slide file tile needs the cookie its page sets: open the link first');
  if (slideFileKey(token) !== event.pathParameters?.key) throw new HttpError(403, 'This cookie is for another link');
  const opened = await services().slideFileLinks.open(token);
  if (!opened.ok) throw new HttpError(opened.reason.includes('expired') ? 503 : 403, opened.reason);
  const { link } = opened;
  return withPixelErrors(async () => {
    let reader: Awaited<ReturnType<typeof slideFileReader>>;
    try {
      reader = await slideFileReader(link);
    } catch (error) {
      if (error instanceof FileNotShown) throw notFound(error.message);
      throw error;
    }
    const size = osdTileSize(reader.index);
    const [z, col, row] = [Number(level), Number(tile[1]), Number(tile[2])];
    const seconds = Math.floor((link.expiresOn.getTime() - Date.now()) / 1000);
    const cacheControl = `private, max-age=${Math.max(0, Math.min(seconds, MAX_TILE_AGE_SECONDS))}`;
    const etag = `"${reader.index.fileSize}-${size}-${z}-${col}-${row}"`;
    if (headerOf(event, 'if-none-match') === etag) {
      return { statusCode: 304, headers: { etag, 'cache-control': cacheControl } };
    }
    const result = await reader.deepZoomTile(z, col, row, size);
    for (const error of result.errors) log.error('tile read failed', { path: link.path, error: error.message });
    const caching: Record<string, string> =
      result.errors.length > 0 ? { 'cache-control': 'no-store' } : { etag, 'cache-control': cacheControl };
    return raw(result.jpeg, 'image/jpeg', caching);
  });
});
