import { services } from '../../common/services.js';
import { publicHandler } from '../../http/api-handler.js';
import { errorPage, overHttps, redirect } from '../../web/page-handler.js';
import { sessionCookie } from '../../web/viewer-sessions.js';

/** GET /Account/LoginWithLink?token=… : the session cookie for the link's email, then the user's studies. */
export const handler = publicHandler('LoginWithLink', async ({ params, event }) => {
  const opened = await services().viewerSessions.openLink(params.get('token') ?? '');
  if (!opened.ok) return errorPage(403, `${opened.reason}. Ask the person who sent it for a new one.`);
  return redirect('/Studies', [sessionCookie(opened.cookie, opened.session.expiresOn, overHttps(event))]);
});
