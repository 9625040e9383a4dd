import { publicHandler } from '../../http/api-handler.js';
import { raw } from '../../http/replies.js';
import { tileRequest } from '../../pixels/tile-request.js';
import { osdTileSize } from '../../slides/index.js';

/** GET /i/{imageId}/{urlPart}/i.dzi (cookie t) → the DeepZoom descriptor OpenSeadragon opens. */
export const handler = publicHandler('DeepZoomDescriptor', async ({ event }) => {
  const { reader, cacheControl } = await tileRequest(event);
  const level0 = reader.index.levels[0];
  const xml =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Image xmlns="http://schemas.microsoft.com/deepzoom/2008" Format="jpeg" Overlap="0" TileSize="${osdTileSize(reader.index)}">` +
    `<Size Width="${level0?.width ?? 0}" Height="${level0?.height ?? 0}"/></Image>\n`;
  return raw(xml, 'application/xml; charset=utf-8', { 'cache-control': cacheControl });
});
