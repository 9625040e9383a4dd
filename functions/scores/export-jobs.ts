import type { ScoresFilter, ScoresFormat } from './results-service.js';

/**
 * Exports that do not fit in one API call (too large to return inline, or too slow for API Gateway's 29 s) run
 * in the background: the Scores call records a job and redirects the client to a waiting URL; the ExportScores
 * function (started by the job's record, an S3 event in the cloud and in `npm start` alike) writes the export to
 * object storage; the waiting URL redirects to it once it is there.
 */
export interface ExportJob {
  /** Random and unguessable; names the waiting URL. */
  id: string;
  studyId: number;
  format: ScoresFormat;
  filter: ScoresFilter;
  requestedOn: string;
}

export type ExportJobState =
  | { state: 'running' }
  | { state: 'ready'; url: string }
  /** `status`: the HTTP status the waiting URL answers with (504 for an export past its time). */
  | { state: 'failed'; status: number; reason: string };

export interface ExportJobStore {
  /** Records the job; recording it starts the background export. */
  start(job: ExportJob): Promise<void>;
  job(id: string): Promise<ExportJob | undefined>;
  /** Where the job's export is written. */
  resultKey(job: ExportJob): string;
  fail(job: ExportJob, status: number, reason: string): Promise<void>;
  state(job: ExportJob, urlSeconds: number): Promise<ExportJobState>;
}
