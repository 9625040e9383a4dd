import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { type NewAnswer, type StoredAnswer, UploadOvertaken } from '../../functions/scores/score-repository.js';
import { createDynamoClient } from '../../functions/storage/aws-clients.js';
import { DynamoScoreRepository } from '../../functions/storage/dynamo-score-repository.js';
import { SCORE_SHARDS } from '../../functions/storage/score-keys.js';

const config = inject('appConfig');
const client = createDynamoClient(config);
afterAll(() => client.destroy());

let clock = Date.parse('2030-01-01T00:00:00.000Z');
const tick = () => {
  clock += 1000;
  return new Date(clock);
};
const repository = new DynamoScoreRepository(client, config.tables.scores, tick);

// Study IDs of their own: these tests write scores directly, with no study behind them.
let nextStudy = 900_000_000 + (process.pid % 1000) * 1000;
const newStudy = () => nextStudy++;

async function all(studyId: number, filter?: Parameters<typeof repository.answers>[1]): Promise<StoredAnswer[]> {
  const found: StoredAnswer[] = [];
  for await (const answer of repository.answers(studyId, filter)) found.push(answer);
  return found;
}

/** Items in the study's shard partitions, visible or not. */
async function rawItems(studyId: number): Promise<number> {
  let count = 0;
  for (let shard = 0; shard < SCORE_SHARDS; shard++) {
    const { Count } = await client.send(
      new QueryCommand({
        TableName: config.tables.scores,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `SCORES#${studyId}#${shard}` },
        Select: 'COUNT',
      }),
    );
    count += Count ?? 0;
  }
  return count;
}

/** The transaction that commits an upload: the one that turns its record to `committed`. */
function isCommit(input: unknown): boolean {
  const items = (input as { TransactItems?: { Update?: { ExpressionAttributeValues?: Record<string, unknown> } }[] })
    .TransactItems;
  return items?.[0]?.Update?.ExpressionAttributeValues?.[':committed'] === 'committed';
}

const slide = (imageId: number, questionId: number, user: string, answer: string): NewAnswer => ({
  imageId,
  questionId,
  user,
  answer,
});

describe('DynamoScoreRepository (DynamoDB Local)', () => {
  it('stores answers about slides, TMA cores and cases, and reads them back in key order', async () => {
    const study = newStudy();
    const outcome = await repository.save(study, [
      slide(12, 7, 'jan@nki.nl', '35'),
      { imageId: 12, tmaRow: 0, tmaCol: 3, tmaSampleId: 'S-42', questionId: 7, user: 'jan@nki.nl', answer: '2+' },
      { caseId: 5, questionId: 8, user: 'an@nki.nl', answer: 'Carcinoma' },
      slide(3, 7, 'jan@nki.nl', '10'),
    ]);
    expect(outcome).toEqual({ created: 4, changed: 0, unchanged: 0 });
    const stored = await all(study);
    expect(stored.map(({ id: _id, lastModifiedOn: _on, ...rest }) => rest)).toEqual([
      { caseId: 5, questionId: 8, user: 'an@nki.nl', answer: 'Carcinoma' },
      { imageId: 3, questionId: 7, user: 'jan@nki.nl', answer: '10' },
      { imageId: 12, questionId: 7, user: 'jan@nki.nl', answer: '35' },
      { imageId: 12, tmaRow: 0, tmaCol: 3, tmaSampleId: 'S-42', questionId: 7, user: 'jan@nki.nl', answer: '2+' },
    ]);
    expect(new Set(stored.map((a) => a.id)).size).toBe(4);
    for (const answer of stored) expect(Number.isSafeInteger(answer.id)).toBe(true);
  });

  it('leaves equal answers alone and replaces changed ones under the same id', async () => {
    const study = newStudy();
    const first = [slide(1, 1, 'a@b.nl', 'x'), slide(1, 2, 'a@b.nl', 'y')];
    await repository.save(study, first);
    const before = await all(study);
    expect(await repository.save(study, first)).toEqual({ created: 0, changed: 0, unchanged: 2 });
    expect(await all(study)).toEqual(before);

    expect(await repository.save(study, [slide(1, 1, 'a@b.nl', 'z'), slide(1, 2, 'a@b.nl', 'y')])).toEqual({
      created: 0,
      changed: 1,
      unchanged: 1,
    });
    const after = await all(study);
    expect(after[0]?.id).toBe(before[0]?.id);
    expect(after[0]?.answer).toBe('z');
    expect((after[0]?.lastModifiedOn ?? '') > (before[0]?.lastModifiedOn ?? '')).toBe(true);
    expect(after[1]).toEqual(before[1]);
  });

  it('counts a new TMA sample ID as a change', async () => {
    const study = newStudy();
    const core = { imageId: 4, tmaRow: 1, tmaCol: 2, questionId: 1, user: 'a@b.nl', answer: '1+' };
    await repository.save(study, [{ ...core, tmaSampleId: '' }]);
    expect(await repository.save(study, [{ ...core, tmaSampleId: 'S-1' }])).toMatchObject({ changed: 1 });
    expect((await all(study))[0]?.tmaSampleId).toBe('S-1');
  });

  it('keeps the last of two answers with the same key in one save', async () => {
    const study = newStudy();
    const outcome = await repository.save(study, [slide(1, 1, 'a@b.nl', 'first'), slide(1, 1, 'a@b.nl', 'last')]);
    expect(outcome).toEqual({ created: 1, changed: 0, unchanged: 0 });
    expect((await all(study)).map((a) => a.answer)).toEqual(['last']);
  });

  it('writes thousands of answers over every shard, many transactions each, and reads them back sorted', async () => {
    const study = newStudy();
    const answers = Array.from({ length: 2500 }, (_, i) =>
      slide(1 + (i % 50), 1 + Math.floor(i / 50), 'a@b.nl', `${i}`),
    );
    expect(await repository.save(study, answers)).toEqual({ created: 2500, changed: 0, unchanged: 0 });
    const stored = await all(study);
    expect(stored).toHaveLength(2500);
    const keys = stored.map((a) => [a.imageId ?? 0, a.questionId]);
    const sorted = [...keys].sort((x, y) => (x[0] ?? 0) - (y[0] ?? 0) || (x[1] ?? 0) - (y[1] ?? 0));
    expect(keys).toEqual(sorted);
    const { Count } = await client.send(
      new QueryCommand({
        TableName: config.tables.scores,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `SCORES#${study}#0` },
        Select: 'COUNT',
      }),
    );
    // Spread over the shards: one of eight holds about an eighth.
    expect(Count).toBeGreaterThan(2500 / SCORE_SHARDS / 2);
    expect(Count).toBeLessThan((2500 / SCORE_SHARDS) * 2);
  });

  it('filters by targets, question and user', async () => {
    const study = newStudy();
    await repository.save(study, [
      slide(1, 1, 'a@b.nl', 'a'),
      slide(1, 2, 'b@b.nl', 'b'),
      { imageId: 1, tmaRow: 0, tmaCol: 0, tmaSampleId: '', questionId: 1, user: 'a@b.nl', answer: 'core' },
      slide(2, 1, 'a@b.nl', 'c'),
      { caseId: 9, questionId: 1, user: 'a@b.nl', answer: 'case' },
    ]);
    const answersOf = async (filter: Parameters<typeof repository.answers>[1]) =>
      (await all(study, filter)).map((a) => a.answer);
    expect(await answersOf({ targets: [{ imageId: 1 }] })).toEqual(['a', 'b', 'core']);
    expect(await answersOf({ targets: [{ caseId: 9 }, { imageId: 2 }] })).toEqual(['case', 'c']);
    expect(await answersOf({ questionId: 1, user: 'a@b.nl' })).toEqual(['case', 'a', 'core', 'c']);
    expect(await answersOf({ user: 'b@b.nl' })).toEqual(['b']);
    expect(await answersOf({ targets: [] })).toEqual([]);
  });

  it('summarizes the kinds of answers a study holds', async () => {
    const study = newStudy();
    expect(await repository.summary(study)).toEqual({ images: false, tma: false, cases: false });
    await repository.save(study, [slide(1, 1, 'a@b.nl', 'x')]);
    expect(await repository.summary(study)).toMatchObject({ images: true, tma: false, cases: false });
    await repository.save(study, [{ caseId: 2, questionId: 1, user: 'a@b.nl', answer: 'y' }]);
    await repository.save(study, [{ imageId: 1, tmaRow: 0, tmaCol: 0, questionId: 1, user: 'a@b.nl', answer: 'z' }]);
    const summary = await repository.summary(study);
    expect(summary).toMatchObject({ images: true, tma: true, cases: true });
    expect(summary.updatedOn).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('finds updated studies by reading a fixed number of items per study, however many answers it has', async () => {
    const small = newStudy();
    const large = newStudy();
    const quiet = newStudy();
    await repository.save(quiet, [slide(1, 1, 'a@b.nl', 'old')]);
    const since = new Date(clock + 1);
    await repository.save(small, [slide(1, 1, 'a@b.nl', 'x')]);
    await repository.save(
      large,
      Array.from({ length: 500 }, (_, i) => slide(i + 1, 1, 'a@b.nl', 'y')),
    );
    const scoped = await repository.studiesUpdatedSince(since, [small, large, quiet]);
    expect(scoped.studyIds).toEqual([small, large]);
    expect(scoped.itemsRead).toBeLessThanOrEqual(3 * SCORE_SHARDS);
    const smallOnly = await repository.studiesUpdatedSince(since, [small]);
    const largeOnly = await repository.studiesUpdatedSince(since, [large]);
    expect(largeOnly.itemsRead).toBeLessThanOrEqual(SCORE_SHARDS);
    expect(smallOnly.itemsRead).toBeLessThanOrEqual(SCORE_SHARDS);

    const everything = await repository.studiesUpdatedSince(since, 'all');
    expect(everything.studyIds).toEqual(expect.arrayContaining([small, large]));
    expect(everything.studyIds).not.toContain(quiet);
    // Unchanged answers do not count as an update.
    const later = new Date(clock + 1);
    await repository.save(small, [slide(1, 1, 'a@b.nl', 'x')]);
    expect((await repository.studiesUpdatedSince(later, [small])).studyIds).toEqual([]);
  });

  it('gives each answer one id when two writers save the same new answers at once; one of them commits', async () => {
    const study = newStudy();
    const other = new DynamoScoreRepository(client, config.tables.scores);
    const answers = Array.from({ length: 300 }, (_, i) => slide(i + 1, 1, 'a@b.nl', 'same'));
    const outcomes = await Promise.allSettled([repository.save(study, answers), other.save(study, answers)]);
    // Either one wrote after the other (both succeed, the second changing nothing), or they overlapped and the
    // one overtaken was told so, nothing of it visible.
    const saved = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(UploadOvertaken);
    expect(saved.length).toBeGreaterThan(0);
    expect(saved.reduce((n, o) => n + o.created, 0)).toBe(300);
    const stored = await all(study);
    expect(stored).toHaveLength(300);
    expect(new Set(stored.map((s) => s.id)).size).toBe(300);
  });

  it('shows nothing of a save that stopped before its commit; saving again makes it visible, once', async () => {
    const study = newStudy();
    await repository.save(study, [slide(1, 1, 'a@b.nl', 'old')]);
    const since = new Date(clock + 1);
    // The process "dies" at the commit: every answer is written, the one write that makes them visible is not.
    const crashing = createDynamoClient(config);
    crashing.middlewareStack.add(
      (next) => async (args) => {
        if (isCommit(args.input)) throw new Error('crashed before the commit');
        return next(args);
      },
      { step: 'initialize', name: 'crashBeforeCommit' },
    );
    const answers = [
      slide(1, 1, 'a@b.nl', 'new'),
      ...Array.from({ length: 400 }, (_, i) => slide(i + 2, 1, 'a@b.nl', 'x')),
    ];
    await expect(new DynamoScoreRepository(crashing, config.tables.scores, tick).save(study, answers)).rejects.toThrow(
      'crashed before the commit',
    );
    crashing.destroy();
    expect(await rawItems(study)).toBeGreaterThan(400); // written, but not visible:
    expect((await all(study)).map((a) => a.answer)).toEqual(['old']);
    expect((await repository.studiesUpdatedSince(since, [study])).studyIds).toEqual([]);
    expect(await repository.summary(study)).toMatchObject({ tma: false, cases: false });

    // The retry overwrites the orphans (no item is added) and commits.
    expect(await repository.save(study, answers)).toEqual({ created: 400, changed: 1, unchanged: 0 });
    const stored = await all(study);
    expect(stored).toHaveLength(401);
    expect(stored[0]?.answer).toBe('new');
    expect(await rawItems(study)).toBe(1 + 401); // the first answer's committed item, and a pending item each
    expect((await repository.studiesUpdatedSince(since, [study])).studyIds).toEqual([study]);
    // A later change folds the committed pending version into its committed item, and is read in its place.
    await repository.save(study, [slide(1, 1, 'a@b.nl', 'newer')]);
    expect((await all(study)).map((a) => a.answer).slice(0, 2)).toEqual(['newer', 'x']);
  });

  it('refuses the commit of an upload that another one overtook on the same answers', async () => {
    const study = newStudy();
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow = createDynamoClient(config);
    slow.middlewareStack.add(
      (next) => async (args) => {
        if (isCommit(args.input)) await held;
        return next(args);
      },
      { step: 'initialize', name: 'holdCommit' },
    );
    const first = new DynamoScoreRepository(slow, config.tables.scores, tick).save(study, [slide(1, 1, 'a@b.nl', 'A')]);
    // Let the first upload write its pending item, then the second one overwrites it.
    while ((await rawItems(study)) === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await repository.save(study, [slide(1, 1, 'a@b.nl', 'B'), slide(2, 1, 'a@b.nl', 'B')])).toMatchObject({
      created: 2,
    });
    release();
    await expect(first).rejects.toBeInstanceOf(UploadOvertaken);
    slow.destroy();
    expect((await all(study)).map((a) => a.answer)).toEqual(['B', 'B']);
  });

  it('bulk-loads answers and marks the study as updated', async () => {
    const study = newStudy();
    const since = new Date(clock + 1);
    await repository.bulkLoad(
      study,
      Array.from({ length: 260 }, (_, i) => slide(i + 1, 1, 'a@b.nl', `${i}`)),
    );
    expect(await all(study)).toHaveLength(260);
    expect((await repository.studiesUpdatedSince(since, [study])).studyIds).toEqual([study]);
    expect(await repository.summary(study)).toMatchObject({ images: true, tma: false, cases: false });
  });
});
