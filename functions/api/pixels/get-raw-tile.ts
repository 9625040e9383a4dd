import sharp from 'sharp';
import { services } from '../../common/services.js';
import { apiHandler } from '../../http/api-handler.js';
import { badRequest } from '../../http/errors.js';
import { raw } from '../../http/replies.js';
import { withPixelErrors } from '../../pixels/pixel-errors.js';
import { withJfifHeader } from '../../slides/index.js';
import { imageFor } from '../../studies/study-access.js';

/** The largest side of a raw region: 4096² RGB is 48 MB of pixels, well within the function's memory. */
export const MAX_RAW_SIDE = 4096;

/**
 * GET /Api/GetRawTile (studyId, imageId, level, x, y, width, height, jpegQuality) → a JPEG of exactly
 * width×height pixels of native `level`, whose top-left is (x, y) in level-0 pixels, as OpenSlide's
 * read_region; background-coloured outside the slide. It starts with a JFIF segment (the SDK checks for it).
 * A region over a corrupt tile is refused with the reason.
 */
export const handler = apiHandler('GetRawTile', async ({ params, caller }) => {
  const image = await imageFor(caller, params.requiredInteger('imageId'), params.requiredInteger('studyId'));
  const level = params.requiredInteger('level');
  const [x, y] = [params.requiredInteger('x'), params.requiredInteger('y')];
  const [width, height] = [params.requiredInteger('width'), params.requiredInteger('height')];
  const quality = params.integer('jpegQuality') ?? 80;
  if (width < 1 || height < 1 || width > MAX_RAW_SIDE || height > MAX_RAW_SIDE) {
    throw badRequest(`width and height must be 1 to ${MAX_RAW_SIDE}`);
  }
  if (quality < 1 || quality > 100) throw badRequest('jpegQuality must be 1 to 100');
  return withPixelErrors(async () => {
    const { reader } = await services().pixels.readerFor(image);
    if (level < 0 || level >= reader.index.levels.length) {
      throw badRequest(`level must be 0 to ${reader.index.levels.length - 1} (the slide's native levels)`);
    }
    const region = await reader.renderRegion(level, x, y, width, height);
    if (region.errors[0]) throw region.errors[0];
    const jpeg = await sharp(region.data, { raw: { width, height, channels: 3 } })
      .jpeg({ quality })
      .toBuffer();
    return raw(withJfifHeader(jpeg), 'image/jpeg', { 'cache-control': 'private, max-age=3600' });
  });
});
