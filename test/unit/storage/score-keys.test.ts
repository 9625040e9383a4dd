import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AnswerKey } from '../../../functions/scores/score-repository.js';
import {
  answerKeyOf,
  answerSortKey,
  SCORE_SHARDS,
  shardOf,
  targetPrefix,
} from '../../../functions/storage/score-keys.js';

const id = fc.integer({ min: 1, max: 9_999_999_999 });
const user = fc.stringMatching(/^[a-z0-9#._+-]{1,12}@[a-z]{1,8}\.nl$/);
const key: fc.Arbitrary<AnswerKey> = fc.oneof(
  fc.record({ caseId: id, questionId: id, user }),
  fc.record({ imageId: id, questionId: id, user }),
  fc.record({
    imageId: id,
    tmaRow: fc.integer({ min: 0, max: 99_999 }),
    tmaCol: fc.integer({ min: 0, max: 99_999 }),
    questionId: id,
    user,
  }),
);

describe('score sort keys', () => {
  it('give back the key they were made from, emails with # included', () => {
    fc.assert(
      fc.property(key, (k) => {
        expect(answerKeyOf(answerSortKey(k))).toEqual(k);
      }),
    );
  });

  it('start with their target prefix, and no other target prefix', () => {
    fc.assert(
      fc.property(key, id, (k, otherId) => {
        const target = k.imageId === undefined ? { caseId: k.caseId as number } : { imageId: k.imageId };
        expect(answerSortKey(k).startsWith(targetPrefix(target))).toBe(true);
        if (otherId !== (k.imageId ?? k.caseId)) {
          const other = k.imageId === undefined ? { caseId: otherId } : { imageId: otherId };
          expect(answerSortKey(k).startsWith(targetPrefix(other))).toBe(false);
        }
      }),
    );
  });

  it('sort case-level answers first, then images by ID, the whole slide before its cores, cores by row', () => {
    const keys = [
      answerSortKey({ imageId: 10, tmaRow: 2, tmaCol: 0, questionId: 1, user: 'a@b.nl' }),
      answerSortKey({ imageId: 10, tmaRow: 10, tmaCol: 0, questionId: 1, user: 'a@b.nl' }),
      answerSortKey({ imageId: 9, questionId: 1, user: 'a@b.nl' }),
      answerSortKey({ imageId: 10, questionId: 2, user: 'a@b.nl' }),
      answerSortKey({ caseId: 500, questionId: 1, user: 'a@b.nl' }),
    ];
    expect([...keys].sort()).toEqual([keys[4], keys[2], keys[3], keys[0], keys[1]]);
  });

  it('spread answers evenly over the shards', () => {
    const counts = new Array<number>(SCORE_SHARDS).fill(0);
    for (let image = 1; image <= 200; image++) {
      for (let q = 1; q <= 50; q++) {
        const shard = shardOf(answerSortKey({ imageId: image, questionId: q, user: 'a@b.nl' }));
        counts[shard] = (counts[shard] ?? 0) + 1;
      }
    }
    for (const count of counts) expect(count).toBeGreaterThan((10_000 / SCORE_SHARDS) * 0.9);
  });
});
