import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { call } from '../support/http-client.js';
import { scoresJson } from '../support/results-client.js';
import {
  createStudy,
  FIXTURES,
  fixture,
  getJson,
  type ImageRow,
  type QuestionRow,
  uniqueStudyName,
} from '../support/studies.js';

/**
 * The viewer in a real browser (Debian's chromium driven by playwright-core, a persistent profile in a temporary
 * folder removed afterwards): a login link, the studies, tiles, answering a dropdown and a points question,
 * reload, and the answers read back through /Api/Scores. Screenshots go to docs/images/ for docs/viewer.md.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** The screenshots of docs/viewer.md are rewritten with VIEWER_SCREENSHOTS=1; otherwise they go to the temp profile. */
const DOC_IMAGES = join(import.meta.dirname, '..', '..', 'docs', 'images');
const shot = (name: string) => join(process.env.VIEWER_SCREENSHOTS ? DOC_IMAGES : profile, name);
const SCORER = 'pathologist@example.org';

/** What the page functions use of the DOM. */
interface PageDocument {
  querySelectorAll(selector: string): ArrayLike<{ complete: boolean; naturalWidth: number }>;
  getElementById(id: string): { textContent: string | null } | null;
}

let profile: string;
let context: BrowserContext;
let page: Page;
let studyId: number;
let studyName: string;
let images: ImageRow[];
let questions: QuestionRow[];

const SCORES = [
  'Grade\tDropDown\tGrade 1;;Grade 2;;Grade 3',
  'Tumour cells\tAnnoPoints\t#e6194b',
  'Tumour region\tAnnoShapes\t#3cb44b',
  'Ki-67\tPercentage',
  'Intensity\tIntensities',
  'ER status\tPositiveNegative',
  'Features\tCheckbox\tNecrosis;;Mitoses;;Inflammation',
  'Mitoses per 10 HPF\tInteger\t0;100',
  'H-score\tHScore',
  'Quality\tClickFriendly\tGood;;Fair;;Poor',
  'Notes\tFreeText',
].join('\n');

/** This test's study on the studies page (other tests' studies may list the same email). */
const ownRow = () => page.locator('.studies li', { hasText: studyName });

beforeAll(async () => {
  const name = uniqueStudyName('viewer');
  studyName = name;
  studyId = await createStudy(name, {
    [`study.${name}.emails`]: `${SCORER};canscore\nlooker@example.org;viewonly\n`,
    [`study.${name}.scores`]: `${SCORES}\n`,
    [`${name}/CMU-1-Small-Region.svs`]: fixture('CMU-1-Small-Region.svs'),
    [`${name}/test-image.tiff`]: fixture('slidescore-test-image.tiff'),
  });
  images = await getJson<ImageRow[]>('/Api/Images', { studyid: studyId });
  questions = await getJson<QuestionRow[]>('/Api/Questions', { studyid: studyId });
  profile = mkdtempSync(join(tmpdir(), 'viewer-browser-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  page = context.pages()[0] ?? (await context.newPage());
}, 120_000);

afterAll(async () => {
  await context?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

async function loginLink(email: string): Promise<string> {
  const reply = await call('POST', '/Api/GenerateLoginLink', { form: { username: email, expiresOn: '2030-01-01' } });
  const body = reply.json<{ success: boolean; link: string; log?: string }>();
  if (!body.success) throw new Error(body.log);
  return body.link;
}

describe('the viewer in a browser', () => {
  it('shows the home page with sign-in hints and developer links', async () => {
    await page.goto(inject('baseUrl'));
    expect(await page.locator('h1').textContent()).toBe('Slide Score');
    expect(await page.locator('a[href="/swagger"]').count()).toBe(1);
    await page.screenshot({ path: shot('viewer-home.png') });
  });

  it('signs in with a login link and lists the study with its progress', async () => {
    await page.goto(await loginLink(SCORER));
    expect(new URL(page.url()).pathname).toBe('/Studies');
    expect(await ownRow().locator('.count').textContent()).toBe('0 of 2 slides answered');
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === 'ss_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    await page.screenshot({ path: shot('viewer-studies.png') });
  });

  it("shows the study's slides with thumbnails", async () => {
    await ownRow().locator('a').click();
    expect(await page.locator('.slides li').count()).toBe(2);
    // Runs in the page (serialized; this file is type-checked without the DOM library, hence the cast).
    await page.waitForFunction(() => {
      const doc = (globalThis as unknown as { document: PageDocument }).document;
      return Array.from(doc.querySelectorAll('.slides img')).every((i) => i.complete && i.naturalWidth > 0);
    });
    await page.screenshot({ path: shot('viewer-study.png') });
  });

  it('opens a slide, loads its tiles, and saves a dropdown and a points answer that survive a reload', async () => {
    const image = images.find((i) => i.name === 'CMU-1-Small-Region') as ImageRow;
    const tiles: string[] = [];
    page.on('response', (r) => {
      if (r.url().includes('/i_files/') && r.status() === 200) tiles.push(r.url());
    });
    await page.goto(`${inject('baseUrl')}/Image/Details?imageId=${image.id}&studyId=${studyId}`);
    await page.waitForSelector('body[data-tiles-loaded="true"]', { timeout: 30_000 });
    expect(tiles.length).toBeGreaterThan(0);
    expect(await page.locator('#scalebar').isVisible()).toBe(true);

    await page.selectOption('select[name^="q"]', 'Grade 2');
    const points = page.locator('.anno[data-kind="AnnoPoints"]');
    await points.locator('.tool').click();
    const box = (await page.locator('#osd').boundingBox()) as { x: number; y: number; width: number; height: number };
    await page.mouse.click(box.x + box.width * 0.4, box.y + box.height * 0.4);
    await page.mouse.click(box.x + box.width * 0.6, box.y + box.height * 0.5);
    expect(await points.locator('.anno-count').textContent()).toBe('2 points');
    await page.click('#save');
    await page.waitForFunction(
      () =>
        (globalThis as unknown as { document: PageDocument }).document.getElementById('status')?.textContent ===
        'Saved',
      undefined,
      { timeout: 10_000 },
    );
    await page.screenshot({ path: shot('viewer-image-details.png') });

    await page.reload();
    await page.waitForSelector('body[data-tiles-loaded="true"]', { timeout: 30_000 });
    expect(await page.locator('select[name^="q"]').inputValue()).toBe('Grade 2');
    expect(await page.locator('.anno[data-kind="AnnoPoints"] .anno-count').textContent()).toBe('2 points');
    expect(await page.locator('svg.drawing circle').count()).toBeGreaterThanOrEqual(2);

    const scores = (await scoresJson(studyId)).filter((s) => s.user === SCORER);
    const grade = questions.find((q) => q.name === 'Grade') as QuestionRow;
    const cells = questions.find((q) => q.name === 'Tumour cells') as QuestionRow;
    const byQuestion = new Map(scores.map((s) => [s.question, s]));
    expect(byQuestion.get(grade.name)).toMatchObject({ imageID: image.id, answer: 'Grade 2' });
    const answer = JSON.parse(String(byQuestion.get(cells.name)?.answer)) as { x: number; y: number }[];
    expect(answer).toHaveLength(2);
    for (const point of answer) {
      expect(Object.keys(point).sort()).toEqual(['x', 'y']);
      expect(point.x).toBeGreaterThan(0);
      expect(point.x).toBeLessThan(2220);
    }
  }, 90_000);

  it('records opening the slide as a reviewing session that Sessions lists, with its samples', async () => {
    const image = images.find((i) => i.name === 'CMU-1-Small-Region') as ImageRow;
    const box = (await page.locator('#osd').boundingBox()) as { x: number; y: number; width: number; height: number };
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    // Leaving the page sends the last sample (pagehide → navigator.sendBeacon).
    await page.goto(`${inject('baseUrl')}/Studies`);
    const sessions = async () =>
      (await getJson<{ sessions: { id: number; imageID: number; email: string }[] }>('/Api/Sessions', { studyId }))
        .sessions;
    const mine = (await sessions()).filter((s) => s.imageID === image.id && s.email === SCORER);
    expect(mine.length).toBeGreaterThanOrEqual(2); // opened, then reloaded
    const last = mine[mine.length - 1] as { id: number };
    let events: string[] = [];
    for (let i = 0; i < 40 && events.length === 0; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 250));
      events = (await getJson<{ events: string[] }>('/Api/SessionEvents', { studyId, sessionId: last.id })).events;
    }
    expect(events[0]?.split('\t')).toHaveLength(7);
  });

  it('counts the answered slide on the studies page', async () => {
    await page.goto(`${inject('baseUrl')}/Studies`);
    expect(await ownRow().locator('.count').textContent()).toBe('1 of 2 slides answered');
  });

  it('opens a GenerateSlideFileURL link on its own viewer page', async () => {
    const made = await call('POST', '/Api/GenerateSlideFileURL', {
      form: { filename: `${FIXTURES}/CMU-1-Small-Region.svs`, user: SCORER },
    });
    await page.goto(`${inject('baseUrl')}${made.json<{ link: string }>().link}`);
    await page.waitForSelector('body[data-tiles-loaded="true"]', { timeout: 30_000 });
    expect(await page.locator('.slide-bar').textContent()).toContain(SCORER);
  });

  it('signs out', async () => {
    await page.goto(`${inject('baseUrl')}/SignOut`);
    await page.goto(`${inject('baseUrl')}/Studies`);
    expect(new URL(page.url()).pathname).toBe('/SignIn');
  });
});
