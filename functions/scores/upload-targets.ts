import { quoted } from '../domain/results/quoted.js';
import type { UploadedRow } from '../domain/results/results-tsv.js';
import type { StudyCase, StudyContents, StudyImage, StudyQuestion } from '../studies/study-model.js';
import type { NewAnswer } from './score-repository.js';

export interface ResolvedRows {
  answers: NewAnswer[];
  /** `line 7: …`, in line order. */
  errors: string[];
  /** Accepted rows worth telling about (`line 7: …`, in line order): an Image Name that is not the image's. */
  notes: string[];
}

/**
 * The checks of an uploaded row that need the study (the row's format and its answer are checked before, by
 * checkUploadedResults):
 * - the image is in the study (and was not removed from it). The ImageID says which image; the Image Name is
 *   informational: a different one (a file written before the slide was renamed) is accepted and noted;
 * - a CaseName names a case of the study (exactly), and an image given with a case is in that case;
 * - the answer fits in the store.
 * The user need not be a user of the study: results may come from anywhere (another server, an algorithm).
 * TMA cores are not checked against the image's TMA map (our choice): a row and column are stored as given.
 */
export function resolveUploadedRows(
  rows: readonly UploadedRow[],
  contents: StudyContents,
  maxAnswerBytes: number,
): ResolvedRows {
  const images = new Map<number, StudyImage>(contents.images.map((image) => [image.id, image]));
  const active = contents.cases.filter((c) => !c.removed); // RemoveCase
  const cases = new Map<number, StudyCase>(active.map((c) => [c.id, c]));
  const casesByName = new Map<string, StudyCase>(active.map((c) => [c.name, c]));
  const questions = new Map<string, StudyQuestion>(
    contents.questions.filter((q) => !q.removed).map((q) => [q.name, q]),
  );
  const members = new Map((contents.members ?? []).map((m) => [m.email.toLowerCase(), m.email]));
  const answers: NewAnswer[] = [];
  const errors: string[] = [];
  const notes: string[] = [];
  for (const row of rows) {
    const problem = targetProblem(row, images, cases, casesByName) ?? sizeProblem(row.answer, maxAnswerBytes);
    const question = questions.get(row.question);
    if (problem !== undefined || !question) {
      errors.push(`line ${row.line}: ${problem ?? `the study has no question ${quoted(row.question)}`}`);
      continue;
    }
    // A member of the study keeps the spelling of the study's user list (written there first).
    const user = members.get(row.user.toLowerCase()) ?? row.user;
    const answer: NewAnswer = { questionId: question.id, user, answer: row.answer };
    if (row.imageId !== undefined) {
      answer.imageId = row.imageId;
      if (row.tmaRow !== undefined) {
        answer.tmaRow = row.tmaRow;
        answer.tmaCol = row.tmaCol;
        answer.tmaSampleId = row.tmaSampleId ?? '';
      }
    } else {
      answer.caseId = casesByName.get(row.caseName ?? '')?.id;
    }
    answers.push(answer);
    const image = row.imageId === undefined ? undefined : images.get(row.imageId);
    if (image && row.imageName && row.imageName !== image.name) {
      notes.push(
        `line ${row.line}: image ${image.id} is named ${quoted(image.name)}, not ${quoted(row.imageName)}; ` +
          `saved for image ${image.id}`,
      );
    }
  }
  return { answers, errors, notes };
}

function targetProblem(
  row: UploadedRow,
  images: ReadonlyMap<number, StudyImage>,
  cases: ReadonlyMap<number, StudyCase>,
  casesByName: ReadonlyMap<string, StudyCase>,
): string | undefined {
  if (row.imageId === undefined) return caseProblem(row.caseName ?? '', casesByName);
  const image = images.get(row.imageId);
  if (!image) return `the study has no image ${row.imageId}`;
  if (image.removed) return `image ${row.imageId} was removed from the study`;
  if (row.caseName !== undefined) {
    const imageCase = image.caseId === undefined ? undefined : cases.get(image.caseId);
    if (imageCase?.name !== row.caseName) {
      const where = imageCase ? `is in case ${quoted(imageCase.name)}` : 'is in no case';
      return `image ${image.id} ${where}, not in case ${quoted(row.caseName)}`;
    }
  }
  return undefined;
}

function caseProblem(name: string, casesByName: ReadonlyMap<string, StudyCase>): string | undefined {
  if (casesByName.has(name)) return undefined;
  const lower = name.toLowerCase();
  const near = [...casesByName.keys()].find((known) => known.toLowerCase() === lower);
  return near === undefined
    ? `the study has no case ${quoted(name)}`
    : `the study has no case ${quoted(name)}; did you mean ${quoted(near)}?`;
}

function sizeProblem(answer: string, maxBytes: number): string | undefined {
  const bytes = Buffer.byteLength(answer);
  return bytes > maxBytes
    ? `the answer is ${bytes.toLocaleString('en-US')} bytes; at most ${maxBytes.toLocaleString('en-US')} can be stored`
    : undefined;
}

/** Merges lists of `line N: …` messages, each in line order, into one in line order. */
export function mergeLineErrors(...lists: readonly (readonly string[])[]): string[] {
  const lineOf = (message: string) => Number(/^line (\d+):/.exec(message)?.[1] ?? Number.MAX_SAFE_INTEGER);
  return lists.flat().sort((a, b) => lineOf(a) - lineOf(b));
}
