import { BatchWriteCommand, type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';

type Item = Record<string, unknown>;

/** DynamoDB's limit of items in one BatchWriteItem. */
export const BATCH_WRITE_ITEMS = 25;
const ATTEMPTS = 8;

/**
 * Writes up to 25 items with BatchWriteItem, sending again what DynamoDB left unprocessed (throttling) with
 * exponential back-off.
 */
export async function batchPut(db: DynamoDBDocumentClient, table: string, items: readonly Item[]): Promise<void> {
  let pending = items.map((Item) => ({ PutRequest: { Item } }));
  for (let attempt = 0; pending.length > 0; attempt += 1) {
    if (attempt > ATTEMPTS) throw new Error('DynamoDB kept refusing a batch write');
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
    const { UnprocessedItems } = await db.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
    pending = (UnprocessedItems?.[table] ?? []) as typeof pending;
  }
}

/** Writes any number of items, 25 to a request, in order. */
export async function batchPutAll(db: DynamoDBDocumentClient, table: string, items: readonly Item[]): Promise<void> {
  for (let start = 0; start < items.length; start += BATCH_WRITE_ITEMS) {
    await batchPut(db, table, items.slice(start, start + BATCH_WRITE_ITEMS));
  }
}

/**
 * Reserves `count` consecutive integer IDs from a counter item with one atomic ADD, so a batch of new items
 * costs one request for its IDs. IDs of a failed write are never reused (gaps are harmless).
 */
export async function allocateIds(
  db: DynamoDBDocumentClient,
  table: string,
  counter: { pk: string; sk: string },
  count: number,
): Promise<number[]> {
  if (count === 0) return [];
  const { Attributes } = await db.send(
    new UpdateCommand({
      TableName: table,
      Key: counter,
      UpdateExpression: 'ADD #last :count',
      ExpressionAttributeNames: { '#last': 'last' },
      ExpressionAttributeValues: { ':count': count },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  const last = Attributes?.last as number;
  return Array.from({ length: count }, (_, index) => last - count + 1 + index);
}
