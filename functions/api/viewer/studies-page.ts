import { visibleImages } from '../../studies/study-views.js';
import { html, page, query } from '../../web/html.js';
import { pageHandler, pageReply } from '../../web/page-handler.js';
import { answeredImages } from '../../web/user-answers.js';
import { displayName, studiesForUser } from '../../web/viewer-access.js';

/** GET /Studies: the signed-in user's studies, each with its progress (slides answered of slides). */
export const handler = pageHandler('StudiesPage', async ({ session }) => {
  const studies = await studiesForUser(session);
  const rows = await Promise.all(
    studies.map(async ({ contents, mayAnswer }) => {
      const images = visibleImages(contents);
      const answered = await answeredImages(contents.study.id, session.email);
      const done = images.filter((i) => answered.has(i.id)).length;
      const percent = images.length ? Math.round((100 * done) / images.length) : 0;
      return html`<li class="study">
  <a href="/Studies/Slides${query({ studyId: contents.study.id })}"><b>${displayName(contents)}</b></a>
  <span>${mayAnswer ? '' : html`<span class="tag">view only</span>`}</span>
  <div class="progress" title="${done} of ${images.length} slides answered"><div style="width:${percent}%"></div></div>
  <span class="count">${done} of ${images.length} slides answered</span>
</li>`;
    }),
  );
  return pageReply(
    page({
      title: 'My studies',
      email: session.email,
      body: html`<section class="panel">
  <h1>My studies</h1>
  ${rows.length ? html`<ul class="studies">${rows}</ul>` : html`<p>No study lists ${session.email} yet, or none is published. Ask the study's organiser.</p>`}
</section>`,
    }),
  );
});
