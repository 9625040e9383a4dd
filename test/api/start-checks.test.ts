import { spawn } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { REPOSITORY_ROOT } from '../../functions/local/handler-loader.js';

const TSX = join(REPOSITORY_ROOT, 'node_modules', '.bin', 'tsx');
/** Refusals come before Java starts: the time to load the code, not DynamoDB Local's 5-60 s. */
const AT_ONCE_MS = 15_000;

/** Runs `npm start` (its entry point) and waits for it to exit. */
function start(env: Record<string, string>): Promise<{ code: number | null; output: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, ['functions/local/main.ts'], {
      cwd: REPOSITORY_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), AT_ONCE_MS * 2);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output, ms: Date.now() - started });
    });
  });
}

const folders: string[] = [];
async function freshFolder(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'slidescore-start-'));
  folders.push(folder);
  return folder;
}
afterAll(async () => {
  for (const folder of folders) {
    await chmod(folder, 0o755).catch(() => {});
    await rm(folder, { recursive: true, force: true });
  }
});

/** A folder this user cannot write: a read-only one, or (for root, who may write anything) /sys. */
async function unwritableFolder(): Promise<string | undefined> {
  const folder = await freshFolder();
  await chmod(folder, 0o555);
  for (const candidate of [folder, '/sys']) {
    const writable = await writeFile(join(candidate, 'probe'), '').then(
      () => true,
      () => false,
    );
    if (!writable) return candidate;
  }
  return undefined;
}

describe('npm start refuses at once', () => {
  it('a data folder another npm start is using', async () => {
    // The test runtime (this process's global setup) holds its data folder.
    const result = await start({ DATA_DIR: inject('dataDir'), PORT: '0' });
    expect(result.code).toBe(1);
    expect(result.output).toContain(`Data folder ${inject('dataDir')} is in use by another npm start (process`);
    expect(result.output).toContain('DATA_DIR');
    expect(result.ms).toBeLessThan(AT_ONCE_MS);
  });

  it('an unwritable data folder, without a Java stack trace', async (context) => {
    const folder = await unwritableFolder();
    if (!folder) context.skip();
    const result = await start({ DATA_DIR: join(folder as string, 'data'), PORT: '0' });
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/Data folder .* cannot be written \(E[A-Z]+\)/);
    expect(result.output).not.toMatch(/at com\.amazonaws|Exception/);
    expect(result.ms).toBeLessThan(AT_ONCE_MS);
  });

  it('a busy port, saying to set PORT', async () => {
    const port = new URL(inject('baseUrl')).port;
    const result = await start({ DATA_DIR: await freshFolder(), PORT: port });
    expect(result.code).toBe(1);
    expect(result.output).toContain(`Port ${port} on 127.0.0.1 is already in use`);
    expect(result.output).toContain('set PORT');
    expect(result.ms).toBeLessThan(AT_ONCE_MS);
  });
});
