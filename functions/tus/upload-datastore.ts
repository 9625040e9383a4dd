import { FileStore } from '@tus/file-store';
import type { DataStore } from '@tus/utils';
import type { AppConfig } from '../common/config.js';
import { PrefixedS3Store } from './prefixed-s3-store.js';

/** S3 parts of 8 MiB: above S3's 5 MiB minimum, small enough to buffer per upload. */
const PART_SIZE = 8 * 1024 * 1024;
/** Unfinished uploads are removed after a week (the bucket's lifecycle rule aborts their parts too). */
export const UPLOAD_EXPIRY_MS = 7 * 24 * 3600 * 1000;

/** The tus store of this deployment: what the tus server writes and FinishUpload reads. */
export function createUploadDatastore(config: AppConfig): DataStore {
  const staging = config.uploads.staging;
  if (staging.kind === 'file') {
    return new FileStore({ directory: staging.directory, expirationPeriodInMilliseconds: UPLOAD_EXPIRY_MS });
  }
  return new PrefixedS3Store({
    prefix: staging.prefix,
    partSize: PART_SIZE,
    expirationPeriodInMilliseconds: UPLOAD_EXPIRY_MS,
    s3ClientConfig: { bucket: config.bucket, region: config.region },
  });
}
