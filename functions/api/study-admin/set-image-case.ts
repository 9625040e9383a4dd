import { services } from '../../common/services.js';
import { apiHandler } from '../../http/api-handler.js';
import { notFound } from '../../http/errors.js';
import { success } from '../../http/replies.js';
import { caseFor, imageFor } from '../../studies/study-access.js';

/**
 * POST /Api/SetImageCase (imageId, caseId) → {"success":true}: puts the slide in a case of its study;
 * caseId 0 takes it out of any case. An image list naming the slide under a `case:` line sets it again at the
 * next Reimport.
 */
export const handler = apiHandler('SetImageCase', async ({ params, caller }) => {
  const image = await imageFor(caller, params.requiredInteger('imageId'));
  const caseId = params.requiredInteger('caseId');
  if (caseId === 0) {
    const { caseId: _old, ...rest } = image;
    await services().studies.updateImage(rest);
    return success();
  }
  const found = await caseFor(caller, caseId);
  if (found.studyId !== image.studyId) throw notFound(`No case ${caseId} in study ${image.studyId}`);
  await services().studies.updateImage({ ...image, caseId });
  return success();
});
