/**
 * Reviewing sessions (reference §3.2, Sessions and SessionEvents): the viewer opens one each time a person
 * opens a slide on /Image/Details, and its page script sends the viewport and cursor every few seconds, and
 * once more when the page is left (docs/viewer.md, "Reviewing sessions").
 */
export interface ReviewSession {
  id: number;
  studyId: number;
  imageId: number;
  email: string;
  /** ISO 8601 UTC. */
  createdOn: string;
  /** The last beacon (or createdOn). */
  lastOn: string;
  /** When the page was left, if the browser said so. */
  closedOn?: string;
  eventCount: number;
}

/** One sample: time (ms since 1970), the viewport and the cursor, in level-0 pixels. */
export interface SessionEvent {
  t: number;
  x: number;
  y: number;
  w: number;
  h: number;
  cx: number;
  cy: number;
}

/** At one sample per 5 s, about 80 minutes of viewing; later samples are dropped (the session still ends). */
export const MAX_EVENTS_PER_SESSION = 1000;
/** Samples one beacon may carry. */
export const MAX_EVENTS_PER_BEACON = 100;
/** How often the page samples, in ms. */
export const SAMPLE_MS = 5000;

export interface ReviewSessionStore {
  open(session: Omit<ReviewSession, 'id' | 'lastOn' | 'eventCount'>): Promise<ReviewSession>;
  get(studyId: number, id: number): Promise<ReviewSession | undefined>;
  /** Adds events (false when the session is full and they were dropped); `closed` marks the session ended. */
  record(studyId: number, id: number, events: readonly SessionEvent[], at: string, closed: boolean): Promise<boolean>;
  list(studyId: number): Promise<ReviewSession[]>;
  events(studyId: number, id: number): Promise<string[] | undefined>;
}

/** The reference's event string: timestamp, viewport x, y, width, height, cursor x, y, tab-separated integers. */
export function eventString(event: SessionEvent): string {
  return [event.t, event.x, event.y, event.w, event.h, event.cx, event.cy].map((n) => String(Math.round(n))).join('\t');
}

const LIMIT = 1e15;

/** The events of a beacon body (arrays of 7 finite numbers), or the reason they are not. */
export function parseEvents(value: unknown): { ok: true; events: SessionEvent[] } | { ok: false; reason: string } {
  if (!Array.isArray(value)) return { ok: false, reason: 'events must be an array' };
  if (value.length > MAX_EVENTS_PER_BEACON) {
    return { ok: false, reason: `at most ${MAX_EVENTS_PER_BEACON} events per request` };
  }
  const events: SessionEvent[] = [];
  for (const item of value) {
    if (
      !Array.isArray(item) ||
      item.length !== 7 ||
      !item.every((n) => typeof n === 'number' && Number.isFinite(n) && Math.abs(n) < LIMIT)
    ) {
      return { ok: false, reason: 'each event must be [time, x, y, width, height, cursorX, cursorY]' };
    }
    const [t, x, y, w, h, cx, cy] = item as number[];
    events.push({ t, x, y, w, h, cx, cy } as SessionEvent);
  }
  return { ok: true, events };
}

/** The reference's `createdOn`: no time zone, 7 fractional digits (UTC). */
export function referenceDate(iso: string): string {
  return `${iso.slice(0, 19)}.${iso.slice(20, 23).padEnd(7, '0')}`;
}

/** A session as Sessions lists it; `length` is in whole seconds from opening to the last beacon. */
export function sessionReply(session: ReviewSession) {
  const length = Math.max(0, Math.round((Date.parse(session.lastOn) - Date.parse(session.createdOn)) / 1000));
  return {
    id: session.id,
    imageID: session.imageId,
    email: session.email,
    length,
    studyID: session.studyId,
    createdOn: referenceDate(session.createdOn),
  };
}
