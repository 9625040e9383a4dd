import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { signToken, type TokenClaims, verifyToken } from '../../../functions/auth/token-codec.js';

const key = new TextEncoder().encode('k'.repeat(48));
const otherKey = new TextEncoder().encode('x'.repeat(48));
const claims: TokenClaims = {
  id: 'id-1',
  name: 'reader',
  capabilities: ['CanGetResults'],
  studies: [3, 5],
  expiresOn: new Date(Date.now() + 3600_000),
};

describe('token codec', () => {
  it('round-trips claims', async () => {
    const token = await signToken(claims, key, 'us');
    expect(token.startsWith('eyJ')).toBe(true);
    const verified = await verifyToken(token, key, 'us');
    expect(verified).toEqual({
      ok: true,
      claims: { ...claims, expiresOn: new Date(Math.floor(claims.expiresOn.getTime() / 1000) * 1000) },
    });
  });

  it('keeps "all studies" distinct from a list', async () => {
    const verified = await verifyToken(await signToken({ ...claims, studies: 'all' }, key, 'us'), key, 'us');
    expect(verified.ok && verified.claims.studies).toBe('all');
  });

  it('refuses a token signed with another key (forged)', async () => {
    expect(await verifyToken(await signToken(claims, otherKey, 'us'), key, 'us')).toEqual({
      ok: false,
      reason: 'invalid',
    });
  });

  it('refuses a token of another deployment (issuer)', async () => {
    expect(await verifyToken(await signToken(claims, key, 'them'), key, 'us')).toEqual({
      ok: false,
      reason: 'invalid',
    });
  });

  it('says when a token has expired', async () => {
    const token = await signToken({ ...claims, expiresOn: new Date(Date.now() - 1000) }, key, 'us');
    expect(await verifyToken(token, key, 'us')).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses garbage and the "none" algorithm', async () => {
    expect(await verifyToken('not a token', key, 'us')).toEqual({ ok: false, reason: 'malformed' });
    const header = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ jti: 'x', name: 'n', caps: [], studies: '*', exp: 9e9 })).toString(
      'base64url',
    );
    expect((await verifyToken(`${header}.${payload}.`, key, 'us')).ok).toBe(false);
  });

  it('refuses well-signed tokens whose claims are not ours', async () => {
    const token = await new SignJWT({ caps: ['CanFly'], studies: '*', name: 'n' })
      .setProtectedHeader({ alg: 'HS256' })
      .setJti('j')
      .setIssuer('us')
      .setExpirationTime('1h')
      .sign(key);
    expect(await verifyToken(token, key, 'us')).toEqual({ ok: false, reason: 'malformed' });
  });
});
