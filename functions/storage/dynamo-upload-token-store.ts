import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { UploadTokenRecord, UploadTokenStore } from '../uploads/upload-tokens.js';

/**
 * Upload tokens in the tokens table: pk = `UPLOAD#<sha256 of the token>`, sk = `UPLOAD`. DynamoDB's TTL
 * (`expiresAt`) removes them a day after they expire; until then expiry is checked on read.
 */
const KEEP_EXPIRED_SECONDS = 24 * 3600;

export class DynamoUploadTokenStore implements UploadTokenStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async put(record: UploadTokenRecord): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          pk: `UPLOAD#${record.hash}`,
          sk: 'UPLOAD',
          expiresAt: Math.floor(Date.parse(record.expiresOn) / 1000) + KEEP_EXPIRED_SECONDS,
          ...record,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async get(hash: string): Promise<UploadTokenRecord | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: { pk: `UPLOAD#${hash}`, sk: 'UPLOAD' }, ConsistentRead: true }),
    );
    if (!Item) return undefined;
    const record: UploadTokenRecord = {
      hash: Item.hash,
      folder: Item.folder,
      filename: Item.filename,
      apiTokenId: Item.apiTokenId,
      createdOn: Item.createdOn,
      expiresOn: Item.expiresOn,
    };
    if (typeof Item.studyId === 'number') record.studyId = Item.studyId;
    if (Item.anno2 && typeof Item.anno2 === 'object') record.anno2 = Item.anno2 as UploadTokenRecord['anno2'];
    if (Item.qupathAnswer && typeof Item.qupathAnswer === 'object') {
      record.qupathAnswer = Item.qupathAnswer as UploadTokenRecord['qupathAnswer'];
    }
    return record;
  }
}
