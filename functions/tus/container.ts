import { createServer, type IncomingMessage } from 'node:http';
import { appConfig } from '../common/config.js';
import { log } from '../common/log.js';
import { services } from '../common/services.js';
import { json } from '../http/replies.js';
import { createRouteServer, type Invocable } from '../http/route-server.js';
import { dynamoClient } from '../storage/aws-clients.js';
import { DynamoLocker } from './dynamo-locker.js';
import { largeBodyRoutes, loadLargeBodyHandlers } from './large-body-routes.js';
import {
  createTusServer,
  scheduleExpiredUploadCleanup,
  TUS_CONTAINER_PORT,
  TUS_HEALTH_PATH,
  TUS_PATH,
  tusRequestHandler,
} from './tus-server.js';
import { createUploadDatastore } from './upload-datastore.js';

/** Below CloudFront's 60 s read timeout of the container origin, so a slow request ends with our reply. */
const CONTAINER_ROUTE_TIMEOUT_SECONDS = 55;

/**
 * The container service of the cloud: one Node process in an ECS Fargate task behind an internal load balancer,
 * reached through CloudFront. It serves the tus upload server on `/files/*`, and the routes whose request bodies
 * may pass Lambda's 6 MB (`maxBodyMb`, e.g. UploadResults) with the same handler code as their Lambda
 * functions, through the route server of `npm start`. Configuration comes from the CONFIG_ENV variables set by the stack,
 * plus PORT (8080). It stops cleanly on SIGTERM (ECS task stop).
 *
 * The service runs several tasks; they share the lock of each upload through DynamoDB (DynamoLocker), so a
 * resumed PATCH that reaches another task while the first still runs waits for it: see docs/uploads.md.
 */

/** Below the task's stopTimeout (60 s): running PATCHes get this long to finish, then clients resume. */
const DRAIN_MILLISECONDS = 50_000;
/** Longer than the load balancer's idle timeout (120 s), so the ALB, not Node, closes idle connections. */
const KEEP_ALIVE_MILLISECONDS = 125_000;

const config = appConfig();
const port = Number(process.env.PORT ?? TUS_CONTAINER_PORT);

const tus = createTusServer({
  datastore: createUploadDatastore(config),
  maxSizeBytes: config.uploads.maxBytes,
  uploads: services().uploads,
  locker: new DynamoLocker(dynamoClient(), config.tables.tokens),
});
const serveTus = tusRequestHandler(tus);
scheduleExpiredUploadCleanup(tus);

const routes = largeBodyRoutes();
const handlers = await loadLargeBodyHandlers(routes);
const serveRoute = createRouteServer({
  routes,
  // No API Gateway here: a large body may take until CloudFront stops waiting for the reply (60 s, front-door.ts).
  timeoutSeconds: CONTAINER_ROUTE_TIMEOUT_SECONDS,
  handlerOf: (route) => handlers.get(route.handler) as Invocable,
  notFound: {
    route: { id: 'NotFound', timeoutSeconds: 10 },
    handler: async () => json({ success: false, log: 'Not found' }, 404),
  },
});

let stopping = false;

const server = createServer((request, response) => {
  const path = (request.url ?? '/').split('?')[0] ?? '/';
  if (path === TUS_HEALTH_PATH && (request.method === 'GET' || request.method === 'HEAD')) {
    // 503 while draining, so the load balancer stops sending new uploads here.
    response.writeHead(stopping ? 503 : 200, { 'content-type': 'text/plain' }).end(stopping ? 'stopping' : 'OK');
    return;
  }
  if (path === TUS_PATH || path.startsWith(`${TUS_PATH}/`)) {
    useViewerProtocol(request);
    serveTus(request, response);
    return;
  }
  serveRoute(request, response);
});
server.requestTimeout = 0; // an upload PATCH may stream for a long time
server.keepAliveTimeout = KEEP_ALIVE_MILLISECONDS;
server.headersTimeout = KEEP_ALIVE_MILLISECONDS + 1_000;

/**
 * The tus server builds absolute Location URLs from X-Forwarded-Proto, which the load balancer sets to its own
 * listener's protocol (http). CloudFront tells the viewer's protocol in CloudFront-Forwarded-Proto.
 */
function useViewerProtocol(request: IncomingMessage): void {
  const viewerProtocol = request.headers['cloudfront-forwarded-proto'];
  if (viewerProtocol === 'https' || viewerProtocol === 'http') request.headers['x-forwarded-proto'] = viewerProtocol;
}

function stop(signal: string): void {
  if (stopping) return;
  stopping = true;
  log.info('stopping', { signal });
  const forced = setTimeout(() => {
    log.warn('uploads still running at shutdown; closing them (clients resume)');
    server.closeAllConnections();
  }, DRAIN_MILLISECONDS);
  forced.unref();
  server.close((error) => {
    clearTimeout(forced);
    process.exit(error ? 1 : 0);
  });
  server.closeIdleConnections();
}

process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));

server.listen(port, () =>
  log.info('container listening', { port, bucket: config.bucket, routes: routes.map((route) => route.path) }),
);
