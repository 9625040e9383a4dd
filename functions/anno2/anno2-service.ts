import { randomUUID } from 'node:crypto';
import type { Caller } from '../auth/caller.js';
import { anno2AnswerText, anno2Reference } from '../domain/annotations/anno2/anno2-answer.js';
import { type Anno2Limits, readAnno2, writeAnno2 } from '../domain/annotations/anno2/anno2-zip.js';
import type { AnnotationQuestionType } from '../domain/annotations/annotation-answer.js';
import { parseAnnotationAnswer } from '../domain/annotations/annotation-model.js';
import type { SaveAnswersOutcome } from '../scores/results-service.js';
import type { NewAnswer, ScoreRepository, StoredAnswer } from '../scores/score-repository.js';
import type { StudyContents, StudyQuestion } from '../studies/study-model.js';
import type { StudyRepository } from '../studies/study-repository.js';
import type { Anno2Uploads } from '../uploads/upload-service.js';
import type { Anno2Target } from '../uploads/upload-tokens.js';

/** Where anno2 zips are kept (S3, `anno2/<uuid>.zip`). */
export interface Anno2Store {
  put(uuid: string, zip: Uint8Array): Promise<void>;
  exists(uuid: string): Promise<boolean>;
  /** The zip, unless it is missing or larger than `maxBytes`. */
  get(uuid: string, maxBytes: number): Promise<Anno2Zip>;
  delete(uuid: string): Promise<void>;
}

export type Anno2Zip = { ok: true; zip: Uint8Array } | { ok: false; reason: string };

/** What an anno2 call names: a study, an image of it, a question (by ID or name) and the answering user. */
export interface AnswerTargetRequest {
  studyId: number;
  imageId: number;
  caseId?: number;
  tmaCoreId?: number;
  scoreId?: number;
  question?: string;
  email: string;
}

export type Anno2Outcome<T> = { ok: true; value: T } | { ok: false; status: 400 | 404; reason: string };

/** The largest anno2 zip taken by FinishUpload, and what it may expand to. */
export const ANNO2_UPLOAD_LIMITS: Anno2Limits & { maxZipBytes: number } = {
  maxZipBytes: 100 * 1024 * 1024,
  maxBytes: 256 * 1024 * 1024,
  maxItems: 5_000_000,
};

const ANNO2_QUESTION_TYPES = new Set(['AnnoPoints', 'AnnoShapes']);

const fail = <T>(reason: string, status: 400 | 404 = 400): Anno2Outcome<T> => ({ ok: false, status, reason });

/**
 * Anno2 (docs/annotations.md "Anno2"): CreateAnno2 and CreateOrphanAnno2 name what an uploaded zip becomes,
 * FinishUpload hands the zip here (`accept`: checked, kept, and the answer that refers to it saved), and the
 * two Convert calls turn a stored JSON answer into a zip and the answer into a reference to it. Answers are
 * saved only through `saveAnswers` (ResultsService.saveAnswers).
 */
export class Anno2Service implements Anno2Uploads {
  readonly maxZipBytes = ANNO2_UPLOAD_LIMITS.maxZipBytes;

  constructor(
    private readonly deps: {
      store: Anno2Store;
      studies: Pick<StudyRepository, 'loadContents' | 'listStudies'>;
      scores: Pick<ScoreRepository, 'answers'>;
      saveAnswers(studyId: number, answers: readonly NewAnswer[]): Promise<SaveAnswersOutcome>;
    },
  ) {}

  /** CreateAnno2: the answer an upload will become, after checking the study has that image and question. */
  async answerTarget(request: AnswerTargetRequest): Promise<Anno2Outcome<Anno2Target>> {
    const contents = await this.deps.studies.loadContents(request.studyId);
    if (!contents) return fail(`No study ${request.studyId}`, 404);
    const resolved = resolveTarget(contents, request);
    if (!resolved.ok) return resolved;
    const { question } = resolved.value;
    return {
      ok: true,
      value: {
        uuid: randomUUID(),
        answer: { studyId: request.studyId, imageId: request.imageId, questionId: question.id, user: request.email },
      },
    };
  }

  orphanTarget(): Anno2Target {
    return { uuid: randomUUID() };
  }

  /** A stored zip, read once (for GetScreenshot); no larger than an upload may be. */
  zip(uuid: string): Promise<Anno2Zip> {
    return this.deps.store.get(uuid, ANNO2_UPLOAD_LIMITS.maxZipBytes);
  }

  isStored(uuid: string): Promise<boolean> {
    return this.deps.store.exists(uuid);
  }

  /** FinishUpload of an anno2 zip: refused with the reason unless it reads as anno2; nothing is kept then. */
  async accept(target: Anno2Target, zip: Buffer): Promise<{ ok: true } | { ok: false; reason: string }> {
    const read = readAnno2(zip, ANNO2_UPLOAD_LIMITS);
    if (!read.ok) return read;
    await this.deps.store.put(target.uuid, zip);
    if (!target.answer) return { ok: true };
    const { studyId, ...key } = target.answer;
    const saved = await this.deps.saveAnswers(studyId, [{ ...key, answer: anno2AnswerText(target.uuid) }]);
    if (saved.ok) return { ok: true };
    await this.deps.store.delete(target.uuid);
    return { ok: false, reason: 'log' in saved ? saved.log : `No study ${studyId}` };
  }

  /** ConvertAnnotationToAnno2: that user's answer to the question on the image becomes an anno2. */
  async convertAnswerTo(request: AnswerTargetRequest, metadata: unknown): Promise<Anno2Outcome<string>> {
    const contents = await this.deps.studies.loadContents(request.studyId);
    if (!contents) return fail(`No study ${request.studyId}`, 404);
    const resolved = resolveTarget(contents, request);
    if (!resolved.ok) return resolved;
    const { question } = resolved.value;
    const user = request.email.toLowerCase();
    let found: StoredAnswer | undefined;
    for await (const answer of this.deps.scores.answers(request.studyId, {
      targets: [{ imageId: request.imageId }],
      questionId: question.id,
      user: request.email,
    })) {
      if (answer.tmaRow === undefined && answer.user.toLowerCase() === user) found = answer;
    }
    if (!found) {
      return fail(`${request.email} has no answer to "${question.name}" on image ${request.imageId}`, 404);
    }
    return this.convert(request.studyId, question, found, metadata);
  }

  /**
   * ConvertScoreValueToAnno2: the answer whose Scores `id` is given, among the studies the token holds. Answers
   * are not indexed by ID, so the token's studies are read until it is found (annotation questions only).
   */
  async convertScoreValue(caller: Caller, scoreValueId: number, metadata: unknown): Promise<Anno2Outcome<string>> {
    const scope = caller.studyScope;
    const studyIds =
      scope === 'all' ? (await this.deps.studies.listStudies()).map((s) => s.id) : [...scope].sort((a, b) => a - b);
    for (const studyId of studyIds) {
      const contents = await this.deps.studies.loadContents(studyId);
      if (!contents) continue;
      for (const question of contents.questions) {
        if (question.removed || !ANNO2_QUESTION_TYPES.has(question.type)) continue;
        for await (const answer of this.deps.scores.answers(studyId, { questionId: question.id })) {
          if (answer.id === scoreValueId) return this.convert(studyId, question, answer, metadata);
        }
      }
    }
    return fail(`No score value ${scoreValueId} of an AnnoPoints or AnnoShapes question`, 404);
  }

  private async convert(
    studyId: number,
    question: StudyQuestion,
    answer: StoredAnswer,
    metadata: unknown,
  ): Promise<Anno2Outcome<string>> {
    const existing = anno2Reference(answer.answer);
    if (existing) return fail(`The answer already is anno2 ${existing}`);
    const parsed = parseAnnotationAnswer(question.type as AnnotationQuestionType, answer.answer);
    if (!parsed.ok) return fail(`The stored answer is not a valid annotation: ${parsed.reason}`);
    const written = writeAnno2(parsed.items, metadata);
    if (!written.ok) return fail(`The answer cannot be converted: ${written.reason}`);
    const uuid = randomUUID();
    await this.deps.store.put(uuid, written.zip);
    const { id: _id, lastModifiedOn: _at, ...key } = answer;
    const saved = await this.deps.saveAnswers(studyId, [{ ...key, answer: anno2AnswerText(uuid) }]);
    if (saved.ok) return { ok: true, value: uuid };
    await this.deps.store.delete(uuid);
    return fail('log' in saved ? saved.log : `No study ${studyId}`);
  }
}

/** The image and question a request names, checked against the study. */
function resolveTarget(
  contents: StudyContents,
  request: AnswerTargetRequest,
): Anno2Outcome<{ question: StudyQuestion }> {
  const image = contents.images.find((i) => i.id === request.imageId && !i.removed);
  if (!image) return fail(`No image ${request.imageId} in study ${request.studyId}`, 404);
  if (request.caseId !== undefined && request.caseId !== 0 && image.caseId !== request.caseId) {
    return fail(`Image ${request.imageId} is not in case ${request.caseId}`);
  }
  if (request.tmaCoreId !== undefined && request.tmaCoreId !== 0) {
    return fail('Anno2 answers about single TMA cores are not supported; leave tmaCoreId out for the whole slide');
  }
  const active = contents.questions.filter((q) => !q.removed);
  let question: StudyQuestion | undefined;
  if (request.scoreId !== undefined && request.scoreId !== 0) {
    question = active.find((q) => q.id === request.scoreId);
    if (!question) return fail(`The study has no question ${request.scoreId}`);
  } else if (request.question !== undefined && request.question.trim() !== '') {
    const name = request.question.trim();
    question = active.find((q) => q.name === name) ?? active.find((q) => q.name.toLowerCase() === name.toLowerCase());
    if (!question) return fail(`The study has no question "${name}"`);
  } else {
    return fail('Missing parameter scoreId or question');
  }
  if (!ANNO2_QUESTION_TYPES.has(question.type)) {
    return fail(
      `Question "${question.name}" is ${question.type}; anno2 answers belong to AnnoPoints or AnnoShapes questions`,
    );
  }
  return { ok: true, value: { question } };
}
