import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, inject, it } from 'vitest';
import { call } from '../support/http-client.js';

const run = promisify(execFile);

/** `npm run token -- …` against the data folder of the running test server (it uses that server's database). */
async function tokenCli(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run('node_modules/.bin/tsx', ['functions/cli/token.ts', ...args, '--data-dir', inject('dataDir')]);
}

describe('token CLI', () => {
  it('creates, lists and revokes tokens the server honours', async () => {
    const { stdout } = await tokenCli(
      'create',
      '--name',
      'cli made',
      '--capabilities',
      'CanGetResults',
      '--expires',
      '2031-05-06',
    );
    const token = stdout.trim();
    expect(token).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
    expect((await call('GET', '/Api/GetTokenExpiry', { token })).json()).toEqual({
      success: true,
      expiresOn: '2031-05-06T23:59:59.000Z',
    });

    const listing = (await tokenCli('list')).stdout;
    const line = listing.split('\n').find((l) => l.includes('cli made'));
    expect(line).toMatch(/\tCanGetResults\tall studies\texpires 2031-05-06T23:59:59.000Z\tactive$/);

    const id = line?.split('\t')[0] as string;
    await tokenCli('revoke', id);
    expect((await call('GET', '/Api/Studies', { token })).status).toBe(401);
  }, 60_000);

  it('refuses bad input with a message and a non-zero exit', async () => {
    await expect(tokenCli('create', '--name', 'x', '--capabilities', 'CanFly')).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('Unknown capability CanFly'),
    });
  }, 60_000);
});
