import { randomUUID } from 'node:crypto';
import { validateAnswer } from '../domain/results/answer-validation.js';
import { jsonChunks, type ScoreRow, tsvChunks } from '../domain/results/results-format.js';
import { checkUploadedResults, uploadFailureLog, uploadNotesLog } from '../domain/results/upload-check.js';
import type { StudyContents } from '../studies/study-model.js';
import type { StudyRepository } from '../studies/study-repository.js';
import { type Delivery, deliver, type ExportStore } from './export-delivery.js';
import type { ExportJob, ExportJobState, ExportJobStore } from './export-jobs.js';
import { EXPORTS_PREFIX, type ExportSettings } from './export-settings.js';
import {
  type AnswerFilter,
  type NewAnswer,
  type SaveOutcome,
  type ScoreRepository,
  type StoredAnswer,
  type UpdatedStudies,
  UploadOvertaken,
} from './score-repository.js';
import { fitsLayout, ScoreRowNamer, studyTsvLayout } from './score-rows.js';
import { mergeLineErrors, resolveUploadedRows } from './upload-targets.js';

export type ScoresFormat = 'json' | 'tsv';

/** The filters of the Scores call, as clients send them (names, not IDs). */
export interface ScoresFilter {
  question?: string;
  email?: string;
  imageId?: number;
  caseId?: number;
}

export type UploadOutcome =
  /** `log` tells what was accepted but worth knowing (an Image Name that is not the image's), if anything was. */
  | { ok: true; saved: SaveOutcome; log?: string }
  | { ok: false; reason: 'no study' }
  | { ok: false; reason: 'bad rows'; log: string }
  /** A concurrent upload of some of the same answers got in first; nothing of this one was saved. */
  | { ok: false; reason: 'overtaken'; log: string };

export type SaveAnswersOutcome =
  | { ok: true; saved: SaveOutcome }
  | { ok: false; reason: 'no study' }
  /** `log` names every refused answer (by its position in the call, from 1) and why. */
  | { ok: false; reason: 'bad answers'; log: string }
  | { ok: false; reason: 'overtaken'; log: string };

export type ExportOutcome =
  | { ok: false; reason: 'no study' }
  /** Larger than a reply may be, in the mode `inline`: nothing was kept. */
  | { ok: false; reason: 'too big' }
  /** Stopped at its deadline, having read this many answers; nothing was kept. */
  | { ok: false; reason: 'too slow'; answersRead: number }
  | ({ ok: true; contentType: string } & Exclude<Delivery, { kind: 'too big' }>);

/**
 * Where an export goes: `inline` (the Scores call: small enough to return, else `too big`), `stored` (the
 * background export: always to object storage, at `key`), or `either` (inline when small, else stored).
 */
export type ExportMode = { to: 'inline' } | { to: 'stored'; key: string } | { to: 'either' };

export const CONTENT_TYPES: Record<ScoresFormat, string> = {
  json: 'application/json; charset=utf-8',
  tsv: 'text/tab-separated-values; charset=utf-8',
};

/**
 * Results of studies: UploadResults, Scores and GetStudiesUpdated. Study scope (may this token see the study?)
 * is checked by the handlers; this checks that the study exists.
 */
export class ResultsService {
  constructor(
    private readonly scores: ScoreRepository,
    private readonly studies: Pick<StudyRepository, 'loadContents'>,
    private readonly exports: ExportStore,
    private readonly settings: ExportSettings,
    /** Absent where no background export can run (unit tests, benchmarks of the export alone). */
    private readonly backgroundJobs?: ExportJobStore,
  ) {}

  /** The largest answer the score repository stores. */
  get maxAnswerBytes(): number {
    return this.scores.maxAnswerBytes;
  }

  private get jobs(): ExportJobStore {
    if (!this.backgroundJobs) throw new Error('This ResultsService was built without background exports');
    return this.backgroundJobs;
  }

  /**
   * All or nothing: every row is checked (format, question, answer, image, case, size) before anything is
   * written, and one bad row refuses the call with every bad line named. The rows are then saved in one upload
   * that becomes visible at once, or not at all (see ScoreRepository.save).
   */
  async upload(studyId: number, text: string): Promise<UploadOutcome> {
    const contents = await this.studies.loadContents(studyId);
    if (!contents) return { ok: false, reason: 'no study' };
    if (contents.study.archived) return { ok: false, reason: 'bad rows', log: archivedLog(studyId) };
    const active = contents.questions.filter((q) => !q.removed);
    const checked = checkUploadedResults(text, active);
    const resolved = resolveUploadedRows(checked.rows, contents, this.scores.maxAnswerBytes);
    const errors = mergeLineErrors(checked.errors, resolved.errors);
    if (errors.length > 0) return { ok: false, reason: 'bad rows', log: uploadFailureLog(errors) };
    const saved = await this.scores.save(studyId, resolved.answers).catch((error: unknown) => {
      if (error instanceof UploadOvertaken) return error;
      throw error;
    });
    if (saved instanceof UploadOvertaken) {
      return {
        ok: false,
        reason: 'overtaken',
        log: 'Another upload changed some of the same answers while this one was being saved; nothing was saved. Send it again.',
      };
    }
    return resolved.notes.length > 0 ? { ok: true, saved, log: uploadNotesLog(resolved.notes) } : { ok: true, saved };
  }

  /**
   * Saves answers given by ID (the viewer, QuPath's AnnoAnswer.json, ASAP imports): the one way, besides
   * `upload`, that answers are written. All or nothing, checked as `upload` checks rows: the question exists and
   * is not removed, the image exists and is not removed (or the case exists), the answer fits the question's
   * type (stored in its normalized form) and the store. A study member's email keeps the study's spelling.
   */
  async saveAnswers(studyId: number, answers: readonly NewAnswer[]): Promise<SaveAnswersOutcome> {
    const contents = await this.studies.loadContents(studyId);
    if (!contents) return { ok: false, reason: 'no study' };
    if (contents.study.archived) return { ok: false, reason: 'bad answers', log: archivedLog(studyId) };
    const questions = new Map(contents.questions.filter((q) => !q.removed).map((q) => [q.id, q]));
    const images = new Map(contents.images.filter((i) => !i.removed).map((i) => [i.id, i]));
    const cases = new Set(contents.cases.filter((c) => !c.removed).map((c) => c.id));
    const members = new Map((contents.members ?? []).map((m) => [m.email.toLowerCase(), m.email]));
    const errors: string[] = [];
    const checked: NewAnswer[] = [];
    for (const [index, given] of answers.entries()) {
      const question = questions.get(given.questionId);
      const check = question ? validateAnswer(question, given.answer) : undefined;
      const bytes = Buffer.byteLength(given.answer);
      const problem = !question
        ? `the study has no question ${given.questionId}`
        : given.imageId !== undefined && !images.has(given.imageId)
          ? `the study has no image ${given.imageId}`
          : given.imageId === undefined && !cases.has(given.caseId ?? -1)
            ? `the study has no case ${given.caseId}`
            : bytes > this.scores.maxAnswerBytes
              ? `the answer is ${bytes} bytes; at most ${this.scores.maxAnswerBytes} can be stored`
              : check && !check.ok
                ? check.reason
                : undefined;
      if (problem !== undefined) {
        errors.push(`answer ${index + 1}: ${problem}`);
        continue;
      }
      const user = members.get(given.user.toLowerCase()) ?? given.user;
      checked.push({ ...given, user, answer: check?.ok ? (check.normalized ?? given.answer) : given.answer });
    }
    if (errors.length > 0) return { ok: false, reason: 'bad answers', log: errors.join('\n') };
    try {
      return { ok: true, saved: await this.scores.save(studyId, checked) };
    } catch (error) {
      if (!(error instanceof UploadOvertaken)) throw error;
      return {
        ok: false,
        reason: 'overtaken',
        log: 'Another save changed the same answers first; nothing was saved. Try again.',
      };
    }
  }

  /**
   * The study's answers as TSV or JSON, streamed from the store page by page: inline when small, else through
   * the export store. Memory holds one page per shard, one formatted piece and the upload's parts in flight.
   * Past `deadline` (epoch ms) the export stops, and nothing is left in the store (its upload is aborted).
   */
  async exportScores(
    studyId: number,
    filter: ScoresFilter,
    format: ScoresFormat,
    deadline = Number.POSITIVE_INFINITY,
    mode: ExportMode = { to: 'either' },
  ): Promise<ExportOutcome> {
    const contents = await this.studies.loadContents(studyId);
    if (!contents) return { ok: false, reason: 'no study' };
    const namer = new ScoreRowNamer(contents);
    const answerFilter = storeFilter(filter, contents);
    const answers = answerFilter ? beforeDeadline(this.scores.answers(studyId, answerFilter), deadline) : noAnswers();
    let pieces: AsyncIterable<string>;
    if (format === 'json') {
      pieces = jsonChunks(named(answers, namer, () => true));
    } else {
      const layout = studyTsvLayout(await this.scores.summary(studyId), contents);
      pieces = tsvChunks(
        named(answers, namer, (row) => fitsLayout(row, layout)),
        { layout },
      );
    }
    const delivery = await deliver(pieces, {
      ...(mode.to === 'inline' ? {} : { store: this.exports }),
      key:
        mode.to === 'stored'
          ? mode.key
          : `${EXPORTS_PREFIX}scores/${studyId}/${new Date().toISOString().replace(/[:.]/g, '')}-${randomUUID()}.${format}`,
      contentType: CONTENT_TYPES[format],
      inlineMaxBytes: mode.to === 'stored' ? -1 : this.settings.inlineMaxBytes,
      urlSeconds: this.settings.urlSeconds,
    }).catch((error: unknown) => {
      if (error instanceof ExportTooSlow) return error;
      throw error;
    });
    if (delivery instanceof ExportTooSlow) return { ok: false, reason: 'too slow', answersRead: delivery.answersRead };
    if (delivery.kind === 'too big') return { ok: false, reason: 'too big' };
    if (delivery.kind === 'inline' && mode.to === 'stored') {
      // Nothing was read past the first piece: store what there is (an export has at least its header or `[]`).
      await this.exports.put(mode.key, CONTENT_TYPES[format], oneBuffer(delivery.body), new AbortController().signal);
    }
    return { ok: true, contentType: CONTENT_TYPES[format], ...delivery };
  }

  /** The stored answers about targets of a study, streamed (QuPath's Answers.json reads one image's). */
  answers(studyId: number, filter: AnswerFilter): AsyncIterable<StoredAnswer> {
    return this.scores.answers(studyId, filter);
  }

  /** Records a background export (which starts it) and returns its job, whose ID names the waiting URL. */
  async startBackgroundExport(studyId: number, filter: ScoresFilter, format: ScoresFormat): Promise<ExportJob> {
    const job: ExportJob = { id: randomUUID(), studyId, format, filter, requestedOn: new Date().toISOString() };
    await this.jobs.start(job);
    return job;
  }

  /** The background export itself (the ExportScores function): the export, or why there is none, in the store. */
  async runBackgroundExport(jobId: string, deadline: number): Promise<void> {
    const job = await this.jobs.job(jobId);
    if (!job) return;
    const outcome = await this.exportScores(job.studyId, job.filter, job.format, deadline, {
      to: 'stored',
      key: this.jobs.resultKey(job),
    }).catch(async (error: unknown) => {
      await this.jobs.fail(job, 500, 'The export failed; try again.');
      throw error;
    });
    if (outcome.ok) return;
    if (outcome.reason === 'too slow') {
      await this.jobs.fail(
        job,
        504,
        `The download of study ${job.studyId} did not finish in the time an export may take (it had read ` +
          `${outcome.answersRead.toLocaleString('en-US')} answers). Download it in parts with the question, email, ` +
          'imageid or caseid filters.',
      );
    } else {
      await this.jobs.fail(job, 404, `No study ${job.studyId}`);
    }
  }

  exportJob(jobId: string): Promise<ExportJob | undefined> {
    return this.jobs.job(jobId);
  }

  exportState(job: ExportJob): Promise<ExportJobState> {
    return this.jobs.state(job, this.settings.urlSeconds);
  }

  studiesUpdatedSince(since: Date, scope: 'all' | readonly number[]): Promise<UpdatedStudies> {
    return this.scores.studiesUpdatedSince(since, scope);
  }
}

/**
 * The store filter for the client's filters, or undefined when nothing can match (a question, image or case the
 * study does not have): those give an empty export, not an error, as a filter that matches no answer would.
 * `caseid` means the case's own answers and those about its images.
 */
function storeFilter(filter: ScoresFilter, contents: StudyContents): AnswerFilter | undefined {
  const result: AnswerFilter = {};
  if (filter.question !== undefined) {
    // Question names are unique in a study ignoring case, so this finds at most one.
    const wanted = filter.question.trim().toLowerCase();
    const question = contents.questions.find((q) => q.name.toLowerCase() === wanted);
    if (!question) return undefined;
    result.questionId = question.id;
  }
  if (filter.email !== undefined) result.user = filter.email.trim();
  if (filter.imageId !== undefined) {
    const image = contents.images.find((i) => i.id === filter.imageId);
    if (!image || (filter.caseId !== undefined && image.caseId !== filter.caseId)) return undefined;
    result.targets = [{ imageId: image.id }];
  } else if (filter.caseId !== undefined) {
    if (!contents.cases.some((c) => c.id === filter.caseId)) return undefined;
    const caseId = filter.caseId;
    const images = contents.images.filter((i) => i.caseId === caseId);
    result.targets = [{ caseId }, ...images.map((i) => ({ imageId: i.id }))];
  }
  return result;
}

async function* named(
  answers: AsyncIterable<StoredAnswer>,
  namer: ScoreRowNamer,
  keep: (row: ScoreRow) => boolean,
): AsyncGenerator<ScoreRow> {
  for await (const answer of answers) {
    const row = namer.row(answer);
    if (row && keep(row)) yield row;
  }
}

async function* noAnswers(): AsyncGenerator<StoredAnswer> {}

async function* oneBuffer(text: string): AsyncGenerator<Buffer> {
  yield Buffer.from(text);
}

/** An export that could not finish in the time a call may take. */
class ExportTooSlow extends Error {
  constructor(readonly answersRead: number) {
    super(`the export stopped at its deadline after ${answersRead} answers`);
    this.name = 'ExportTooSlow';
  }
}

/**
 * The answers until `deadline`, then ExportTooSlow. A timer rather than a clock check per answer: when the
 * store is slow, one page can take seconds, and the deadline must hold while waiting for it. The timer rejects
 * only the wait in progress (not a Promise.race against one long-lived promise, which would keep every answer
 * raced so far reachable until the deadline).
 */
async function* beforeDeadline(answers: AsyncIterable<StoredAnswer>, deadline: number): AsyncGenerator<StoredAnswer> {
  const iterator = answers[Symbol.asyncIterator]();
  if (!Number.isFinite(deadline)) {
    yield* { [Symbol.asyncIterator]: () => iterator };
    return;
  }
  let read = 0;
  let expired: ExportTooSlow | undefined;
  let interrupt: ((error: ExportTooSlow) => void) | undefined;
  const timer = setTimeout(
    () => {
      expired = new ExportTooSlow(read);
      interrupt?.(expired);
    },
    Math.max(0, deadline - Date.now()),
  );
  try {
    for (;;) {
      const next = await new Promise<IteratorResult<StoredAnswer>>((resolve, reject) => {
        if (expired) reject(expired);
        interrupt = reject;
        iterator.next().then(resolve, reject);
      });
      if (next.done) return;
      read++;
      yield next.value;
    }
  } finally {
    clearTimeout(timer);
    interrupt = undefined;
    // Stop the store's reading; a page still being fetched is left to finish unread.
    iterator.return?.()?.catch(() => {});
  }
}

/** SetIsArchived: an archived study is read only. */
function archivedLog(studyId: number): string {
  return `Study ${studyId} is archived: answers cannot be changed (SetIsArchived with isArchived=false first)`;
}
