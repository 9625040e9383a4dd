import { services } from '../../common/services.js';
import { apiHandler } from '../../http/api-handler.js';
import { success } from '../../http/replies.js';
import { studyFor } from '../../studies/study-access.js';
import { sessionReply } from '../../web/review-sessions.js';

/**
 * GET /Api/Sessions (studyId; optional imageId, email) → {"success":true,"sessions":[{id, imageID, email, length,
 * studyID, createdOn}]} (reference §3.2): the reviewing sessions the viewer recorded in the study, oldest first.
 * `length` is in seconds (opening to the last sample); `createdOn` is UTC without a zone, 7 fractional digits.
 */
export const handler = apiHandler('Sessions', async ({ params, caller }) => {
  const study = await studyFor(caller, params.requiredInteger('studyId'));
  const imageId = params.integer('imageId');
  const email = params.get('email')?.trim().toLowerCase();
  const sessions = (await services().reviewSessions.list(study.id)).filter(
    (s) => (imageId === undefined || s.imageId === imageId) && (!email || s.email.toLowerCase() === email),
  );
  return success({ sessions: sessions.map(sessionReply) });
});
