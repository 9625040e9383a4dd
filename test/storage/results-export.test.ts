import { request } from 'node:http';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_INLINE_MAX_BYTES, EXPORT_URL_SECONDS } from '../../functions/scores/export-settings.js';
import { ResultsService, type ScoresFormat } from '../../functions/scores/results-service.js';
import type { ScoreRepository } from '../../functions/scores/score-repository.js';
import { DynamoScoreRepository } from '../../functions/storage/dynamo-score-repository.js';
import { S3ExportStore } from '../../functions/storage/s3-export-store.js';
import { testStores } from '../support/stores.js';
import { type FixtureStudy, studyFixtures } from '../support/study-fixtures.js';

const fixtures = studyFixtures();
const stores = testStores();
afterAll(() => {
  fixtures.close();
  stores.close();
});

/** The results service over the test server's DynamoDB Local and s3rver, with a chosen inline limit. */
function service(inlineMaxBytes: number): ResultsService {
  return new ResultsService(
    new DynamoScoreRepository(stores.dynamo, stores.config.tables.scores),
    fixtures.studies,
    new S3ExportStore(stores.s3, stores.config.bucket),
    { inlineMaxBytes, urlSeconds: EXPORT_URL_SECONDS },
  );
}

function download(url: string): Promise<{ status: number; type?: string; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          type: res.headers['content-type'],
          body: Buffer.concat(chunks).toString(),
        }),
      );
    })
      .on('error', reject)
      .end();
  });
}

let study: FixtureStudy;

beforeAll(async () => {
  study = await fixtures.create({
    cases: ['P1'],
    images: ['a.svs', { name: 'b.svs', caseName: 'P1' }],
    questions: [{ name: 'Q', type: 'FreeText' }],
  });
  const [a, b] = [study.image('a.svs').id, study.image('b.svs').id];
  const rows = Array.from({ length: 2000 }, (_, i) =>
    i % 2 === 0 ? `${a}\ta.svs\tu${i}@x.nl\tQ\tanswer "${i}"\twith a tab` : `P1\t${b}\tb.svs\tu${i}@x.nl\tQ\t${i}`,
  );
  const outcome = await service(DEFAULT_INLINE_MAX_BYTES).upload(study.id, `\n${rows.join('\n')}`);
  expect(outcome.ok).toBe(true);
});

describe('ResultsService exports through S3 (s3rver)', () => {
  it.each(['json', 'tsv'] as ScoresFormat[])(
    'writes a %s export past the inline limit to exports/ and gives a presigned URL to the same bytes',
    async (format) => {
      const inline = await service(DEFAULT_INLINE_MAX_BYTES).exportScores(study.id, {}, format);
      if (!inline.ok || inline.kind !== 'inline') throw new Error('expected an inline export');
      const stored = await service(1024).exportScores(study.id, {}, format);
      if (!stored.ok || stored.kind !== 'stored') throw new Error('expected a stored export');
      expect(stored.key).toMatch(new RegExp(`^exports/scores/${study.id}/.+\\.${format}$`));
      expect(stored.url).toContain('X-Amz-Signature=');
      expect(stored.url).toContain(`X-Amz-Expires=${EXPORT_URL_SECONDS}`);
      const fetched = await download(stored.url);
      expect(fetched.status).toBe(200);
      expect(fetched.type).toBe(inline.contentType);
      expect(fetched.body).toBe(inline.body);
      if (format === 'json') expect(JSON.parse(fetched.body)).toHaveLength(2000);
      else expect(fetched.body.split('\n')).toHaveLength(2002);
    },
  );

  it('counts the limit in bytes as a Lambda returns them (escaped), not as written', async () => {
    const inline = await service(DEFAULT_INLINE_MAX_BYTES).exportScores(study.id, {}, 'json');
    if (!inline.ok || inline.kind !== 'inline') throw new Error('expected an inline export');
    const written = Buffer.byteLength(inline.body);
    const escaped = Buffer.byteLength(JSON.stringify(inline.body)) - 2;
    expect(escaped).toBeGreaterThan(written);
    const atWritten = await service(written).exportScores(study.id, {}, 'json');
    expect(atWritten.ok && atWritten.kind).toBe('stored');
    const atEscaped = await service(escaped).exportScores(study.id, {}, 'json');
    expect(atEscaped.ok && atEscaped.kind).toBe('inline');
  });

  it.each([
    ['with the default inline limit', DEFAULT_INLINE_MAX_BYTES],
    ['with a tiny inline limit', 1024],
  ])('stops at its deadline (%s) and leaves no export behind', async (_, inlineMaxBytes) => {
    const exportsKept = async () =>
      (
        await stores.s3.send(
          new ListObjectsV2Command({ Bucket: stores.config.bucket, Prefix: `exports/scores/${study.id}/` }),
        )
      ).KeyCount ?? 0;
    const before = await exportsKept();
    const outcome = await service(inlineMaxBytes).exportScores(study.id, {}, 'json', Date.now() - 1);
    expect(outcome).toEqual({ ok: false, reason: 'too slow', answersRead: expect.any(Number) });
    expect(await exportsKept()).toBe(before);
  });

  it('stops promptly at its deadline while a multipart upload to S3 is under way, keeping no object', async () => {
    // Answers from a slow source (a page of 1,000 answers of 1 KB every 10 ms): past 8 MB, the part size, well
    // before the deadline, so the upload is multipart when the deadline comes.
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const slow: ScoreRepository = {
      maxAnswerBytes: 1000,
      save: async () => ({ created: 0, changed: 0, unchanged: 0 }),
      summary: async () => ({ images: true, tma: false, cases: false }),
      studiesUpdatedSince: async () => ({ studyIds: [], itemsRead: 0 }),
      async *answers() {
        for (let page = 0; page < 1000; page++) {
          await sleep(10);
          for (let i = 0; i < 1000; i++) {
            yield {
              id: i,
              imageId: study.image('a.svs').id,
              questionId: study.questions[0]?.id ?? 0,
              user: 'a@b.nl',
              answer: 'x'.repeat(1000),
              lastModifiedOn: '',
            };
          }
        }
      },
    };
    const service = new ResultsService(slow, fixtures.studies, new S3ExportStore(stores.s3, stores.config.bucket), {
      inlineMaxBytes: DEFAULT_INLINE_MAX_BYTES,
      urlSeconds: EXPORT_URL_SECONDS,
    });
    const exportsKept = async () =>
      (
        await stores.s3.send(
          new ListObjectsV2Command({ Bucket: stores.config.bucket, Prefix: `exports/scores/${study.id}/` }),
        )
      ).KeyCount ?? 0;
    const before = await exportsKept();
    const started = Date.now();
    const outcome = await service.exportScores(study.id, {}, 'json', Date.now() + 1500);
    expect(outcome).toMatchObject({ ok: false, reason: 'too slow' });
    if (!outcome.ok && outcome.reason === 'too slow') expect(outcome.answersRead).toBeGreaterThan(20_000);
    expect(Date.now() - started).toBeLessThan(3000);
    await sleep(500); // and nothing completes later
    expect(await exportsKept()).toBe(before);
  });
});
