import { publicHandler } from '../../http/api-handler.js';
import { html, page } from '../../web/html.js';
import { pageReply, sessionOf } from '../../web/page-handler.js';

/** GET /: a page for people (how to sign in) and for developers (the API documentation). */
export const handler = publicHandler('HomePage', async ({ event }) => {
  const session = await sessionOf(event);
  return pageReply(
    page({
      title: 'Welcome',
      email: session?.email,
      body: html`<section class="panel narrow">
  <h1>Slide Score</h1>
  ${
    session
      ? html`<p>You are signed in as <b>${session.email}</b>. <a class="button" href="/Studies">Open your studies</a></p>`
      : html`<p><b>Pathologists and scorers:</b> open the login link you were sent by email; it signs you in and shows
  your studies. Lost it? Ask the study's organiser for a new one, or <a href="/SignIn">sign in</a> with a student account.</p>`
  }
  <h2>Developers</h2>
  <p>This server speaks the Slide Score API. Try it in <a href="/swagger">Swagger UI</a>, read the
  <a href="/swagger/v1/swagger.json">OpenAPI document</a>, or the documentation in the repository's <code>docs/</code>
  folder (<code>docs/api.md</code>, <code>docs/quickstart.md</code>, <code>docs/viewer.md</code>).</p>
</section>`,
    }),
  );
});
