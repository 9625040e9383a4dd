import { describe, expect, it } from 'vitest';
import { call, createToken } from '../support/http-client.js';

describe('request pipeline', () => {
  it('reads parameters from a form body on GET, as the official SDK sends them', async () => {
    const token = await createToken({ name: 'form-on-get' });
    // GiveUpToken by value is POST-only; GetTokenExpiry is GET: send a GET with a body and no query.
    const reply = await call('GET', '/Api/GetTokenExpiry', { token, form: { ignored: 'yes' } });
    expect(reply.status).toBe(200);
    const created = await call('POST', '/Admin/CreateToken', {
      query: { NAME: 'from query' },
      form: { Capabilities: 'CanGetPixels' },
    });
    expect(created.json()).toMatchObject({ success: true });
  });

  it('matches paths without regard to case', async () => {
    expect((await call('GET', '/API/STUDIES')).status).toBe(200);
    expect((await call('GET', '/api/studies/')).status).toBe(200);
  });

  it('answers unknown routes with a JSON 404', async () => {
    const reply = await call('GET', '/Api/NoSuchThing');
    expect(reply.status).toBe(404);
    expect(reply.headers['content-type']).toMatch(/^application\/json/);
    expect(reply.json()).toEqual({ success: false, log: 'No such endpoint: GET /Api/NoSuchThing' });
  });

  it('answers a wrong method with 405 and Allow', async () => {
    const reply = await call('GET', '/Admin/CreateToken');
    expect(reply.status).toBe(405);
    expect(reply.headers.allow).toBe('POST');
  });

  it('refuses bodies over the route limit (4 MB unless the route says more) with 413', async () => {
    const reply = await call('POST', '/Admin/CreateToken', {
      body: Buffer.alloc(4 * 1024 * 1024 + 1, 0x61),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(reply.status).toBe(413);
    expect(reply.json()).toEqual({
      success: false,
      log: 'The request body is larger than 4 MB, the limit of /Admin/CreateToken',
    });
  });

  it('never puts a stack trace in a reply', async () => {
    const reply = await call('POST', '/Admin/CreateToken', {
      body: '--x\r\nbroken',
      headers: { 'content-type': 'multipart/form-data; boundary=x' },
    });
    expect(reply.json()).toMatchObject({ success: false });
    expect(reply.text).not.toMatch(/\n\s+at /);
    expect(reply.text).not.toContain('.ts:');
  });

  it('gives every reply a request id', async () => {
    const reply = await call('GET', '/Api/Studies');
    expect(reply.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
