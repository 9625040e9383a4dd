import { services } from '../../common/services.js';
import { apiHandler } from '../../http/api-handler.js';
import { failure, success } from '../../http/replies.js';
import { contentsFor } from '../../studies/study-access.js';

/**
 * POST /Api/RemoveQuestion (studyId, scoreId) → {"success":true}. The question leaves the scoring sheet; its
 * answers are kept, and a Reimport whose `.scores` still lists it brings it back.
 */
export const handler = apiHandler('RemoveQuestion', async ({ params, caller }) => {
  const contents = await contentsFor(caller, params.requiredInteger('studyId'));
  const id = params.requiredInteger('scoreId');
  const question = contents.questions.find((q) => q.id === id && !q.removed);
  if (!question) return failure(`No question ${id} in study ${contents.study.id}`);
  await services().studies.updateQuestion({ ...question, removed: true });
  return success();
});
