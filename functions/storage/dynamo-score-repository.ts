import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  paginateQuery,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type {
  AnswerFilter,
  NewAnswer,
  SaveOutcome,
  ScoreRepository,
  StoredAnswer,
  StudyAnswerSummary,
  UpdatedStudies,
} from '../scores/score-repository.js';
import { allocateIds, BATCH_WRITE_ITEMS, batchPut } from './dynamo-writes.js';
import {
  answerKeyOf,
  answerPartition,
  answerSortKey,
  SCORE_SHARDS,
  shardOf,
  targetPrefix,
  UPDATES_PARTITION,
  updateMarkerKey,
  updateMarkerPrefix,
} from './score-keys.js';
import { mergeSortedPages, readAhead } from './sorted-merge.js';

/**
 * Answers in the scores table (every key a string; see score-keys.ts for the sort keys):
 *
 *   pk                       sk                           item
 *   SCORES#<studyId>#<0..7>  C#…, I#… (answerSortKey)     { id, q: questionId, u: user, a: answer, s?: TMA sample, t: lastModifiedOn }
 *   UPDATED                  <studyId, 10 digits>#<0..7>  { studyId, on: last change of the shard, img?, tma?, cs? }
 *   COUNTER                  SCORE                        { last }: answer IDs, allocated in blocks with an atomic ADD
 *
 * Attribute names are short because a study may hold millions of answers and every byte is read on export.
 *
 * **Write path.** Answers are grouped by shard; each shard is written by up to 99 answers per TransactWrite,
 * together with the shard's UPDATED item (100 items, DynamoDB's limit), so GetStudiesUpdated can never miss a
 * committed answer. A shard's transactions run one after another (they all update its UPDATED item, and
 * concurrent transactions on one item conflict); the eight shards run in parallel. First the stored versions of
 * every answer are read (consistently, BatchGet) and IDs for the new ones reserved in one block: unchanged answers
 * are left out, changed ones keep their id (the Put is conditional on it), new ones get fresh ids (the Put is
 * conditional on the answer not existing). When a condition fails (a concurrent writer got in between) or
 * transactions conflict, that batch is read again and written again.
 *
 * **Atomicity.** Each transaction is atomic; a whole save is not (50,000 answers are 500 transactions). A crash
 * part way leaves some batches saved; the same save again writes the rest and leaves the saved ones unchanged.
 */
const TRANSACTION_ANSWERS = 99;
/** TransactWriteItems takes 4 MB per request; stay under it with room for keys and attribute names. */
const TRANSACTION_BYTES = 3_500_000;
/** DynamoDB items are at most 400 KB, keys and attribute names included. */
export const MAX_ANSWER_BYTES = 350_000;
const ATTEMPTS = 8;
const BATCH_GET_KEYS = 100;
const READS_IN_FLIGHT = 8;

type Item = Record<string, unknown>;
type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

interface StoredVersion {
  id: number;
  a: string;
  s?: string;
}

export class DynamoScoreRepository implements ScoreRepository {
  readonly maxAnswerBytes = MAX_ANSWER_BYTES;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async save(studyId: number, answers: readonly NewAnswer[]): Promise<SaveOutcome> {
    const byShard = new Map<number, Map<string, NewAnswer>>();
    for (const answer of answers) {
      const sk = answerSortKey(answer);
      const shard = shardOf(sk);
      const entries = byShard.get(shard) ?? new Map<string, NewAnswer>();
      byShard.set(shard, entries);
      entries.delete(sk); // a later answer with the same key wins, and takes the later position
      entries.set(sk, answer);
    }
    // Read every stored version and reserve every new ID up front, many requests in flight, rather than one
    // batch after another; a batch re-reads its own answers only when a concurrent writer got in between.
    const keys = [...byShard].flatMap(([shard, entries]) =>
      [...entries.keys()].map((sk) => ({ pk: answerPartition(studyId, shard), sk })),
    );
    const stored = await this.storedVersions(keys);
    const ids = await this.allocate(keys.length - stored.size);
    const outcome: SaveOutcome = { created: 0, changed: 0, unchanged: 0 };
    // The shards are written in parallel, each by one transaction after another: they all update its UPDATED item.
    await Promise.all(
      [...byShard].map(async ([shard, entries]) => {
        for (const batch of transactionBatches([...entries])) {
          const done = await this.saveBatch(studyId, shard, batch, stored, ids);
          outcome.created += done.created;
          outcome.changed += done.changed;
          outcome.unchanged += done.unchanged;
        }
      }),
    );
    return outcome;
  }

  async *answers(studyId: number, filter: AnswerFilter = {}): AsyncGenerator<StoredAnswer> {
    const prefixes = filter.targets ? [...new Set(filter.targets.map(targetPrefix))].sort() : undefined;
    const shards = Array.from({ length: SCORE_SHARDS }, (_, shard) =>
      readAhead(this.shardPages(answerPartition(studyId, shard), prefixes, filter)),
    );
    for await (const item of mergeSortedPages(shards, (i) => i.sk as string)) yield answerFrom(item);
  }

  async summary(studyId: number): Promise<StudyAnswerSummary> {
    const summary: StudyAnswerSummary = { images: false, tma: false, cases: false };
    const pages = paginateQuery(
      { client: this.db },
      {
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': UPDATES_PARTITION, ':prefix': updateMarkerPrefix(studyId) },
        ConsistentRead: true,
      },
    );
    for await (const page of pages) {
      for (const marker of page.Items ?? []) {
        summary.images ||= marker.img === true;
        summary.tma ||= marker.tma === true;
        summary.cases ||= marker.cs === true;
        const on = marker.on as string;
        if (summary.updatedOn === undefined || on > summary.updatedOn) summary.updatedOn = on;
      }
    }
    return summary;
  }

  /**
   * Reads UPDATED items only: SCORE_SHARDS per study, whatever the number of answers. Strongly consistent, so an
   * answer is reported as soon as its transaction has committed.
   */
  async studiesUpdatedSince(since: Date, scope: 'all' | readonly number[]): Promise<UpdatedStudies> {
    const at = since.toISOString();
    const found = new Set<number>();
    let itemsRead = 0;
    if (scope === 'all') {
      const pages = paginateQuery(
        { client: this.db },
        {
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk',
          FilterExpression: '#on >= :since',
          ExpressionAttributeNames: { '#on': 'on' },
          ExpressionAttributeValues: { ':pk': UPDATES_PARTITION, ':since': at },
          ConsistentRead: true,
        },
      );
      for await (const page of pages) {
        itemsRead += page.ScannedCount ?? 0;
        for (const marker of page.Items ?? []) found.add(marker.studyId as number);
      }
    } else {
      const keys = [...new Set(scope)].flatMap((studyId) =>
        Array.from({ length: SCORE_SHARDS }, (_, shard) => ({
          pk: UPDATES_PARTITION,
          sk: updateMarkerKey(studyId, shard),
        })),
      );
      const markers = await this.batchGet(keys, ['studyId', 'on']);
      itemsRead = markers.length;
      for (const marker of markers) if ((marker.on as string) >= at) found.add(marker.studyId as number);
    }
    return { studyIds: [...found].sort((a, b) => a - b), itemsRead };
  }

  /**
   * Loads answers the study does not have yet, fast (BatchWrite, many requests in flight), without comparing
   * with stored answers: for seeding benchmarks and migrations, not for uploads. Existing answers with the same
   * keys are overwritten with new ids. The UPDATED items are written before (so a crash still shows the study as
   * changed) and after the answers.
   */
  async bulkLoad(studyId: number, answers: readonly NewAnswer[], concurrency = 16): Promise<void> {
    if (answers.length === 0) return;
    const ids = await this.allocate(answers.length);
    const at = this.now().toISOString();
    const kinds = kindsOf(answers);
    await this.touchMarkers(studyId, at, kinds);
    const items = answers.map((answer, index) => answerItem(studyId, answer, ids[index] as number, at));
    let next = 0;
    const worker = async () => {
      while (next < items.length) {
        const batch = items.slice(next, next + BATCH_WRITE_ITEMS);
        next += BATCH_WRITE_ITEMS;
        await batchPut(this.db, this.table, batch);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    await this.touchMarkers(studyId, this.now().toISOString(), kinds);
  }

  /** Writes one transaction; `ids` is a pool of reserved IDs that new answers take from. */
  private async saveBatch(
    studyId: number,
    shard: number,
    batch: [string, NewAnswer][],
    prefetched: ReadonlyMap<string, StoredVersion>,
    ids: number[],
  ): Promise<SaveOutcome> {
    const partition = answerPartition(studyId, shard);
    let stored = prefetched;
    for (let attempt = 1; ; attempt++) {
      const changes: { answer: NewAnswer; id?: number }[] = [];
      let unchanged = 0;
      for (const [sk, answer] of batch) {
        const current = stored.get(sk);
        if (current && current.a === answer.answer && current.s === storedSample(answer)) unchanged++;
        else changes.push({ answer, id: current?.id });
      }
      if (changes.length === 0) return { created: 0, changed: 0, unchanged };
      const created = changes.filter((c) => c.id === undefined).length;
      const fresh = ids.splice(0, created);
      if (fresh.length < created) fresh.push(...(await this.allocate(created - fresh.length)));
      const at = this.now().toISOString();
      const items: TransactItem[] = changes.map(({ answer, id }) => ({
        Put: {
          TableName: this.table,
          Item: answerItem(studyId, answer, id ?? (fresh.shift() as number), at),
          // A new answer must still be new, a changed one still have the id we keep: else someone wrote between.
          ...(id === undefined
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: '#id = :id',
                ExpressionAttributeNames: { '#id': 'id' },
                ExpressionAttributeValues: { ':id': id },
              }),
        },
      }));
      items.push(this.markerUpdate(studyId, shard, at, kindsOf(changes.map((c) => c.answer))));
      try {
        await this.db.send(new TransactWriteCommand({ TransactItems: items }));
        return { created, changed: changes.length - created, unchanged };
      } catch (error) {
        if (!isRetryableCancellation(error) || attempt >= ATTEMPTS) throw error;
        // Another writer got there first: back off, read what it wrote, and compare again. The IDs taken for
        // this attempt are left unused (IDs need not be consecutive).
        await sleep(20 * 2 ** attempt * Math.random());
        stored = await this.storedVersions(batch.map(([sk]) => ({ pk: partition, sk })));
      }
    }
  }

  private markerUpdate(studyId: number, shard: number, at: string, kinds: Kinds): TransactItem {
    const { expression, values } = markerSet(studyId, at, kinds);
    return {
      Update: {
        TableName: this.table,
        Key: { pk: UPDATES_PARTITION, sk: updateMarkerKey(studyId, shard) },
        UpdateExpression: expression,
        ExpressionAttributeNames: { '#on': 'on' },
        ExpressionAttributeValues: values,
      },
    };
  }

  private async touchMarkers(studyId: number, at: string, kinds: Kinds): Promise<void> {
    await Promise.all(
      Array.from({ length: SCORE_SHARDS }, (_, shard) => {
        const { expression, values } = markerSet(studyId, at, kinds);
        return this.db.send(
          new UpdateCommand({
            TableName: this.table,
            Key: { pk: UPDATES_PARTITION, sk: updateMarkerKey(studyId, shard) },
            UpdateExpression: expression,
            ExpressionAttributeNames: { '#on': 'on' },
            ExpressionAttributeValues: values,
          }),
        );
      }),
    );
  }

  private async storedVersions(keys: readonly { pk: string; sk: string }[]): Promise<Map<string, StoredVersion>> {
    const items = await this.batchGet(keys, ['sk', 'id', 'a', 's']);
    return new Map(items.map((item) => [item.sk as string, item as unknown as StoredVersion]));
  }

  private allocate(count: number): Promise<number[]> {
    return allocateIds(this.db, this.table, { pk: 'COUNTER', sk: 'SCORE' }, count);
  }

  private async *shardPages(
    partition: string,
    prefixes: readonly string[] | undefined,
    filter: AnswerFilter,
  ): AsyncGenerator<Item[]> {
    const conditions: string[] = [];
    // Only what an answer needs: the partition key and the question and user (both in the sort key) are left out,
    // a third of the bytes an export would otherwise read and parse.
    const names: Record<string, string> = { '#sk': 'sk', '#id': 'id', '#a': 'a', '#s': 's', '#t': 't' };
    const values: Record<string, unknown> = { ':pk': partition };
    if (filter.questionId !== undefined) {
      conditions.push('#q = :q');
      names['#q'] = 'q';
      values[':q'] = filter.questionId;
    }
    if (filter.user !== undefined) {
      conditions.push('#u = :u');
      names['#u'] = 'u';
      values[':u'] = filter.user;
    }
    const base: QueryCommandInput = {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk',
      ConsistentRead: true, // a client reading right after its upload sees every answer it sent
      ProjectionExpression: '#sk, #id, #a, #s, #t',
      ExpressionAttributeNames: names,
      ...(conditions.length > 0 ? { FilterExpression: conditions.join(' AND ') } : {}),
    };
    const queries: QueryCommandInput[] = prefixes
      ? prefixes.map((prefix) => ({
          ...base,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ...values, ':prefix': prefix },
        }))
      : [{ ...base, ExpressionAttributeValues: values }];
    for (const query of queries) {
      for await (const page of paginateQuery({ client: this.db }, query)) yield page.Items ?? [];
    }
  }

  /** Every item of `keys` that exists, 100 keys per request, READS_IN_FLIGHT requests at a time. */
  private async batchGet(keys: readonly Item[], attributes: readonly string[]): Promise<Item[]> {
    const found: Item[] = [];
    const names = Object.fromEntries(attributes.map((a) => [`#${a}`, a]));
    let next = 0;
    const worker = async () => {
      while (next < keys.length) {
        let pending = keys.slice(next, next + BATCH_GET_KEYS);
        next += BATCH_GET_KEYS;
        for (let attempt = 0; pending.length > 0; attempt++) {
          if (attempt > ATTEMPTS) throw new Error('DynamoDB kept leaving keys of a BatchGet unprocessed');
          if (attempt > 0) await sleep(50 * 2 ** attempt);
          const { Responses, UnprocessedKeys } = await this.db.send(
            new BatchGetCommand({
              RequestItems: {
                [this.table]: {
                  Keys: pending,
                  ConsistentRead: true,
                  ProjectionExpression: Object.keys(names).join(', '),
                  ExpressionAttributeNames: names,
                },
              },
            }),
          );
          found.push(...(Responses?.[this.table] ?? []));
          pending = (UnprocessedKeys?.[this.table]?.Keys ?? []) as Item[];
        }
      }
    };
    await Promise.all(Array.from({ length: READS_IN_FLIGHT }, worker));
    return found;
  }
}

/** Splits one shard's answers into transactions: at most 99 answers and TRANSACTION_BYTES of answer text each. */
function* transactionBatches(entries: [string, NewAnswer][]): Generator<[string, NewAnswer][]> {
  let batch: [string, NewAnswer][] = [];
  let bytes = 0;
  for (const entry of entries) {
    const size = Buffer.byteLength(entry[1].answer) + entry[0].length + 100;
    if (batch.length > 0 && (batch.length >= TRANSACTION_ANSWERS || bytes + size > TRANSACTION_BYTES)) {
      yield batch;
      batch = [];
      bytes = 0;
    }
    batch.push(entry);
    bytes += size;
  }
  if (batch.length > 0) yield batch;
}

function answerItem(studyId: number, answer: NewAnswer, id: number, at: string): Item {
  const sk = answerSortKey(answer);
  const sample = storedSample(answer);
  return {
    pk: answerPartition(studyId, shardOf(sk)),
    sk,
    id,
    q: answer.questionId,
    u: answer.user,
    a: answer.answer,
    ...(sample !== undefined ? { s: sample } : {}),
    t: at,
  };
}

/** The TMA sample ID as stored: only for cores, `""` when the core has none. */
function storedSample(answer: NewAnswer): string | undefined {
  return answer.tmaRow === undefined ? undefined : (answer.tmaSampleId ?? '');
}

/** Assigned field by field, not spread: this runs once per exported answer, and spreads cost a third of it. */
function answerFrom(item: Item): StoredAnswer {
  const answer = answerKeyOf(item.sk as string) as StoredAnswer;
  if (answer.tmaRow !== undefined) answer.tmaSampleId = (item.s as string | undefined) ?? '';
  answer.answer = item.a as string;
  answer.id = item.id as number;
  answer.lastModifiedOn = item.t as string;
  return answer;
}

interface Kinds {
  images: boolean;
  tma: boolean;
  cases: boolean;
}

function kindsOf(answers: readonly NewAnswer[]): Kinds {
  const kinds: Kinds = { images: false, tma: false, cases: false };
  for (const answer of answers) {
    if (answer.imageId === undefined) kinds.cases = true;
    else kinds.images = true;
    if (answer.tmaRow !== undefined) kinds.tma = true;
  }
  return kinds;
}

/** Sets the marker's time and turns on (never off) the flags of the kinds of answers written. */
function markerSet(studyId: number, at: string, kinds: Kinds): { expression: string; values: Record<string, unknown> } {
  const sets = ['#on = :on', 'studyId = :study'];
  if (kinds.images) sets.push('img = :yes');
  if (kinds.tma) sets.push('tma = :yes');
  if (kinds.cases) sets.push('cs = :yes');
  const values: Record<string, unknown> = { ':on': at, ':study': studyId };
  if (kinds.images || kinds.tma || kinds.cases) values[':yes'] = true;
  return { expression: `SET ${sets.join(', ')}`, values };
}

function isRetryableCancellation(error: unknown): boolean {
  return (
    error instanceof TransactionCanceledException &&
    (error.CancellationReasons ?? []).some(
      (reason) => reason.Code === 'ConditionalCheckFailed' || reason.Code === 'TransactionConflict',
    )
  );
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
