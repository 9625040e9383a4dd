import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_INLINE_MAX_BYTES, EXPORT_URL_SECONDS } from '../../functions/scores/export-settings.js';
import { ResultsService } from '../../functions/scores/results-service.js';
import type { StoredAnswer } from '../../functions/scores/score-repository.js';
import {
  DynamoScoreRepository,
  MAX_ANSWER_BYTES,
  MAX_LARGE_ANSWER_BYTES,
} from '../../functions/storage/dynamo-score-repository.js';
import { S3ExportStore } from '../../functions/storage/s3-export-store.js';
import { largeAnswerKey, S3LargeAnswers } from '../../functions/storage/s3-large-answers.js';
import { answerPartition, answerSortKey, shardOf } from '../../functions/storage/score-keys.js';
import { testStores } from '../support/stores.js';
import { type FixtureStudy, studyFixtures } from '../support/study-fixtures.js';

const fixtures = studyFixtures();
const stores = testStores();
afterAll(() => {
  fixtures.close();
  stores.close();
});

const repository = new DynamoScoreRepository(
  stores.dynamo,
  stores.config.tables.scores,
  undefined,
  new S3LargeAnswers(stores.s3, stores.config.bucket),
);

function service(inlineMaxBytes: number): ResultsService {
  return new ResultsService(repository, fixtures.studies, new S3ExportStore(stores.s3, stores.config.bucket), {
    inlineMaxBytes,
    urlSeconds: EXPORT_URL_SECONDS,
  });
}

/** A 2 MB AnnoShapes answer: one polygon of 80,000 vertices. */
function largeAnswer(seed: number): string {
  const points = Array.from({ length: 80_000 }, (_, i) => ({ x: seed + i * 1.25, y: 40_000.5 + (i % 977) }));
  return JSON.stringify([{ type: 'polygon', points }]);
}

async function all(studyId: number): Promise<StoredAnswer[]> {
  const found: StoredAnswer[] = [];
  for await (const answer of repository.answers(studyId)) found.push(answer);
  return found;
}

let study: FixtureStudy;
let imageId: number;
let questionId: number;

beforeAll(async () => {
  study = await fixtures.create({
    images: ['a.svs'],
    questions: [{ name: 'Tumour', type: 'AnnoShapes' }],
  });
  imageId = study.image('a.svs').id;
  questionId = study.questions[0]?.id as number;
});

describe('answers too large for a DynamoDB item (S3 through the score repository)', () => {
  it('stores a 2 MB answer in S3 under answers/<studyId>/<sha256>.json, the item holding only the key', async () => {
    const text = largeAnswer(1);
    expect(Buffer.byteLength(text)).toBeGreaterThan(2_000_000);
    expect(repository.maxAnswerBytes).toBe(MAX_LARGE_ANSWER_BYTES);
    const key = { imageId, questionId, user: 'big@example.org' };
    expect(await repository.save(study.id, [{ ...key, answer: text }])).toEqual({
      created: 1,
      changed: 0,
      unchanged: 0,
    });
    const s3Key = largeAnswerKey(study.id, text);
    expect(s3Key).toMatch(new RegExp(`^answers/${study.id}/[0-9a-f]{64}\\.json$`));
    const object = await stores.s3.send(new GetObjectCommand({ Bucket: stores.config.bucket, Key: s3Key }));
    expect(await object.Body?.transformToString()).toBe(text);
    // The committed or pending item names the object and holds no text.
    const sk = answerSortKey(key);
    const pk = answerPartition(study.id, shardOf(sk));
    const items = await Promise.all(
      [sk, `${sk} `].map((k) =>
        stores.dynamo.send(new GetCommand({ TableName: stores.config.tables.scores, Key: { pk, sk: k } })),
      ),
    );
    const item = items.map((r) => r.Item).find((i) => i !== undefined);
    expect(item?.p).toBe(s3Key);
    expect(item?.a).toBeUndefined();

    const [read] = await all(study.id);
    expect(read?.answer).toBe(text);
  });

  it('leaves an unchanged large answer alone, and replaces it by a small one (inline) or another large one', async () => {
    const key = { imageId, questionId, user: 'again@example.org' };
    const first = largeAnswer(2);
    await repository.save(study.id, [{ ...key, answer: first }]);
    expect(await repository.save(study.id, [{ ...key, answer: first }])).toEqual({
      created: 0,
      changed: 0,
      unchanged: 1,
    });
    const second = largeAnswer(3);
    expect((await repository.save(study.id, [{ ...key, answer: second }])).changed).toBe(1);
    expect((await all(study.id)).find((a) => a.user === key.user)?.answer).toBe(second);
    const small = '[{"type":"point","x":1,"y":2}]';
    expect((await repository.save(study.id, [{ ...key, answer: small }])).changed).toBe(1);
    expect((await all(study.id)).find((a) => a.user === key.user)?.answer).toBe(small);
    // A small answer is never written to S3.
    await expect(
      stores.s3.send(new HeadObjectCommand({ Bucket: stores.config.bucket, Key: largeAnswerKey(study.id, small) })),
    ).rejects.toThrow();
  });

  it('returns the whole answer through Scores as JSON and TSV, inline and through the stored (background) export', async () => {
    const user = 'export@example.org';
    const text = largeAnswer(4);
    await repository.save(study.id, [{ imageId, questionId, user, answer: text }]);
    const json = await service(64 * 1024 * 1024).exportScores(study.id, { email: user }, 'json');
    if (!json.ok || json.kind !== 'inline') throw new Error('expected an inline export');
    const rows = JSON.parse(json.body) as { answer: string }[];
    expect(rows).toHaveLength(1);
    expect(rows[0]?.answer).toBe(text);
    const tsv = await service(64 * 1024 * 1024).exportScores(study.id, { email: user }, 'tsv');
    if (!tsv.ok || tsv.kind !== 'inline') throw new Error('expected an inline export');
    expect(tsv.body).toContain(text);

    const key = `exports/test-large-answers/${study.id}.json`;
    const stored = await service(DEFAULT_INLINE_MAX_BYTES).exportScores(study.id, { email: user }, 'json', undefined, {
      to: 'stored',
      key,
    });
    expect(stored.ok).toBe(true);
    const object = await stores.s3.send(new GetObjectCommand({ Bucket: stores.config.bucket, Key: key }));
    const exported = JSON.parse((await object.Body?.transformToString()) ?? '') as { answer: string }[];
    expect(exported[0]?.answer).toBe(text);
  });

  it('saves a 2 MB answer through ResultsService.saveAnswers (checked, then stored in S3)', async () => {
    const text = largeAnswer(5);
    const outcome = await service(DEFAULT_INLINE_MAX_BYTES).saveAnswers(study.id, [
      { imageId, questionId, user: 'service@example.org', answer: text },
    ]);
    expect(outcome.ok).toBe(true);
    const found = (await all(study.id)).find((a) => a.user === 'service@example.org');
    expect(JSON.parse(found?.answer ?? '')).toEqual(JSON.parse(text));
  });

  it('keeps answers under the item limit in DynamoDB without a large-answer store', () => {
    const plain = new DynamoScoreRepository(stores.dynamo, stores.config.tables.scores);
    expect(plain.maxAnswerBytes).toBe(MAX_ANSWER_BYTES);
  });
});
