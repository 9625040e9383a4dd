import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AppConfig, CONFIG_ENV } from '../../functions/common/config.js';
import { freePort } from '../../functions/local/free-port.js';
import { TUS_HEALTH_PATH } from '../../functions/tus/tus-server.js';
import { buildContainer, CONTAINER_BUNDLE } from '../../infra/build-container.js';

export interface ContainerProcess {
  child: ChildProcess;
  url: string;
  stop(): Promise<void>;
}

/**
 * Builds the container image's folder (infra/build-container.ts, as the Dockerfile does) and starts it as ECS
 * starts it: `node container.mjs` with the stack's CONFIG_ENV variables, here pointing at a running embedded
 * runtime's DynamoDB Local and s3rver. Resolves once its health check answers.
 */
export async function startContainerProcess(config: AppConfig): Promise<ContainerProcess> {
  const folder = await mkdtemp(join(tmpdir(), 'slidescore-container-'));
  await buildContainer(folder);
  const port = await freePort();
  const child = spawn(process.execPath, [CONTAINER_BUNDLE], {
    cwd: folder,
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      POWERTOOLS_LOG_LEVEL: 'WARN',
      [CONFIG_ENV.region]: config.region,
      [CONFIG_ENV.studiesTable]: config.tables.studies,
      [CONFIG_ENV.tokensTable]: config.tables.tokens,
      [CONFIG_ENV.scoresTable]: config.tables.scores,
      [CONFIG_ENV.filesTable]: config.tables.files,
      [CONFIG_ENV.bucket]: config.bucket,
      [CONFIG_ENV.signingKeyFile]: 'file' in config.signingKey ? config.signingKey.file : '',
      [CONFIG_ENV.dynamodbEndpoint]: config.endpoints.dynamodb ?? '',
      [CONFIG_ENV.s3Endpoint]: config.endpoints.s3 ?? '',
      [CONFIG_ENV.tokenIssuer]: config.tokenIssuer,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await rm(folder, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(`${url}${TUS_HEALTH_PATH}`, child, () => output.join(''));
  } catch (error) {
    await stop();
    throw error;
  }
  return { child, url, stop };
}

async function waitForHealth(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && child.exitCode === null) {
    const ok = await fetch(url).then(
      (reply) => reply.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`The container did not become healthy:\n${output()}`);
}
