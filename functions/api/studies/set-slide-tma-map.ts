import { services } from '../../common/services.js';
import { apiHandler } from '../../http/api-handler.js';
import { failure, success } from '../../http/replies.js';
import { contentsFor, imageFor } from '../../studies/study-access.js';

/** POST /Api/SetSlideTMAMap (studyId, imageId, tmaMapName) → {"success":true}. */
export const handler = apiHandler('SetSlideTMAMap', async ({ params, caller }) => {
  const studyId = params.requiredInteger('studyId');
  const image = await imageFor(caller, params.requiredInteger('imageId'), studyId);
  const name = params.requiredField('tmaMapName', 'name');
  const contents = await contentsFor(caller, studyId);
  if (!contents.maps.some((m) => m.name === name)) return failure(`Study ${studyId} has no TMA map named ${name}`);
  await services().studies.updateImage({ ...image, tmaMap: name });
  return success();
});
