import { log } from '../../common/log.js';
import { publicHandler } from '../../http/api-handler.js';
import { notFound } from '../../http/errors.js';
import { headerOf } from '../../http/middlewares/parse-parameters.js';
import { raw } from '../../http/replies.js';
import { withPixelErrors } from '../../pixels/pixel-errors.js';
import { tileRequest } from '../../pixels/tile-request.js';
import { osdTileSize } from '../../slides/index.js';

/**
 * GET /i/{imageId}/{urlPart}/i_files/{level}/{col}_{row}.jpeg (and the older `_files`), cookie t=<cookiePart>
 * → one DeepZoom tile of `osdTileSize`. A tile that is a native JPEG tile is sent as its own bytes; a corrupt
 * native tile comes back background-coloured (logged), so viewers keep working.
 */
export const handler = publicHandler('DeepZoomTile', async ({ event }) => {
  const files = event.pathParameters?.files;
  const tile = /^(\d{1,9})_(\d{1,9})\.(jpeg|jpg)$/i.exec(event.pathParameters?.tile ?? '');
  const level = event.pathParameters?.level ?? '';
  if ((files !== 'i_files' && files !== '_files') || !tile || !/^\d{1,3}$/.test(level)) {
    throw notFound(`No such tile: ${event.rawPath}`);
  }
  const { grant, reader, cacheControl } = await tileRequest(event);
  return withPixelErrors(async () => {
    const size = osdTileSize(reader.index);
    const [z, col, row] = [Number(level), Number(tile[1]), Number(tile[2])];
    const etag = `"${grant.uploadId}-${size}-${z}-${col}-${row}"`;
    if (headerOf(event, 'if-none-match') === etag) {
      return { statusCode: 304, headers: { etag, 'cache-control': cacheControl } };
    }
    const result = await reader.deepZoomTile(z, col, row, size);
    for (const error of result.errors) log.error('tile read failed', { imageId: grant.imageId, error: error.message });
    // A tile drawn around a corrupt native tile must not be cached as if it were right.
    const caching: Record<string, string> =
      result.errors.length > 0 ? { 'cache-control': 'no-store' } : { etag, 'cache-control': cacheControl };
    return raw(result.jpeg, 'image/jpeg', caching);
  });
});
