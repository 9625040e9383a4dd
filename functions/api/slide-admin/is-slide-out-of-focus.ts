import { apiHandler } from '../../http/api-handler.js';
import { success } from '../../http/replies.js';
import { withPixelErrors } from '../../pixels/pixel-errors.js';
import { focusOf } from '../../pixels/slide-focus.js';
import { isOutOfFocus } from '../../slides/focus-measure.js';
import { imageFor } from '../../studies/study-access.js';

/**
 * POST /Api/IsSlideOutOfFocus (studyId, imageId) → {"success":true,"isOOF":<bool>} (reference §3.4): the
 * variance of the Laplacian over tissue, measured once per uploaded file, under the documented threshold
 * (docs/administration.md). `studyId` is checked when given; the SDK always sends it.
 */
export const handler = apiHandler('IsSlideOutOfFocus', async ({ params, caller }) => {
  const image = await imageFor(caller, params.requiredInteger('imageId'), params.integer('studyId'));
  const measure = await withPixelErrors(() => focusOf(image));
  return success({ isOOF: isOutOfFocus(measure) });
});
