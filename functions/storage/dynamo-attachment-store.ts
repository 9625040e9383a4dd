import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Attachment, AttachmentStore } from '../attachments/attachment-store.js';
import { allocateIds } from './dynamo-writes.js';

/**
 * Attachments in the studies table, beside the studies they belong to:
 *
 *   pk                  sk            item
 *   COUNTER             ATTACHMENT    { last }: ID allocation
 *   ATTACHMENT#<id>     ATTACHMENT    the attachment
 */
export class DynamoAttachmentStore implements AttachmentStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async create(attachment: Omit<Attachment, 'id'>): Promise<Attachment> {
    const [id] = await allocateIds(this.db, this.table, { pk: 'COUNTER', sk: 'ATTACHMENT' }, 1);
    const record: Attachment = { id: id as number, ...attachment };
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk: `ATTACHMENT#${record.id}`, sk: 'ATTACHMENT', ...record },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return record;
  }

  async get(id: number): Promise<Attachment | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: { pk: `ATTACHMENT#${id}`, sk: 'ATTACHMENT' },
        ConsistentRead: true,
      }),
    );
    if (!Item) return undefined;
    const { pk: _pk, sk: _sk, ...attachment } = Item;
    return attachment as Attachment;
  }
}
