import { services } from '../../common/services.js';
import { apiHandler } from '../../http/api-handler.js';
import { withPixelErrors } from '../../pixels/pixel-errors.js';
import { imageFor } from '../../studies/study-access.js';

/**
 * GET /Api/DownloadSlide (studyId, imageId) → the original file: a 302 to a download URL valid 15 minutes that
 * names the file (`Content-Disposition: attachment`) and serves byte ranges. `npm start` streams it itself.
 */
export const handler = apiHandler('DownloadSlide', async ({ params, caller }) => {
  const image = await imageFor(caller, params.requiredInteger('imageId'), params.requiredInteger('studyId'));
  const url = await withPixelErrors(() => services().pixels.downloadUrl(image));
  return { statusCode: 302, headers: { location: url, 'cache-control': 'no-store' } };
});
