import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { publicHandler, TIMEOUT_MARGIN_MS } from '../../../functions/http/api-handler.js';
import { lambdaContext } from '../../../functions/http/lambda-adapter.js';
import type { ApiContext } from '../../../functions/http/pipeline-types.js';
import { json } from '../../../functions/http/replies.js';

const event = {
  version: '2.0',
  rawPath: '/swagger/v1/swagger.json',
  rawQueryString: '',
  headers: {},
  requestContext: { http: { method: 'GET', path: '/swagger/v1/swagger.json' }, requestId: 'r1' },
  isBase64Encoded: false,
} as unknown as APIGatewayProxyEventV2;

/** What the embedded runtime passes; the pipeline adds `params` itself. */
const context = (seconds: number, id: string) => lambdaContext('OpenApiDocument', seconds, id) as ApiContext;

describe('a handler that runs past its time limit', () => {
  it('replies with a JSON 504 naming the timeout, not a bare 500', async () => {
    const slow = publicHandler('OpenApiDocument', async () => {
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      return json({ success: true });
    });
    // The embedded runtime's clock: the route's limit counted from the start of the call.
    const limitSeconds = (TIMEOUT_MARGIN_MS + 100) / 1000;
    const started = Date.now();
    const reply = await slow(event, context(limitSeconds, 'r1'));
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(reply.statusCode).toBe(504);
    expect(reply.headers?.['content-type']).toMatch(/^application\/json/);
    const body = JSON.parse(reply.body as string);
    expect(body).toEqual({ success: false, log: expect.stringContaining('timed out') });
  });

  it('leaves a call within its limit alone', async () => {
    const quick = publicHandler('OpenApiDocument', async () => json({ success: true }));
    const reply = await quick(event, context(10, 'r2'));
    expect(reply.statusCode).toBe(200);
  });
});
