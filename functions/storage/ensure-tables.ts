import {
  CreateTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import type { TableNames } from '../common/config.js';
import { TABLE_DEFINITIONS } from './tables.js';

/**
 * Creates the tables the embedded runtime and tests need, from the same definitions as the CDK stack.
 * Idempotent: a table that exists is left as it is.
 */
export async function ensureTables(client: DynamoDBClient, names: TableNames): Promise<void> {
  await Promise.all(
    (Object.keys(TABLE_DEFINITIONS) as (keyof TableNames)[]).map(async (kind) => {
      const definition = TABLE_DEFINITIONS[kind];
      const TableName = names[kind];
      const attributes = new Set([definition.partitionKey, definition.sortKey]);
      for (const index of definition.indexes) {
        attributes.add(index.partitionKey);
        attributes.add(index.sortKey);
      }
      try {
        await client.send(
          new CreateTableCommand({
            TableName,
            BillingMode: 'PAY_PER_REQUEST',
            AttributeDefinitions: [...attributes].map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
            KeySchema: [
              { AttributeName: definition.partitionKey, KeyType: 'HASH' },
              { AttributeName: definition.sortKey, KeyType: 'RANGE' },
            ],
            ...(definition.indexes.length > 0
              ? {
                  GlobalSecondaryIndexes: definition.indexes.map((index) => ({
                    IndexName: index.name,
                    KeySchema: [
                      { AttributeName: index.partitionKey, KeyType: 'HASH' },
                      { AttributeName: index.sortKey, KeyType: 'RANGE' },
                    ],
                    Projection: { ProjectionType: 'ALL' },
                  })),
                }
              : {}),
          }),
        );
      } catch (error) {
        if (error instanceof ResourceInUseException) return;
        throw error;
      }
      await waitUntilTableExists({ client, maxWaitTime: 60 }, { TableName });
      if (definition.timeToLiveAttribute) {
        await client.send(
          new UpdateTimeToLiveCommand({
            TableName,
            TimeToLiveSpecification: { AttributeName: definition.timeToLiveAttribute, Enabled: true },
          }),
        );
      }
    }),
  );
}
