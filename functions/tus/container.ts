import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { configFromEnvironment } from '../common/config.js';
import { log } from '../common/log.js';
import { PrefixedS3Store } from './prefixed-s3-store.js';
import { createTusServer, TUS_PATH } from './tus-server.js';

/**
 * The tus upload server of the cloud: one Node process in an ECS Fargate task behind an internal load balancer,
 * reached through CloudFront on `/files/*`. Configuration comes from the CONFIG_ENV variables set by the stack,
 * plus PORT (8080) and TUS_MAX_UPLOAD_BYTES (100 GiB). It stops cleanly on SIGTERM (ECS task stop).
 */

/** Where upload objects live in the bucket (FinishUpload moves finished files to `files/`). */
export const UPLOADS_PREFIX = 'uploads/';
/** S3 parts of 8 MiB: above S3's 5 MiB minimum, small enough to buffer per upload. */
const PART_SIZE = 8 * 1024 * 1024;
const DEFAULT_MAX_UPLOAD_BYTES = 100 * 1024 ** 3;
const HEALTH_PATH = '/health';
/** Below the task's stopTimeout (60 s): running PATCHes get this long to finish, then clients resume. */
const DRAIN_MILLISECONDS = 50_000;
/** Longer than the load balancer's idle timeout (120 s), so the ALB, not Node, closes idle connections. */
const KEEP_ALIVE_MILLISECONDS = 125_000;

const config = configFromEnvironment();
const port = Number(process.env.PORT ?? 8080);
const maxSizeBytes = Number(process.env.TUS_MAX_UPLOAD_BYTES ?? DEFAULT_MAX_UPLOAD_BYTES);

const tus = createTusServer({
  datastore: new PrefixedS3Store({
    prefix: UPLOADS_PREFIX,
    partSize: PART_SIZE,
    s3ClientConfig: { bucket: config.bucket, region: config.region },
  }),
  maxSizeBytes,
});

let stopping = false;

const server = createServer((request, response) => {
  const path = (request.url ?? '/').split('?')[0] ?? '/';
  if (path === HEALTH_PATH && (request.method === 'GET' || request.method === 'HEAD')) {
    // 503 while draining, so the load balancer stops sending new uploads here.
    response.writeHead(stopping ? 503 : 200, { 'content-type': 'text/plain' }).end(stopping ? 'stopping' : 'OK');
    return;
  }
  if (path === TUS_PATH || path.startsWith(`${TUS_PATH}/`)) {
    useViewerProtocol(request);
    tus.handle(request, response).catch((error: unknown) => fail(response, error));
    return;
  }
  response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
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

function fail(response: ServerResponse, error: unknown): void {
  log.error('tus request failed', { error });
  if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
  response.end();
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

server.listen(port, () => log.info('tus server listening', { port, bucket: config.bucket, prefix: UPLOADS_PREFIX }));
