import { describe, expect, it } from 'vitest';
import { parseCapabilities } from '../../../functions/auth/capabilities.js';
import { parseExpiry, parseStudyList, readTokenRequest } from '../../../functions/auth/token-request.js';

const now = new Date('2026-06-01T12:00:00Z');

describe('parseExpiry', () => {
  it('reads a bare date as the end of that day, UTC', () => {
    expect(parseExpiry('2027-12-31', now)?.toISOString()).toBe('2027-12-31T23:59:59.000Z');
  });
  it('reads date-times with and without a zone', () => {
    expect(parseExpiry('2027-01-02T03:04:05+02:00', now)?.toISOString()).toBe('2027-01-02T01:04:05.000Z');
    expect(parseExpiry('2027-01-02T03:04', now)?.toISOString()).toBe('2027-01-02T03:04:00.000Z');
  });
  it('defaults to one year', () => {
    expect(parseExpiry(undefined, now)?.toISOString()).toBe('2027-06-01T12:00:00.000Z');
    expect(parseExpiry('  ', now)?.toISOString()).toBe('2027-06-01T12:00:00.000Z');
  });
  it('refuses what it cannot read', () => {
    for (const text of ['tomorrow', '2027-13-45', '31/12/2027', '2027-02-30T00:00Z'])
      expect(parseExpiry(text, now)).toBeUndefined();
  });
});

describe('parseStudyList', () => {
  it('reads IDs and treats empty as all', () => {
    expect(parseStudyList(' 1, 2,3 ')).toEqual([1, 2, 3]);
    expect(parseStudyList('')).toBe('all');
    expect(parseStudyList(' , ')).toBe('all');
  });
  it('refuses anything but positive whole numbers', () => {
    for (const text of ['1,a', '-1', '0', '1.5']) expect(parseStudyList(text)).toBeUndefined();
  });
});

describe('capabilities', () => {
  it('are read case-insensitively and unknown names are reported', () => {
    expect(parseCapabilities('cangetresults, CanGetPixels,,CanFly')).toEqual({
      capabilities: ['CanGetResults', 'CanGetPixels'],
      unknown: ['CanFly'],
    });
  });
});

describe('capability "all"', () => {
  it('stands for every capability', () => {
    expect(parseCapabilities('all').capabilities).toHaveLength(10);
    expect(parseCapabilities('ALL, CanGetPixels').unknown).toEqual([]);
  });
});

describe('readTokenRequest', () => {
  it('says why a request is refused', () => {
    expect(readTokenRequest({ name: 'a', capabilities: 'CanFly' }, now)).toEqual({
      ok: false,
      reason: 'Unknown capability CanFly',
    });
    expect(readTokenRequest({ name: 'a', studies: 'x' }, now).ok).toBe(false);
    expect(readTokenRequest({ name: 'a', expiresOn: 'soon' }, now).ok).toBe(false);
  });
});
