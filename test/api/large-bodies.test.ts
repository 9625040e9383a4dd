import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { largeBodyRoutes } from '../../functions/tus/large-body-routes.js';
import { type ContainerProcess, startContainerProcess } from '../support/container-process.js';
import { call } from '../support/http-client.js';
import { scoresJson } from '../support/results-client.js';
import { type FixtureStudy, studyFixtures } from '../support/study-fixtures.js';

const fixtures = studyFixtures();
afterAll(() => fixtures.close());

const MB = 1024 * 1024;
/** Users × one 250 KB answer each (free text is capped at 256 KB): a body of 21 MB, over three times Lambda's 6 MB. */
const USERS = 84;
const ANSWER = 'x'.repeat(250 * 1024);

let study: FixtureStudy;
let image: number;

beforeAll(async () => {
  study = await fixtures.create({ images: ['big.svs'], questions: [{ name: 'Notes', type: 'FreeText' }] });
  image = study.image('big.svs').id;
});

function bigResults(studyId: number, tag: string): Record<string, string | number> {
  const rows = Array.from({ length: USERS }, (_, i) => `${image}\tbig.svs\tuser${i}@${tag}.nl\tNotes\t${ANSWER}`);
  return { studyid: studyId, results: `\n${rows.join('\n')}` };
}

describe('request bodies: each route has its limit', () => {
  it('UploadResults takes a 20 MB form body in npm start', async () => {
    const form = bigResults(study.id, 'local');
    expect(String(form.results).length).toBeGreaterThan(20 * 1_000_000);
    const reply = await call('POST', '/Api/UploadResults', { form });
    expect(reply.text).toBe('{"success":true}');
    await expectSaved(study.id, 'local');
  });

  it('refuses a body over 100 MB with 413 naming the limit, whatever the route', async () => {
    const reply = await call('POST', '/Api/UploadResults', {
      body: Buffer.alloc(100 * MB + 1, 0x61),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(reply.status).toBe(413);
    expect(reply.json()).toEqual({
      success: false,
      log: 'The request body is larger than 100 MB, the limit of /Api/UploadResults',
    });
  });

  it('the manifest names UploadResults as a large-body route', () => {
    expect(largeBodyRoutes().map((route) => route.id)).toContain('UploadResults');
  });
});

/**
 * The container image's own build (infra/build-container.ts, as the Dockerfile runs it), started as the cloud
 * starts it, with the stack's CONFIG_ENV variables pointing at this test's DynamoDB Local and s3rver.
 */
describe('the container service serves large-body routes with the same handler code', () => {
  let container: ContainerProcess | undefined;
  let baseUrl: string;

  beforeAll(async () => {
    container = await startContainerProcess(inject('appConfig'));
    baseUrl = container.url;
  }, 120_000);

  afterAll(() => container?.stop());

  it('UploadResults of 20 MB through the container lands in the same tables', async () => {
    const reply = await call('POST', '/Api/UploadResults', { form: bigResults(study.id, 'container'), baseUrl });
    expect(reply.text).toBe('{"success":true}');
    await expectSaved(study.id, 'container');
  });

  it('matches paths ignoring case, and refuses as the Lambda does (reply table)', async () => {
    const noToken = await call('POST', '/api/uploadresults', { form: { studyid: study.id }, token: null, baseUrl });
    expect(noToken.status).toBe(401);
    const noStudy = await call('POST', '/Api/UploadResults', { form: { studyid: 999_999_999, results: '' }, baseUrl });
    expect(noStudy.status).toBe(200);
    expect(noStudy.json()).toMatchObject({ success: false });
  });

  it('answers other API paths with a JSON 404 (CloudFront sends them to Lambda)', async () => {
    const reply = await call('GET', '/Api/Studies', { baseUrl });
    expect(reply.status).toBe(404);
    expect(reply.json()).toEqual({ success: false, log: 'Not found' });
  });
});

/** The first and last rows, one user each (all of them would be a background export: over 5 MB). */
async function expectSaved(studyId: number, tag: string): Promise<void> {
  for (const user of [`user0@${tag}.nl`, `user${USERS - 1}@${tag}.nl`]) {
    const saved = await scoresJson(studyId, { email: user });
    expect(saved.map((s) => [s.user, s.answer === ANSWER])).toEqual([[user, true]]);
  }
}
