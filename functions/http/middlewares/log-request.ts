import type middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { writeRequestLine } from '../../common/log.js';
import type { ApiContext } from '../pipeline-types.js';
import type { ApiReply } from '../replies.js';

type Request = middy.Request<APIGatewayProxyEventV2, ApiReply, Error, ApiContext>;

/**
 * One line per call: request id, method, path, status and duration (JSON; readable on a terminal). The request
 * id is written explicitly because the embedded runtime serves calls concurrently in one process, where the logger's
 * Lambda context belongs to whichever call set it last.
 */
export function logRequest(): middy.MiddlewareObj<APIGatewayProxyEventV2, ApiReply, Error, ApiContext> {
  const started = new WeakMap<Request, number>();
  const done = (request: Request) => {
    writeRequestLine({
      requestId: request.context.awsRequestId,
      method: request.event.requestContext?.http?.method,
      path: request.event.rawPath,
      status: request.response?.statusCode,
      ms: Math.round(performance.now() - (started.get(request) ?? performance.now())),
    });
  };
  return {
    before: (request) => {
      started.set(request, performance.now());
    },
    after: done,
    onError: done,
  };
}
