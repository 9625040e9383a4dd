import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { log } from '../common/log.js';
import { services } from '../common/services.js';
import type { LambdaHandler } from '../http/api-handler.js';
import { TIMEOUT_MARGIN_MS } from '../http/api-handler.js';
import { cookieOf } from '../http/cookies.js';
import { HttpError } from '../http/errors.js';
import { refusal } from '../http/middlewares/error-replies.js';
import { logRequest } from '../http/middlewares/log-request.js';
import { headerOf, parseParameters } from '../http/middlewares/parse-parameters.js';
import type { Parameters } from '../http/parameters.js';
import type { ApiContext } from '../http/pipeline-types.js';
import type { ApiReply } from '../http/replies.js';
import { type RouteDefinition, type RouteId, routeById } from '../routes/manifest.js';
import { html, PAGE_HEADERS, page } from './html.js';
import { SESSION_COOKIE, type ViewerSession } from './viewer-sessions.js';

export interface PageRequest {
  event: APIGatewayProxyEventV2;
  params: Parameters;
  route: RouteDefinition;
  session: ViewerSession;
}

type SessionContext = ApiContext & { session?: ViewerSession };

/** The session of a request's cookie, if any (the home page shows it without requiring it). */
export function sessionOf(event: APIGatewayProxyEventV2): Promise<ViewerSession | undefined> {
  return services().viewerSessions.check(cookieOf(event, SESSION_COOKIE));
}

/** Whether the browser reached us over HTTPS (CloudFront, or a proxy that says so): the cookie is then Secure. */
export function overHttps(event: APIGatewayProxyEventV2): boolean {
  const proto = headerOf(event, 'x-forwarded-proto') ?? headerOf(event, 'cloudfront-forwarded-proto');
  if (proto) return proto.split(',')[0]?.trim() === 'https';
  return !/^(localhost|127\.|\[::1\])/.test(headerOf(event, 'host') ?? 'localhost');
}

/**
 * The pipeline of the viewer's pages and forms (`auth: 'session'`): errors → parameters → session → handler.
 * Without a session a GET goes to the sign-in page (and back afterwards); a POST is 401. A form POST must come
 * from our own pages: the cookie is SameSite=Lax, and a foreign Origin is refused besides.
 */
export function pageHandler(routeId: RouteId, handle: (request: PageRequest) => Promise<ApiReply>): LambdaHandler {
  const route = routeById(routeId);
  if (route.auth !== 'session') throw new Error(`Route ${routeId} is not a session route`);
  return middy<APIGatewayProxyEventV2, ApiReply, Error, SessionContext>({
    timeoutEarlyInMillis: TIMEOUT_MARGIN_MS,
    timeoutEarlyResponse: () => {
      throw new HttpError(504, `${route.id} timed out`);
    },
  })
    .use(injectLambdaContext(log, { resetKeys: true }))
    .use(logRequest())
    .use(pageErrors(route))
    .use(parseParameters())
    .use({
      before: async (request) => {
        const method = request.event.requestContext?.http?.method ?? 'GET';
        if (method !== 'GET' && !sameOrigin(request.event)) throw new HttpError(403, 'Cross-site request refused');
        const session = await sessionOf(request.event);
        if (!session) {
          if (method === 'GET') {
            const back =
              request.event.rawPath + (request.event.rawQueryString ? `?${request.event.rawQueryString}` : '');
            throw new HttpError(302, 'Sign in first', { location: `/SignIn?returnUrl=${encodeURIComponent(back)}` });
          }
          throw new HttpError(401, 'Your session has ended: sign in again');
        }
        request.context.session = session;
      },
    })
    .handler(async (event, context) =>
      handle({ event, params: context.params, route, session: context.session as ViewerSession }),
    );
}

function sameOrigin(event: APIGatewayProxyEventV2): boolean {
  const origin = headerOf(event, 'origin');
  if (!origin || origin === 'null') return origin !== 'null';
  try {
    const host = headerOf(event, 'x-forwarded-host') ?? headerOf(event, 'host');
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/** Errors as an HTML page on GET (JSON on POST, for the page's scripts); a 302 stays a redirect. */
function pageErrors(
  route: RouteDefinition,
): middy.MiddlewareObj<APIGatewayProxyEventV2, ApiReply, Error, SessionContext> {
  return {
    onError: async (request) => {
      const error = request.error;
      const method = request.event.requestContext?.http?.method ?? 'GET';
      if (error instanceof HttpError && error.statusCode === 302) {
        request.response = { statusCode: 302, headers: { ...error.headers, 'cache-control': 'no-store' }, body: '' };
        return;
      }
      if (!(error instanceof HttpError)) {
        log.error('unhandled error', { requestId: request.context.awsRequestId, error: error as Error });
      }
      const http =
        error instanceof HttpError
          ? error
          : new HttpError(500, `Something went wrong (request id ${request.context.awsRequestId})`);
      if (method !== 'GET') {
        request.response = refusal(route.reply, http);
        return;
      }
      request.response = errorPage(http.statusCode, http.message);
    },
  };
}

export function errorPage(status: number, message: string, email?: string): ApiReply {
  const title = status === 404 ? 'Not found' : status === 403 ? 'Not allowed' : 'Something went wrong';
  return {
    statusCode: status,
    headers: PAGE_HEADERS,
    body: page({
      title,
      email,
      body: html`<section class="panel"><h1>${title}</h1><p>${message}</p><p><a href="/Studies">Back to your studies</a></p></section>`,
    }),
  };
}

export function pageReply(body: string, cookies: string[] = []): ApiReply {
  return { statusCode: 200, headers: PAGE_HEADERS, body, ...(cookies.length ? { cookies } : {}) };
}

export function redirect(location: string, cookies: string[] = []): ApiReply {
  return {
    statusCode: 302,
    headers: { location, 'cache-control': 'no-store' },
    body: '',
    ...(cookies.length ? { cookies } : {}),
  };
}
