import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { type ApiReply, json } from '../http/replies.js';

/** Every path no route matches: a JSON 404 (API Gateway's `$default` route; the embedded runtime's fallback). */
export const handler = middy<APIGatewayProxyEventV2, ApiReply>().handler(async (event) =>
  json({ success: false, log: `No such endpoint: ${event.requestContext?.http?.method} ${event.rawPath}` }, 404),
);
