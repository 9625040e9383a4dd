import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import type { AppConfig } from '../../functions/common/config.js';
import { localConfig, RUNTIME_FILE } from '../../functions/local/local-config.js';

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  adminToken: string;
}

/**
 * Runs the command of `npm start` as a child process of its own group (so a test can kill it and its DynamoDB
 * Local outright), on a free port and the given data folder, and waits until it listens.
 */
export async function startServer(dataDir: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const script = JSON.parse(await readFile('package.json', 'utf8')).scripts.start as string;
  const [command, ...args] = script.split(' ');
  const child = spawn(`node_modules/.bin/${command}`, args, {
    env: { ...process.env, PORT: '0', DATA_DIR: dataDir, POWERTOOLS_LOG_LEVEL: 'WARN', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`the server did not listen in time:\n${output}`)), 90_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /Listening on (http:\/\/\S+)/.exec(output)?.[1];
      const adminToken = /Admin token: (\S+)/.exec(output)?.[1];
      if (url && adminToken) {
        clearTimeout(timer);
        resolve({ child, url, adminToken });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`the server exited with ${code}:\n${output}`)));
  });
}

/** `kill -9` of the server and everything it started, as a crash would; resolves once its DynamoDB Local is gone. */
export async function killServer(server: ServerProcess, dataDir: string): Promise<void> {
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  process.kill(-(server.child.pid as number), 'SIGKILL');
  await exited;
  const deadline = Date.now() + 15_000;
  while (dynamoDbLocalProcesses(dataDir) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
}

export function stopServer(server: ServerProcess): Promise<number | null> {
  return new Promise((resolve) => {
    server.child.once('exit', (code) => resolve(code));
    server.child.kill('SIGTERM');
  });
}

/** The configuration of the server's data folder, with the endpoint of the DynamoDB Local it runs. */
export async function serverConfig(dataDir: string): Promise<AppConfig> {
  const { dynamodbEndpoint } = JSON.parse(await readFile(join(dataDir, RUNTIME_FILE), 'utf8')) as {
    dynamodbEndpoint: string;
  };
  return localConfig(dataDir, { dynamodb: dynamodbEndpoint });
}

export function dynamoDbLocalProcesses(dataDir: string): number {
  try {
    return execFileSync('pgrep', ['-f', `dbPath ${dataDir}`])
      .toString()
      .trim()
      .split('\n').length;
  } catch {
    return 0; // pgrep exits 1 when nothing matches
  }
}

/** One request to the server, form body and all, as the Python SDK sends it. */
export function send(
  server: ServerProcess,
  method: string,
  path: string,
  form: Record<string, string | number> = {},
): Promise<{ status: number; text: string }> {
  const body = new URLSearchParams(Object.entries(form).map(([k, v]): [string, string] => [k, String(v)])).toString();
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, server.url),
      {
        method,
        headers: {
          authorization: `Bearer ${server.adminToken}`,
          accept: 'application/json',
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': String(Buffer.byteLength(body)),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
