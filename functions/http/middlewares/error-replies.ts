import type middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { log } from '../../common/log.js';
import type { ReplyKind } from '../../routes/route-definition.js';
import { HttpError, isLogicalError } from '../errors.js';
import type { ApiContext } from '../pipeline-types.js';
import { type ApiReply, json } from '../replies.js';

/**
 * Turns any error into the reply the route's kind calls for (the reply table of docs/api.md):
 * - a logical error (400, 404, 409, 422) on a `success` route → 200 `{"success":false,"log":"…"}`, on a
 *   `string` route → 200 and the reason as a bare JSON string, on a `data` route → its status and
 *   `{"success":false,"log":"…"}`;
 * - 401, 403 and every other HttpError keep their status and carry `{"success":false,"log":"…"}`;
 * - anything else is logged with its stack and answered 500 with the request id only, so no reply ever
 *   carries a stack trace.
 */
export function errorReplies(
  kind: ReplyKind,
): middy.MiddlewareObj<APIGatewayProxyEventV2, ApiReply, Error, ApiContext> {
  return {
    onError: async (request) => {
      const error = request.error;
      if (error instanceof HttpError) {
        if (error.statusCode >= 500 && error.statusCode !== 503)
          log.error('request failed', { requestId: request.context.awsRequestId, error });
        request.response = refusal(kind, error);
        return;
      }
      log.error('unhandled error', { requestId: request.context.awsRequestId, error: error as Error });
      request.response = json(
        { success: false, log: `Internal server error (request id ${request.context.awsRequestId})` },
        500,
      );
    },
  };
}

/** The reply for a refusal on a route of this kind. */
export function refusal(kind: ReplyKind, error: HttpError): ApiReply {
  const logical = isLogicalError(error);
  const reply =
    logical && kind === 'string'
      ? json(error.message)
      : json({ success: false, log: error.message }, logical && kind === 'success' ? 200 : error.statusCode);
  reply.headers = { ...reply.headers, ...error.headers };
  return reply;
}
