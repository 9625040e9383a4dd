import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../support/http-client.js';
import { type ScoreItem, scoresTsv, uploadResults } from '../support/results-client.js';
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

async function exportsLeft(): Promise<number> {
  const { KeyCount } = await stores.s3.send(
    new ListObjectsV2Command({ Bucket: stores.config.bucket, Prefix: `exports/scores/${study.id}/` }),
  );
  return KeyCount ?? 0;
}

describe('Scores, an export larger than a Lambda reply', () => {
  it('goes through object storage, and npm start streams it to the client itself (no redirect to 127.0.0.1)', async () => {
    const reply = await call('GET', '/Api/Scores', { form: { studyid: study.id } });
    expect(reply.status).toBe(200);
    expect(reply.headers.location).toBeUndefined();
    expect(reply.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(Number(reply.headers['content-length'])).toBe(reply.body.length);
    expect(reply.body.length).toBeGreaterThan(5 * 1024 * 1024);
    const items = reply.json<ScoreItem[]>();
    expect(items).toHaveLength(ANSWERS);
    expect(items.every((item) => item.answer === ANSWER && item.imageID === image)).toBe(true);
    expect(new Set(items.map((item) => item.user)).size).toBe(ANSWERS);
    // Served once, then removed: the data folder does not fill up with exports.
    expect(await exportsLeft()).toBe(0);
  });

  it('does the same for TSV', async () => {
    const reply = await scoresTsv(study.id);
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('text/tab-separated-values; charset=utf-8');
    const lines = reply.text.split('\n');
    expect(lines[0]).toBe('ImageID\tImage Name\tBy\tQuestion\tAnswer');
    expect(lines).toHaveLength(ANSWERS + 2); // header, rows, and the empty string after the last \n
    expect(lines[1]).toMatch(new RegExp(`^${image}\tbig\\.svs\tuser\\d+@lab\\.example\tQ\tx{2000}$`));
    expect(await exportsLeft()).toBe(0);
  });

  it('stays inline when a filter makes it small', async () => {
    const reply = await call('GET', '/Api/Scores', { form: { studyid: study.id, email: 'user7@lab.example' } });
    expect(reply.status).toBe(200);
    expect(reply.json<ScoreItem[]>().map((item) => item.user)).toEqual(['user7@lab.example']);
  });
});
