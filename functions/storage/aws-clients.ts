import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type AppConfig, appConfig, onConfigChange } from '../common/config.js';

/**
 * Credentials for the local stand-ins: s3rver accepts only its fixed S3RVER key (and checks signatures with
 * it); DynamoDB Local, with a shared database, takes any key.
 */
const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export function createDynamoClient(config: AppConfig): DynamoDBDocumentClient {
  const endpoint = config.endpoints.dynamodb;
  const client = new DynamoDBClient({
    region: config.region,
    ...(endpoint ? { endpoint, credentials: LOCAL_CREDENTIALS } : {}),
  });
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true },
  });
}

export function createS3Client(config: AppConfig): S3Client {
  const endpoint = config.endpoints.s3;
  return new S3Client({
    region: config.region,
    ...(endpoint
      ? {
          endpoint,
          forcePathStyle: true,
          credentials: LOCAL_CREDENTIALS,
          // With the defaults, s3rver silently stores streamed bodies with their chunk signatures inside.
          requestChecksumCalculation: 'WHEN_REQUIRED' as const,
          responseChecksumValidation: 'WHEN_REQUIRED' as const,
        }
      : {}),
  });
}

let dynamo: DynamoDBDocumentClient | undefined;
let s3: S3Client | undefined;
onConfigChange(() => {
  dynamo?.destroy();
  s3?.destroy();
  dynamo = undefined;
  s3 = undefined;
});

/** The process's DynamoDB document client, created on first use (kept across warm Lambda invocations). */
export function dynamoClient(): DynamoDBDocumentClient {
  dynamo ??= createDynamoClient(appConfig());
  return dynamo;
}

export function s3Client(): S3Client {
  s3 ??= createS3Client(appConfig());
  return s3;
}
