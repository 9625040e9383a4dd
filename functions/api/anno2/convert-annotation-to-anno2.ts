import { services } from '../../common/services.js';
import { apiHandler } from '../../http/api-handler.js';
import { HttpError } from '../../http/errors.js';
import { success } from '../../http/replies.js';
import { assertStudyAccess } from '../../studies/study-access.js';
import { answerTargetRequest, userMetadata } from './anno2-request.js';

/**
 * POST /Api/ConvertAnnotationToAnno2 (studyId, imageId, scoreId or question, email, metadata) →
 * {"success":true,"annoUUID"}: that user's JSON answer becomes an anno2 zip, and the answer a reference to it.
 */
export const handler = apiHandler('ConvertAnnotationToAnno2', async ({ params, caller }) => {
  const request = answerTargetRequest(params);
  assertStudyAccess(caller, request.studyId);
  const converted = await services().anno2.convertAnswerTo(request, userMetadata(params));
  if (!converted.ok) throw new HttpError(converted.status, converted.reason);
  return success({ annoUUID: converted.value });
});
