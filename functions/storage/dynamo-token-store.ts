import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateQuery,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { TokenRecord, TokenStore } from '../auth/token-store.js';

/**
 * API tokens in the tokens table.
 *   pk = `TOKEN#<id>`, sk = `TOKEN`; gsi1pk = `TOKENS`, gsi1sk = `<createdOn>#<id>` (listing, newest first).
 * `expiresAt` (TTL) removes a record 30 days after its token expired: by then it can only be refused anyway.
 */
const KEEP_EXPIRED_SECONDS = 30 * 24 * 3600;
const LISTING = 'TOKENS';

export class DynamoTokenStore implements TokenStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async create(record: TokenRecord): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          pk: key(record.id),
          sk: 'TOKEN',
          gsi1pk: LISTING,
          gsi1sk: `${record.createdOn}#${record.id}`,
          expiresAt: Math.floor(Date.parse(record.expiresOn) / 1000) + KEEP_EXPIRED_SECONDS,
          ...record,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async get(id: string): Promise<TokenRecord | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: { pk: key(id), sk: 'TOKEN' }, ConsistentRead: true }),
    );
    return Item ? recordFrom(Item) : undefined;
  }

  async revoke(id: string, at: Date): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: key(id), sk: 'TOKEN' },
          UpdateExpression: 'SET revokedOn = if_not_exists(revokedOn, :at)',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':at': at.toISOString() },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async list(): Promise<TokenRecord[]> {
    const records: TokenRecord[] = [];
    const pages = paginateQuery(
      { client: this.db },
      {
        TableName: this.table,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :listing',
        ExpressionAttributeValues: { ':listing': LISTING },
        ScanIndexForward: false,
      },
    );
    for await (const page of pages) for (const item of page.Items ?? []) records.push(recordFrom(item));
    return records;
  }
}

function key(id: string): string {
  return `TOKEN#${id}`;
}

function recordFrom(item: Record<string, unknown>): TokenRecord {
  const record: TokenRecord = {
    id: item.id as string,
    name: item.name as string,
    capabilities: item.capabilities as TokenRecord['capabilities'],
    studies: item.studies as TokenRecord['studies'],
    expiresOn: item.expiresOn as string,
    createdOn: item.createdOn as string,
  };
  if (typeof item.revokedOn === 'string') record.revokedOn = item.revokedOn;
  if (item.slide && typeof item.slide === 'object') record.slide = item.slide as TokenRecord['slide'];
  return record;
}
