import { services } from '../../common/services.js';
import { validateAnswer } from '../../domain/results/answer-validation.js';
import { badRequest, forbidden } from '../../http/errors.js';
import { success } from '../../http/replies.js';
import type { NewAnswer } from '../../scores/score-repository.js';
import { visibleQuestions } from '../../studies/study-views.js';
import { overHttps, pageHandler } from '../../web/page-handler.js';
import { imageOf, studyForUser } from '../../web/viewer-access.js';
import { viewerAnswerText } from '../../web/viewer-answers.js';
import { slideTiles, tmaCores } from '../../web/viewer-tiles.js';

/**
 * POST /Image/SaveAnswers (form: studyId, imageId, [tmaRow, tmaCol], answers = JSON {"<questionId>": "<answer>"})
 * → {"success":true,"saved":{created,changed,unchanged}}: the scoring sheet, saved as the signed-in user through
 * ResultsService.saveAnswers (the same checks as UploadResults, so the answers appear in Scores at once). An
 * empty answer to a question that refuses empty answers is left out rather than refused.
 */
export const handler = pageHandler('SaveViewerAnswers', async ({ params, session, event }) => {
  const access = await studyForUser(session, params.requiredInteger('studyId'));
  if (!access.mayAnswer) throw forbidden('You may view this study but not answer');
  const image = imageOf(access, params.requiredInteger('imageId'));
  let given: unknown;
  try {
    given = JSON.parse(params.required('answers'));
  } catch {
    throw badRequest('answers must be a JSON object of question ID to answer text');
  }
  if (!given || typeof given !== 'object' || Array.isArray(given)) throw badRequest('answers must be a JSON object');
  const questions = new Map(visibleQuestions(access.contents).map((q) => [q.id, q]));

  let core: { row: number; col: number; sampleId: string } | undefined;
  const rowText = params.get('tmaRow');
  if (rowText !== undefined && rowText !== '') {
    const [row, col] = [params.requiredInteger('tmaRow'), params.requiredInteger('tmaCol')];
    const caller = services().viewerSessions.pixelCaller(session, [access.contents.study.id]);
    const tiles = await slideTiles(caller, image, overHttps(event));
    const found = tmaCores(access.contents, image, tiles).find(
      (c) => c.row === row && c.col === col && c.sampleId !== null,
    );
    if (!found) throw badRequest(`No TMA core at row ${row}, column ${col}`);
    core = { row, col, sampleId: found.sampleId ?? '' };
  }

  const answers: NewAnswer[] = [];
  for (const [key, value] of Object.entries(given as Record<string, unknown>)) {
    const question = questions.get(Number(key));
    if (!question || typeof value !== 'string')
      throw badRequest(`No question ${key.slice(0, 20)} in this study, or its answer is not text`);
    if (question.type === 'Explanation') continue;
    const answer = viewerAnswerText(question, value);
    if (answer === '' && !validateAnswer(question, '').ok) continue;
    answers.push({
      imageId: image.id,
      questionId: question.id,
      user: session.email,
      answer,
      ...(core ? { tmaRow: core.row, tmaCol: core.col, tmaSampleId: core.sampleId } : {}),
    });
  }
  if (answers.length === 0) return success({ saved: { created: 0, changed: 0, unchanged: 0 } });
  const outcome = await services().scores.saveAnswers(access.contents.study.id, answers);
  if (!outcome.ok) throw badRequest('log' in outcome ? outcome.log : `No study ${access.contents.study.id}`);
  return success({ saved: outcome.saved });
});
