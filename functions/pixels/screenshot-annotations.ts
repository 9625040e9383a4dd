import { type AnnotationQuestionType, DEFAULT_ANNOTATION_LIMITS } from '../domain/annotations/annotation-answer.js';
import { parseAnnotationAnswer } from '../domain/annotations/annotation-model.js';
import { isAnnotationType } from '../domain/questions/question-types.js';
import type { ResultsService } from '../scores/results-service.js';
import type { StudyImage, StudyQuestion } from '../studies/study-model.js';
import type { ScreenshotLayer } from './screenshot-renderer.js';

/** Colour of an annotation question without one in its configuration. */
const DEFAULT_COLOUR = '#ff0000';

export type LayersResult = { ok: true; layers: ScreenshotLayer[] } | { ok: false; reason: string };

/**
 * The layers a screenshot draws: `user`'s answers about the image (whole slide and TMA cores) to `questionName`
 * when given, else to every annotation question, each in its question's colour. An answer that no longer parses
 * is left out.
 */
export async function annotationLayers(
  scores: Pick<ResultsService, 'answers'>,
  image: StudyImage,
  questions: readonly StudyQuestion[],
  user: string,
  questionName: string | undefined,
): Promise<LayersResult> {
  const live = questions.filter((q) => !q.removed);
  let wanted: StudyQuestion[];
  if (questionName !== undefined) {
    const lower = questionName.toLowerCase();
    const found = live.find((q) => q.name === questionName) ?? live.find((q) => q.name.toLowerCase() === lower);
    if (!found) return { ok: false, reason: `No question ${questionName} in study ${image.studyId}` };
    if (!isAnnotationType(found.type)) {
      return { ok: false, reason: `Question ${found.name} is a ${found.type} question, not an annotation question` };
    }
    wanted = [found];
  } else {
    wanted = live.filter((q) => isAnnotationType(q.type));
  }
  const byId = new Map(wanted.map((q) => [q.id, q]));
  const layers: ScreenshotLayer[] = [];
  const filter = {
    targets: [{ imageId: image.id }],
    user,
    ...(wanted.length === 1 ? { questionId: (wanted[0] as StudyQuestion).id } : {}),
  };
  for await (const answer of scores.answers(image.studyId, filter)) {
    const question = byId.get(answer.questionId);
    if (!question || answer.user.toLowerCase() !== user.toLowerCase()) continue;
    const parsed = parseAnnotationAnswer(
      question.type as AnnotationQuestionType,
      answer.answer,
      DEFAULT_ANNOTATION_LIMITS,
    );
    if (!parsed.ok) continue;
    layers.push({ items: parsed.items, colour: questionColour(question) });
  }
  return { ok: true, layers };
}

/** The `#rrggbb` an annotation question's configuration starts with. */
export function questionColour(question: Pick<StudyQuestion, 'valuesAllowed'>): string {
  return /^\s*(#[0-9a-f]{6})\b/i.exec(question.valuesAllowed)?.[1] ?? DEFAULT_COLOUR;
}
