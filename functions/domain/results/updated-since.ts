/**
 * The `since` parameter of GetStudiesUpdated: an ISO 8601 date and time with a time zone (Slide Score's docs ask
 * for one), e.g. `2024-01-01T00:00:00+01:00`, `2024-01-01T00:00Z`, `2024-01-01T00:00:00.123+0100`.
 * Without a zone the instant is ambiguous, so it is refused rather than guessed.
 */

const SINCE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(Z|[+-]\d{2}(?::?\d{2})?)$/i;
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export type Since = { ok: true; since: Date } | { ok: false; reason: string };

const FORMAT_HINT = 'use an ISO 8601 date and time with a time zone, e.g. 2024-01-01T00:00:00+01:00';

export function parseSince(text: string | undefined): Since {
  const value = text?.trim() ?? '';
  if (value === '') return { ok: false, reason: `since is missing; ${FORMAT_HINT}` };
  // An unencoded `+` in a query string arrives as a space: `…T00:00:00 01:00` meant `+01:00`.
  const match = SINCE.exec(value.replace(/ (\d{2}(?::?\d{2})?)$/, '+$1'));
  if (!match) {
    const reason = /T\d{2}:\d{2}(:\d{2}([.,]\d+)?)?$/i.test(value) ? 'has no time zone' : 'is not readable';
    return { ok: false, reason: `since ${JSON.stringify(value.slice(0, 60))} ${reason}; ${FORMAT_HINT}` };
  }
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0] = match
    .slice(1, 7)
    .map((part) => Number(part ?? 0));
  const offset = zoneOffsetMinutes(match[8] ?? '');
  const valid = month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month) && hour <= 23 && minute <= 59;
  if (!valid || second > 59 || offset === undefined) {
    return {
      ok: false,
      reason: `since ${JSON.stringify(value.slice(0, 60))} is not a real date and time; ${FORMAT_HINT}`,
    };
  }
  const millis = Number((match[7] ?? '').padEnd(3, '0').slice(0, 3));
  const local = new Date(Date.UTC(year, month - 1, day, hour, minute, second, millis));
  local.setUTCFullYear(year); // Date.UTC reads years 0..99 as 1900..1999
  return { ok: true, since: new Date(local.getTime() - offset * 60_000) };
}

function daysIn(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && !leap ? 28 : (DAYS_IN_MONTH[month - 1] ?? 0);
}

function zoneOffsetMinutes(zone: string): number | undefined {
  if (zone.toUpperCase() === 'Z') return 0;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2) || '0');
  if (hours > 23 || minutes > 59) return undefined;
  return (zone.startsWith('-') ? -1 : 1) * (hours * 60 + minutes);
}
