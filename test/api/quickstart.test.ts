import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { REPOSITORY_ROOT } from '../../functions/local/handler-loader.js';

/**
 * Runs docs/quickstart.md: its code blocks, taken from the markdown, so the page and this test cannot drift.
 * Only what names this machine is replaced: the server's URL, the data folder and the repository folder.
 */
const DOC = await readFile(join(REPOSITORY_ROOT, 'docs', 'quickstart.md'), 'utf8');

function section(heading: string): string {
  const start = DOC.indexOf(`\n## ${heading}`);
  if (start < 0) throw new Error(`docs/quickstart.md has no section "${heading}"`);
  const end = DOC.indexOf('\n## ', start + 1);
  return DOC.slice(start, end < 0 ? undefined : end);
}

function codeBlocks(text: string, language: string): string[] {
  return [...text.matchAll(new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``, 'g'))].map((m) => m[1] as string);
}

function forThisMachine(code: string): string {
  const replacements: [string, string][] = [
    ['http://127.0.0.1:8000', inject('baseUrl')],
    ['../.data/admin-token', join(inject('dataDir'), 'admin-token')],
    ['../test/fixtures/', `${join(REPOSITORY_ROOT, 'test', 'fixtures')}/`],
  ];
  let result = code;
  for (const [from, to] of replacements) result = result.replaceAll(from, to);
  return result;
}

/** Debian's python3 (apt-get install python3-requests python3-tuspy), or any python3 with both modules. */
function pythonWithModules(): string | undefined {
  return ['/usr/bin/python3', 'python3'].find(
    (python) => spawnSync(python, ['-c', 'import requests, tusclient'], { stdio: 'ignore' }).status === 0,
  );
}

describe('docs/quickstart.md', () => {
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'slidescore-quickstart-'));
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('curl: uploads, imports the study, saves an answer and downloads the results', () => {
    const blocks = codeBlocks(section('2. With curl'), 'sh');
    expect(blocks.length).toBeGreaterThan(3);
    const script = forThisMachine(blocks.join('\n'));
    expect(script).toContain(inject('baseUrl'));
    expect(script).toContain(inject('dataDir'));
    const run = spawnSync('bash', ['-c', script], { cwd: work, encoding: 'utf8', timeout: 60_000 });
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toMatch(/Study \d+ created/);
    expect(run.stdout).toMatch(/^\d+\topenslide-small\tyou@example\.com\tGrade\t2$/m);
  });

  it('Python: uploads with tuspy, adds answers and reads them back as JSON', async (context) => {
    const python = pythonWithModules();
    if (!python) context.skip(); // apt-get install python3-requests python3-tuspy to run it
    const [program, ...more] = codeBlocks(section('3. With Python'), 'python');
    expect(more).toEqual([]);
    await writeFile(join(work, 'quickstart', 'quickstart.py'), forThisMachine(program as string));
    const run = spawnSync(python as string, ['quickstart.py'], {
      cwd: join(work, 'quickstart'),
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    const lines = run.stdout.trim().split('\n').sort();
    expect(lines).toEqual(['openslide-small colleague@example.com Grade 3', 'openslide-small you@example.com Grade 2']);
  });
});
