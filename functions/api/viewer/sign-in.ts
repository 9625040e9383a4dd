import { services } from '../../common/services.js';
import { publicHandler } from '../../http/api-handler.js';
import { verifyStudentPassword } from '../../users/student-accounts.js';
import { html, page, type SafeHtml } from '../../web/html.js';
import { overHttps, pageReply, redirect, sessionOf } from '../../web/page-handler.js';
import { sessionCookie } from '../../web/viewer-sessions.js';

/** Only a path of this site: never `//host` or a scheme, so the form cannot send people elsewhere. */
function safeReturn(url: string | undefined): string {
  return url && /^\/(?![/\\])/.test(url) ? url : '/Studies';
}

/**
 * GET /SignIn: how to sign in (a login link, or an email and password for student accounts). POST checks the
 * password with the student accounts module and starts a session.
 */
export const handler = publicHandler('SignIn', async ({ event, params }) => {
  const returnUrl = safeReturn(params.get('returnUrl'));
  if (event.requestContext?.http?.method === 'POST') {
    const email = (params.get('email') ?? '').trim();
    const password = params.get('password') ?? '';
    const account = email && password ? await verifyStudentPassword(email, password) : undefined;
    if (account) {
      const started = await services().viewerSessions.startPasswordSession(account.username, account.studyId);
      return redirect(returnUrl, [sessionCookie(started.cookie, started.session.expiresOn, overHttps(event))]);
    }
    return pageReply(
      signInPage(returnUrl, email, html`<p class="error" role="alert">That email and password do not match.</p>`),
    );
  }
  const session = await sessionOf(event);
  return pageReply(signInPage(returnUrl, '', undefined, session?.email));
});

function signInPage(returnUrl: string, email: string, message?: SafeHtml, signedInAs?: string): string {
  return page({
    title: 'Sign in',
    email: signedInAs,
    body: html`<section class="panel narrow">
  <h1>Sign in</h1>
  ${signedInAs ? html`<p>You are signed in as <b>${signedInAs}</b>. <a href="/Studies">Go to your studies</a>.</p>` : ''}
  <p>Most people sign in with the <b>login link</b> their study's organiser sent them: open the link and you are in.
  Links stop working on the date they were made for; ask the organiser for a new one.</p>
  <h2>Student account</h2>
  ${message}
  <form method="post" action="/SignIn">
    <input type="hidden" name="returnUrl" value="${returnUrl}">
    <label>Email or account name <input name="email" autocomplete="username" value="${email}" required></label>
    <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
    <button type="submit">Sign in</button>
  </form>
</section>`,
  });
}
