import { DeleteObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { renditionKey } from '../../functions/pixels/slide-renditions.js';
import { call, createToken } from '../support/http-client.js';
import { testStores } from '../support/stores.js';
import { createStudy, fixture, getJson, type ImageRow, type QuestionRow, uniqueStudyName } from '../support/studies.js';

/** Login links, sessions and rights of the web viewer, over HTTP (the browser test drives the pages themselves). */
let open: number;
let other: number;
let hidden: number;
let image: ImageRow;
let question: QuestionRow;
const SCORER = 'scorer@example.org';
const LOOKER = 'looker@example.org';

beforeAll(async () => {
  const a = uniqueStudyName('viewer-open');
  const b = uniqueStudyName('viewer-other');
  const c = uniqueStudyName('viewer-hidden');
  open = await createStudy(a, {
    [`study.${a}.emails`]: `${SCORER};canscore\n${LOOKER};viewonly\n`,
    [`study.${a}.scores`]: 'Grade\tDropDown\tLow;;High\n',
    [`study.${a}.images`]: `${a}/one.tiff;;;<img src=x onerror=alert(1)> & co\n`,
    [`${a}/one.tiff`]: fixture('slidescore-test-image.tiff'),
  });
  other = await createStudy(b, { [`study.${b}.emails`]: `${SCORER};canscore\n` });
  hidden = await createStudy(c, {
    [`study.${c}.emails`]: `${SCORER};canscore\n`,
    [`study.${c}.config`]: 'published: false\n',
  });
  image = (await getJson<ImageRow[]>('/Api/Images', { studyid: open }))[0] as ImageRow;
  question = (await getJson<QuestionRow[]>('/Api/Questions', { studyid: open }))[0] as QuestionRow;
});

async function generate(username: string, expiresOn = '2030-01-01', token?: string) {
  const reply = await call('POST', '/Api/GenerateLoginLink', { form: { username, expiresOn }, token });
  return reply.json<{ success: boolean; link?: string; log?: string }>();
}

/** Opens a link; returns the session cookie ("name=value"). */
async function signIn(link: string): Promise<string> {
  const url = new URL(link);
  const reply = await call('GET', url.pathname + url.search, { token: null });
  expect(reply.status).toBe(302);
  expect(reply.headers.location).toBe('/Studies');
  const setCookie = ([] as string[]).concat(reply.headers['set-cookie'] ?? []);
  const session = setCookie.find((c) => c.startsWith('ss_session='));
  expect(session).toMatch(/; HttpOnly; SameSite=Lax; Expires=/);
  expect(session).not.toMatch(/Secure/); // plain HTTP on localhost
  return (session as string).split(';')[0] as string;
}

const page = (path: string, cookie: string) =>
  call('GET', path, { token: null, headers: { cookie, accept: 'text/html' } });

describe('login links', () => {
  it('are made for users of a study the token reaches, and refused for anyone else', async () => {
    expect(await generate(SCORER)).toMatchObject({
      success: true,
      link: expect.stringContaining('/Account/LoginWithLink?token='),
    });
    expect(await generate('nobody@example.org')).toMatchObject({
      success: false,
      log: expect.stringContaining('not a user'),
    });
    expect((await generate('not an email')).success).toBe(false);
  });

  it('never outlive the token that makes them', async () => {
    const token = await createToken({ capabilities: 'CanManageStudies', expiresOn: '2029-01-01' });
    const refused = await generate(SCORER, '2029-06-01', token);
    expect(refused).toMatchObject({ success: false, log: expect.stringContaining('cannot expire after') });
    expect((await generate(SCORER, '2028-12-01', token)).success).toBe(true);
  });

  it('from a study-limited token reach only its studies', async () => {
    const token = await createToken({ capabilities: 'CanManageStudies', studies: String(other) });
    expect((await generate(LOOKER, '2027-06-01', token)).success).toBe(false); // not a user of `other`
    const link = await generate(SCORER, '2027-06-01', token);
    const cookie = await signIn(link.link as string);
    const studies = await page('/Studies', cookie);
    expect(studies.text).toContain(`studyId=${other}`);
    expect(studies.text).not.toContain(`studyId=${open}`);
    expect((await page(`/Studies/Slides?studyId=${open}`, cookie)).status).toBe(404);
  });

  it('stop working when their token is given up', async () => {
    const token = await createToken({ capabilities: 'CanManageStudies' });
    const link = (await generate(SCORER, '2027-06-01', token)).link as string;
    await call('POST', '/Api/GiveUpToken', { token });
    const url = new URL(link);
    const reply = await call('GET', url.pathname + url.search, { token: null });
    expect(reply.status).toBe(403);
    expect(reply.text).toContain('withdrawn');
  });
});

describe('sessions', () => {
  it('show published studies that list the user, escaping user data', async () => {
    const cookie = await signIn((await generate(SCORER)).link as string);
    const studies = await page('/Studies', cookie);
    expect(studies.text).toContain(`studyId=${open}`);
    expect(studies.text).not.toContain(`studyId=${hidden}`);
    const slides = await page(`/Studies/Slides?studyId=${open}`, cookie);
    expect(slides.text).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; co');
    expect(slides.text).not.toContain('<img src=x');
    expect(slides.headers['content-security-policy']).toContain("script-src 'self'");
  });

  it('send people without a session to the sign-in page, and refuse forged cookies', async () => {
    const reply = await page(`/Image/Details?imageId=${image.id}&studyId=${open}`, 'ss_session=forged');
    expect(reply.status).toBe(302);
    expect(reply.headers.location).toBe(
      `/SignIn?returnUrl=${encodeURIComponent(`/Image/Details?imageId=${image.id}&studyId=${open}`)}`,
    );
  });

  it('save answers for scorers and not for view-only users', async () => {
    const form = { studyId: open, imageId: image.id, answers: JSON.stringify({ [question.id]: 'high' }) };
    const scorer = await signIn((await generate(SCORER)).link as string);
    const saved = await call('POST', '/Image/SaveAnswers', { token: null, form, headers: { cookie: scorer } });
    expect(saved.json()).toMatchObject({ success: true, saved: { created: 1 } });
    const looker = await signIn((await generate(LOOKER)).link as string);
    const refused = await call('POST', '/Image/SaveAnswers', { token: null, form, headers: { cookie: looker } });
    expect(refused.status).toBe(403);
    const foreign = await call('POST', '/Image/SaveAnswers', {
      token: null,
      form,
      headers: { cookie: scorer, origin: 'https://evil.example' },
    });
    expect(foreign.status).toBe(403);
    const scores = await getJson<{ user: string; answer: string }[]>('/Api/Scores', { studyid: open });
    expect(scores.filter((s) => s.user === SCORER).map((s) => s.answer)).toEqual(['High']);
  });

  it('a student account signs in with its password, reaches its own study only, and loads tiles', async () => {
    const username = `student-${Date.now()}@v`;
    const generated = await call('POST', '/Api/GenerateStudentAccount', { form: { username, classId: open } });
    const { password } = generated.json<{ password: string }>();
    const signedIn = await call('POST', '/SignIn', { token: null, form: { email: username, password } });
    expect(signedIn.status).toBe(302);
    const cookie = ([] as string[])
      .concat(signedIn.headers['set-cookie'] ?? [])
      .find((c) => c.startsWith('ss_session='))
      ?.split(';')[0] as string;
    expect(cookie).toBeTruthy();
    const studies = await page('/Studies', cookie);
    expect(studies.text).toContain(`/Studies/Slides?studyId=${open}`);
    expect(studies.text).not.toContain(`/Studies/Slides?studyId=${other}`);
    const slides = await page(`/Studies/Slides?studyId=${open}`, cookie);
    expect(slides.status).toBe(200);
    const details = await page(`/Image/Details?imageId=${image.id}&studyId=${open}`, cookie);
    const tilesUrl = /"filesUrl":"([^"]+)"/.exec(details.text)?.[1] as string;
    const tileCookie = ([] as string[])
      .concat(details.headers['set-cookie'] ?? [])
      .map((c) => c.split(';')[0])
      .join('; ');
    const tile = await call('GET', `${tilesUrl}0/0_0.jpeg`, { token: null, headers: { cookie: tileCookie } });
    expect([tile.status, tile.headers['content-type']]).toEqual([200, 'image/jpeg']);
  });

  it('the sign-in form refuses a wrong password (student accounts)', async () => {
    const reply = await call('POST', '/SignIn', { token: null, form: { email: SCORER, password: 'guess' } });
    expect(reply.status).toBe(200);
    expect(reply.text).toContain('do not match');
  });
});

describe('slide list thumbnails', () => {
  /** The thumbnail of a slide list, following its redirect to a DeepZoom tile when there is no overview yet. */
  async function thumbnail(cookie: string, studyId: number, imageId: number) {
    const reply = await page(`/Studies/Thumbnail?studyId=${studyId}&imageId=${imageId}`, cookie);
    if (reply.status !== 302) return { reply, source: reply.headers['x-thumbnail-source'] };
    const tileCookie = ([] as string[])
      .concat(reply.headers['set-cookie'] ?? [])
      .map((c) => c.split(';')[0])
      .join('; ');
    expect(reply.headers.location).toMatch(/^\/i\/\d+\/[^/]+\/i_files\/\d+\/0_0\.jpeg$/);
    const tile = await call('GET', reply.headers.location as string, { token: null, headers: { cookie: tileCookie } });
    return { reply: tile, source: 'tile' };
  }

  it('are the overview rendered on upload, scaled down, and never for a study the person does not see', async () => {
    const cookie = await signIn((await generate(SCORER)).link as string);
    const slides = await page(`/Studies/Slides?studyId=${open}`, cookie);
    expect(slides.text).toContain(`/Studies/Thumbnail?imageId=${image.id}&amp;studyId=${open}`);
    // The slide pipeline renders the overview shortly after upload; until then the one-tile level stands in.
    let result = await thumbnail(cookie, open, image.id);
    for (let i = 0; i < 40 && result.source !== 'overview'; i++) {
      expect([result.reply.status, result.reply.headers['content-type']]).toEqual([200, 'image/jpeg']);
      await new Promise((r) => setTimeout(r, 250));
      result = await thumbnail(cookie, open, image.id);
    }
    expect(result.source).toBe('overview');
    expect(result.reply.headers['content-type']).toBe('image/jpeg');
    const { default: sharp } = await import('sharp');
    const meta = await sharp(result.reply.body).metadata();
    expect(Math.max(meta.width ?? 0, meta.height ?? 0)).toBeLessThanOrEqual(256);

    const limited = await createToken({ capabilities: 'CanManageStudies', studies: String(other) });
    const elsewhere = await signIn((await generate(SCORER, '2027-06-01', limited)).link as string);
    expect((await page(`/Studies/Thumbnail?studyId=${open}&imageId=${image.id}`, elsewhere)).status).toBe(404);
  });

  it('fall back to the one-tile DeepZoom level when there is no overview', async () => {
    const name = uniqueStudyName('viewer-thumb');
    const studyId = await createStudy(name, {
      [`study.${name}.emails`]: `${SCORER};canscore\n`,
      [`${name}/two.tiff`]: fixture('slidescore-test-image.tiff'),
    });
    const slide = (await getJson<ImageRow[]>('/Api/Images', { studyid: studyId }))[0] as ImageRow;
    // Wait for the pipeline's overview, then take it away (this server has never served it, so never cached it).
    const stores = testStores();
    const file = await stores.files.stat(`${name}/two.tiff`);
    const Key = renditionKey(file?.uploadId as string, 'overview');
    const exists = () =>
      stores.s3.send(new HeadObjectCommand({ Bucket: stores.config.bucket, Key })).then(
        () => true,
        () => false,
      );
    for (let i = 0; i < 80 && !(await exists()); i++) await new Promise((r) => setTimeout(r, 250));
    await stores.s3.send(new DeleteObjectCommand({ Bucket: stores.config.bucket, Key }));
    stores.close();
    const cookie = await signIn((await generate(SCORER)).link as string);
    const result = await thumbnail(cookie, studyId, slide.id);
    expect(result.source).toBe('tile');
    expect([result.reply.status, result.reply.headers['content-type']]).toEqual([200, 'image/jpeg']);
  });
});
