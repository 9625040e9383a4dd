import { services } from '../../common/services.js';
import { apiHandler } from '../../http/api-handler.js';
import type { Parameters } from '../../http/parameters.js';
import { failure, success } from '../../http/replies.js';
import { imageFor } from '../../studies/study-access.js';

/** Larger than any microscope's pixel (a 1× scan is about 10 µm). */
const MAX_MPP = 1000;

/**
 * POST /Api/SetSlideResolution (imageId, mppX, mppY; studyId optional) → {"success":true}. Microns per pixel at
 * level 0 that win over the file's own values in GetImageMetadata, QuPath's metadata and TMA positions (and so
 * every scale bar drawn from them). `mppX=0&mppY=0` removes the override. Reimport keeps it.
 */
export const handler = apiHandler('SetSlideResolution', async ({ params, caller }) => {
  const image = await imageFor(caller, params.requiredInteger('imageId'), params.integer('studyId'));
  const mppX = micronsPerPixel(params, 'mppX');
  const mppY = micronsPerPixel(params, 'mppY');
  if (typeof mppX === 'string') return failure(mppX);
  if (typeof mppY === 'string') return failure(mppY);
  const { resolution: _previous, ...rest } = image;
  if (mppX === 0 && mppY === 0) {
    await services().studies.updateImage(rest);
    return success();
  }
  if (mppX === 0 || mppY === 0) return failure('mppX and mppY are both 0 (remove the override) or both positive');
  await services().studies.updateImage({ ...rest, resolution: { mppX, mppY } });
  return success();
});

/** The number, or the reason it is refused. */
function micronsPerPixel(params: Parameters, name: string): number | string {
  const text = params.required(name).trim();
  const value = Number(text);
  if (text === '' || !Number.isFinite(value) || value < 0 || value > MAX_MPP) {
    return `${name} must be a number of microns per pixel from 0 to ${MAX_MPP}, not "${text.slice(0, 40)}"`;
  }
  return value;
}
