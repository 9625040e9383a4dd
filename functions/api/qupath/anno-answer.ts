import { services } from '../../common/services.js';
import type { AnnotationQuestionType } from '../../domain/annotations/annotation-answer.js';
import { formatAnnotationAnswer, parseAnnotationAnswer } from '../../domain/annotations/annotation-model.js';
import { isAnnotationType } from '../../domain/questions/question-types.js';
import { parseQupathAnswer } from '../../domain/tma/qupath-tma-answer.js';
import { publicHandler } from '../../http/api-handler.js';
import { badRequest, forbidden, notFound } from '../../http/errors.js';
import { json } from '../../http/replies.js';
import { slideLinkRequest } from '../../pixels/slide-link-request.js';
import { sameQuestionName } from '../../scores/qupath-lines.js';
import type { NewAnswer } from '../../scores/score-repository.js';
import type { StudyQuestion } from '../../studies/study-model.js';

/**
 * POST /i/{imageId}/{token}/AnnoAnswer.json (form: question, answer) → {"success":true,"saved":n}: the link's
 * user answers `question` about the whole slide, or (the `TMAs:` form) about the TMA cores it names, which
 * replaces that user's answers for those cores only. Annotation answers go through the annotation model; all
 * are saved through ResultsService.saveAnswers, the one way to save answers by ID.
 */
export const handler = publicHandler('QupathAnnoAnswer', async ({ event, params }) => {
  const { image, studyId, grant } = await slideLinkRequest(event);
  const posted = params.required('question');
  const text = params.get('answer') ?? '';
  const contents = await services().studies.loadContents(studyId);
  if (!contents) throw notFound(`No study ${studyId}`);
  const member = contents.members.find((m) => !m.removed && m.email.toLowerCase() === grant.email.toLowerCase());
  if (!member?.rights.includes('canscore')) throw forbidden(`${grant.email} may no longer score in this study`);
  const question = contents.questions.find((q) => !q.removed && sameQuestionName(posted, q.name));
  if (!question) throw badRequest(`The study has no question "${posted}"`);

  const parsed = parseQupathAnswer(text);
  if (parsed.kind === 'refused') throw badRequest(parsed.reason);
  const base = { imageId: image.id, questionId: question.id, user: grant.email };
  let answers: NewAnswer[];
  if (parsed.kind === 'slide') {
    answers = [{ ...base, answer: normalized(question, parsed.answer, 'the answer') }];
  } else {
    const map = image.tmaMap ? contents.maps.find((m) => m.name === image.tmaMap) : undefined;
    if (!map) throw badRequest(`Image ${image.id} has no TMA map, so it takes no TMA answers`);
    answers = parsed.cores.map(({ row, col, answer }) => {
      const core = map.map.grid[row]?.[col];
      if (!core) throw badRequest(`The TMA map ${map.name} has no core at row ${row}, column ${col}`);
      return {
        ...base,
        tmaRow: row,
        tmaCol: col,
        tmaSampleId: core.sampleId,
        answer: normalized(question, answer, `core ${row},${col}`),
      };
    });
  }
  if (answers.length === 0) return json({ success: true, saved: 0 });
  const outcome = await services().scores.saveAnswers(studyId, answers);
  if (!outcome.ok) throw badRequest('log' in outcome ? outcome.log : `No study ${studyId}`);
  const { created, changed, unchanged } = outcome.saved;
  return json({ success: true, saved: created + changed + unchanged });
});

/** An annotation answer read by the annotation model (the one parser) and written back in its form. */
function normalized(question: StudyQuestion, answer: string, what: string): string {
  if (!isAnnotationType(question.type)) return answer;
  const parsed = parseAnnotationAnswer(question.type as AnnotationQuestionType, answer);
  if (!parsed.ok) throw badRequest(`${what}: ${parsed.reason}`);
  return formatAnnotationAnswer(parsed.items);
}
