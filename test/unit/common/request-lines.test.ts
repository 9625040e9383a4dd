import { describe, expect, it } from 'vitest';
import { formatRequestLine, readableRequestLines } from '../../../functions/common/log.js';

describe('request lines', () => {
  it('are readable on a terminal, JSON when piped, and always JSON in the cloud', () => {
    expect(readableRequestLines({ isTTY: true }, {})).toBe(true);
    expect(readableRequestLines({ isTTY: false }, {})).toBe(false);
    expect(readableRequestLines({}, {})).toBe(false);
    expect(readableRequestLines({ isTTY: true }, { AWS_LAMBDA_FUNCTION_NAME: 'Studies' })).toBe(false);
    expect(readableRequestLines({ isTTY: true }, { ECS_CONTAINER_METADATA_URI_V4: 'http://169.254.170.2/v4/x' })).toBe(
      false,
    );
    expect(readableRequestLines({ isTTY: true }, { LOG_FORMAT: 'json' })).toBe(false);
  });

  it('say time, method, path, status and duration in one short line', () => {
    const at = new Date(2026, 0, 2, 9, 8, 7);
    expect(formatRequestLine({ requestId: 'r', method: 'GET', path: '/Api/Studies', status: 200, ms: 12 }, at)).toBe(
      '09:08:07 GET /Api/Studies 200 12 ms',
    );
  });
});
