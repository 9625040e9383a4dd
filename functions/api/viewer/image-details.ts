import { log } from '../../common/log.js';
import { services } from '../../common/services.js';
import { isAnnotationType } from '../../domain/questions/question-types.js';
import { badRequest, notFound } from '../../http/errors.js';
import { visibleImages, visibleQuestions } from '../../studies/study-views.js';
import { html, jsonForScript, page, query } from '../../web/html.js';
import { overHttps, pageHandler, pageReply } from '../../web/page-handler.js';
import { SAMPLE_MS } from '../../web/review-sessions.js';
import { annotationColour, renderQuestion, sheetShapes } from '../../web/scoring-sheet.js';
import { imageAnswers } from '../../web/user-answers.js';
import { displayName, imageOf, studyForUser } from '../../web/viewer-access.js';
import { slideTiles, tmaCores } from '../../web/viewer-tiles.js';

/**
 * GET /Image/Details?imageId=&studyId=[&tmaRow=&tmaCol=|&tmaSample=] (reference §3.12): the slide in
 * OpenSeadragon on our DeepZoom tiles, with a scale bar, previous and next slide, TMA core navigation, and the
 * scoring sheet with the user's saved answers (for the core, when one is chosen).
 */
export const handler = pageHandler('ImageDetails', async ({ params, session, event }) => {
  const access = await studyForUser(session, params.requiredInteger('studyId'));
  const { contents, mayAnswer } = access;
  const image = imageOf(access, params.requiredInteger('imageId'));
  const studyId = contents.study.id;
  const caller = services().viewerSessions.pixelCaller(session, [studyId]);
  const tiles = await slideTiles(caller, image, overHttps(event));
  const cores = tmaCores(contents, image, tiles).filter((c) => c.sampleId !== null);

  const sample = params.get('tmaSample');
  const rowText = params.get('tmaRow');
  const colText = params.get('tmaCol');
  if ((rowText === undefined) !== (colText === undefined)) throw badRequest('Give both tmaRow and tmaCol, or neither');
  const core =
    sample !== undefined
      ? cores.find((c) => c.sampleId === sample)
      : rowText !== undefined
        ? cores.find((c) => c.row === Number(rowText) && c.col === Number(colText))
        : undefined;
  if ((sample !== undefined || rowText !== undefined) && !core) throw notFound('No such TMA core on this slide');

  const images = visibleImages(contents).sort((a, b) => a.name.localeCompare(b.name) || a.id - b.id);
  const position = images.findIndex((i) => i.id === image.id);
  const previous = images[position - 1];
  const next = images[position + 1];
  const coreIndex = core ? cores.indexOf(core) : -1;

  const saved = new Map(
    (await imageAnswers(studyId, session.email, image.id, core ? { row: core.row, col: core.col } : undefined)).map(
      (a) => [a.questionId, a.answer],
    ),
  );
  const questions = visibleQuestions(contents).sort((a, b) => a.order - b.order);
  const annotations = questions
    .filter((q) => isAnnotationType(q.type))
    .map((q) => ({
      id: q.id,
      type: q.type,
      name: q.name,
      colour: annotationColour(q.valuesAllowed),
      shapes: sheetShapes(q, saved.get(q.id)),
    }));
  const link = (target: Record<string, string | number | undefined>) =>
    `/Image/Details${query({ studyId, ...target })}`;
  const coreLink = (c: (typeof cores)[number]) => link({ imageId: image.id, tmaRow: c.row, tmaCol: c.col });
  // A reviewing session per opening of the page (Sessions, SessionEvents); session.js sends its samples.
  const review = await services()
    .reviewSessions.open({ studyId, imageId: image.id, email: session.email, createdOn: new Date().toISOString() })
    .catch((error: Error) => {
      log.error('reviewing session not recorded', { imageId: image.id, error });
      return undefined;
    });
  const data = {
    studyId,
    session: review ? { id: review.id, sampleMs: SAMPLE_MS } : null,
    imageId: image.id,
    core: core ? { row: core.row, col: core.col, sampleId: core.sampleId } : null,
    tiles: { filesUrl: tiles.filesUrl, width: tiles.width, height: tiles.height, tileSize: tiles.tileSize },
    rotation: image.rotation,
    mpp: tiles.mppX > 0 && tiles.mppY > 0 ? (tiles.mppX + tiles.mppY) / 2 : 0,
    focus: core ? { x: core.x, y: core.y, diameter: core.diameter } : null,
    cores: cores.map((c) => ({ row: c.row, col: c.col, sampleId: c.sampleId, x: c.x, y: c.y, diameter: c.diameter })),
    mayAnswer,
    annotations,
  };

  const body = html`<div class="viewer-layout">
  <section class="slide-pane">
    <div class="slide-bar">
      <a href="/Studies/Slides${query({ studyId })}">‹ ${displayName(contents)}</a>
      <span class="slide-name">${image.name}${core ? html` · core ${core.sampleId} (row ${core.row + 1}, column ${core.col + 1})` : ''}</span>
      <span class="nav">
        ${previous ? html`<a rel="prev" href="${link({ imageId: previous.id })}">← Previous slide</a>` : html`<span class="off">← Previous slide</span>`}
        ${next ? html`<a rel="next" href="${link({ imageId: next.id })}">Next slide →</a>` : html`<span class="off">Next slide →</span>`}
      </span>
    </div>
    <div id="osd" class="osd" aria-label="Slide ${image.name}"></div>
    <div id="scalebar" class="scalebar" hidden><div class="bar"></div><span></span></div>
  </section>
  <aside class="sheet-pane">
    ${
      cores.length
        ? html`<section class="cores">
      <h2>TMA cores</h2>
      <p class="nav">
        ${coreIndex > 0 ? html`<a href="${coreLink(cores[coreIndex - 1] as (typeof cores)[number])}">← Previous core</a>` : ''}
        ${core ? html`<a href="${link({ imageId: image.id })}">Whole slide</a>` : ''}
        ${coreIndex + 1 < cores.length ? html`<a href="${coreLink(cores[coreIndex + 1] as (typeof cores)[number])}">Next core →</a>` : ''}
      </p>
      <div class="core-grid">${cores.map((c) => html`<a class="${c === core ? 'current' : ''}" href="${coreLink(c)}" title="row ${c.row + 1}, column ${c.col + 1}">${c.sampleId}</a>`)}</div>
    </section>`
        : ''
    }
    <form id="sheet" class="sheet" method="post" action="/Image/SaveAnswers">
      <h2>${core ? html`Scoring sheet · core ${core.sampleId}` : 'Scoring sheet'}</h2>
      ${mayAnswer ? '' : html`<p class="note">You may view this study but not answer.</p>`}
      ${questions.length ? questions.map((q) => renderQuestion(q, saved.get(q.id), mayAnswer)) : html`<p>This study asks no questions.</p>`}
      ${mayAnswer && questions.length ? html`<div class="actions"><button type="submit" id="save">Save answers</button> <span id="status" role="status"></span></div>` : ''}
    </form>
  </aside>
</div>
<script type="application/json" id="viewer-data">${jsonForScript(data)}</script>`;
  return pageReply(
    page({
      title: `${image.name} · ${displayName(contents)}`,
      email: session.email,
      body,
      bodyClass: 'viewer',
      scripts: ['openseadragon.min.js', 'viewer.js', 'sheet.js', 'session.js'],
    }),
    [tiles.cookie],
  );
});
