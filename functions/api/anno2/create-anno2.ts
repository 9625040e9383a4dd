import { services } from '../../common/services.js';
import { apiHandler } from '../../http/api-handler.js';
import { HttpError } from '../../http/errors.js';
import { success } from '../../http/replies.js';
import { assertStudyAccess } from '../../studies/study-access.js';
import { answerTargetRequest } from './anno2-request.js';

/**
 * POST /Api/CreateAnno2 (studyId, imageId, scoreId or question, email; caseId, tmaCoreId) →
 * {"success":true,"uploadToken","annoUUID"}. The zip then comes by tus and FinishUpload, which saves the answer.
 */
export const handler = apiHandler('CreateAnno2', async ({ params, caller }) => {
  const request = answerTargetRequest(params);
  assertStudyAccess(caller, request.studyId);
  const target = await services().anno2.answerTarget(request);
  if (!target.ok) throw new HttpError(target.status, target.reason);
  const uploadToken = await services().uploads.requestAnno2Upload(caller, target.value);
  return success({ uploadToken, annoUUID: target.value.uuid });
});
