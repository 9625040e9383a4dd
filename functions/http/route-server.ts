import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { log } from '../common/log.js';
import { type CompiledRoute, compileRoutes, matchRoute } from '../routes/match.js';
import { DEFAULT_BODY_MB, isLargeBodyRoute, type RouteDefinition } from '../routes/route-definition.js';
import { lambdaContext, toApiGatewayEvent, writeLambdaResult } from './lambda-adapter.js';
import { json } from './replies.js';

/** A Lambda handler as the manifest names it. */
export type Invocable = (event: unknown, context: Context) => Promise<APIGatewayProxyResultV2>;

type ServedRoute = Pick<
  RouteDefinition,
  'id' | 'path' | 'methods' | 'handler' | 'timeoutSeconds' | 'localTimeoutSeconds' | 'maxBodyMb'
>;

export interface RouteServerOptions<R extends ServedRoute> {
  routes: readonly R[];
  handlerOf(route: R): Invocable;
  /** What answers a path no route matches (the manifest's JSON 404). */
  notFound: { route: Pick<ServedRoute, 'id' | 'timeoutSeconds'>; handler: Invocable };
  /** Use `localTimeoutSeconds` where a route gives one (npm start). */
  localTimeouts?: boolean;
  /** One limit for every route (the container: what CloudFront waits for its first byte, less a margin). */
  timeoutSeconds?: number;
  /** Requests with bodies over DEFAULT_BODY_MB handled at once; more wait their turn (memory is ~5× a body). */
  largeBodyConcurrency?: number;
  /** Writes a result itself and returns true (npm start streams its own S3 redirects), or returns false. */
  deliver?(
    result: APIGatewayProxyResultV2,
    response: ServerResponse,
    request: IncomingMessage,
    requestId: string,
  ): Promise<boolean>;
}

const MB = 1024 * 1024;

/** The largest body a route accepts, in bytes: its `maxBodyMb`, else DEFAULT_BODY_MB. */
export function bodyLimitBytes(route: Pick<RouteDefinition, 'maxBodyMb'>): number {
  return (route.maxBodyMb ?? DEFAULT_BODY_MB) * MB;
}

/**
 * Serves manifest routes over Node's HTTP server as API Gateway and Lambda would: the route's own body limit
 * (413 beyond it), 405 with `Allow`, the API Gateway event, the handler, its result. The embedded runtime of
 * `npm start` serves every route through it; the container service serves the large-body routes through it.
 */
export function createRouteServer<R extends ServedRoute>(
  options: RouteServerOptions<R>,
): (request: IncomingMessage, response: ServerResponse) => void {
  const compiled: CompiledRoute<R>[] = compileRoutes(options.routes);
  const gate = new Gate(options.largeBodyConcurrency ?? 2);
  const serve = async (request: IncomingMessage, response: ServerResponse) => {
    const requestId = randomUUID();
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    const method = request.method ?? 'GET';
    const match = matchRoute(compiled, path);
    const route: Pick<ServedRoute, 'id' | 'timeoutSeconds' | 'localTimeoutSeconds' | 'maxBodyMb'> =
      match?.route ?? options.notFound.route;
    const limit = bodyLimitBytes(route);
    const large = isLargeBodyRoute(route);
    if (large) await gate.enter();
    try {
      const body = await readBody(request, limit);
      if (body === 'too large') {
        const reply = json(
          {
            success: false,
            log: `The request body is larger than ${limit / MB} MB, the limit of ${match?.route.path ?? path}`,
          },
          413,
        );
        writeLambdaResult(response, reply, requestId);
        return;
      }
      if (match && !(match.route.methods as readonly string[]).includes(method)) {
        const reply = json(
          { success: false, log: `${method} is not allowed here; use ${match.route.methods.join(' or ')}` },
          405,
        );
        reply.headers = { ...reply.headers, allow: match.route.methods.join(', ') };
        writeLambdaResult(response, reply, requestId);
        return;
      }
      const target = match
        ? { routeKey: `${method} ${match.route.path}`, path: match.canonicalPath, pathParameters: match.pathParameters }
        : { routeKey: '$default', path, pathParameters: {} };
      const event = toApiGatewayEvent(request, body, target, requestId);
      const handler = match ? options.handlerOf(match.route) : options.notFound.handler;
      const timeout =
        options.timeoutSeconds ??
        (options.localTimeouts ? route.localTimeoutSeconds : undefined) ??
        route.timeoutSeconds;
      const result = await handler(event, lambdaContext(route.id, timeout, requestId));
      if (!(await options.deliver?.(result, response, request, requestId)))
        writeLambdaResult(response, result, requestId);
    } finally {
      if (large) gate.leave();
    }
  };
  return (request, response) => {
    serve(request, response).catch((error: unknown) => failRequest(response, error));
  };
}

/** The body, or 'too large' once it passes `limit` (the rest is read and dropped, so the client sees the 413). */
function readBody(request: IncomingMessage, limit: number): Promise<Buffer | 'too large'> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers['content-length'] ?? 0);
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = declared > limit;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      if (!tooLarge) chunks.push(chunk);
      else chunks.length = 0;
    });
    request.on('end', () => resolve(tooLarge ? 'too large' : Buffer.concat(chunks, size)));
    request.on('error', reject);
  });
}

function failRequest(response: ServerResponse, error: unknown): void {
  log.error('request failed', { error: error as Error });
  if (response.headersSent) {
    response.destroy();
    return;
  }
  writeLambdaResult(response, json({ success: false, log: 'Internal server error' }, 500), 'unknown');
}

/** At most `capacity` holders at once; the others wait in arrival order. */
class Gate {
  private holders = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly capacity: number) {}

  enter(): Promise<void> {
    if (this.holders < this.capacity) {
      this.holders++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  leave(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.holders--;
  }
}
