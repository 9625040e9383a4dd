import { log } from '../../common/log.js';
import { services } from '../../common/services.js';
import { visibleImages } from '../../studies/study-views.js';
import { html, page, query } from '../../web/html.js';
import { overHttps, pageHandler, pageReply } from '../../web/page-handler.js';
import { answeredImages } from '../../web/user-answers.js';
import { displayName, studyForUser } from '../../web/viewer-access.js';
import { slideTiles } from '../../web/viewer-tiles.js';

/** Thumbnails drawn per page at most: each needs its slide's index (a storage read on a cold start). */
const MAX_THUMBNAILS = 200;

/** GET /Studies/Slides?studyId=N: the study's slides, each with its name, thumbnail and whether it is answered. */
export const handler = pageHandler('StudyPage', async ({ params, session, event }) => {
  const access = await studyForUser(session, params.requiredInteger('studyId'));
  const { contents } = access;
  const images = visibleImages(contents).sort((a, b) => a.name.localeCompare(b.name) || a.id - b.id);
  const answered = await answeredImages(contents.study.id, session.email);
  const caller = services().viewerSessions.pixelCaller(session, [contents.study.id]);
  const cookies: string[] = [];
  const cards = await Promise.all(
    images.map(async (image, index) => {
      let thumbnail: string | undefined;
      if (index < MAX_THUMBNAILS) {
        try {
          const tiles = await slideTiles(caller, image, overHttps(event));
          cookies.push(tiles.cookie);
          thumbnail = tiles.thumbnailUrl;
        } catch (error) {
          log.warn('no thumbnail', { imageId: image.id, error: (error as Error).message });
        }
      }
      const done = answered.has(image.id);
      return html`<li class="slide ${done ? 'answered' : ''}">
  <a href="/Image/Details${query({ imageId: image.id, studyId: contents.study.id })}">
    ${thumbnail ? html`<img src="${thumbnail}" alt="" loading="lazy">` : html`<span class="no-thumb">no preview</span>`}
    <span class="name">${image.name}</span>
  </a>
  <span class="state">${done ? '✓ answered' : 'not answered'}</span>
</li>`;
    }),
  );
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
    cookies,
  );
});
