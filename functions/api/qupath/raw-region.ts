import sharp from 'sharp';
import { services } from '../../common/services.js';
import { publicHandler } from '../../http/api-handler.js';
import { badRequest, notFound } from '../../http/errors.js';
import { raw } from '../../http/replies.js';
import { withPixelErrors } from '../../pixels/pixel-errors.js';
import { slideLinkRequest } from '../../pixels/slide-link-request.js';
import { withJfifHeader } from '../../slides/index.js';
import { MAX_RAW_SIDE } from '../pixels/get-raw-tile.js';

/**
 * GET /i/{imageId}/{token}/raw/{level}/{x}_{y}/{w}_{h}.jpeg → exactly w×h pixels of native `level` whose
 * top-left is (x, y) in level-0 pixels, background-coloured outside the slide (QuPath stretches whatever it
 * gets to w×h, so a clipped region would be distorted). The same rendering as GetRawTile.
 */
export const handler = publicHandler('QupathRawRegion', async ({ event }) => {
  const origin = /^(\d{1,9})_(\d{1,9})$/.exec(event.pathParameters?.origin ?? '');
  const size = /^(\d{1,5})_(\d{1,5})\.(jpeg|jpg)$/i.exec(event.pathParameters?.size ?? '');
  const levelText = event.pathParameters?.level ?? '';
  if (!origin || !size || !/^\d{1,3}$/.test(levelText)) throw notFound(`No such region: ${event.rawPath}`);
  const { image } = await slideLinkRequest(event);
  const [x, y, width, height, level] = [origin[1], origin[2], size[1], size[2], levelText].map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  if (width < 1 || height < 1 || width > MAX_RAW_SIDE || height > MAX_RAW_SIDE) {
    throw badRequest(`width and height must be 1 to ${MAX_RAW_SIDE}`);
  }
  return withPixelErrors(async () => {
    const { reader } = await services().pixels.readerFor(image);
    if (level >= reader.index.levels.length) {
      throw badRequest(`level must be 0 to ${reader.index.levels.length - 1} (the slide's native levels)`);
    }
    const region = await reader.renderRegion(level, x, y, width, height);
    if (region.errors[0]) throw region.errors[0];
    const jpeg = await sharp(region.data, { raw: { width, height, channels: 3 } })
      .jpeg({ quality: 85 })
      .toBuffer();
    return raw(withJfifHeader(jpeg), 'image/jpeg', { 'cache-control': 'private, max-age=3600' });
  });
});
