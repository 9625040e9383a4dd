import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPOSITORY_ROOT } from '../../functions/local/handler-loader.js';

/** util-linux `script` gives the server a terminal (a pseudo-TTY), as a person running `npm start` has. */
const hasScript = spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;

const folders: string[] = [];
afterAll(async () => {
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
});

describe('npm start on a terminal', () => {
  it.skipIf(!hasScript)(
    'logs one short readable line per request',
    async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'slidescore-tty-'));
      folders.push(dataDir);
      const child = spawn('script', ['-qfec', 'node_modules/.bin/tsx functions/local/main.ts', '/dev/null'], {
        cwd: REPOSITORY_ROOT,
        env: { ...process.env, PORT: '0', DATA_DIR: dataDir, POWERTOOLS_LOG_LEVEL: 'INFO' },
        stdio: ['pipe', 'pipe', 'pipe'],
        detached: true,
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const exited = new Promise((resolve) => child.once('exit', resolve));
      try {
        const deadline = Date.now() + 90_000;
        while (!/Listening on (http:\/\/\S+)/.test(output) && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        const url = /Listening on (http:\/\/[^\s]+)/.exec(output)?.[1];
        const token = /Admin token: (\S+)/.exec(output)?.[1];
        expect(url, output).toBeDefined();
        const reply = await fetch(`${url}/Api/Studies`, { headers: { authorization: `Bearer ${token}` } });
        expect(reply.status).toBe(200);
        while (!/GET \/Api\/Studies/.test(output) && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        expect(output).toMatch(/^\d\d:\d\d:\d\d GET \/Api\/Studies 200 \d+ ms\r?$/m);
        expect(output).not.toMatch(/"message":"request"/);
      } finally {
        process.kill(-(child.pid as number), 'SIGTERM');
        await exited;
      }
    },
    120_000,
  );
});
