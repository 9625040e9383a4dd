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
  const expiresOn = parseExpiry(fields.expiresOn, now);
  if (!expiresOn) return { ok: false, reason: `Unreadable expiry date "${fields.expiresOn}": use YYYY-MM-DD` };
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
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const start = Date.parse(`${value}T00:00:00Z`);
    return Number.isNaN(start) ? undefined : new Date(start + DAY_MS - 1000);
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i.test(value)) return undefined;
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(value);
  const parsed = Date.parse(hasZone ? value : `${value}Z`);
  return Number.isNaN(parsed) ? undefined : new Date(parsed);
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
