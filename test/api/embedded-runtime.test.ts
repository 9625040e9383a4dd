import { type ChildProcess, execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer } from '../support/server-process.js';

/**
 * The server runs as `npm start`'s command, not through npm itself: npm exits at once on SIGINT without waiting
 * for its script, so the test could not see how the server ends.
 */
const start = startServer;

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
