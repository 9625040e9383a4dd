/** Node's codes for a connection that failed on the way: the same request may well succeed next time. */
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND']);

/**
 * Whether trying the same work again can help: throttling, a service's own failure (5xx) or a broken
 * connection, as the AWS SDK marks them. A refused request (a validation error, a missing permission) fails the
 * same way every time, so retrying it only delays the report.
 */
export function isRetryable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const fields = error as {
    $retryable?: unknown;
    $fault?: unknown;
    $metadata?: { httpStatusCode?: number };
    code?: unknown;
    name?: unknown;
  };
  if (fields.$retryable) return true;
  if (fields.$fault === 'server') return true;
  if ((fields.$metadata?.httpStatusCode ?? 0) >= 500) return true;
  if (typeof fields.code === 'string' && NETWORK_CODES.has(fields.code)) return true;
  return fields.name === 'TimeoutError' || fields.name === 'ThrottlingException';
}
