import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { BrowserContext, Page, Request } from 'playwright-core';
import { openSeadragonBuildDir } from '../functions/web/viewer-assets.js';
import { ApiClient } from './support/api-client.js';
import { startServer, stopServer } from './support/server-process.js';
import { startStaticServer } from './support/static-files.js';

/**
 * The viewer page in a browser: time from navigation start to OpenSeadragon's first `fully-loaded-change` on
 * /Image/Details under `npm start` (a child process on a temporary data folder), and the number and bytes of
 * tile requests to fill the view of a 1280×800 window, against the same slide in a bare page with the same
 * OpenSeadragon build and options over a static pyramid from `vips dzsave --tile-size <osdTileSize> --overlap 0`
 * served from disk by a tiny node http server, in the same run. Debian's chromium (headless, persistent profile
 * in a temporary folder, removed afterwards) with its HTTP cache off, so that every run fetches every tile.
 * Runs alternate between the two pages. The bare page's OpenSeadragon element gets the size of ours (ours shares
 * the window with the scoring sheet), so both fill the same view.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const VIPS = '/usr/bin/vips';
const RUNS = Number(process.env.VIEWER_BENCH_RUNS ?? 7);
const VIEWPORT = { width: 1280, height: 800 };
/** Our slide of choice (20000×15000, levels at /4 and /16), else the test fixture (one level). */
const SLIDES = ['synthetic-aperio.svs', 'CMU-1-Small-Region.svs'];
const USER = 'viewer-bench@example.org';

/** What one page load measured. */
interface Load {
  /** ms from navigation start to the first fully-loaded-change (fullyLoaded true) of the slide. */
  fullyLoaded: number;
  /** ms from navigation start to the end of the page's HTML response. */
  html: number;
  /** ms from navigation start to the end of the last tile response before fully-loaded. */
  lastTile: number;
  /** Tile responses finished by the time of fully-loaded (Resource Timing). */
  tilesAtLoaded: number;
  bytesAtLoaded: number;
  /** Every tile request until the page went quiet (playwright's request events), and their body bytes. */
  tiles: number;
  bytes: number;
  failed: number;
  drawer: string;
}

export async function run(): Promise<void> {
  const slide = slidePath();
  if (!slide) {
    console.log('  skipped: no slide fixture found (set SLIDES_DIR)');
    return;
  }
  if (!existsSync(CHROMIUM)) {
    console.log(`  skipped: no chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
    return;
  }
  const { chromium } = await import('playwright-core');
  const work = await mkdtemp(join(tmpdir(), 'bench-viewer-'));
  const dataDir = join(work, 'data');
  const profile = join(work, 'profile');
  const server = await startServer(dataDir);
  const api = new ApiClient(server.url, server.adminToken);
  let context: BrowserContext | undefined;
  let baseline: { url: string; close(): Promise<void> } | undefined;
  try {
    const { imageId, studyId, tileSize, width, height } = await uploadSlide(api, slide);
    console.log(
      `  ${basename(slide)} ${width}×${height}, osdTileSize ${tileSize}; chromium ${VIEWPORT.width}×${VIEWPORT.height}, cache off; ${RUNS} runs per side, alternating`,
    );
    const login = JSON.parse(
      (await api.call('POST', '/Api/GenerateLoginLink', { form: { username: USER, expiresOn: '2030-01-01' } })).text,
    ) as { success: boolean; link?: string; log?: string };
    if (!login.success || !login.link) throw new Error(`GenerateLoginLink failed: ${login.log}`);

    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: VIEWPORT,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    });
    const page = context.pages()[0] ?? (await context.newPage());
    // Room for every tile's Resource Timing entry (the default buffer holds 250).
    await page.addInitScript(() => {
      (
        globalThis as unknown as { performance: { setResourceTimingBufferSize(n: number): void } }
      ).performance.setResourceTimingBufferSize(100_000);
    });
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await page.goto(login.link);

    const oursUrl = `${server.url}/Image/Details?imageId=${imageId}&studyId=${studyId}`;
    const first = await measure(page, oursUrl); // also the size of our OpenSeadragon element
    const box = await page.locator('#osd').boundingBox();
    if (!box) throw new Error('no #osd element on /Image/Details');
    const osdSize = { width: Math.round(box.width), height: Math.round(box.height) };

    let theirs: Load[] = [];
    if (existsSync(VIPS)) {
      const pyramid = join(work, 'pyramid');
      const t0 = performance.now();
      const made = spawnSync(
        VIPS,
        [
          'dzsave',
          slide,
          join(pyramid, 'i'),
          '--tile-size',
          String(tileSize),
          '--overlap',
          '0',
          '--suffix',
          '.jpeg[Q=75]',
        ],
        { encoding: 'utf8' },
      );
      if (made.status !== 0) throw new Error(`vips dzsave failed: ${made.stderr}`);
      console.log(
        `  baseline pyramid: vips dzsave --tile-size ${tileSize} --overlap 0 --suffix .jpeg[Q=75] in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
      );
      await writeFile(join(work, 'bare.html'), barePage(width, height, tileSize, osdSize));
      baseline = await startStaticServer({
        '/osd/': openSeadragonBuildDir(),
        '/i_files/': join(pyramid, 'i_files'),
        '/bare.html': join(work, 'bare.html'),
      });
    } else {
      console.log(`  no ${VIPS} (apt-get install libvips-tools): no baseline`);
    }

    const ours: Load[] = [];
    for (let i = 0; i < RUNS; i++) {
      ours.push(await measure(page, oursUrl));
      if (baseline) theirs.push(await measure(page, `${baseline.url}/bare.html`));
    }
    theirs = theirs.filter(Boolean);

    console.log(
      `  OpenSeadragon element ${osdSize.width}×${osdSize.height} on both pages; drawer ours ${first.drawer}${theirs[0] ? `, bare ${theirs[0].drawer}` : ''}`,
    );
    console.log(
      `  first load of ours (cold server caches): ${fmt(first.fullyLoaded)} ms, ${first.tiles} tiles, ${kb(first.bytes)}`,
    );
    console.log('  per run, ms to fully-loaded (tile requests):');
    const runs = (loads: Load[]) => loads.map((l) => `${fmt(l.fullyLoaded)} (${l.tiles})`).join('  ');
    console.log(`    ours ${runs(ours)}`);
    if (theirs.length) console.log(`    bare ${runs(theirs)}`);
    console.log(
      '                          fully-loaded ms   HTML ms   last tile ms   tiles at loaded (bytes)   tiles in all (bytes)   failed',
    );
    const row = (name: string, loads: Load[]) =>
      console.log(
        `  ${name.padEnd(24)}${fmt(med(loads, (l) => l.fullyLoaded)).padStart(15)}${fmt(med(loads, (l) => l.html)).padStart(10)}${fmt(med(loads, (l) => l.lastTile)).padStart(15)}   ${`${med(loads, (l) => l.tilesAtLoaded)} (${kb(med(loads, (l) => l.bytesAtLoaded))})`.padEnd(26)}${`${med(loads, (l) => l.tiles)} (${kb(med(loads, (l) => l.bytes))})`.padEnd(23)}${med(loads, (l) => l.failed)}`,
      );
    row('ours /Image/Details', ours);
    if (theirs.length) {
      row('bare page, vips pyramid', theirs);
      const ratio = med(ours, (l) => l.fullyLoaded) / med(theirs, (l) => l.fullyLoaded);
      const same = med(ours, (l) => l.tiles) === med(theirs, (l) => l.tiles);
      const fastest = (loads: Load[]) => Math.min(...loads.map((l) => l.fullyLoaded));
      console.log(
        `  ratio ours/bare (median time to fully-loaded): ${ratio.toFixed(2)}× (target ≤ 1.5×); fastest runs ${(fastest(ours) / fastest(theirs)).toFixed(2)}×; tile requests ${same ? 'the same' : 'DIFFER'} (target: the same)`,
      );
    }
  } finally {
    await context?.close();
    await baseline?.close();
    api.close();
    await stopServer(server.child);
    await rm(work, { recursive: true, force: true });
  }
}

/** Uploads the slide the SDK's way into a new study that lists USER, and reads its size and osdTileSize. */
async function uploadSlide(
  api: ApiClient,
  slide: string,
): Promise<{ imageId: number; studyId: number; tileSize: number; width: number; height: number }> {
  const study = `viewerbench-${Date.now().toString(36)}`;
  const uploads: [string, string, Buffer][] = [
    ['', `study.${study}.emails`, Buffer.from(`${USER};canscore\n`)],
    ['', `study.${study}.scores`, Buffer.from('Grade\tDropDown\tGrade 1;;Grade 2;;Grade 3\n')],
    [study, basename(slide), await readFile(slide)],
  ];
  for (const [folder, name, bytes] of uploads) {
    const reply = await api.upload(folder, name, bytes);
    if (reply !== '"OK"') throw new Error(`upload of ${name} failed: ${reply}`);
  }
  const imported = JSON.parse((await api.call('POST', '/Api/Reimport', { form: { studyName: study } })).text) as {
    success: boolean;
    id?: number;
    log: string;
  };
  if (!imported.success || imported.id === undefined) throw new Error(`Reimport failed:\n${imported.log}`);
  const studyId = imported.id;
  const rows = JSON.parse((await api.call('GET', '/Api/Images', { form: { studyid: studyId } })).text) as {
    id: number;
  }[];
  const imageId = rows[0]?.id;
  if (imageId === undefined) throw new Error('the slide was not imported');
  // The slide is indexed in the background after its upload: ask until the metadata is there.
  for (let attempt = 0; attempt < 100; attempt++) {
    const reply = await api.call('GET', '/Api/GetImageMetadata', { form: { imageId } });
    const body = (reply.status === 200 ? JSON.parse(reply.text) : {}) as {
      success?: boolean;
      metadata?: { osdTileSize: number; level0Width: number; level0Height: number };
    };
    if (body.success && body.metadata) {
      const { osdTileSize, level0Width, level0Height } = body.metadata;
      return { imageId, studyId, tileSize: osdTileSize, width: level0Width, height: level0Height };
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('GetImageMetadata kept failing');
}

/** Opens `url` and waits for the slide's first fully-loaded-change, then for the tile requests to stop. */
async function measure(page: Page, url: string): Promise<Load> {
  const inFlight = new Set<unknown>();
  let tiles = 0;
  let bytes = 0;
  let failed = 0;
  let last = performance.now();
  const pending: Promise<void>[] = [];
  const isTile = (u: string) => u.includes('/i_files/');
  const onRequest = (request: { url(): string }) => {
    if (!isTile(request.url())) return;
    tiles++;
    inFlight.add(request);
    last = performance.now();
  };
  const onFinished = (request: Request) => {
    if (!isTile(request.url())) return;
    pending.push(
      request
        .response()
        .then((response) => response?.body())
        .then(
          (body) => {
            bytes += body?.length ?? 0;
          },
          () => {},
        ),
    );
    inFlight.delete(request);
    last = performance.now();
  };
  const onFailed = (request: { url(): string }) => {
    if (!isTile(request.url())) return;
    failed++;
    inFlight.delete(request);
    last = performance.now();
  };
  page.on('request', onRequest);
  page.on('requestfinished', onFinished);
  page.on('requestfailed', onFailed);
  try {
    await page.goto(url, { waitUntil: 'commit' });
    await page.waitForFunction(
      () =>
        (globalThis as unknown as { slideScoreTimings?: { fullyLoaded?: number } }).slideScoreTimings?.fullyLoaded !==
        undefined,
      undefined,
      { timeout: 60_000, polling: 50 },
    );
    const inPage = await page.evaluate(() => {
      const w = globalThis as unknown as {
        slideScoreTimings: { fullyLoaded: number };
        slideScoreViewer: { drawer: { getType(): string } };
        performance: {
          getEntriesByType(type: string): { name: string; responseEnd: number; encodedBodySize: number }[];
        };
      };
      const at = w.slideScoreTimings.fullyLoaded;
      const done = w.performance
        .getEntriesByType('resource')
        .filter((e) => e.name.includes('/i_files/') && e.responseEnd <= at);
      return {
        fullyLoaded: at,
        html: w.performance.getEntriesByType('navigation')[0]?.responseEnd ?? 0,
        lastTile: Math.max(0, ...done.map((e) => e.responseEnd)),
        tilesAtLoaded: done.length,
        bytesAtLoaded: done.reduce((sum, e) => sum + e.encodedBodySize, 0),
        drawer: w.slideScoreViewer.drawer.getType(),
      };
    });
    // Quiet: no tile request in flight and none for a second (OpenSeadragon may go on loading, e.g. the navigator).
    const deadline = performance.now() + 20_000;
    while ((inFlight.size > 0 || performance.now() - last < 1000) && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await Promise.all(pending);
    return { ...inPage, tiles, bytes, failed };
  } finally {
    page.off('request', onRequest);
    page.off('requestfinished', onFinished);
    page.off('requestfailed', onFailed);
  }
}

/**
 * The bare page: OpenSeadragon's npm build and the options of functions/web/assets/viewer.js (keep them in step),
 * the same DeepZoom source given inline, and the same timing hook (`window.slideScoreTimings.fullyLoaded`).
 */
function barePage(width: number, height: number, tileSize: number, osd: { width: number; height: number }): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>bare OpenSeadragon</title>
<style>body{margin:0}#osd{width:${osd.width}px;height:${osd.height}px;background:#000}</style></head>
<body><div id="osd"></div>
<script src="/osd/openseadragon.min.js"></script>
<script>
const timings = { start: performance.now() };
window.slideScoreTimings = timings;
const viewer = OpenSeadragon({
  element: document.getElementById('osd'),
  prefixUrl: '/osd/images/',
  tileSources: {
    Image: {
      xmlns: 'http://schemas.microsoft.com/deepzoom/2008',
      Url: '/i_files/',
      Format: 'jpeg',
      Overlap: '0',
      TileSize: '${tileSize}',
      Size: { Width: '${width}', Height: '${height}' },
    },
  },
  degrees: 0,
  showNavigator: true,
  navigatorPosition: 'BOTTOM_RIGHT',
  showRotationControl: false,
  maxZoomPixelRatio: 2,
  visibilityRatio: 0.5,
  gestureSettingsMouse: { clickToZoom: false, dblClickToZoom: true },
});
window.slideScoreViewer = viewer;
viewer.addHandler('open', () => {
  viewer.world.getItemAt(0).addHandler('fully-loaded-change', (event) => {
    if (event.fullyLoaded && timings.fullyLoaded === undefined) timings.fullyLoaded = performance.now();
  });
});
</script></body></html>
`;
}

function med(loads: Load[], pick: (l: Load) => number): number {
  const sorted = loads.map(pick).sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

const fmt = (ms: number) => ms.toFixed(0);
const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;

function slidePath(): string | undefined {
  const dirs = [
    process.env.SLIDES_DIR,
    '../shared/fixtures/slides',
    '../../shared/fixtures/slides',
    '/work/shared/fixtures/slides',
    'test/fixtures/slides',
  ];
  for (const file of SLIDES) {
    const dir = dirs.find((d): d is string => !!d && existsSync(`${d}/${file}`));
    if (dir) return join(dir, file);
  }
  return undefined;
}
