import { services } from '../../common/services.js';
import { apiHandler } from '../../http/api-handler.js';
import { success } from '../../http/replies.js';
import { imageFor } from '../../studies/study-access.js';

/** POST /Api/UpdateSlideName (imageId, newName) → {"success":true}. */
export const handler = apiHandler('UpdateSlideName', async ({ params, caller }) => {
  const image = await imageFor(caller, params.requiredInteger('imageId'));
  const name = params.requiredField('newName', 'name');
  await services().studies.updateImage({ ...image, name });
  return success();
});
