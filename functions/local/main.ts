import { resolve } from 'node:path';
import { log } from '../common/log.js';
import { startRuntime } from './runtime.js';

/**
 * `npm start`: the whole server on one machine. PORT (8000), HOST (127.0.0.1) and DATA_DIR (./.data) are read
 * from the environment; everything persists under DATA_DIR.
 */
// We know: Lambda runs Node 22; this machine may run Node 20, which the SDK will drop in 2027.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const port = Number(process.env.PORT ?? 8000);
const host = process.env.HOST ?? '127.0.0.1';
const dataDir = resolve(process.env.DATA_DIR ?? '.data');

const runtime = await startRuntime({ dataDir, port, host }).catch((error: Error) => {
  console.error(`Could not start: ${error.message}`);
  process.exit(1);
});

console.log(`Admin token: ${runtime.adminToken}`);
console.log(`Data folder: ${dataDir}`);
console.log(`Listening on ${runtime.url}`);
if (runtime.config.slideFileDirs?.length) {
  console.log(`GenerateSlideFileURL shows files under: ${runtime.config.slideFileDirs.join(', ')}`);
}
console.log(`Open ${runtime.url.replace(/\/?$/, '/')} in a browser (viewer sign-in, Swagger UI at /swagger)`);

// A terminal or parent that goes away closes our stdout; log writes must not then fail forever (a write error
// that became an uncaught exception would be logged to the same closed pipe, again and again).
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info('stopping', { signal });
  await runtime.stop();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('uncaughtException', (error) => {
  log.error('uncaught exception', { error });
  void shutdown('uncaughtException');
});
