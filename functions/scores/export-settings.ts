/** How Scores exports are delivered; see export-delivery.ts. */
export interface ExportSettings {
  /** Replies up to this size are returned by the function itself; larger ones go through object storage. */
  inlineMaxBytes: number;
  /** How long a download URL of a stored export works. */
  urlSeconds: number;
}

/** Where exports too large to return inline are written; the bucket expires them after a day. */
export const EXPORTS_PREFIX = 'exports/';

/** Under Lambda's 6 MB response limit, with room for headers and the response envelope. */
export const DEFAULT_INLINE_MAX_BYTES = 5 * 1024 * 1024;
export const EXPORT_URL_SECONDS = 15 * 60;
export const INLINE_MAX_BYTES_ENV = 'SCORES_INLINE_MAX_BYTES';

/** The defaults, with the inline limit overridable (lower only makes sense: tests, or trying the S3 path). */
export function exportSettingsFromEnvironment(env: NodeJS.ProcessEnv = process.env): ExportSettings {
  const text = env[INLINE_MAX_BYTES_ENV];
  const value = text === undefined || text === '' ? DEFAULT_INLINE_MAX_BYTES : Number(text);
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new Error(`${INLINE_MAX_BYTES_ENV} must be a whole number of bytes, not "${text}"`);
  }
  return { inlineMaxBytes: Math.min(value, DEFAULT_INLINE_MAX_BYTES), urlSeconds: EXPORT_URL_SECONDS };
}
