import { log } from '../../common/log.js';
import { services } from '../../common/services.js';
import { publicHandler } from '../../http/api-handler.js';
import { HttpError } from '../../http/errors.js';
import { asHttpError } from '../../pixels/pixel-errors.js';
import { osdTileSize } from '../../slides/index.js';
import { html, jsonForScript, PAGE_HEADERS, page } from '../../web/html.js';
import { overHttps } from '../../web/page-handler.js';
import { slideFileCookie, slideFileKey } from '../../web/slide-file-links.js';
import { slideFileReader } from '../../web/slide-files.js';

/**
 * GET /SlideFile?token=: the page a GenerateSlideFileURL link opens, OpenSeadragon on the file's DeepZoom tiles
 * (/SlideFile/{key}/i_files/…, with the link token in cookie `sf` for that path only, so it is in no tile URL). A link that is not valid, or a file that cannot be shown, gives the same page
 * with a message saying why (and the status of the problem).
 */
export const handler = publicHandler('SlideFilePage', async ({ event, params }) => {
  const token = params.get('token') ?? '';
  const opened = await services().slideFileLinks.open(token);
  if (!opened.ok) return filePage(opened.ok ? 200 : 403, 'Slide file', opened.reason);
  const { link } = opened;
  const name = link.path.split('/').pop() ?? link.path;
  let reader: Awaited<ReturnType<typeof slideFileReader>>;
  try {
    reader = await slideFileReader(link);
  } catch (error) {
    const http = asHttpError(error);
    if (!(http instanceof HttpError) && (error as Error).name !== 'FileNotShown') throw error;
    const reason = http instanceof HttpError ? http.message : (error as Error).message;
    log.info('slide file not shown', { path: link.path, reason });
    const status = http instanceof HttpError ? http.statusCode : 404;
    return filePage(status, name, `This file cannot be shown: ${reason}`, link.user);
  }
  const { index } = reader;
  const width = index.levels[0]?.width ?? 0;
  const height = index.levels[0]?.height ?? 0;
  const mppX = index.mppX ?? 0;
  const mppY = index.mppY ?? 0;
  const data = {
    tiles: { filesUrl: `/SlideFile/${slideFileKey(token)}/i_files/`, width, height, tileSize: osdTileSize(index) },
    rotation: 0,
    mpp: mppX > 0 && mppY > 0 ? (mppX + mppY) / 2 : 0,
    focus: null,
    core: null,
    cores: [],
    mayAnswer: false,
    annotations: [],
  };
  return {
    statusCode: 200,
    headers: { ...PAGE_HEADERS, 'referrer-policy': 'no-referrer' },
    cookies: [slideFileCookie(token, link.expiresOn, overHttps(event))],
    body: page({
      title: name,
      bodyClass: 'viewer',
      body: html`<div class="viewer-layout">
  <section class="slide-pane">
    <div class="slide-bar"><span class="slide-name">${name}</span>${link.user ? html`<span class="who">for ${link.user}</span>` : ''}</div>
    <div id="osd" class="osd" aria-label="Slide ${name}"></div>
    <div id="scalebar" class="scalebar" hidden><div class="bar"></div><span></span></div>
  </section>
</div>
<script type="application/json" id="viewer-data">${jsonForScript(data)}</script>`,
      scripts: ['openseadragon.min.js', 'viewer.js'],
    }),
  };
});

/** The viewer page with a message instead of a slide (OpenSeadragon is still loaded, for a uniform page). */
function filePage(status: number, title: string, message: string, user?: string) {
  return {
    statusCode: status,
    headers: { ...PAGE_HEADERS, 'referrer-policy': 'no-referrer' },
    body: page({
      title,
      bodyClass: 'viewer',
      body: html`<div class="viewer-layout">
  <section class="slide-pane">
    <div class="slide-bar"><span class="slide-name">${title}</span>${user ? html`<span class="who">for ${user}</span>` : ''}</div>
    <div id="osd" class="osd"><p class="message" role="alert">${message}</p></div>
  </section>
</div>`,
      scripts: ['openseadragon.min.js'],
    }),
  };
}
