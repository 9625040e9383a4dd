import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateQuery,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { StudySettings } from '../domain/study-config/model.js';
import type {
  ImportLogEntry,
  Study,
  StudyCase,
  StudyContents,
  StudyImage,
  StudyMember,
  StudyQuestion,
  StudyTmaMap,
} from '../studies/study-model.js';
import type { NewCase, NewImage, NewQuestion, StudyRepository } from '../studies/study-repository.js';
import { allocateIds, batchPutAll } from './dynamo-writes.js';

/**
 * Studies in the studies table (single-table design; every key is a string):
 *
 *   pk                  sk                        item
 *   STUDIES             <id, 10 digits>           a study (listing all studies is one consistent Query)
 *   STUDYNAME           <name, lower case>        { studyId }: one study per name
 *   COUNTER             STUDY|IMAGE|CASE|QUESTION { last }: ID allocation (atomic ADD, in blocks)
 *   STUDY#<id>          IMAGE#<id, 10 digits>     an image
 *   STUDY#<id>          IMAGEPATH#<path>          { imageId }: one image per path and study
 *   STUDY#<id>          CASE#<id, 10 digits>      a case
 *   STUDY#<id>          CASENAME#<lower name>     { caseId }: one case per name and study
 *   STUDY#<id>          QUESTION#<id, 10 digits>  a question
 *   STUDY#<id>          QUESTIONNAME#<lower name> { questionId }: one question per name and study
 *   STUDY#<id>          MEMBER#<email, lower case> a user of the study (email as first written) and their rights
 *   STUDY#<id>          MAP#<name>                a TMA map
 *   IMAGE#<id>          REF                       { studyId }: finds an image's study from its ID alone
 *   CASE#<id>           REF                       { studyId }
 *   IMPORTLOG#<studyId> <ISO time>#<n>            one Reimport log
 *
 * Items written together (an image, its path lock and its reference) go in one transaction, so a concurrent
 * Reimport either sees all of them or none.
 */
const TRANSACTION_ITEMS = 99;
const pad = (id: number) => String(id).padStart(10, '0');
const studyKey = (id: number) => `STUDY#${id}`;

type Item = Record<string, unknown>;

export class DynamoStudyRepository implements StudyRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async getStudy(id: number, options: { includeDeleted?: boolean } = {}): Promise<Study | undefined> {
    const item = await this.get('STUDIES', pad(id));
    const study = item ? studyFrom(item) : undefined;
    return study?.deleted && !options.includeDeleted ? undefined : study;
  }

  async findStudy(name: string): Promise<Study | undefined> {
    const lock = await this.get('STUDYNAME', name.toLowerCase());
    return lock ? this.getStudy(lock.studyId as number, { includeDeleted: true }) : undefined;
  }

  async listStudies(options: { includeDeleted?: boolean } = {}): Promise<Study[]> {
    const studies: Study[] = [];
    for await (const item of this.query('STUDIES')) {
      const study = studyFrom(item);
      if (!study.deleted || options.includeDeleted) studies.push(study);
    }
    return studies;
  }

  async createStudy(name: string, settings: StudySettings): Promise<{ study: Study; created: boolean }> {
    const existing = await this.findStudy(name);
    if (existing) return { study: existing, created: false };
    const [id] = await this.allocate('STUDY', 1);
    const at = this.now().toISOString();
    const study: Study = { id: id as number, name, settings, createdOn: at, updatedOn: at };
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: { pk: 'STUDYNAME', sk: name.toLowerCase(), studyId: study.id },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            { Put: { TableName: this.table, Item: { pk: 'STUDIES', sk: pad(study.id), ...study } } },
          ],
        }),
      );
      return { study, created: true };
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      // Another request created it first (its ID is used; ours is a gap).
      const winner = await this.findStudy(name);
      if (!winner) throw error;
      return { study: winner, created: false };
    }
  }

  async updateStudy(study: Study): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk: 'STUDIES', sk: pad(study.id), ...study },
        ConditionExpression: 'attribute_exists(pk)',
      }),
    );
  }

  async loadContents(studyId: number): Promise<StudyContents | undefined> {
    const study = await this.getStudy(studyId);
    if (!study) return undefined;
    const contents: StudyContents = { study, images: [], cases: [], questions: [], members: [], maps: [] };
    for await (const item of this.query(studyKey(studyId))) {
      const kind = (item.sk as string).slice(0, (item.sk as string).indexOf('#'));
      if (kind === 'IMAGE') contents.images.push(fields<StudyImage>(item));
      else if (kind === 'CASE') contents.cases.push(fields<StudyCase>(item));
      else if (kind === 'QUESTION') contents.questions.push(fields<StudyQuestion>(item));
      else if (kind === 'MEMBER') contents.members.push(fields<StudyMember>(item));
      else if (kind === 'MAP') contents.maps.push(fields<StudyTmaMap>(item));
    }
    contents.questions.sort((a, b) => a.order - b.order || a.id - b.id);
    return contents;
  }

  async getImage(imageId: number): Promise<StudyImage | undefined> {
    const reference = await this.get(`IMAGE#${imageId}`, 'REF');
    if (!reference) return undefined;
    if (!(await this.getStudy(reference.studyId as number))) return undefined; // deleted
    const item = await this.get(studyKey(reference.studyId as number), `IMAGE#${pad(imageId)}`);
    return item ? fields<StudyImage>(item) : undefined;
  }

  async findImageByPath(studyId: number, path: string): Promise<StudyImage | undefined> {
    const lock = await this.get(studyKey(studyId), `IMAGEPATH#${path}`);
    if (!lock) return undefined;
    const item = await this.get(studyKey(studyId), `IMAGE#${pad(lock.imageId as number)}`);
    return item ? fields<StudyImage>(item) : undefined;
  }

  async addImages(studyId: number, images: readonly NewImage[]): Promise<StudyImage[]> {
    if (images.length === 0) return [];
    const ids = await this.allocate('IMAGE', images.length);
    return this.addGuarded(
      IMAGES,
      images.map((image, index): StudyImage => ({ ...image, id: ids[index] as number, studyId })),
    );
  }

  updateImage(image: StudyImage, previousPath?: string): Promise<boolean> {
    return this.saveGuarded(IMAGES, image, previousPath === undefined ? undefined : { ...image, path: previousPath });
  }

  async getCase(caseId: number): Promise<StudyCase | undefined> {
    const reference = await this.get(`CASE#${caseId}`, 'REF');
    if (!reference) return undefined;
    if (!(await this.getStudy(reference.studyId as number))) return undefined; // deleted
    const item = await this.get(studyKey(reference.studyId as number), `CASE#${pad(caseId)}`);
    return item ? fields<StudyCase>(item) : undefined;
  }

  async addCases(studyId: number, cases: readonly NewCase[]): Promise<StudyCase[]> {
    if (cases.length === 0) return [];
    const ids = await this.allocate('CASE', cases.length);
    return this.addGuarded(
      CASES,
      cases.map((c, index): StudyCase => ({ ...c, id: ids[index] as number, studyId })),
    );
  }

  updateCase(studyCase: StudyCase, previousName?: string): Promise<boolean> {
    return this.saveGuarded(
      CASES,
      studyCase,
      previousName === undefined ? undefined : { ...studyCase, name: previousName },
    );
  }

  async addQuestions(studyId: number, questions: readonly NewQuestion[]): Promise<StudyQuestion[]> {
    if (questions.length === 0) return [];
    const ids = await this.allocate('QUESTION', questions.length);
    return this.addGuarded(
      QUESTIONS,
      questions.map((q, index): StudyQuestion => ({ ...q, id: ids[index] as number, studyId })),
    );
  }

  updateQuestion(question: StudyQuestion, previousName?: string): Promise<boolean> {
    return this.saveGuarded(
      QUESTIONS,
      question,
      previousName === undefined ? undefined : { ...question, name: previousName },
    );
  }

  async putMembers(studyId: number, members: readonly StudyMember[]): Promise<void> {
    await batchPutAll(
      this.db,
      this.table,
      members.map((m) => ({ pk: studyKey(studyId), sk: `MEMBER#${m.email.toLowerCase()}`, ...m })),
    );
  }

  async putMaps(studyId: number, maps: readonly StudyTmaMap[]): Promise<void> {
    await batchPutAll(
      this.db,
      this.table,
      maps.map((m) => ({ pk: studyKey(studyId), sk: `MAP#${m.name}`, ...m })),
    );
  }

  async appendImportLog(entry: ImportLogEntry): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          pk: `IMPORTLOG#${entry.studyId}`,
          sk: `${entry.at}#${Math.random().toString(36).slice(2, 8)}`,
          ...entry,
        },
      }),
    );
  }

  async listImportLogs(studyId: number, limit: number): Promise<ImportLogEntry[]> {
    const { Items } = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `IMPORTLOG#${studyId}` },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (Items ?? []).map((item) => fields<ImportLogEntry>(item));
  }

  private allocate(kind: string, count: number): Promise<number[]> {
    return allocateIds(this.db, this.table, { pk: 'COUNTER', sk: kind }, count);
  }

  /**
   * Adds entities with their lock items (and references), many to a transaction. When a batch is cancelled
   * because some lock already exists (another writer got there first), its entities are retried one by one and
   * those whose lock exists are skipped. Returns the entities written.
   */
  private async addGuarded<T>(guard: Guard<T>, entities: readonly T[]): Promise<T[]> {
    const itemsOf = (entity: T): TransactItem[] => [
      this.lockPut(guard.lock(entity)),
      this.put(guard.item(entity)),
      ...(guard.references?.(entity) ?? []).map((item) => this.put(item)),
    ];
    const batchSize = Math.max(1, Math.floor(TRANSACTION_ITEMS / itemsOf(entities[0] as T).length));
    const written: T[] = [];
    for (let start = 0; start < entities.length; start += batchSize) {
      const batch = entities.slice(start, start + batchSize);
      if (await this.transactOrConflict(batch.flatMap(itemsOf))) {
        written.push(...batch);
        continue;
      }
      for (const entity of batch) if (await this.transactOrConflict(itemsOf(entity))) written.push(entity);
    }
    return written;
  }

  /** Saves an entity; when its lock changes (a new path or name), the new lock must be free (false if not). */
  private async saveGuarded<T>(guard: Guard<T>, entity: T, previous?: T): Promise<boolean> {
    const lock = guard.lock(entity);
    const oldLock = previous === undefined ? undefined : guard.lock(previous);
    if (!oldLock || oldLock.sk === lock.sk) {
      await this.db.send(new TransactWriteCommand({ TransactItems: [this.put(guard.item(entity))] }));
      return true;
    }
    return this.transactOrConflict([
      this.put(guard.item(entity)),
      this.lockPut(lock),
      { Delete: { TableName: this.table, Key: { pk: oldLock.pk, sk: oldLock.sk } } },
    ]);
  }

  private put(item: Item): TransactItem {
    return { Put: { TableName: this.table, Item: item } };
  }

  /** A lock item: written only where none exists, so the first writer wins. */
  private lockPut(item: Item): TransactItem {
    return { Put: { TableName: this.table, Item: item, ConditionExpression: 'attribute_not_exists(pk)' } };
  }

  /** Runs a transaction; false when a condition failed (nothing was written). */
  private async transactOrConflict(items: TransactItem[]): Promise<boolean> {
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }));
      return true;
    } catch (error) {
      if (
        error instanceof TransactionCanceledException &&
        error.CancellationReasons?.some((r) => r.Code === 'ConditionalCheckFailed')
      ) {
        return false;
      }
      throw error;
    }
  }

  private async get(pk: string, sk: string): Promise<Item | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: { pk, sk }, ConsistentRead: true }),
    );
    return Item;
  }

  private async *query(pk: string): AsyncIterable<Item> {
    const pages = paginateQuery(
      { client: this.db },
      {
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ConsistentRead: true,
      },
    );
    for await (const page of pages) yield* page.Items ?? [];
  }
}

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** How an entity kept unique per study is stored: its item, its lock item, and items that find it by ID. */
interface Guard<T> {
  item(entity: T): Item;
  lock(entity: T): Item & { pk: string; sk: string };
  references?(entity: T): Item[];
}

const IMAGES: Guard<StudyImage> = {
  item: (image) => ({ pk: studyKey(image.studyId), sk: `IMAGE#${pad(image.id)}`, ...image }),
  lock: (image) => ({ pk: studyKey(image.studyId), sk: `IMAGEPATH#${image.path}`, imageId: image.id }),
  references: (image) => [{ pk: `IMAGE#${image.id}`, sk: 'REF', studyId: image.studyId }],
};

const CASES: Guard<StudyCase> = {
  item: (c) => ({ pk: studyKey(c.studyId), sk: `CASE#${pad(c.id)}`, ...c }),
  lock: (c) => ({ pk: studyKey(c.studyId), sk: `CASENAME#${c.name.toLowerCase()}`, caseId: c.id }),
  references: (c) => [{ pk: `CASE#${c.id}`, sk: 'REF', studyId: c.studyId }],
};

const QUESTIONS: Guard<StudyQuestion> = {
  item: (question) => ({ pk: studyKey(question.studyId), sk: `QUESTION#${pad(question.id)}`, ...question }),
  lock: (question) => ({
    pk: studyKey(question.studyId),
    sk: `QUESTIONNAME#${question.name.toLowerCase()}`,
    questionId: question.id,
  }),
};

function studyFrom(item: Item): Study {
  return fields<Study>(item);
}

/** The entity stored in an item: the item without its keys. */
function fields<T>(item: Item): T {
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest as T;
}
