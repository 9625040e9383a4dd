import { services } from '../common/services.js';
import type { AnnotationQuestionType } from '../domain/annotations/annotation-answer.js';
import { formatAnnotationAnswer, parseAnnotationAnswer } from '../domain/annotations/annotation-model.js';
import { isAnnotationType } from '../domain/questions/question-types.js';
import { parseQupathAnswer } from '../domain/tma/qupath-tma-answer.js';
import { badRequest, forbidden, notFound } from '../http/errors.js';
import type { SlideLink } from '../pixels/slide-link-request.js';
import { sameQuestionName } from '../scores/qupath-lines.js';
import type { NewAnswer } from '../scores/score-repository.js';
import type { StudyContents, StudyQuestion } from '../studies/study-model.js';

/**
 * Answers QuPath posts through a per-slide link (AnnoAnswer.json, and the large-annotation upload of
 * CreateAnno2.json / FinishAnno2Upload.json): always the link's user, who must still be allowed to score.
 */
export async function linkQuestion(
  link: SlideLink,
  question: { name: string } | { id: number },
): Promise<{ contents: StudyContents; question: StudyQuestion }> {
  const contents = await services().studies.loadContents(link.studyId);
  if (!contents) throw notFound(`No study ${link.studyId}`);
  const email = link.grant.email.toLowerCase();
  const member = contents.members.find((m) => !m.removed && m.email.toLowerCase() === email);
  if (!member?.rights.includes('canscore')) throw forbidden(`${link.grant.email} may no longer score in this study`);
  const found = contents.questions.find(
    (q) => !q.removed && ('id' in question ? q.id === question.id : sameQuestionName(question.name, q.name)),
  );
  if (!found) throw badRequest(`The study has no question "${'id' in question ? question.id : question.name}"`);
  return { contents, question: found };
}

/**
 * Saves `text` as the link's user's answer to `question`: a whole-slide answer, or (the `TMAs:` form) answers
 * about the TMA cores it names, which replace that user's answers for those cores only. Annotation answers go
 * through the annotation model; all are saved through ResultsService.saveAnswers. Returns how many were saved.
 */
export async function saveLinkAnswer(
  link: SlideLink,
  contents: StudyContents,
  question: StudyQuestion,
  text: string,
): Promise<number> {
  const { image, studyId, grant } = link;
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
  if (answers.length === 0) return 0;
  const outcome = await services().scores.saveAnswers(studyId, answers);
  if (!outcome.ok) throw badRequest('log' in outcome ? outcome.log : `No study ${studyId}`);
  const { created, changed, unchanged } = outcome.saved;
  return created + changed + unchanged;
}

/** An annotation answer read by the annotation model (the one parser) and written back in its form. */
function normalized(question: StudyQuestion, answer: string, what: string): string {
  if (!isAnnotationType(question.type)) return answer;
  const parsed = parseAnnotationAnswer(question.type as AnnotationQuestionType, answer);
  if (!parsed.ok) throw badRequest(`${what}: ${parsed.reason}`);
  return formatAnnotationAnswer(parsed.items);
}
