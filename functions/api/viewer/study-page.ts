import { visibleImages } from '../../studies/study-views.js';
import { html, page, query } from '../../web/html.js';
import { pageHandler, pageReply } from '../../web/page-handler.js';
import { answeredImages } from '../../web/user-answers.js';
import { displayName, studyForUser } from '../../web/viewer-access.js';

/**
 * GET /Studies/Slides?studyId=N: the study's slides, each with its name, thumbnail and whether it is answered.
 * Thumbnails come from /Studies/Thumbnail (the overview rendered on upload, else the one-tile DeepZoom level),
 * loaded lazily by the browser, so the page itself reads no slide.
 */
export const handler = pageHandler('StudyPage', async ({ params, session }) => {
  const access = await studyForUser(session, params.requiredInteger('studyId'));
  const { contents } = access;
  const images = visibleImages(contents).sort((a, b) => a.name.localeCompare(b.name) || a.id - b.id);
  const answered = await answeredImages(contents.study.id, session.email);
  const cards = images.map((image) => {
    const done = answered.has(image.id);
    const target = { imageId: image.id, studyId: contents.study.id };
    return html`<li class="slide ${done ? 'answered' : ''}">
  <a href="/Image/Details${query(target)}">
    <img src="/Studies/Thumbnail${query(target)}" alt="" loading="lazy">
    <span class="name">${image.name}</span>
  </a>
  <span class="state">${done ? '✓ answered' : 'not answered'}</span>
</li>`;
  });
  const done = images.filter((i) => answered.has(i.id)).length;
  return pageReply(
    page({
      title: displayName(contents),
      email: session.email,
      body: html`<section class="panel">
  <p class="crumbs"><a href="/Studies">My studies</a> ›</p>
  <h1>${displayName(contents)}</h1>
  <p>${done} of ${images.length} slides answered${access.mayAnswer ? '' : ' · you may view this study but not answer'}.</p>
  <ul class="slides">${cards}</ul>
</section>`,
    }),
  );
});
