import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { call } from '../support/http-client.js';
import { type ScoreItem, uploadResults } from '../support/results-client.js';
import { getResults } from '../support/sdk-results.js';
import { testStores } from '../support/stores.js';
import { type FixtureStudy, studyFixtures } from '../support/study-fixtures.js';

const fixtures = studyFixtures();
const stores = testStores();
afterAll(() => {
  fixtures.close();
  stores.close();
});

// 3,000 answers of 2,000 characters: about 6 MB in either format, past the 5 MB a reply may hold inline.
const ANSWERS = 3000;
const ANSWER = 'x'.repeat(2000);

let study: FixtureStudy;
let image: number;

beforeAll(async () => {
  study = await fixtures.create({ images: ['big.svs'], questions: [{ name: 'Q', type: 'FreeText' }] });
  image = study.image('big.svs').id;
  const rows = Array.from({ length: ANSWERS }, (_, i) => `${image}\tbig.svs\tuser${i}@lab.example\tQ\t${ANSWER}`);
  expect((await uploadResults(study.id, rows)).json()).toEqual({ success: true });
});

/** Waits until the background export of an unfollowed call has been written. */
async function waitForExports(count: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  while ((await exportsLeft()) < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
}

async function exportsLeft(): Promise<number> {
  const { KeyCount } = await stores.s3.send(
    new ListObjectsV2Command({ Bucket: stores.config.bucket, Prefix: `exports/scores/${study.id}/` }),
  );
  return KeyCount ?? 0;
}

describe('Scores, an export larger than a Lambda reply', () => {
  it('is exported in the background: 303 to a waiting URL, then npm start streams it (no redirect to 127.0.0.1)', async () => {
    const first = await call('GET', '/Api/Scores', { form: { studyid: study.id } });
    expect(first.status).toBe(303);
    expect(first.headers.location).toMatch(/^\/Api\/Scores\/Export\/[0-9a-f-]{36}$/);
    const { hops, text, contentType } = await getResults(inject('baseUrl'), inject('adminToken'), study.id);
    expect(hops.every((hop) => hop.status === 303 && hop.location?.startsWith('/Api/Scores/Export/'))).toBe(true);
    expect(contentType).toBe('application/json; charset=utf-8');
    expect(Buffer.byteLength(text)).toBeGreaterThan(5 * 1024 * 1024);
    const items = JSON.parse(text) as ScoreItem[];
    expect(items).toHaveLength(ANSWERS);
    expect(items.every((item) => item.answer === ANSWER && item.imageID === image)).toBe(true);
    expect(new Set(items.map((item) => item.user)).size).toBe(ANSWERS);
    // Served once, then removed: the data folder does not fill up with exports.
    await waitForExports(1); // the export of the first, unfollowed call
    expect(await exportsLeft()).toBe(1);
  });

  it('does the same for TSV', async () => {
    const reply = await getResults(inject('baseUrl'), inject('adminToken'), study.id, {}, '*/*');
    expect(reply.hops[0]?.status).toBe(303);
    expect(reply.contentType).toBe('text/tab-separated-values; charset=utf-8');
    const lines = reply.text.split('\n');
    expect(lines[0]).toBe('ImageID\tImage Name\tBy\tQuestion\tAnswer');
    expect(lines).toHaveLength(ANSWERS + 2); // header, rows, and the empty string after the last \n
    expect(lines[1]).toMatch(new RegExp(`^${image}\tbig\\.svs\tuser\\d+@lab\\.example\tQ\tx{2000}$`));
    expect(await exportsLeft()).toBe(1);
  });

  it('stays inline when a filter makes it small', async () => {
    const reply = await call('GET', '/Api/Scores', { form: { studyid: study.id, email: 'user7@lab.example' } });
    expect(reply.status).toBe(200);
    expect(reply.json<ScoreItem[]>().map((item) => item.user)).toEqual(['user7@lab.example']);
  });
});
