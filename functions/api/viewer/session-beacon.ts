import { services } from '../../common/services.js';
import { badRequest, notFound } from '../../http/errors.js';
import { success } from '../../http/replies.js';
import { pageHandler } from '../../web/page-handler.js';
import { parseEvents } from '../../web/review-sessions.js';
import { studyForUser } from '../../web/viewer-access.js';

/**
 * POST /Image/SessionBeacon (form: studyId, sessionId, events = JSON [[ms, x, y, w, h, cursorX, cursorY], …],
 * closed = "1" when the page is being left) → {"success":true,"stored":bool}: the viewer page's samples of its
 * reviewing session (navigator.sendBeacon). Only the session's own person may add to it; once it holds
 * MAX_EVENTS_PER_SESSION samples, more are dropped (stored: false) but its length still grows.
 */
export const handler = pageHandler('SessionBeacon', async ({ params, session }) => {
  const access = await studyForUser(session, params.requiredInteger('studyId'));
  const studyId = access.contents.study.id;
  const sessionId = params.requiredInteger('sessionId');
  const store = services().reviewSessions;
  const review = await store.get(studyId, sessionId);
  if (!review || review.email.toLowerCase() !== session.email.toLowerCase()) {
    throw notFound(`No session ${sessionId}`);
  }
  let given: unknown;
  try {
    given = JSON.parse(params.get('events') ?? '[]');
  } catch {
    throw badRequest('events must be JSON');
  }
  const parsed = parseEvents(given);
  if (!parsed.ok) throw badRequest(parsed.reason);
  const closed = params.get('closed') === '1' || params.get('closed') === 'true';
  const stored = await store.record(studyId, sessionId, parsed.events, new Date().toISOString(), closed);
  return success({ stored });
});
