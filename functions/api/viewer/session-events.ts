import { services } from '../../common/services.js';
import { apiHandler } from '../../http/api-handler.js';
import { notFound } from '../../http/errors.js';
import { success } from '../../http/replies.js';
import { studyFor } from '../../studies/study-access.js';

/**
 * GET /Api/SessionEvents (studyId, sessionId) → {"success":true,"events":["<ms>\t<x>\t<y>\t<w>\t<h>\t<cx>\t<cy>",…]}
 * (reference §3.2): the samples of one reviewing session, in the order they were taken; level-0 pixels.
 */
export const handler = apiHandler('SessionEvents', async ({ params, caller }) => {
  const study = await studyFor(caller, params.requiredInteger('studyId'));
  const sessionId = params.requiredInteger('sessionId');
  const events = await services().reviewSessions.events(study.id, sessionId);
  if (!events) throw notFound(`No session ${sessionId} in study ${study.id}`);
  return success({ events });
});
