import type { AnswerTargetRequest } from '../../anno2/anno2-service.js';
import { badRequest } from '../../http/errors.js';
import type { Parameters } from '../../http/parameters.js';

/** The parameters CreateAnno2 and ConvertAnnotationToAnno2 share (studyId also as studyid: names ignore case). */
export function answerTargetRequest(params: Parameters): AnswerTargetRequest {
  const request: AnswerTargetRequest = {
    studyId: params.requiredInteger('studyId'),
    imageId: params.requiredInteger('imageId'),
    email: params.requiredField('email', 'email'),
  };
  const caseId = params.integer('caseId');
  const tmaCoreId = params.integer('tmaCoreId');
  const scoreId = params.integer('scoreId');
  const question = params.get('question');
  if (caseId !== undefined) request.caseId = caseId;
  if (tmaCoreId !== undefined) request.tmaCoreId = tmaCoreId;
  if (scoreId !== undefined) request.scoreId = scoreId;
  if (question !== undefined) request.question = question;
  return request;
}

/** `metadata`: a JSON text kept as the zip's user_metadata.json; absent or blank is {}. */
export function userMetadata(params: Parameters): unknown {
  const text = params.get('metadata');
  if (text === undefined || text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest('Parameter metadata must be JSON, such as {}');
  }
}
