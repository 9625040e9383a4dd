import { services } from '../../common/services.js';
import { apiHandler } from '../../http/api-handler.js';
import { raw } from '../../http/replies.js';
import { withPixelErrors } from '../../pixels/pixel-errors.js';
import { osdTileSize } from '../../slides/index.js';
import { imageFor } from '../../studies/study-access.js';

/** GET /Api/GetTile?imageId&level&x&y → the DeepZoom tile (level, column x, row y), as the /i/ tile URL sends it. */
export const handler = apiHandler('GetTile', async ({ params, caller }) => {
  const image = await imageFor(caller, params.requiredInteger('imageId'));
  const [level, x, y] = [params.requiredInteger('level'), params.requiredInteger('x'), params.requiredInteger('y')];
  return withPixelErrors(async () => {
    const { reader } = await services().pixels.readerFor(image);
    const tile = await reader.deepZoomTile(level, x, y, osdTileSize(reader.index));
    return raw(tile.jpeg, 'image/jpeg', { 'cache-control': 'private, max-age=3600' });
  });
});
