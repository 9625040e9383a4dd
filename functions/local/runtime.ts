import { readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { CAPABILITIES } from '../auth/capabilities.js';
import { type AppConfig, setAppConfig } from '../common/config.js';
import { services } from '../common/services.js';
import { writeLambdaResult } from '../http/lambda-adapter.js';
import { json } from '../http/replies.js';
import { createRouteServer, type Invocable } from '../http/route-server.js';
import { EVENT_SUBSCRIPTIONS, NOT_FOUND_ROUTE, ROUTES } from '../routes/manifest.js';
import { createDynamoClient, dynamoClient } from '../storage/aws-clients.js';
import { ensureTables } from '../storage/ensure-tables.js';
import { DynamoLocker } from '../tus/dynamo-locker.js';
import { createTusServer, scheduleExpiredUploadCleanup, TUS_PATH, tusRequestHandler } from '../tus/tus-server.js';
import { createUploadDatastore } from '../tus/upload-datastore.js';
import { claimDataFolder } from './data-folder.js';
import { startDynamoDbLocal } from './dynamodb-local.js';
import { EventDispatcher } from './event-dispatcher.js';
import { createHandlerLoader } from './handler-loader.js';
import { ADMIN_TOKEN_FILE, LOCAL_BUCKET, localConfig, RUNTIME_FILE } from './local-config.js';
import { startS3Local } from './s3-local.js';
import { LocalRedirectProxy } from './s3-redirect-proxy.js';

export interface RuntimeOptions {
  dataDir: string;
  port: number;
  host: string;
  /** Keep DynamoDB in memory instead of `$DATA_DIR/dynamodb` (tests and benchmarks). */
  inMemoryDatabase?: boolean;
  /** Largest upload the tus server accepts (default MAX_UPLOAD_BYTES, else 100 GiB). */
  maxUploadBytes?: number;
}

export interface Runtime {
  url: string;
  adminToken: string;
  config: AppConfig;
  /** Resolves when every S3 event so far has been handled. */
  eventsIdle(): Promise<void>;
  stop(): Promise<void>;
}

const ADMIN_TOKEN_YEARS = 10;

/**
 * Everything `npm start` runs, in one process: DynamoDB Local (a Java child), s3rver, the tus server on
 * /files/, and every manifest route through the API Gateway adapter. One runtime per process, because the
 * handlers it hosts read the process's configuration.
 */
export async function startRuntime(options: RuntimeOptions): Promise<Runtime> {
  const cleanups: (() => Promise<void>)[] = [];
  let server: Server | undefined;
  const stop = async () => {
    if (server) await closeServer(server); // no new requests while the rest stops
    server = undefined;
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
    cleanups.length = 0;
  };
  try {
    // Checks that fail at once, before Java starts: the folder and the port.
    cleanups.push(await claimDataFolder(options.dataDir));
    let serve: RequestListener = (_request, response) =>
      writeLambdaResult(response, json({ success: false, log: 'The server is starting; try again shortly' }, 503), '-');
    server = createServer((request, response) => serve(request, response));
    server.requestTimeout = 0; // long tus PATCHes
    await listen(server, options.port, options.host);

    const load = createHandlerLoader();
    const events = new EventDispatcher(EVENT_SUBSCRIPTIONS, load);
    // Importing every handler takes a while; do it while Java starts.
    const handlersLoading = loadRouteHandlers(load);
    handlersLoading.catch(() => {}); // awaited below; this only keeps an early failure from going unhandled
    const [dynamo, s3] = await Promise.all([
      startDynamoDbLocal(options.inMemoryDatabase ? {} : { directory: join(options.dataDir, 'dynamodb') }),
      startS3Local({ directory: join(options.dataDir, 's3'), bucket: LOCAL_BUCKET, onEvent: (e) => events.deliver(e) }),
    ]);
    cleanups.push(dynamo.stop, s3.stop, () => events.idle());

    const config = localConfig(options.dataDir, { dynamodb: dynamo.endpoint, s3: s3.endpoint });
    if (options.maxUploadBytes) config.uploads.maxBytes = options.maxUploadBytes;
    const setupClient = createDynamoClient(config);
    await ensureTables(setupClient, config.tables).finally(() => setupClient.destroy());
    setAppConfig(config);
    cleanups.push(async () => setAppConfig(undefined));
    const redirects = new LocalRedirectProxy(s3.endpoint, config);
    cleanups.push(async () => redirects.close());

    const adminToken = await adminTokenOf(options.dataDir);
    const handlers = await handlersLoading;
    const tus = createTusServer({
      datastore: createUploadDatastore(config),
      maxSizeBytes: config.uploads.maxBytes,
      uploads: services().uploads,
      locker: new DynamoLocker(dynamoClient(), config.tables.tokens),
    });
    const serveTus = tusRequestHandler(tus);
    const serveRoute = createRouteServer({
      routes: ROUTES,
      handlerOf: (route) => handlers.byModule.get(route.handler) as Invocable,
      notFound: { route: NOT_FOUND_ROUTE, handler: handlers.notFound },
      localTimeouts: true,
      // A redirect to our own s3rver (a large export) is streamed from here: clients may not reach 127.0.0.1.
      deliver: async (result, response, request, requestId) => {
        const objectUrl = redirects.objectUrl(result);
        if (!objectUrl) return false;
        await redirects.serve(objectUrl, response, requestId, request.headers.range);
        return true;
      },
    });
    const stopCleanup = scheduleExpiredUploadCleanup(tus);
    cleanups.push(async () => stopCleanup());

    serve = (request, response) => {
      const path = (request.url ?? '/').split('?')[0] ?? '/';
      if (isTusPath(path)) {
        serveTus(request, response);
        return;
      }
      serveRoute(request, response);
    };
    const { port } = server.address() as AddressInfo;
    const runtimeFile = join(options.dataDir, RUNTIME_FILE);
    await writeFile(runtimeFile, JSON.stringify({ pid: process.pid, dynamodbEndpoint: dynamo.endpoint }));
    cleanups.push(() => rm(runtimeFile, { force: true }));
    return {
      url: `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`,
      adminToken,
      config,
      eventsIdle: () => events.idle(),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Listens, or says plainly why not: a busy port is the usual reason a second server cannot start. */
function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(new Error(`Port ${port} on ${host} is already in use. Stop what uses it, or set PORT to another port.`));
      } else if (error.code === 'EACCES') {
        reject(
          new Error(`Port ${port} on ${host} may not be used by this user. Set PORT to another port (over 1023).`),
        );
      } else {
        reject(error);
      }
    });
    server.listen(port, host, resolve);
  });
}

function isTusPath(path: string): boolean {
  const lower = path.toLowerCase();
  return lower === TUS_PATH || lower.startsWith(`${TUS_PATH}/`);
}

async function loadRouteHandlers(load: ReturnType<typeof createHandlerLoader>) {
  const byModule = new Map<string, Invocable>();
  await Promise.all(ROUTES.map(async (route) => byModule.set(route.handler, (await load(route.handler)) as Invocable)));
  const notFound = (await load(NOT_FOUND_ROUTE.handler)) as Invocable;
  return { byModule, notFound };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/**
 * The admin token of this data folder: created on first start (every capability, all studies) and written to
 * `$DATA_DIR/admin-token`; reused while it stays valid, replaced if it was revoked or the database reset.
 */
async function adminTokenOf(dataDir: string): Promise<string> {
  const file = join(dataDir, ADMIN_TOKEN_FILE);
  const tokens = services().tokens;
  const existing = await readFile(file, 'utf8').then(
    (text) => text.trim(),
    () => undefined,
  );
  if (existing && (await tokens.authenticate(existing)).ok) return existing;
  const expiresOn = new Date();
  expiresOn.setUTCFullYear(expiresOn.getUTCFullYear() + ADMIN_TOKEN_YEARS);
  const { token } = await tokens.create({
    name: 'Admin (created by npm start)',
    capabilities: [...CAPABILITIES],
    studies: 'all',
    expiresOn,
  });
  await writeFile(file, `${token}\n`, { mode: 0o600 });
  return token;
}
