import { apiHandler } from '../../http/api-handler.js';
import { json } from '../../http/replies.js';
import { contentsFor } from '../../studies/study-access.js';
import { questionView, visibleQuestions } from '../../studies/study-views.js';

/** GET /Api/Questions?studyId=N → [{id, name, typeName, valuesAllowed, order}], in scoring-sheet order. */
export const handler = apiHandler('Questions', async ({ params, caller }) => {
  const contents = await contentsFor(caller, params.requiredInteger('studyId'));
  return json(visibleQuestions(contents).map(questionView));
});
