import { services } from '../../common/services.js';
import { apiHandler } from '../../http/api-handler.js';
import { failure, success } from '../../http/replies.js';
import { imageFor } from '../../studies/study-access.js';

/** POST /Api/UpdateSlideName (imageId, newName) → {"success":true}. */
export const handler = apiHandler('UpdateSlideName', async ({ params, caller }) => {
  const image = await imageFor(caller, params.requiredInteger('imageId'));
  const name = params.required('newName').trim();
  if (name.length > 255) return failure('The name is longer than 255 characters');
  await services().studies.updateImage({ ...image, name });
  return success();
});
