import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * Runs the command of `npm start` as a child process. Not through npm itself: npm exits at once on SIGINT
 * without waiting for its script, so the test could not see how the server ends.
 */
async function start(
  dataDir: string,
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; url: string; adminToken: string }> {
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

function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill(signal);
  });
}

function get(url: string, token: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    request(url, { headers: { authorization: `Bearer ${token}` } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => {
        text += c.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    })
      .on('error', reject)
      .end();
  });
}

function dynamoDbLocalProcesses(dataDir: string): number {
  try {
    return execFileSync('pgrep', ['-f', `dbPath ${dataDir}`])
      .toString()
      .trim()
      .split('\n').length;
  } catch {
    return 0; // pgrep exits 1 when nothing matches
  }
}

const folders: string[] = [];
afterAll(async () => {
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
});

describe('npm start', () => {
  it('creates an admin token once, persists across restarts and stops cleanly on SIGINT and SIGTERM', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'slidescore-start-'));
    folders.push(dataDir);

    const first = await start(dataDir);
    expect((await readFile(join(dataDir, 'admin-token'), 'utf8')).trim()).toBe(first.adminToken);
    const studies = await get(`${first.url}/Api/Studies`, first.adminToken);
    expect(studies).toEqual({ status: 200, text: '[]' });
    expect(await stop(first.child, 'SIGINT')).toBe(0);
    expect(dynamoDbLocalProcesses(dataDir)).toBe(0);

    const second = await start(dataDir);
    expect(second.adminToken).toBe(first.adminToken);
    expect((await get(`${second.url}/Api/Studies`, second.adminToken)).status).toBe(200);
    expect(await stop(second.child, 'SIGTERM')).toBe(0);
    expect(dynamoDbLocalProcesses(dataDir)).toBe(0);
  }, 180_000);

  it('leaves no DynamoDB Local behind when killed outright', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'slidescore-kill-'));
    folders.push(dataDir);
    const { child } = await start(dataDir);
    // tsx → node: kill the whole group, as a crash or `kill -9` of a terminal's processes would.
    process.kill(-(child.pid as number), 'SIGKILL');
    const deadline = Date.now() + 15_000;
    while (dynamoDbLocalProcesses(dataDir) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(dynamoDbLocalProcesses(dataDir)).toBe(0);
  }, 120_000);
});

describe('npm start without its terminal', () => {
  it('keeps serving, and stops on SIGTERM, after its output pipe was closed', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'slidescore-epipe-'));
    folders.push(dataDir);
    // INFO: every request writes a log line, into the closed pipe.
    const { child, url, adminToken } = await start(dataDir, { POWERTOOLS_LOG_LEVEL: 'INFO' });
    child.stdout?.destroy();
    child.stderr?.destroy();
    for (let i = 0; i < 5; i += 1) expect((await get(`${url}/Api/Studies`, adminToken)).status).toBe(200);
    const exited = stop(child, 'SIGTERM');
    const code = await Promise.race([
      exited,
      new Promise((resolve) => setTimeout(() => resolve('still running'), 20_000)),
    ]);
    expect(code).toBe(0);
  }, 120_000);
});
