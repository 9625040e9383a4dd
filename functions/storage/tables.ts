import type { TableNames } from '../common/config.js';

/**
 * The key schema of every table, shared by the CDK stack and the embedded runtime so that both create the
 * same tables. All keys are strings named generically (`pk`, `sk`, `gsi1pk`…): each table holds several kinds
 * of item, told apart by key prefixes documented in the repository that owns them.
 */
export interface TableDefinition {
  partitionKey: string;
  sortKey: string;
  indexes: { name: string; partitionKey: string; sortKey: string }[];
  /** Attribute holding an epoch-seconds expiry; DynamoDB deletes the item some time after it passes. */
  timeToLiveAttribute?: string;
}

export const TABLE_DEFINITIONS: Record<keyof TableNames, TableDefinition> = {
  studies: {
    partitionKey: 'pk',
    sortKey: 'sk',
    indexes: [],
  },
  tokens: {
    partitionKey: 'pk',
    sortKey: 'sk',
    indexes: [{ name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' }],
    timeToLiveAttribute: 'expiresAt',
  },
  scores: {
    partitionKey: 'pk',
    sortKey: 'sk',
    // No index: answers are read by study (its shard partitions), GetStudiesUpdated reads the UPDATED partition,
    // both strongly consistent (see DynamoScoreRepository). An index would be eventually consistent and cost a
    // second write per answer.
    indexes: [],
    // Records of uploads that never committed (their writer crashed) expire; see DynamoScoreRepository.
    timeToLiveAttribute: 'expiresAt',
  },
  files: {
    partitionKey: 'pk',
    sortKey: 'sk',
    indexes: [],
  },
};

/** Table names of the embedded runtime and of tests. */
export const LOCAL_TABLE_NAMES: TableNames = {
  studies: 'studies',
  tokens: 'tokens',
  scores: 'scores',
  files: 'files',
};
