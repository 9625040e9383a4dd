import { services } from '../../common/services.js';
import { isAnnotationType } from '../../domain/questions/question-types.js';
import { publicHandler } from '../../http/api-handler.js';
import { notFound } from '../../http/errors.js';
import { raw } from '../../http/replies.js';
import { slideLinkRequest } from '../../pixels/slide-link-request.js';
import { qupathLine } from '../../scores/qupath-lines.js';

/**
 * GET /i/{imageId}/{token}/Answers.json → text/plain, one answer per line: `question;email;value`, and
 * `;#rrggbb` after an annotation question's answer (its colour, which QuPath gives the imported shapes).
 * Every user's answers about the slide, whole slide and TMA cores (core answers are in slide coordinates
 * too). QuPath splits lines on `;`, so a `;` inside a value is written as `,`.
 */
export const handler = publicHandler('QupathAnswers', async ({ event }) => {
  const { image, studyId } = await slideLinkRequest(event);
  const contents = await services().studies.loadContents(studyId);
  if (!contents) throw notFound(`No study ${studyId}`);
  const questions = new Map(contents.questions.filter((q) => !q.removed).map((q) => [q.id, q]));
  const lines: string[] = [];
  for await (const answer of services().scores.answers(studyId, { targets: [{ imageId: image.id }] })) {
    const question = questions.get(answer.questionId);
    if (!question) continue;
    const colour = isAnnotationType(question.type) ? /^#[0-9a-f]{6}\b/i.exec(question.valuesAllowed)?.[0] : undefined;
    const fields = [question.name, answer.user, answer.answer];
    lines.push(colour ? `${qupathLine(fields)};${colour}` : qupathLine(fields));
  }
  return raw(lines.map((l) => `${l}\n`).join(''), 'text/plain; charset=utf-8', { 'cache-control': 'no-store' });
});
