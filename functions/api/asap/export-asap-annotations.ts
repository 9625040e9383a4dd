import { services } from '../../common/services.js';
import { apiHandler } from '../../http/api-handler.js';
import { badRequest, notFound } from '../../http/errors.js';
import { raw } from '../../http/replies.js';
import { isAnnotationQuestion } from '../../scores/asap-annotations.js';
import { imageFor } from '../../studies/study-access.js';

/**
 * GET or POST /Api/ExportASAPAnnotations (imageid, user, question) → the user's answer to the question on the
 * image as ASAP XML (first character `<`); no answer gives a file without annotations. Refusals are JSON.
 */
export const handler = apiHandler('ExportASAPAnnotations', async ({ params, caller }) => {
  const image = await imageFor(caller, params.requiredInteger('imageid'));
  const user = params.requiredField('user', 'email');
  const name = params.required('question').trim();
  const contents = await services().studies.loadContents(image.studyId);
  // Question names are unique in a study ignoring case, as Scores matches them.
  const question = contents?.questions.find((q) => !q.removed && q.name.toLowerCase() === name.toLowerCase());
  if (!question) throw notFound(`The study has no question "${name}"`);
  if (!isAnnotationQuestion(question)) {
    throw badRequest(`Question "${question.name}" is ${question.type}; only annotation questions export as ASAP`);
  }
  const chunks = await services().asap.export(image, question, user);
  return raw([...chunks].join(''), 'application/xml; charset=utf-8', { 'cache-control': 'no-store' });
});
