import { mkdir } from 'node:fs/promises';
import type { S3Event } from 'aws-lambda';
import S3rver from 's3rver';
import { freePort } from './free-port.js';

export interface S3Local {
  endpoint: string;
  stop(): Promise<void>;
}

/**
 * Starts s3rver (the S3 API over files in `directory`) with the bucket created, and passes every S3 event
 * it emits to `onEvent`, shaped as S3 sends notifications to Lambda.
 */
export async function startS3Local(options: {
  directory: string;
  bucket: string;
  onEvent: (event: S3Event) => void;
}): Promise<S3Local> {
  await mkdir(options.directory, { recursive: true });
  const port = await freePort();
  const server = new S3rver({
    address: '127.0.0.1',
    port,
    directory: options.directory,
    silent: true,
    configureBuckets: [{ name: options.bucket, configs: [] }],
  });
  (server as unknown as NodeJS.EventEmitter).on('event', (event: S3Event) => options.onEvent(withS3KeyEncoding(event)));
  await server.run();
  return { endpoint: `http://127.0.0.1:${port}`, stop: () => server.close() };
}

/** S3 URL-encodes keys in notifications (spaces as `+`); s3rver sends them raw. Make them alike. */
function withS3KeyEncoding(event: S3Event): S3Event {
  return {
    Records: event.Records.map((record) => ({
      ...record,
      s3: {
        ...record.s3,
        object: { ...record.s3.object, key: encodeURIComponent(record.s3.object.key).replaceAll('%20', '+') },
      },
    })),
  };
}
