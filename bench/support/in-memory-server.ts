import { startRuntime } from '../../functions/local/runtime.js';

/**
 * The embedded runtime of `npm start`, with DynamoDB Local in memory: for benchmarks that seed far more data
 * than the on-disk database takes in reasonable time (≈ 530 items/s persisted, ≈ 5,000 in memory). Prints the
 * same two lines as `npm start`; DATA_DIR names the data folder.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const dataDir = process.env.DATA_DIR;
if (!dataDir) throw new Error('DATA_DIR is not set');
const runtime = await startRuntime({ dataDir, port: 0, host: '127.0.0.1', inMemoryDatabase: true });
console.log(`Admin token: ${runtime.adminToken}`);
console.log(`Listening on ${runtime.url}`);
const stop = async () => {
  await runtime.stop();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
