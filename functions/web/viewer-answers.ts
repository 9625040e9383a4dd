import { formatAnnotationAnswer, parseAnnotationAnswer } from '../domain/annotations/annotation-model.js';
import type { Question } from '../domain/questions/question-types.js';

/**
 * The answer text the viewer saves for a field of its scoring sheet. Annotation answers go through the one
 * annotation model (parsed and written again, so what is stored is the model's JSON); an empty drawing is `[]`.
 * Anything the model refuses is passed on as sent, for ResultsService.saveAnswers to refuse with its reason.
 */
export function viewerAnswerText(question: Pick<Question, 'type'>, value: string): string {
  const text = value.trim();
  if (question.type !== 'AnnoPoints' && question.type !== 'AnnoShapes' && question.type !== 'AnnoMeasure') return text;
  if (text === '' || text === '[]') return '[]';
  const parsed = parseAnnotationAnswer(question.type, text);
  return parsed.ok ? formatAnnotationAnswer(parsed.items) : text;
}
