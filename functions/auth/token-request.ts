import { type Capability, parseCapabilities } from './capabilities.js';
import type { NewToken } from './token-service.js';

const DAY_MS = 24 * 3600 * 1000;
export const DEFAULT_TOKEN_LIFETIME_DAYS = 365;

/**
 * Reads the fields of a token request as the form, the CLI and the Slide Score "Create Token" page give them.
 * Returns the request or the reason it cannot be read.
 */
export function readTokenRequest(
  fields: { name?: string; expiresOn?: string; capabilities?: string; studies?: string },
  now: Date,
): { ok: true; request: NewToken } | { ok: false; reason: string } {
  const given = fields.expiresOn?.trim() ? fields.expiresOn : undefined;
  const expiresOn = given === undefined ? undefined : parseExpiry(given, now);
  if (given !== undefined && !expiresOn)
    return { ok: false, reason: `Unreadable expiry date "${fields.expiresOn}": use YYYY-MM-DD` };
  const { capabilities, unknown } = parseCapabilities(fields.capabilities ?? '');
  if (unknown.length > 0) return { ok: false, reason: `Unknown capability ${unknown.join(', ')}` };
  const studies = parseStudyList(fields.studies ?? '');
  if (!studies) return { ok: false, reason: `Unreadable study list "${fields.studies}": use comma-separated IDs` };
  return {
    ok: true,
    request: { name: fields.name ?? '', capabilities: capabilities as Capability[], studies, expiresOn },
  };
}

/**
 * An ISO 8601 date or date-time. A bare date means the end of that day in UTC (a token "expiring on
 * 2027-12-31" works all that day); a date-time without a zone is read as UTC. Absent: one year from now.
 */
export function parseExpiry(text: string | undefined, now: Date): Date | undefined {
  const value = text?.trim();
  if (!value) return new Date(now.getTime() + DEFAULT_TOKEN_LIFETIME_DAYS * DAY_MS);
  const match = /^(\d{4})-(\d{2})-(\d{2})(T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i.exec(value);
  if (!match || !isCalendarDate(Number(match[1]), Number(match[2]), Number(match[3]))) return undefined;
  if (!match[4]) return new Date(Date.parse(`${value}T00:00:00Z`) + DAY_MS - 1000);
  const parsed = Date.parse(match[5] ? value : `${value}Z`);
  return Number.isNaN(parsed) ? undefined : new Date(parsed);
}

/** Date.parse rolls 30 February over into March; a date must name a real day. */
function isCalendarDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** `1, 2,3` → [1, 2, 3]; empty → 'all'; anything but positive whole numbers → undefined. */
export function parseStudyList(text: string): 'all' | number[] | undefined {
  const parts = text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (parts.length === 0) return 'all';
  if (!parts.every((p) => /^\d+$/.test(p) && Number(p) > 0 && Number.isSafeInteger(Number(p)))) return undefined;
  return parts.map(Number);
}
