import { describe, expect, it } from 'vitest';
import { isRetryable } from '../../../functions/common/retryable.js';

describe('isRetryable', () => {
  it('retries throttling, service errors and broken connections', () => {
    expect(isRetryable({ name: 'ProvisionedThroughputExceededException', $retryable: { throttling: true } })).toBe(
      true,
    );
    expect(isRetryable({ name: 'InternalServerError', $fault: 'server' })).toBe(true);
    expect(isRetryable({ name: 'X', $metadata: { httpStatusCode: 503 } })).toBe(true);
    expect(isRetryable(Object.assign(new Error('reset'), { code: 'ECONNRESET' }))).toBe(true);
  });

  it('does not retry what fails the same way every time', () => {
    expect(isRetryable({ name: 'ValidationException', $fault: 'client', $metadata: { httpStatusCode: 400 } })).toBe(
      false,
    );
    expect(isRetryable(new TypeError('bad'))).toBe(false);
    expect(isRetryable('text')).toBe(false);
  });
});
