import { createHash } from 'node:crypto';
import { decodeJwt } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, createToken, type Reply } from '../support/http-client.js';
import { createStudy, FIXTURES, fixture, uniqueStudyName, uploadAll } from '../support/studies.js';

/**
 * GenerateSlideFileURL (reference §3.6): a viewer link for one file outside any study, an upload path or (in
 * `npm start`) a file under SLIDE_FILE_DIRS, which the test runtime sets to test/fixtures/slides.
 */
const folder = uniqueStudyName('slide-file');
const SLIDE = `${folder}/loose.tiff`;
const NOT_A_SLIDE = `${folder}/notes.svs`;
let studyName: string;
let studyId: number;

beforeAll(async () => {
  await uploadAll({ [SLIDE]: fixture('slidescore-test-image.tiff'), [NOT_A_SLIDE]: fixture('not-a-slide.svs') });
  studyName = uniqueStudyName('slide-file-study');
  studyId = await createStudy(studyName, {
    [`study.${studyName}.images`]: `${studyName}/owned.tiff\n`,
    [`${studyName}/owned.tiff`]: fixture('slidescore-test-image.tiff'),
  });
});

async function generate(filename: string, user = 'viewer@example.org', token?: string) {
  const reply = await call('POST', '/Api/GenerateSlideFileURL', { form: { filename, user }, token });
  return { status: reply.status, ...reply.json<{ success: boolean; link?: string; log?: string }>() };
}

/** The page of a link, without any cookie (the link is the credential). */
const open = (link: string) => call('GET', link, { token: null, headers: { accept: 'text/html' } });

/** The tiles of a page: their base URL and the cookie the page set for them. */
function tilesOf(page: Reply): { url: string; cookie: string } {
  const url = /"filesUrl":"([^"]+)"/.exec(page.text)?.[1];
  expect(url).toMatch(/^\/SlideFile\/[\w-]{22}\/i_files\/$/);
  const cookies = ([] as string[]).concat(page.headers['set-cookie'] ?? []);
  const cookie = cookies.find((c) => c.startsWith('sf='));
  expect(cookie).toContain(`; Path=${(url as string).replace('i_files/', '')}; HttpOnly; SameSite=Lax`);
  return { url: url as string, cookie: (cookie as string).split(';')[0] as string };
}

const tile = (tiles: { url: string; cookie: string }, path: string) =>
  call('GET', `${tiles.url}${path}`, { token: null, headers: { cookie: tiles.cookie } });

describe('GenerateSlideFileURL', () => {
  it('links an upload path to a viewer page with OpenSeadragon whose tiles load', async () => {
    const made = await generate(SLIDE);
    expect(made).toMatchObject({
      success: true,
      link: expect.stringMatching(/^\/SlideFile\?token=[\w-]+\.[\w-]+\.[\w-]+$/),
    });
    const page = await open(made.link as string);
    expect(page.status).toBe(200);
    expect(page.text).toContain('openseadragon');
    expect(page.text).toContain('loose.tiff');
    expect(page.text).toContain('viewer@example.org');
    const tiles = tilesOf(page);
    const first = await tile(tiles, '0/0_0.jpeg');
    expect([first.status, first.headers['content-type']]).toEqual([200, 'image/jpeg']);
    // The token travels in the cookie only: without it, or with another link's, no tile.
    expect((await call('GET', `${tiles.url}0/0_0.jpeg`, { token: null })).status).toBe(403);
    const other = tilesOf(await open((await generate(SLIDE, 'other@example.org')).link as string));
    expect((await tile({ url: tiles.url, cookie: other.cookie }, '0/0_0.jpeg')).status).toBe(403);
  });

  it('shows a file from a directory the operator listed, and nothing outside it', async () => {
    const made = await generate(`${FIXTURES}/CMU-1-Small-Region.svs`, '');
    expect(made.success).toBe(true);
    const page = await open(made.link as string);
    expect(page.status).toBe(200);
    const top = await tile(tilesOf(page), '8/0_0.jpeg');
    expect([top.status, top.headers['content-type']]).toEqual([200, 'image/jpeg']);

    for (const outside of ['/etc/passwd', `${FIXTURES}/../../../package.json`, `${FIXTURES}-other/x.svs`]) {
      expect(await generate(outside)).toMatchObject({
        success: false,
        log: expect.stringContaining('SLIDE_FILE_DIRS'),
      });
    }
  });

  it('gives the viewer page with a clear message for a file it cannot show', async () => {
    for (const [path, words] of [
      [NOT_A_SLIDE, 'cannot be shown'],
      [`${folder}/missing.svs`, 'no uploaded file'],
      [`${FIXTURES}/empty.svs`, 'cannot be shown'],
    ] as const) {
      const made = await generate(path);
      expect(made.success).toBe(true);
      const page = await open(made.link as string);
      expect(page.status).toBeGreaterThanOrEqual(400);
      expect(page.headers['content-type']).toContain('text/html');
      expect(page.text).toContain('openseadragon');
      expect(page.text).toContain(words);
    }
  });

  it('refuses forged and withdrawn links', async () => {
    const token = await createToken({ capabilities: 'CanGetPixels' });
    const made = await generate(SLIDE, '', token);
    const link = made.link as string;
    const forged = await open(`${link.slice(0, -3)}abc`);
    expect([forged.status, forged.text.includes('not valid')]).toEqual([403, true]);
    // Unopened before: a process trusts a maker's state for up to a minute, as with login links.
    await call('POST', '/Api/GiveUpToken', { token });
    const withdrawn = await open(link);
    expect([withdrawn.status, withdrawn.text.includes('withdrawn')]).toEqual([403, true]);
    const linkToken = new URL(link, 'http://x').searchParams.get('token') as string;
    const key = createHash('sha256').update(linkToken).digest('base64url').slice(0, 22);
    const withdrawnTile = await tile({ url: `/SlideFile/${key}/i_files/`, cookie: `sf=${linkToken}` }, '0/0_0.jpeg');
    expect(withdrawnTile.status).toBe(403);
  });

  it('never outlives its maker, needs CanGetPixels, and keeps to the paths the token may name', async () => {
    const soon = new Date(Date.now() + 3 * 24 * 3600_000).toISOString().slice(0, 10);
    const short = await createToken({ capabilities: 'CanGetPixels', expiresOn: soon });
    const made = await generate(SLIDE, '', short);
    const claims = decodeJwt(new URL(made.link as string, 'http://x').searchParams.get('token') as string);
    expect((claims.exp as number) * 1000).toBeLessThanOrEqual(Date.parse(soon) + 24 * 3600_000);

    const results = await createToken({ capabilities: 'CanGetResults' });
    expect((await generate(SLIDE, '', results)).status).toBe(403);

    const other = uniqueStudyName('slide-file-other');
    const otherId = await createStudy(other, { [`study.${other}.emails`]: 'a@example.org;canscore\n' });
    const limited = await createToken({ capabilities: 'CanGetPixels', studies: String(otherId) });
    expect((await generate(`${studyName}/owned.tiff`, '', limited)).success).toBe(false);
    expect((await generate(SLIDE, '', limited)).success).toBe(true); // no study owns it
    const holder = await createToken({ capabilities: 'CanGetPixels', studies: String(studyId) });
    expect((await generate(`${studyName}/owned.tiff`, '', holder)).success).toBe(true);
    expect((await generate(SLIDE, 'not an email')).success).toBe(false);
  });
});
