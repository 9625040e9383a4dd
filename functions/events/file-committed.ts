import type { S3Event } from 'aws-lambda';
import { log } from '../common/log.js';
import { COMMITTED_FILES_PREFIX } from '../routes/manifest.js';

/**
 * Runs when FinishUpload commits a file (an S3 ObjectCreated notification on `files/…`; in `npm start`,
 * s3rver's event). Automatic reimport of `study.<name>.*` files hangs off this.
 */
export async function handler(event: S3Event): Promise<void> {
  for (const record of event.Records) {
    const key = decodeURIComponent(record.s3.object.key.replaceAll('+', ' '));
    log.info('file committed', { path: key.slice(COMMITTED_FILES_PREFIX.length) });
  }
}
