import { services } from '../../common/services.js';
import { apiHandler } from '../../http/api-handler.js';
import { badRequest, forbidden } from '../../http/errors.js';
import { failure, success } from '../../http/replies.js';
import { imageFor } from '../../studies/study-access.js';

/**
 * POST /Api/UploadASAPAnnotations (imageid, user, asapAnnotation, questionsMap?, annotationName?) →
 * {"success":true}, or {"success":false,"log":"…"} with nothing written. The study is the image's (one the
 * token holds); without a questionsMap the import creates questions, which also needs CanManageStudies.
 */
export const handler = apiHandler('UploadASAPAnnotations', async ({ params, caller }) => {
  const image = await imageFor(caller, params.requiredInteger('imageid'));
  const user = params.requiredField('user', 'email');
  const xml = params.get('asapAnnotation');
  if (xml === undefined || xml.trim() === '') throw badRequest('Missing parameter asapAnnotation');
  const questionsMap = params.get('questionsMap');
  const annotationName = params.get('annotationName')?.trim();
  if (annotationName !== undefined && annotationName !== '') params.requiredField('annotationName', 'name');
  const hasMap = questionsMap !== undefined && questionsMap.trim() !== '';
  const outcome = await services().asap.import({
    image,
    user,
    xml,
    ...(hasMap ? { questionsMap } : {}),
    ...(annotationName ? { annotationName } : {}),
    mayCreateQuestions: caller.can('CanManageStudies'),
  });
  if (outcome.ok) return success();
  if (outcome.reason === 'may not create questions') throw forbidden(outcome.log);
  return failure(outcome.log);
});
