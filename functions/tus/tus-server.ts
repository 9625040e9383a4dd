import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Locker, Server } from '@tus/server';
import type { DataStore } from '@tus/utils';
import { log, writeRequestLine } from '../common/log.js';
import type { UploadService } from '../uploads/upload-service.js';

export const TUS_PATH = '/files';
/** Where the cloud container listens, and the path its load balancer probes. */
export const TUS_CONTAINER_PORT = 8080;
export const TUS_HEALTH_PATH = '/health';
const CLEANUP_INTERVAL_MS = 3600_000;

export interface TusServerOptions {
  datastore: DataStore;
  maxSizeBytes: number;
  uploads: UploadService;
  /** The per-upload lock; shared by every tus process of a deployment (DynamoLocker). */
  locker: Locker;
}

/**
 * The tus 1.0 server of both worlds: the cloud container (S3 store) and `npm start` (file store). Creation,
 * creation-with-upload, termination (of unfinished uploads only: nothing committed is ever deleted) and
 * expiration. The Python SDK sends no Authorization header: creation is authenticated from the `apitoken` and
 * `uploadtoken` metadata before a byte is stored, and every later request on an upload checks that its upload
 * token and API token are still good.
 */
export function createTusServer(options: TusServerOptions): Server {
  const { datastore, uploads } = options;
  return new Server({
    path: TUS_PATH,
    datastore,
    locker: options.locker,
    maxSize: options.maxSizeBytes,
    respectForwardedHeaders: true,
    disableTerminationForFinishedUploads: true,
    onUploadCreate: async (_request, upload) => {
      const result = await uploads.authorizeCreation(upload.metadata ?? {});
      if (!result.ok) throw { status_code: result.status, body: result.reason };
      return { metadata: result.metadata };
    },
    onIncomingRequest: async (request, id) => {
      if (request.method === 'POST') return; // creation is checked in onUploadCreate, with the metadata
      let upload: Awaited<ReturnType<DataStore['getUpload']>>;
      try {
        upload = await datastore.getUpload(id);
      } catch {
        return; // unknown upload: the handler answers 404
      }
      const result = await uploads.authorizeAccess({
        id,
        size: upload.size,
        offset: upload.offset,
        metadata: upload.metadata ?? {},
      });
      if (!result.ok) throw { status_code: result.status, body: result.reason };
    },
  });
}

/**
 * Serves /files/ requests. GET is refused: @tus/server would otherwise hand a finished upload to anyone with
 * its URL; committed files are downloaded through the API (DownloadSlide) with its rights checks. Every reply
 * carries an `x-request-id` that its log line names too, as API replies do.
 */
export function tusRequestHandler(server: Server): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    const requestId = randomUUID();
    const started = performance.now();
    response.setHeader('x-request-id', requestId);
    response.once('close', () =>
      writeRequestLine({
        requestId,
        method: request.method,
        path: (request.url ?? '/').split('?')[0],
        status: response.statusCode,
        ms: Math.round(performance.now() - started),
      }),
    );
    if (request.method === 'GET') {
      response.writeHead(405, { allow: 'OPTIONS, POST, HEAD, PATCH, DELETE', 'tus-resumable': '1.0.0' });
      response.end('Downloads go through the API');
      return;
    }
    server.handle(request, response).catch((error: unknown) => {
      log.error('tus request failed', { error: error as Error });
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  };
}

/** Removes expired unfinished uploads every hour; returns the function that stops it. */
export function scheduleExpiredUploadCleanup(server: Server): () => void {
  const timer = setInterval(() => {
    server
      .cleanUpExpiredUploads()
      .catch((error: unknown) => log.warn('upload cleanup failed', { error: error as Error }));
  }, CLEANUP_INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
