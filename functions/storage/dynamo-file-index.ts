import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateQuery,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { FileIndex, IndexedFile } from '../uploads/file-index.js';

/**
 * The file index in the files table.
 *   folder: pk = `FOLDERS`, sk = `<folder>`            (the list of folders; the root is implicit)
 *   file:   pk = `DIR#<folder>`, sk = `<filename>`     (one item per path; listing a folder is one Query)
 */
const FOLDERS = 'FOLDERS';

export class DynamoFileIndex implements FileIndex {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async folderExists(folder: string): Promise<boolean> {
    if (folder === '') return true;
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: { pk: FOLDERS, sk: folder }, ProjectionExpression: 'pk' }),
    );
    return Item !== undefined;
  }

  async listFolders(): Promise<string[]> {
    const folders: string[] = [];
    for await (const item of this.query(FOLDERS)) folders.push(item.sk as string);
    return folders;
  }

  async get(folder: string, filename: string): Promise<IndexedFile | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: { pk: directory(folder), sk: filename }, ConsistentRead: true }),
    );
    return Item ? fileFrom(Item) : undefined;
  }

  async *list(folder: string): AsyncIterable<IndexedFile> {
    for await (const item of this.query(directory(folder))) yield fileFrom(item);
  }

  async commit(file: IndexedFile): Promise<boolean> {
    if (file.folder !== '') {
      // Idempotent: the first commit into a folder creates it, later ones keep its creation date.
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: FOLDERS, sk: file.folder },
          UpdateExpression: 'SET createdOn = if_not_exists(createdOn, :now)',
          ExpressionAttributeValues: { ':now': file.committedOn },
        }),
      );
    }
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: directory(file.folder), sk: file.filename, ...file },
          // The later of two racing commits wins, whatever order their writes arrive in.
          ConditionExpression: 'attribute_not_exists(pk) OR committedOn <= :committedOn',
          ExpressionAttributeValues: { ':committedOn': file.committedOn },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  private async *query(pk: string): AsyncIterable<Record<string, unknown>> {
    const pages = paginateQuery(
      { client: this.db },
      { TableName: this.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } },
    );
    for await (const page of pages) yield* page.Items ?? [];
  }
}

function directory(folder: string): string {
  return `DIR#${folder}`;
}

function fileFrom(item: Record<string, unknown>): IndexedFile {
  const file: IndexedFile = {
    folder: item.folder as string,
    filename: item.filename as string,
    path: item.path as string,
    key: item.key as string,
    size: item.size as number,
    uploadId: item.uploadId as string,
    committedOn: item.committedOn as string,
    committedBy: item.committedBy as string,
  };
  if (typeof item.head === 'string') file.head = item.head;
  return file;
}
