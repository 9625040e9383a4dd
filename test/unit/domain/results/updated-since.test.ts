import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSince } from '../../../../functions/domain/results/updated-since.js';

const instant = (text: string) => {
  const read = parseSince(text);
  return read.ok ? read.since.toISOString() : read.reason;
};

describe('parseSince', () => {
  it.each([
    ['2024-01-01T00:00:00+01:00', '2023-12-31T23:00:00.000Z'],
    ['2024-01-01T00:00:00Z', '2024-01-01T00:00:00.000Z'],
    ['2024-01-01t10:30z', '2024-01-01T10:30:00.000Z'],
    ['2024-01-01T00:00:00.1234567-0530', '2024-01-01T05:30:00.123Z'],
    ['2024-01-01T00:00:00-02', '2024-01-01T02:00:00.000Z'],
    ['2024-02-29T12:00:00Z', '2024-02-29T12:00:00.000Z'],
    ['0050-06-01T00:00:00Z', '0050-06-01T00:00:00.000Z'],
    // An unencoded + in a query string arrives as a space.
    ['2024-01-01T00:00:00 01:00', '2023-12-31T23:00:00.000Z'],
  ])('reads %s', (text, expected) => {
    expect(instant(text)).toBe(expected);
  });

  it.each([
    [undefined, /^since is missing/],
    ['  ', /^since is missing/],
    ['2024-01-01T00:00:00', /has no time zone; use an ISO 8601 date and time with a time zone/],
    ['2024-01-01T00:00', /has no time zone/],
    ['2024-01-01', /is not readable/],
    ['yesterday', /is not readable/],
    ['1704067200', /is not readable/],
    ['2023-02-29T00:00:00Z', /is not a real date and time/],
    ['2024-13-01T00:00:00Z', /is not a real date and time/],
    ['2024-01-01T24:00:00Z', /is not a real date and time/],
    ['2024-01-01T00:00:00+25:00', /is not a real date and time/],
  ])('refuses %j', (text, reason) => {
    expect(instant(text as string)).toMatch(reason);
  });

  it('reads back every instant written with any offset', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }),
        fc.integer({ min: -14 * 60, max: 14 * 60 }),
        (date, offset) => {
          const local = new Date(date.getTime() + offset * 60_000).toISOString().slice(0, 23);
          const sign = offset < 0 ? '-' : '+';
          const zone = `${sign}${String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0')}:${String(Math.abs(offset) % 60).padStart(2, '0')}`;
          expect(instant(`${local}${zone}`)).toBe(date.toISOString());
        },
      ),
    );
  });
});
