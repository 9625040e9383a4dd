import { services } from '../../common/services.js';
import { formatProblem } from '../../domain/study-config/problems.js';
import { parseQuestionSpec } from '../../domain/study-config/scores-file.js';
import { apiHandler } from '../../http/api-handler.js';
import { failure, success } from '../../http/replies.js';
import { contentsFor } from '../../studies/study-access.js';

/**
 * POST /Api/AddQuestion (studyId, questionSpec: one `.scores` line, `name<TAB>type<TAB>config` or
 * `name;type;config`) → {"success":true,"id":<scoreId>}, appended to the scoring sheet.
 */
export const handler = apiHandler('AddQuestion', async ({ params, caller }) => {
  const contents = await contentsFor(caller, params.requiredInteger('studyId'));
  const parsed = parseQuestionSpec(params.required('questionSpec'));
  if (!parsed.value) return failure(parsed.problems.map(formatProblem).join('\n'));
  const existing = contents.questions.find((q) => q.name.toLowerCase() === parsed.value?.name.toLowerCase());
  if (existing && !existing.removed) return failure(`The study already has a question named ${existing.name}`);
  const order = contents.questions.reduce((max, q) => Math.max(max, q.order + 1), 0);
  if (existing) {
    await services().studies.updateQuestion({ ...parsed.value, id: existing.id, studyId: existing.studyId, order });
    return success({ id: existing.id });
  }
  const [added] = await services().studies.addQuestions(contents.study.id, [{ ...parsed.value, order }]);
  return added ? success({ id: added.id }) : failure(`The study already has a question named ${parsed.value.name}`);
});
