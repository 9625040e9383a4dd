import { beforeAll, describe, expect, it } from 'vitest';
import { call, createToken } from '../support/http-client.js';
import { createStudy, fixture, getJson, type ImageRow, uniqueStudyName } from '../support/studies.js';

/** Reviewing sessions (reference §3.2): recorded by /Image/Details and its beacon, read by Sessions and SessionEvents. */
let studyId: number;
let otherStudy: number;
let image: ImageRow;
const READER = 'reader@example.org';
const SECOND = 'second@example.org';

interface SessionRow {
  id: number;
  imageID: number;
  email: string;
  length: number;
  studyID: number;
  createdOn: string;
}

beforeAll(async () => {
  const name = uniqueStudyName('sessions');
  studyId = await createStudy(name, {
    [`study.${name}.emails`]: `${READER};canscore\n${SECOND};viewonly\n`,
    [`study.${name}.images`]: `${name}/one.tiff\n`,
    [`${name}/one.tiff`]: fixture('slidescore-test-image.tiff'),
  });
  const other = uniqueStudyName('sessions-other');
  otherStudy = await createStudy(other, { [`study.${other}.emails`]: `${READER};canscore\n` });
  image = (await getJson<ImageRow[]>('/Api/Images', { studyid: studyId }))[0] as ImageRow;
});

async function signIn(email: string): Promise<string> {
  const made = await call('POST', '/Api/GenerateLoginLink', { form: { username: email, expiresOn: '2030-01-01' } });
  const url = new URL(made.json<{ link: string }>().link);
  const opened = await call('GET', url.pathname + url.search, { token: null });
  return ([] as string[])
    .concat(opened.headers['set-cookie'] ?? [])
    .find((c) => c.startsWith('ss_session='))
    ?.split(';')[0] as string;
}

/** Opens the viewer page; returns the id of the reviewing session it started. */
async function openSlide(cookie: string): Promise<number> {
  const reply = await call('GET', `/Image/Details?imageId=${image.id}&studyId=${studyId}`, {
    token: null,
    headers: { cookie, accept: 'text/html' },
  });
  expect(reply.status).toBe(200);
  expect(reply.text).toContain('/viewer/assets/session.js');
  const id = /"session":\{"id":(\d+)/.exec(reply.text)?.[1];
  expect(id).toBeTruthy();
  return Number(id);
}

function beacon(cookie: string, sessionId: number, events: number[][], closed = false, study = studyId) {
  return call('POST', '/Image/SessionBeacon', {
    token: null,
    headers: { cookie },
    form: { studyId: study, sessionId, events: JSON.stringify(events), ...(closed ? { closed: '1' } : {}) },
  });
}

describe('reviewing sessions', () => {
  it('are listed by Sessions with the reference shape, and their samples by SessionEvents', async () => {
    const cookie = await signIn(READER);
    const id = await openSlide(cookie);
    const t = Date.now();
    const sent = await beacon(cookie, id, [
      [t, 10, 20, 1000, 800, 500, 400],
      [t + 5000, 12.4, 20, 1000, 800, 501, 399],
    ]);
    expect(sent.json()).toEqual({ success: true, stored: true });
    expect((await beacon(cookie, id, [[t + 10000, 0, 0, 10, 10, -1, -1]], true)).json()).toMatchObject({
      success: true,
    });

    const listed = await call('GET', '/Api/Sessions', { form: { studyId } });
    const { success, sessions } = listed.json<{ success: boolean; sessions: SessionRow[] }>();
    expect(success).toBe(true);
    const session = sessions.find((s) => s.id === id) as SessionRow;
    expect(Object.keys(session).sort()).toEqual(['createdOn', 'email', 'id', 'imageID', 'length', 'studyID']);
    expect(session).toMatchObject({ imageID: image.id, email: READER, studyID: studyId });
    expect(session.createdOn).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}$/);
    expect(session.length).toBeGreaterThanOrEqual(0);

    const events = await call('GET', '/Api/SessionEvents', { form: { studyId, sessionId: id } });
    expect(events.json()).toEqual({
      success: true,
      events: [
        `${t}\t10\t20\t1000\t800\t500\t400`,
        `${t + 5000}\t12\t20\t1000\t800\t501\t399`,
        `${t + 10000}\t0\t0\t10\t10\t-1\t-1`,
      ],
    });
  });

  it('are filtered by image and email', async () => {
    const second = await signIn(SECOND);
    const id = await openSlide(second);
    const byEmail = await call('GET', '/Api/Sessions', { form: { studyId, email: SECOND.toUpperCase() } });
    const rows = byEmail.json<{ sessions: SessionRow[] }>().sessions;
    expect(rows.map((s) => s.id)).toContain(id);
    expect(rows.every((s) => s.email === SECOND)).toBe(true);
    const byImage = await call('GET', '/Api/Sessions', { form: { studyId, imageId: image.id + 100000 } });
    expect(byImage.json()).toEqual({ success: true, sessions: [] });
  });

  it("take samples only from the session's own person, in bounded numbers", async () => {
    const cookie = await signIn(READER);
    const id = await openSlide(cookie);
    const stranger = await signIn(SECOND);
    expect((await beacon(stranger, id, [[1, 1, 1, 1, 1, 1, 1]])).json()).toMatchObject({ success: false });
    expect((await beacon(cookie, id, [[1, 2, 3]])).json()).toMatchObject({ success: false });
    expect((await beacon(cookie, id, [], false, otherStudy)).json()).toMatchObject({ success: false });
    const batch = Array.from({ length: 100 }, (_, i) => [i, 0, 0, 1, 1, 0, 0]);
    expect((await beacon(cookie, id, [...batch, [0, 0, 0, 0, 0, 0, 0]])).json()).toMatchObject({ success: false });
    const stored: boolean[] = [];
    for (let i = 0; i < 11; i++) stored.push((await beacon(cookie, id, batch)).json<{ stored: boolean }>().stored);
    expect(stored).toEqual([...Array(10).fill(true), false]);
    const events = await call('GET', '/Api/SessionEvents', { form: { studyId, sessionId: id } });
    expect(events.json<{ events: string[] }>().events).toHaveLength(1000);
    // Without a session cookie the beacon is refused.
    expect((await beacon('ss_session=forged', id, [])).status).toBe(401);
  });

  it('need CanGetResults and the study', async () => {
    const pixelsOnly = await createToken({ capabilities: 'CanGetPixels' });
    expect((await call('GET', '/Api/Sessions', { form: { studyId }, token: pixelsOnly })).status).toBe(403);
    const elsewhere = await createToken({ capabilities: 'CanGetResults', studies: String(otherStudy) });
    expect((await call('GET', '/Api/Sessions', { form: { studyId }, token: elsewhere })).status).toBe(403);
    const events = await call('GET', '/Api/SessionEvents', { form: { studyId, sessionId: 1 }, token: elsewhere });
    expect(events.status).toBe(403);
    const unknown = await call('GET', '/Api/SessionEvents', { form: { studyId, sessionId: 999999999 } });
    expect(unknown.json()).toMatchObject({ success: false, log: expect.stringContaining('No session') });
    const empty = await call('GET', '/Api/Sessions', { form: { studyId: otherStudy } });
    expect(empty.json()).toEqual({ success: true, sessions: [] });
  });
});
