import type { AnnotationLimits } from '../annotations/annotation-answer.js';
import type { Question } from '../questions/question-types.js';
import { validateAnswer } from './answer-validation.js';
import { quoted } from './quoted.js';
import { readUploadedRows, type UploadedRow } from './results-tsv.js';

export interface CheckedUpload {
  /** The good rows, each answer in its stored form. */
  rows: UploadedRow[];
  /** One message per bad line (`line 7: …`), in line order. */
  errors: string[];
}

/**
 * Reads an UploadResults body and checks each row against the study's questions: the question exists (names
 * match exactly) and the answer fits its type. What needs storage (do the image, case and user exist?) is left
 * to the caller, which writes nothing unless `errors` stays empty.
 */
export function checkUploadedResults(
  text: string,
  questions: Iterable<Question>,
  limits?: AnnotationLimits,
): CheckedUpload {
  const byName = new Map<string, Question>();
  for (const question of questions) byName.set(question.name, question);
  const rows: UploadedRow[] = [];
  const errors: string[] = [];
  for (const outcome of readUploadedRows(text)) {
    if (!outcome.ok) {
      errors.push(`line ${outcome.line}: ${outcome.reason}`);
      continue;
    }
    const { row } = outcome;
    const question = byName.get(row.question);
    if (!question) {
      errors.push(`line ${row.line}: ${unknownQuestion(row.question, byName)}`);
      continue;
    }
    const check = validateAnswer(question, row.answer, limits);
    if (!check.ok)
      errors.push(`line ${row.line}: question ${quoted(question.name)} (${question.type}): ${check.reason}`);
    else rows.push(check.normalized === undefined ? row : { ...row, answer: check.normalized });
  }
  return { rows, errors };
}

function unknownQuestion(name: string, byName: ReadonlyMap<string, Question>): string {
  const lower = name.toLowerCase();
  const near = [...byName.keys()].find((known) => known.toLowerCase() === lower);
  return near === undefined
    ? `the study has no question ${quoted(name)}`
    : `the study has no question ${quoted(name)}; did you mean ${quoted(near)}?`;
}

/** Lines a failure log lists in full; the reply must stay far below the 6 MB a Lambda function may return. */
export const MAX_LOG_LINES = 1000;

/** The `log` of a refused upload: a summary line, then the bad lines (the first {@link MAX_LOG_LINES}). */
export function uploadFailureLog(errors: readonly string[], maxLines = MAX_LOG_LINES): string {
  const summary = `${errors.length} bad line${errors.length === 1 ? '' : 's'}; nothing was saved.`;
  const listed = errors.slice(0, maxLines);
  const rest = errors.length - listed.length;
  return [summary, ...listed, ...(rest > 0 ? [`… and ${rest} more bad line${rest === 1 ? '' : 's'}`] : [])].join('\n');
}

/**
 * The `log` of an accepted upload that had something worth telling (rows naming an image by another name): a
 * summary line, then the lines (the first {@link MAX_LOG_LINES}).
 */
export function uploadNotesLog(notes: readonly string[], maxLines = MAX_LOG_LINES): string {
  const summary =
    `Saved. ${notes.length} line${notes.length === 1 ? '' : 's'} named ${notes.length === 1 ? 'its image' : 'their images'} ` +
    'other than the study does now; the ImageID decides which image an answer is about.';
  const listed = notes.slice(0, maxLines);
  const rest = notes.length - listed.length;
  return [summary, ...listed, ...(rest > 0 ? [`… and ${rest} more line${rest === 1 ? '' : 's'}`] : [])].join('\n');
}
