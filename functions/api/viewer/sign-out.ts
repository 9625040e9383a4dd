import { publicHandler } from '../../http/api-handler.js';
import { overHttps, redirect } from '../../web/page-handler.js';
import { clearedSessionCookie } from '../../web/viewer-sessions.js';

/** GET or POST /SignOut: forgets the session cookie and returns to the home page. */
export const handler = publicHandler('SignOut', async ({ event }) =>
  redirect('/', [clearedSessionCookie(overHttps(event))]),
);
