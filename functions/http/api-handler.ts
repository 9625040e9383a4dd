import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { Caller } from '../auth/caller.js';
import { log } from '../common/log.js';
import { type RouteDefinition, type RouteId, routeById } from '../routes/manifest.js';
import { HttpError } from './errors.js';
import { authenticate } from './middlewares/authenticate.js';
import { errorReplies } from './middlewares/error-replies.js';
import { logRequest } from './middlewares/log-request.js';
import { parseParameters } from './middlewares/parse-parameters.js';
import type { Parameters } from './parameters.js';
import type { ApiContext } from './pipeline-types.js';
import type { ApiReply } from './replies.js';

export interface PublicRequest {
  event: APIGatewayProxyEventV2;
  params: Parameters;
  route: RouteDefinition;
}

export interface ApiRequest extends PublicRequest {
  caller: Caller;
  /** Milliseconds the function may still run: Lambda's clock, or the route's (local) limit under `npm start`. */
  remainingMs(): number;
}

export type LambdaHandler = middy.MiddyfiedHandler<APIGatewayProxyEventV2, ApiReply, Error, ApiContext>;

/**
 * The request pipeline of every endpoint that needs a token: errors → parameters → authentication → handler.
 * The route's manifest entry says which capability the token needs.
 */
export function apiHandler(routeId: RouteId, handle: (request: ApiRequest) => Promise<ApiReply>): LambdaHandler {
  const route = routeById(routeId);
  if (route.auth !== 'token') throw new Error(`Route ${routeId} is public; use publicHandler`);
  return pipeline(route)
    .use(authenticate(route))
    .handler(async (event, context) =>
      handle({
        event,
        params: context.params,
        route,
        caller: context.caller as Caller,
        remainingMs: () => context.getRemainingTimeInMillis(),
      }),
    );
}

/** The same pipeline without authentication, for the few public routes (Swagger, giving up a token by value). */
export function publicHandler(routeId: RouteId, handle: (request: PublicRequest) => Promise<ApiReply>): LambdaHandler {
  const route = routeById(routeId);
  if (route.auth !== 'public') throw new Error(`Route ${routeId} needs a token; use apiHandler`);
  return pipeline(route).handler(async (event, context) => handle({ event, params: context.params, route }));
}

/**
 * Time kept back from the function's limit to answer a call that runs too long: Lambda (and the embedded
 * runtime's clock) would otherwise end it with a bare error instead of a reply the client can read.
 */
export const TIMEOUT_MARGIN_MS = 500;

function pipeline(route: RouteDefinition) {
  return middy<APIGatewayProxyEventV2, ApiReply, Error, ApiContext>({
    timeoutEarlyInMillis: TIMEOUT_MARGIN_MS,
    timeoutEarlyResponse: () => {
      throw new HttpError(504, `${route.id} timed out: the request ran past its time limit; try a smaller request`);
    },
  })
    .use(injectLambdaContext(log, { resetKeys: true }))
    .use(logRequest())
    .use(errorReplies(route.reply))
    .use(parseParameters());
}
