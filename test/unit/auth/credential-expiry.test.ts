import { describe, expect, it } from 'vitest';
import { credentialExpiry } from '../../../functions/auth/credential-expiry.js';

const now = new Date('2027-01-01T00:00:00Z');
const maker = new Date('2027-03-01T00:00:00Z');
const YEAR = 365 * 24 * 3600 * 1000;

describe('credentialExpiry', () => {
  it('cuts the default lifetime to the maker', () => {
    expect(credentialExpiry({ what: 'token', defaultLifetimeMs: YEAR, makerExpiresOn: maker, now })).toEqual({
      ok: true,
      expiresOn: maker,
    });
    expect(credentialExpiry({ what: 'token', defaultLifetimeMs: 3600_000, makerExpiresOn: maker, now })).toEqual({
      ok: true,
      expiresOn: new Date('2027-01-01T01:00:00Z'),
    });
  });

  it('refuses an explicit date after the maker or in the past, and keeps one before', () => {
    const later = credentialExpiry({
      what: 'login link',
      requested: new Date('2027-03-02T00:00:00Z'),
      defaultLifetimeMs: YEAR,
      makerExpiresOn: maker,
      now,
    });
    expect(later).toEqual({
      ok: false,
      reason: 'The login link cannot expire after the API token that makes it (2027-03-01T00:00:00.000Z)',
    });
    const past = credentialExpiry({ what: 'token', requested: new Date(0), defaultLifetimeMs: YEAR, now });
    expect(past).toMatchObject({ ok: false });
    const before = new Date('2027-02-01T00:00:00Z');
    expect(
      credentialExpiry({ what: 'token', requested: before, defaultLifetimeMs: YEAR, makerExpiresOn: maker, now }),
    ).toEqual({ ok: true, expiresOn: before });
  });

  it('lets the operator (no maker) choose any future date', () => {
    const far = new Date('2040-01-01T00:00:00Z');
    expect(credentialExpiry({ what: 'token', requested: far, defaultLifetimeMs: YEAR, now })).toEqual({
      ok: true,
      expiresOn: far,
    });
  });
});
