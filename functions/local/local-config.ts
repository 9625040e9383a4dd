import { delimiter, join, resolve } from 'node:path';
import { type AppConfig, DEFAULT_MAX_UPLOAD_BYTES, DEFAULT_UPLOAD_TOKEN_HOURS } from '../common/config.js';
import { LOCAL_TABLE_NAMES } from '../storage/tables.js';

export const LOCAL_BUCKET = 'slidescore';
export const ADMIN_TOKEN_FILE = 'admin-token';
/** Written while `npm start` runs, so the token CLI can use its DynamoDB Local instead of starting another. */
export const RUNTIME_FILE = 'runtime.json';

/** The configuration of a data folder served by the embedded runtime. */
export function localConfig(dataDir: string, endpoints: { dynamodb: string; s3?: string }): AppConfig {
  return {
    region: 'us-east-1',
    tables: LOCAL_TABLE_NAMES,
    bucket: LOCAL_BUCKET,
    signingKey: { file: join(dataDir, 'signing-key') },
    endpoints,
    tokenIssuer: 'slidescore-local',
    mailOutbox: join(dataDir, 'outbox'),
    slideFileDirs: slideFileDirs(process.env.SLIDE_FILE_DIRS),
    uploads: {
      staging: { kind: 'file', directory: join(dataDir, 'tus') },
      maxBytes: Number(process.env.MAX_UPLOAD_BYTES ?? DEFAULT_MAX_UPLOAD_BYTES),
      tokenHours: Number(process.env.UPLOAD_TOKEN_HOURS ?? DEFAULT_UPLOAD_TOKEN_HOURS),
    },
  };
}

/** SLIDE_FILE_DIRS: absolute directories separated by `:` (GenerateSlideFileURL); none when unset. */
export function slideFileDirs(value: string | undefined): string[] {
  return (value ?? '')
    .split(delimiter)
    .map((dir) => dir.trim())
    .filter((dir) => dir !== '')
    .map((dir) => resolve(dir));
}
