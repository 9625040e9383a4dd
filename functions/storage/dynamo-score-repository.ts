import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  PutCommand,
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
import { UploadOvertaken } from '../scores/score-repository.js';
import { allocateIds, BATCH_WRITE_ITEMS, batchPut } from './dynamo-writes.js';
import { type LargeAnswerStore, largeAnswerKey } from './s3-large-answers.js';
import {
  answerKeyOf,
  answerPartition,
  answerSortKey,
  committedSortKey,
  isPendingSortKey,
  pendingSortKey,
  SCORE_SHARDS,
  shardOf,
  targetPrefix,
  UPDATES_PARTITION,
  updateMarkerKey,
  updateMarkerPrefix,
  uploadKey,
  userSpellingsPartition,
} from './score-keys.js';
import { mergeSortedPages, readAhead } from './sorted-merge.js';

/**
 * Answers in the scores table (every key a string; see score-keys.ts for the sort keys):
 *
 *   pk                       sk                           item
 *   SCORES#<studyId>#<0..7>  C#…, I#… (answerSortKey)     committed: { id, q: questionId, u: user, a: answer, s?: TMA sample, t: lastModifiedOn }
 *                                                         (an answer over MAX_ANSWER_BYTES: p: its S3 key in place of a)
 *   SCORES#<studyId>#<0..7>  the same and a space         pending: the same fields and v: the upload that wrote it
 *   UPLOAD#<uploadId>        STATE                        { studyId, state: writing | committed | abandoned, on, expiresAt? }
 *   UPDATED                  <studyId, 10 digits>#<0..7>  { studyId, on: last commit touching the shard, img?, tma?, cs? }
 *   COUNTER                  SCORE, UPLOAD                { last }: answer and upload IDs, allocated with an atomic ADD
 *
 * Attribute names are short because a study may hold millions of answers and every byte is read on export.
 *
 * **All or nothing, across crashes.** A save is one upload: it takes an upload ID, records it as `writing`, and
 * writes each answer as a *pending* item, tagged with that ID, beside the answer's committed item. Nothing it
 * wrote is visible until ONE conditional transaction turns its record to `committed` (only if still `writing`)
 * and updates the UPDATED items. Every reader goes through {@link DynamoScoreRepository.answers}, which shows a
 * pending item only when its upload is committed (and then in place of the committed item of the same answer),
 * so a crash at any point before the commit leaves no trace a reader can see: the upload's record expires
 * (TTL, a day) and its pending items stay invisible until a later save of the same answers (the retry)
 * overwrites them. Two items rather than two versions in one, so an answer may still take a whole item.
 *
 * **Writing over a pending item.** A save that finds a pending item of a *committed* upload first moves it into
 * the committed item (the fold), in the same transaction as its own pending item. One that finds a pending item
 * of another upload still `writing` marks that upload `abandoned` in the same transaction: the other upload's
 * commit then fails and its caller is told nothing was saved (an answer overwritten under it would otherwise be
 * missing from a commit that reports success). Every transaction also checks that its own upload is still
 * `writing`, so of two uploads of the same answers at once exactly one commits.
 *
 * **Write path.** The stored versions of every answer (committed and pending) are read first (consistently,
 * BatchGet), with the state of the uploads that wrote them, and IDs for new answers reserved in one block:
 * unchanged answers are left out, changed ones keep their id, new ones get fresh ids. Transactions of up to 100
 * items run many at a time; each Put is conditional on the pending item being as read. When a condition fails
 * (a concurrent writer got in between) or transactions conflict, that batch is read again and written again.
 */
/** DynamoDB's limit of items in one TransactWriteItems. */
const TRANSACTION_ITEMS = 100;
/** TransactWriteItems takes 4 MB per request; stay under it with room for keys and attribute names. */
const TRANSACTION_BYTES = 3_500_000;
/**
 * DynamoDB items are at most 400 KB, keys and attribute names included: a longer answer goes to S3
 * (LargeAnswerStore, `answers/<studyId>/<sha256>.json`) and its item keeps the key (`p`) instead of the text.
 */
export const MAX_ANSWER_BYTES = 350_000;
/** The longest answer kept at all (in S3): a 50 MB ASAP import of 10⁶ coordinates is about 30 MB of JSON. */
export const MAX_LARGE_ANSWER_BYTES = 128 * 1024 * 1024;
const LARGE_ANSWERS_IN_FLIGHT = 4;
const ATTEMPTS = 8;
const BATCH_GET_KEYS = 100;
const READS_IN_FLIGHT = 8;
const TRANSACTIONS_IN_FLIGHT = 12;
/** How long the record of an upload that never commits (its writer crashed) is kept: long past any call. */
const UPLOAD_RECORD_SECONDS = 24 * 3600;

type Item = Record<string, unknown>;
type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** An answer as stored: its committed item, its pending item (with the upload that wrote it), either or both. */
interface StoredVersion {
  id: number;
  /** The text, or absent when it is in S3 at `p`. */
  a?: string;
  p?: string;
  /** The answer's label (NewAnswer.label). */
  l?: string;
  s?: string;
  t?: string;
  v?: number;
}

interface StoredAnswerItems {
  committed?: StoredVersion;
  pending?: StoredVersion;
}

type UploadState = 'writing' | 'committed' | 'abandoned' | 'gone';

/** An answer to write, with the S3 key of its text when the text is too long for an item. */
type Writable = NewAnswer & { pointer?: string | undefined };

export class DynamoScoreRepository implements ScoreRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly now: () => Date = () => new Date(),
    /** Where answers over MAX_ANSWER_BYTES go; without it they cannot be stored. */
    private readonly largeAnswers?: LargeAnswerStore,
  ) {}

  get maxAnswerBytes(): number {
    return this.largeAnswers ? MAX_LARGE_ANSWER_BYTES : MAX_ANSWER_BYTES;
  }

  /** The answer with the S3 key its text has (or would have) when it is too long for an item. */
  private writable(studyId: number, answer: NewAnswer): Writable {
    const text = answer.answer;
    if (text.length * 3 <= MAX_ANSWER_BYTES || Buffer.byteLength(text) <= MAX_ANSWER_BYTES) return answer;
    if (!this.largeAnswers) throw new Error(`An answer of ${Buffer.byteLength(text)} bytes needs a large-answer store`);
    return { ...answer, pointer: largeAnswerKey(studyId, text) };
  }

  /** Puts the texts of the large answers into S3 (before any item names them). */
  private async putLarge(studyId: number, answers: readonly Writable[]): Promise<void> {
    const large = answers.filter((a) => a.pointer !== undefined);
    const store = this.largeAnswers;
    if (large.length === 0 || !store) return;
    const written = new Set<string>();
    let next = 0;
    const worker = async () => {
      while (next < large.length) {
        const answer = large[next++] as Writable;
        if (written.has(answer.pointer as string)) continue;
        written.add(answer.pointer as string);
        await store.put(studyId, answer.answer);
      }
    };
    await Promise.all(Array.from({ length: Math.min(LARGE_ANSWERS_IN_FLIGHT, large.length) }, worker));
  }

  /** A stored answer whose text is in S3, with its text. */
  private async loaded(answer: StoredAnswer, key: string): Promise<StoredAnswer> {
    if (!this.largeAnswers)
      throw new Error(`The answer ${answer.id} is in S3 (${key}), and no large-answer store is set`);
    answer.answer = await this.largeAnswers.get(key);
    return answer;
  }

  async save(studyId: number, given: readonly NewAnswer[]): Promise<SaveOutcome> {
    const bySortKey = new Map<string, Writable>();
    for (const original of given) {
      const answer = this.writable(studyId, original);
      const sk = answerSortKey(answer);
      bySortKey.delete(sk); // a later answer with the same key wins, and takes the later position
      bySortKey.set(sk, answer);
    }
    // Read every stored version and reserve every new ID up front, many requests in flight, rather than one
    // batch after another; a batch re-reads its own answers only when a concurrent writer got in between.
    const stored = await this.storedAnswers(studyId, [...bySortKey.keys()]);
    const states = await this.uploadStates(uploadsOf(stored.values()));
    const outcome: SaveOutcome = { created: 0, changed: 0, unchanged: 0 };
    const changes = [...bySortKey].filter(([sk, answer]) => {
      const same = isUnchanged(visibleVersion(stored.get(sk), states), answer);
      if (same) outcome.unchanged++;
      return !same;
    });
    // Nothing to write: no upload, and not even the time of the study's last change moves.
    if (changes.length === 0) return outcome;
    await this.putLarge(
      studyId,
      changes.map(([, answer]) => answer),
    );
    const uploadId = await this.beginUpload(studyId);
    const ids = await this.allocate(changes.filter(([sk]) => stored.get(sk) === undefined).length);
    const batches = [...transactionBatches(changes, stored, states)];
    let next = 0;
    let failed = false;
    const worker = async () => {
      while (next < batches.length && !failed) {
        const batch = batches[next++] as [string, Writable][];
        try {
          const done = await this.saveBatch(studyId, uploadId, batch, stored, states, ids);
          outcome.created += done.created;
          outcome.changed += done.changed;
          outcome.unchanged += done.unchanged;
        } catch (error) {
          failed = true; // the others stop after their transaction in flight: nothing of this upload is visible
          throw error;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(TRANSACTIONS_IN_FLIGHT, batches.length) }, worker));
    await this.recordSpellings(
      studyId,
      changes.map(([, answer]) => answer.user),
    );
    const shards = new Set(changes.map(([sk]) => shardOf(sk)));
    await this.commit(studyId, uploadId, shards, kindsOf(changes.map(([, answer]) => answer)));
    return outcome;
  }

  /**
   * The study's visible answers: committed items, and pending items of committed uploads in their place. The
   * state of each upload is read once per call, when its first item is met, so an upload that commits while an
   * export runs is seen wholly or not at all by it.
   */
  async *answers(studyId: number, filter: AnswerFilter = {}): AsyncGenerator<StoredAnswer> {
    const prefixes = filter.targets ? [...new Set(filter.targets.map(targetPrefix))].sort() : undefined;
    const states = new Map<number, UploadState>();
    const spellings = await this.spellings(studyId);
    const named = (item: Item) => {
      const answer = answerFrom(item);
      answer.user = spellings.get(answer.user) ?? answer.user;
      return answer;
    };
    // Most answers are in their items; one in S3 is read when its turn comes (one at a time).
    const spelled = (item: Item) => (item.p === undefined ? named(item) : this.loaded(named(item), item.p as string));
    const shards = Array.from({ length: SCORE_SHARDS }, (_, shard) =>
      readAhead(this.withUploadStates(this.shardPages(answerPartition(studyId, shard), prefixes, filter), states)),
    );
    // An answer's pending item sorts right after its committed item: hold a committed item until the next one
    // shows whether a visible pending version replaces it.
    let held: Item | undefined;
    for await (const item of mergeSortedPages(shards, (i) => i.sk as string)) {
      if (item.v === undefined) {
        if (held) yield await spelled(held);
        held = item;
        continue;
      }
      const visible = states.get(item.v as number) === 'committed';
      if (held && (held.sk as string) === committedSortKey(item.sk as string)) {
        yield await spelled(visible ? item : held);
        held = undefined;
      } else {
        if (held) yield await spelled(held);
        held = undefined;
        if (visible) yield await spelled(item);
      }
    }
    if (held) yield await spelled(held);
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
  async bulkLoad(studyId: number, given: readonly NewAnswer[], concurrency = 16): Promise<void> {
    if (given.length === 0) return;
    const answers = given.map((answer) => this.writable(studyId, answer));
    await this.putLarge(studyId, answers);
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

  /**
   * Writes one transaction of pending items (and the folds and abandonments they need); `ids` is a pool of
   * reserved IDs that new answers take from. A batch whose transaction would pass DynamoDB's 100 items (a
   * re-read found more to fold) is written as two.
   */
  private async saveBatch(
    studyId: number,
    uploadId: number,
    batch: [string, Writable][],
    prefetched: ReadonlyMap<string, StoredAnswerItems>,
    knownStates: ReadonlyMap<number, UploadState>,
    ids: number[],
  ): Promise<SaveOutcome> {
    let stored = prefetched;
    let states = knownStates;
    for (let attempt = 1; ; attempt++) {
      const at = this.now().toISOString();
      const items: TransactItem[] = [this.stillWriting(uploadId)];
      const abandon = new Set<number>();
      const outcome: SaveOutcome = { created: 0, changed: 0, unchanged: 0 };
      for (const [sk, answer] of batch) {
        const current = stored.get(sk);
        const visible = visibleVersion(current, states);
        if (isUnchanged(visible, answer)) {
          outcome.unchanged++;
          continue;
        }
        const pending = current?.pending;
        const pendingState = pending?.v === undefined ? undefined : (states.get(pending.v) ?? 'gone');
        if (pending && pendingState === 'committed') {
          // Fold: the committed upload's version becomes the committed item, freeing the pending one for us.
          items.push({
            Put: {
              TableName: this.table,
              Item: answerItem(studyId, { ...answer, ...valuesOf(pending) }, pending.id, pending.t ?? at),
            },
          });
        } else if (pending?.v !== undefined && pending.v !== uploadId && pendingState === 'writing') {
          abandon.add(pending.v);
        }
        if (visible) outcome.changed++;
        else outcome.created++;
        const id = visible?.id ?? pending?.id ?? ids.shift() ?? ((await this.allocate(1))[0] as number);
        items.push({
          Put: {
            TableName: this.table,
            Item: answerItem(studyId, answer, id, at, uploadId),
            // The pending item must still be as read: else someone wrote between, and we read again.
            ...(pending?.v === undefined
              ? { ConditionExpression: 'attribute_not_exists(pk)' }
              : {
                  ConditionExpression: '#v = :v',
                  ExpressionAttributeNames: { '#v': 'v' },
                  ExpressionAttributeValues: { ':v': pending.v },
                }),
          },
        });
      }
      if (outcome.created + outcome.changed === 0) return outcome;
      for (const other of abandon) items.push(this.abandonment(other));
      if (items.length > TRANSACTION_ITEMS && batch.length > 1) {
        const half = Math.ceil(batch.length / 2);
        const first = await this.saveBatch(studyId, uploadId, batch.slice(0, half), stored, states, ids);
        const second = await this.saveBatch(studyId, uploadId, batch.slice(half), stored, states, ids);
        return {
          created: first.created + second.created,
          changed: first.changed + second.changed,
          unchanged: first.unchanged + second.unchanged,
        };
      }
      try {
        await this.db.send(new TransactWriteCommand({ TransactItems: items }));
        return outcome;
      } catch (error) {
        if (ownConditionFailed(error)) throw new UploadOvertaken();
        if (!isRetryableCancellation(error) || attempt >= ATTEMPTS) throw error;
        // Another writer got there first: back off, read what it wrote, and compare again. The IDs taken for
        // this attempt are left unused (IDs need not be consecutive).
        await sleep(20 * 2 ** attempt * Math.random());
        stored = await this.storedAnswers(
          studyId,
          batch.map(([sk]) => sk),
        );
        states = new Map([...states, ...(await this.uploadStates(uploadsOf(stored.values())))]);
      }
    }
  }

  /** How the study's users were first written, by lower-case email. */
  private async spellings(studyId: number): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    const pages = paginateQuery(
      { client: this.db },
      {
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': userSpellingsPartition(studyId) },
        ConsistentRead: true,
      },
    );
    for await (const page of pages) for (const item of page.Items ?? []) found.set(item.sk as string, item.e as string);
    return found;
  }

  /**
   * Keeps the first spelling of each user of the study: users already known are left alone, new ones written in
   * batches (studies have few users; an upload by 20,000 new users costs a twentieth of its answer writes). Two
   * uploads introducing the same user at the same moment in different spellings: the later write wins.
   */
  private async recordSpellings(studyId: number, users: readonly string[]): Promise<void> {
    const known = await this.spellings(studyId);
    const pk = userSpellingsPartition(studyId);
    const fresh = new Map<string, Item>();
    for (const user of users) {
      const sk = user.toLowerCase();
      if (!known.has(sk) && !fresh.has(sk)) fresh.set(sk, { pk, sk, e: user });
    }
    const items = [...fresh.values()];
    let next = 0;
    const worker = async () => {
      while (next < items.length) {
        const batch = items.slice(next, next + BATCH_WRITE_ITEMS);
        next += BATCH_WRITE_ITEMS;
        await batchPut(this.db, this.table, batch);
      }
    };
    await Promise.all(Array.from({ length: Math.min(8, Math.ceil(items.length / BATCH_WRITE_ITEMS)) }, worker));
  }

  /** Records a new upload as `writing`; the record expires unless the upload commits. */
  private async beginUpload(studyId: number): Promise<number> {
    const [uploadId] = await allocateIds(this.db, this.table, { pk: 'COUNTER', sk: 'UPLOAD' }, 1);
    const now = this.now();
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          ...uploadKey(uploadId as number),
          studyId,
          state: 'writing',
          on: now.toISOString(),
          expiresAt: Math.floor(now.getTime() / 1000) + UPLOAD_RECORD_SECONDS,
        },
      }),
    );
    return uploadId as number;
  }

  /**
   * The one write that makes an upload visible, all at once: its record turns `committed` (only if still
   * `writing`: an upload abandoned by a concurrent one never commits) together with the UPDATED items of the
   * shards it wrote, so GetStudiesUpdated and the export layout change exactly when its answers appear.
   */
  private async commit(studyId: number, uploadId: number, shards: ReadonlySet<number>, kinds: Kinds): Promise<void> {
    const at = this.now().toISOString();
    const items: TransactItem[] = [
      {
        Update: {
          TableName: this.table,
          Key: uploadKey(uploadId),
          UpdateExpression: 'SET #state = :committed, #on = :on REMOVE expiresAt',
          ConditionExpression: '#state = :writing',
          ExpressionAttributeNames: { '#state': 'state', '#on': 'on' },
          ExpressionAttributeValues: { ':committed': 'committed', ':writing': 'writing', ':on': at },
        },
      },
      ...[...shards].map((shard) => this.markerUpdate(studyId, shard, at, kinds)),
    ];
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      if (ownConditionFailed(error)) throw new UploadOvertaken();
      throw error;
    }
  }

  private stillWriting(uploadId: number): TransactItem {
    return {
      ConditionCheck: {
        TableName: this.table,
        Key: uploadKey(uploadId),
        ConditionExpression: '#state = :writing',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':writing': 'writing' },
      },
    };
  }

  private abandonment(uploadId: number): TransactItem {
    return {
      Update: {
        TableName: this.table,
        Key: uploadKey(uploadId),
        UpdateExpression: 'SET #state = :abandoned',
        ConditionExpression: '#state = :writing',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':abandoned': 'abandoned', ':writing': 'writing' },
      },
    };
  }

  /** The committed and pending items of these answers (by committed sort key), where they exist. */
  private async storedAnswers(studyId: number, sortKeys: readonly string[]): Promise<Map<string, StoredAnswerItems>> {
    const keys = sortKeys.flatMap((sk) => {
      const pk = answerPartition(studyId, shardOf(sk));
      return [
        { pk, sk },
        { pk, sk: pendingSortKey(sk) },
      ];
    });
    const found = new Map<string, StoredAnswerItems>();
    for (const item of await this.batchGet(keys, ['sk', 'id', 'a', 'p', 'l', 's', 't', 'v'])) {
      const sk = item.sk as string;
      const entry = found.get(committedSortKey(sk)) ?? {};
      if (isPendingSortKey(sk)) entry.pending = item as unknown as StoredVersion;
      else entry.committed = item as unknown as StoredVersion;
      found.set(committedSortKey(sk), entry);
    }
    return found;
  }

  /** The state of each upload; `gone` for one whose record expired (it never committed). */
  private async uploadStates(uploadIds: Iterable<number>): Promise<Map<number, UploadState>> {
    const ids = [...new Set(uploadIds)];
    const states = new Map<number, UploadState>(ids.map((id) => [id, 'gone']));
    if (ids.length === 0) return states;
    for (const record of await this.batchGet(ids.map(uploadKey), ['pk', 'state'])) {
      states.set(Number((record.pk as string).slice('UPLOAD#'.length)), record.state as UploadState);
    }
    return states;
  }

  /** Passes pages on once the state of every upload they name is in `states`. */
  private async *withUploadStates(
    pages: AsyncIterable<Item[]>,
    states: Map<number, UploadState>,
  ): AsyncGenerator<Item[]> {
    for await (const page of pages) {
      const unknown = new Set<number>();
      for (const item of page) if (item.v !== undefined && !states.has(item.v as number)) unknown.add(item.v as number);
      if (unknown.size > 0) for (const [id, state] of await this.uploadStates(unknown)) states.set(id, state);
      yield page;
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
    const names: Record<string, string> = {
      '#sk': 'sk',
      '#id': 'id',
      '#a': 'a',
      '#p': 'p',
      '#l': 'l',
      '#s': 's',
      '#t': 't',
      '#v': 'v',
    };
    const values: Record<string, unknown> = { ':pk': partition };
    if (filter.questionId !== undefined) {
      conditions.push('#q = :q');
      names['#q'] = 'q';
      values[':q'] = filter.questionId;
    }
    if (filter.user !== undefined) {
      conditions.push('#u = :u');
      names['#u'] = 'u';
      values[':u'] = filter.user.toLowerCase();
    }
    const base: QueryCommandInput = {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk',
      ConsistentRead: true, // a client reading right after its upload sees every answer it sent
      ProjectionExpression: '#sk, #id, #a, #p, #l, #s, #t, #v',
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

/**
 * Splits the changed answers into transactions: at most 100 items (each answer's pending item, a fold where the
 * stored pending version is committed, an abandonment per other upload in progress, the check of our own
 * upload) and TRANSACTION_BYTES of answer text each.
 */
function* transactionBatches(
  entries: [string, Writable][],
  stored: ReadonlyMap<string, StoredAnswerItems>,
  states: ReadonlyMap<number, UploadState>,
): Generator<[string, Writable][]> {
  let batch: [string, Writable][] = [];
  let items = 1;
  let bytes = 0;
  const others = new Set<number>();
  for (const entry of entries) {
    const pending = stored.get(entry[0])?.pending;
    const state = pending?.v === undefined ? undefined : states.get(pending.v);
    const fold =
      state === 'committed' && pending ? Buffer.byteLength(pending.a ?? pending.p ?? '') + entry[0].length + 100 : 0;
    const other = state === 'writing' && pending?.v !== undefined && !others.has(pending.v) ? 1 : 0;
    const count = 1 + (fold > 0 ? 1 : 0) + other;
    const size = Buffer.byteLength(entry[1].pointer ?? entry[1].answer) + entry[0].length + 100 + fold;
    if (batch.length > 0 && (items + count > TRANSACTION_ITEMS || bytes + size > TRANSACTION_BYTES)) {
      yield batch;
      batch = [];
      items = 1;
      bytes = 0;
      others.clear();
    }
    batch.push(entry);
    items += count;
    bytes += size;
    if (other > 0 && pending?.v !== undefined) others.add(pending.v);
  }
  if (batch.length > 0) yield batch;
}

/** The committed item of an answer, or with `uploadId` its pending item written by that upload. */
function answerItem(studyId: number, answer: Writable, id: number, at: string, uploadId?: number): Item {
  const sk = answerSortKey(answer);
  const sample = storedSample(answer);
  return {
    pk: answerPartition(studyId, shardOf(sk)),
    sk: uploadId === undefined ? sk : pendingSortKey(sk),
    id,
    q: answer.questionId,
    u: answer.user.toLowerCase(),
    ...(answer.pointer === undefined ? { a: answer.answer } : { p: answer.pointer }),
    ...(answer.label !== undefined ? { l: answer.label } : {}),
    ...(sample !== undefined ? { s: sample } : {}),
    t: at,
    ...(uploadId === undefined ? {} : { v: uploadId }),
  };
}

/** The version of an answer readers see: the pending one if its upload committed, else the committed one. */
function visibleVersion(
  stored: StoredAnswerItems | undefined,
  states: ReadonlyMap<number, UploadState>,
): StoredVersion | undefined {
  const pending = stored?.pending;
  if (pending?.v !== undefined && states.get(pending.v) === 'committed') return pending;
  return stored?.committed;
}

function isUnchanged(visible: StoredVersion | undefined, answer: Writable): boolean {
  if (visible === undefined || visible.s !== storedSample(answer) || visible.l !== answer.label) return false;
  return answer.pointer === undefined
    ? visible.p === undefined && visible.a === answer.answer
    : visible.p === answer.pointer;
}

/** An answer's stored text (or its S3 key) and TMA sample, to write it again as the committed item. */
function valuesOf(version: StoredVersion): Pick<Writable, 'answer' | 'tmaSampleId' | 'pointer' | 'label'> {
  const text = { answer: version.a ?? '', pointer: version.p, label: version.l };
  return version.s === undefined ? text : { ...text, tmaSampleId: version.s };
}

function* uploadsOf(stored: Iterable<StoredAnswerItems>): Generator<number> {
  for (const entry of stored) if (entry.pending?.v !== undefined) yield entry.pending.v;
}

/** The TMA sample ID as stored: only for cores, `""` when the core has none. */
function storedSample(answer: NewAnswer): string | undefined {
  return answer.tmaRow === undefined ? undefined : (answer.tmaSampleId ?? '');
}

/** Assigned field by field, not spread: this runs once per exported answer, and spreads cost a third of it. */
function answerFrom(item: Item): StoredAnswer {
  const answer = answerKeyOf(item.sk as string) as StoredAnswer;
  if (answer.tmaRow !== undefined) answer.tmaSampleId = (item.s as string | undefined) ?? '';
  answer.answer = (item.a as string | undefined) ?? '';
  if (item.l !== undefined) answer.label = item.l as string;
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

/** The transaction failed because our own upload is no longer `writing` (its first item is that check). */
function ownConditionFailed(error: unknown): boolean {
  return (
    error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed'
  );
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
