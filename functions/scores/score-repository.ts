/**
 * Where every answer of the system is kept: uploaded results today, ASAP imports and viewer answers later all
 * go through this port.
 *
 * An answer is about one target of a study: an image (the whole slide), a TMA core of an image (row and column;
 * the sample ID is stored with the answer, it is not part of its identity), or a case (a case-level question).
 * One (target, user, question) has exactly one current answer: saving another replaces it, keeping its `id`.
 */
export interface AnswerKey {
  /** Exactly one of `imageId` and `caseId`. */
  imageId?: number;
  caseId?: number;
  /** A TMA core of the image: both or neither, and only with `imageId`. */
  tmaRow?: number;
  tmaCol?: number;
  questionId: number;
  /**
   * Email address. Matched ignoring case (one answer per user, question and target whatever the spelling); read
   * back in the spelling first written in the study.
   */
  user: string;
}

export interface NewAnswer extends AnswerKey {
  answer: string;
  /** Only for a TMA core; may be `""`. */
  tmaSampleId?: string;
  /** A label kept beside the answer (an ASAP import's `annotationName`); not part of the answer's text. */
  label?: string;
}

export interface StoredAnswer extends NewAnswer {
  /** Unique in the deployment; clients read it as an integer. */
  id: number;
  /** ISO 8601, when the answer last changed. */
  lastModifiedOn: string;
}

/** What a save did: every answer given is one of these. */
export interface SaveOutcome {
  created: number;
  changed: number;
  /** Same answer (and TMA sample ID) as stored: nothing written, id and lastModifiedOn kept. */
  unchanged: number;
}

/** Answers about this image (whole slide and every TMA core) or about this case (case-level only). */
export type TargetFilter = { imageId: number } | { caseId: number };

export interface AnswerFilter {
  /** Any of these targets; absent means the whole study. */
  targets?: readonly TargetFilter[];
  questionId?: number;
  /** Any case. */
  user?: string;
}

/** What kinds of answers a study holds, and when they last changed: read before streaming an export. */
export interface StudyAnswerSummary {
  /** Some answer is about an image (whole slide or core). */
  images: boolean;
  tma: boolean;
  /** Some answer is about a case (case-level question). */
  cases: boolean;
  /** ISO 8601; absent when the study has no answers. */
  updatedOn?: string;
}

export interface UpdatedStudies {
  studyIds: number[];
  /** Items the store read to answer: bounded by the number of studies, never by the number of answers. */
  itemsRead: number;
}

export interface ScoreRepository {
  /** The longest answer text (UTF-8 bytes) the store can keep; uploads check it before writing anything. */
  readonly maxAnswerBytes: number;
  /**
   * Creates or replaces answers, all or nothing: readers see every answer of the call or none, even when the
   * process dies part way (saving the same answers again then completes it). Answers equal to the stored ones
   * are not written (a repeated upload changes nothing, not even lastModifiedOn). When two answers of one call
   * share a key, the later one wins. Throws {@link UploadOvertaken} when a concurrent save of some of the same
   * answers got in first: nothing of this one is then visible.
   */
  save(studyId: number, answers: readonly NewAnswer[]): Promise<SaveOutcome>;
  /** The study's answers in a stable order (case-level answers, then images by ID, cores after the whole slide). */
  answers(studyId: number, filter?: AnswerFilter): AsyncIterable<StoredAnswer>;
  summary(studyId: number): Promise<StudyAnswerSummary>;
  /** Studies (all, or among `scope`) whose answers changed at or after `since`, by ID. */
  studiesUpdatedSince(since: Date, scope: 'all' | readonly number[]): Promise<UpdatedStudies>;
}

/** A save that a concurrent save of some of the same answers overtook: nothing of it is visible. */
export class UploadOvertaken extends Error {
  constructor() {
    super('another upload changed the same answers while this one was being saved');
    this.name = 'UploadOvertaken';
  }
}
