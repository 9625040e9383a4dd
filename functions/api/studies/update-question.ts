import { services } from '../../common/services.js';
import { formatProblem } from '../../domain/study-config/problems.js';
import { parseQuestionSpec } from '../../domain/study-config/scores-file.js';
import { apiHandler } from '../../http/api-handler.js';
import { failure, success } from '../../http/replies.js';
import { contentsFor } from '../../studies/study-access.js';
import type { StudyQuestion } from '../../studies/study-model.js';

/**
 * POST /Api/UpdateQuestion (studyId, scoreId, order, questionSpec) → {"success":true,"id":<scoreId>}. `order` is
 * the question's new position (from 0); the others move to make room.
 */
export const handler = apiHandler('UpdateQuestion', async ({ params, caller }) => {
  const contents = await contentsFor(caller, params.requiredInteger('studyId'));
  const id = params.requiredInteger('scoreId');
  const question = contents.questions.find((q) => q.id === id && !q.removed);
  if (!question) return failure(`No question ${id} in study ${contents.study.id}`);
  const parsed = parseQuestionSpec(params.required('questionSpec'));
  if (!parsed.value) return failure(parsed.problems.map(formatProblem).join('\n'));

  const sheet = contents.questions.filter((q) => !q.removed && q.id !== id);
  const position = Math.min(Math.max(params.integer('order') ?? question.order, 0), sheet.length);
  const updated: StudyQuestion = { ...question, ...parsed.value, id, order: position };
  const reordered = [...sheet.slice(0, position), updated, ...sheet.slice(position)];
  const { studies } = services();
  if (!(await studies.updateQuestion(updated, question.name))) {
    return failure(`The study already has a question named ${updated.name}`);
  }
  for (const [order, other] of reordered.entries()) {
    if (other.id !== id && other.order !== order) await studies.updateQuestion({ ...other, order });
  }
  return success({ id });
});
