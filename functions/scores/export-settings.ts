/** How Scores exports are delivered; see export-delivery.ts and export-jobs.ts. */
export interface ExportSettings {
  /** Replies up to this size are returned by the Scores call itself; larger ones are exported in the background. */
  inlineMaxBytes: number;
  /** How long a download URL of a stored export works. */
  urlSeconds: number;
}

/** The clocks of the Scores call and of the waiting URL (read by their handlers). */
export interface ExportTiming {
  /** How long the Scores call tries to answer inline before it hands the export to the background. */
  syncMs: number;
  /** How long one call of the waiting URL waits for a background export before redirecting to itself again. */
  waitMs: number;
}

/** Where exports are written (and their job and failure objects); the bucket expires them after a day. */
export const EXPORTS_PREFIX = 'exports/';
/** Writing an object here starts a background export (an S3 event, the ExportScores function). */
export const EXPORT_JOBS_PREFIX = `${EXPORTS_PREFIX}jobs/`;

/** Under Lambda's 6 MB response limit, with room for headers and the response envelope. */
export const DEFAULT_INLINE_MAX_BYTES = 5 * 1024 * 1024;
export const EXPORT_URL_SECONDS = 15 * 60;
/**
 * Well inside API Gateway's 29 s per call. A client follows at most 30 redirects (Python requests), so the
 * waiting URL gives a background export 30 × 20 s = 10 minutes before the client gives up.
 */
export const DEFAULT_SYNC_SECONDS = 20;
export const DEFAULT_WAIT_SECONDS = 20;
export const INLINE_MAX_BYTES_ENV = 'SCORES_INLINE_MAX_BYTES';
export const SYNC_SECONDS_ENV = 'SCORES_SYNC_SECONDS';
export const WAIT_SECONDS_ENV = 'SCORES_WAIT_SECONDS';

/** The defaults, the inline limit (bytes) overridable: lower only makes sense (tests, trying the background path). */
export function exportSettingsFromEnvironment(env: NodeJS.ProcessEnv = process.env): ExportSettings {
  const inline = number(env, INLINE_MAX_BYTES_ENV, DEFAULT_INLINE_MAX_BYTES, true);
  return { inlineMaxBytes: Math.min(inline, DEFAULT_INLINE_MAX_BYTES), urlSeconds: EXPORT_URL_SECONDS };
}

/** The defaults, each overridable in (fractional) seconds, lower only. */
export function exportTimingFromEnvironment(env: NodeJS.ProcessEnv = process.env): ExportTiming {
  return {
    syncMs: Math.min(number(env, SYNC_SECONDS_ENV, DEFAULT_SYNC_SECONDS, false), DEFAULT_SYNC_SECONDS) * 1000,
    waitMs: Math.min(number(env, WAIT_SECONDS_ENV, DEFAULT_WAIT_SECONDS, false), DEFAULT_WAIT_SECONDS) * 1000,
  };
}

function number(env: NodeJS.ProcessEnv, name: string, fallback: number, whole: boolean): number {
  const text = env[name];
  const value = text === undefined || text === '' ? fallback : Number(text);
  if (!Number.isFinite(value) || value < 0 || (whole && !Number.isSafeInteger(value))) {
    throw new Error(`${name} must be a ${whole ? 'whole ' : ''}number ≥ 0, not "${text}"`);
  }
  return value;
}
