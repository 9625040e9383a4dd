import type middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { log } from '../../common/log.js';
import { HttpError } from '../errors.js';
import type { ApiContext } from '../pipeline-types.js';
import { type ApiReply, json } from '../replies.js';

/**
 * Turns any error into a JSON reply. HttpErrors keep their status and message; anything else is logged with
 * its stack and answered 500 with the request id only, so no reply ever carries a stack trace.
 */
export function errorReplies(): middy.MiddlewareObj<APIGatewayProxyEventV2, ApiReply, Error, ApiContext> {
  return {
    onError: async (request) => {
      const error = request.error;
      if (error instanceof HttpError) {
        if (error.statusCode >= 500) log.error('request failed', { requestId: request.context.awsRequestId, error });
        request.response = { ...json({ success: false, log: error.message }, error.statusCode) };
        request.response.headers = { ...request.response.headers, ...error.headers };
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
