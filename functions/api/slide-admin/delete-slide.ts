import { services } from '../../common/services.js';
import { apiHandler } from '../../http/api-handler.js';
import { success } from '../../http/replies.js';
import { imageFor } from '../../studies/study-access.js';

/**
 * POST /Api/DeleteSlide (imageId, studyId optional) → {"success":true}. Takes the image out of its study: it
 * leaves Images, GetConfig and every call by image ID; the uploaded file stays, and so do its answers, which
 * Scores leaves out while the slide is removed. Reimport brings the image back (same ID, answers and all) while
 * the study's `.images` file still names its path, and so does AddSlide of the same path (docs/administration.md).
 */
export const handler = apiHandler('DeleteSlide', async ({ params, caller }) => {
  const image = await imageFor(caller, params.requiredInteger('imageId'), params.integer('studyId'));
  await services().studies.updateImage({ ...image, removed: true });
  return success();
});
