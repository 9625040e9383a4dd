import { describe, expect, it } from 'vitest';
import { call, createToken } from '../support/http-client.js';

describe('authentication', () => {
  it('lets a valid token list studies (a token limited to a study that does not exist sees none)', async () => {
    expect((await call('GET', '/Api/Studies')).status).toBe(200);
    const reply = await call('GET', '/Api/Studies', { token: await createToken({ studies: '987654321' }) });
    expect(reply.status).toBe(200);
    expect(reply.text).toBe('[]');
  });

  it('answers 401 without a token, with a malformed one and with a forged one', async () => {
    const forged = (await createToken({})).replace(/.{6}$/, 'AAAAAA');
    for (const token of [null, 'garbage', forged]) {
      const reply = await call('GET', '/Api/Studies', { token });
      expect(reply.status).toBe(401);
      expect(reply.json()).toMatchObject({ success: false });
      expect(reply.headers['www-authenticate']).toBe('Bearer realm="slidescore"');
    }
  });

  it('answers 401 for an expired token', async () => {
    // A token cannot be created already expired, so sign one with this deployment's key in the past.
    const { signToken } = await import('../../functions/auth/token-codec.js');
    const { readFile } = await import('node:fs/promises');
    const { inject } = await import('vitest');
    const key = new TextEncoder().encode((await readFile(`${inject('dataDir')}/signing-key`, 'utf8')).trim());
    const expired = await signToken(
      { id: 'gone', name: 'old', capabilities: [], studies: 'all', expiresOn: new Date(Date.now() - 60_000) },
      key,
      'slidescore-local',
    );
    const reply = await call('GET', '/Api/Studies', { token: expired });
    expect(reply.status).toBe(401);
    expect(reply.json()).toEqual({ success: false, log: 'The API token has expired' });
  });

  it('answers 403 when the token lacks the capability', async () => {
    const reader = await createToken({ capabilities: 'CanGetResults' });
    const reply = await call('POST', '/Admin/CreateToken', { token: reader, form: { name: 'x' } });
    expect(reply.status).toBe(403);
    expect(reply.json()).toEqual({ success: false, log: 'This API token lacks the CanManageTokens capability' });
  });
});

describe('POST /Admin/CreateToken', () => {
  it('creates a working token with the given rights', async () => {
    const reply = await call('POST', '/Admin/CreateToken', {
      form: { name: 'pipeline', expiresOn: '2030-01-31', capabilities: 'CanGetResults,cangetpixels', studies: '4, 2' },
    });
    const body = reply.json<{ success: boolean; token: string; expiresOn: string }>();
    expect(body.success).toBe(true);
    expect(body.expiresOn).toBe('2030-01-31T23:59:59.000Z');
    const expiry = await call('GET', '/Api/GetTokenExpiry', { token: body.token });
    expect(expiry.json()).toEqual({ success: true, expiresOn: '2030-01-31T23:59:59.000Z' });
    const listed = await call('GET', '/Admin/Tokens');
    const record = listed
      .json<{ tokens: { name: string; capabilities: string[]; studies: unknown }[] }>()
      .tokens.find((t) => t.name === 'pipeline');
    expect(record).toMatchObject({ capabilities: ['CanGetResults', 'CanGetPixels'], studies: [2, 4] });
  });

  it('refuses bad fields with success:false and a reason', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ name: 'a', capabilities: 'CanFly' }, 'Unknown capability CanFly'],
      [{ name: 'a', expiresOn: '2001-01-01' }, "The token's expiry date must be in the future"],
      [{ name: 'a', studies: 'one' }, 'Unreadable study list "one": use comma-separated IDs'],
    ];
    for (const [form, log] of cases) {
      const reply = await call('POST', '/Admin/CreateToken', { form });
      expect(reply.status).toBe(200);
      expect(reply.json()).toEqual({ success: false, log });
    }
    const missing = await call('POST', '/Admin/CreateToken', { form: {} });
    expect(missing.status).toBe(200);
    expect(missing.text).toBe('{"success":false,"log":"Missing parameter name"}');
  });

  it('never grants more than the calling token holds', async () => {
    const limited = await createToken({ capabilities: 'CanManageTokens,CanGetResults', studies: '7' });
    const broader = [
      { name: 'b', capabilities: 'CanUpload', studies: '7' },
      { name: 'b', capabilities: 'CanGetResults', studies: '' },
      { name: 'b', capabilities: 'CanGetResults', studies: '7,8' },
    ];
    for (const form of broader) {
      const reply = await call('POST', '/Admin/CreateToken', { token: limited, form });
      expect(reply.json()).toMatchObject({ success: false });
    }
    const narrower = await call('POST', '/Admin/CreateToken', {
      token: limited,
      form: { name: 'c', capabilities: 'CanGetResults', studies: '7' },
    });
    expect(narrower.json()).toMatchObject({ success: true });
  });
});

describe('giving up a token', () => {
  it('POST /Api/GiveUpToken revokes the bearer token at once', async () => {
    const token = await createToken({});
    const reply = await call('POST', '/Api/GiveUpToken', { token });
    expect(reply.json()).toEqual({ success: true });
    expect((await call('GET', '/Api/Studies', { token })).status).toBe(401);
    expect((await call('GET', '/Api/Studies', { token })).json()).toEqual({
      success: false,
      log: 'The API token has been given up',
    });
  });

  it('POST /Admin/GiveupToken revokes the token sent as a form field, without a bearer', async () => {
    const token = await createToken({});
    const reply = await call('POST', '/admin/giveuptoken', { token: null, form: { token } });
    expect(reply.json()).toEqual({ success: true });
    expect((await call('GET', '/Api/Studies', { token })).status).toBe(401);
  });

  it('POST /Admin/GiveupToken refuses a text that is not our token', async () => {
    const reply = await call('POST', '/Admin/GiveupToken', { token: null, form: { token: 'eyJnope' } });
    expect(reply.status).toBe(401);
  });
});
