import { inject } from 'vitest';
import { createDynamoClient, createS3Client } from '../../functions/storage/aws-clients.js';
import { DynamoFileIndex } from '../../functions/storage/dynamo-file-index.js';
import { UploadedFiles } from '../../functions/storage/uploaded-files.js';

/** The test server's stores, reached directly (DynamoDB Local and s3rver), to check what the API wrote. */
export function testStores() {
  const config = inject('appConfig');
  const dynamo = createDynamoClient(config);
  const s3 = createS3Client(config);
  const index = new DynamoFileIndex(dynamo, config.tables.files);
  return {
    config,
    dynamo,
    s3,
    index,
    files: new UploadedFiles(index, s3, config.bucket),
    close: () => {
      dynamo.destroy();
      s3.destroy();
    },
  };
}
