import { createHash, randomBytes } from 'node:crypto';

/**
 * An upload token: what RequestUpload hands out and tus creation and FinishUpload take back. It binds one
 * destination (folder and file name) to the API token that asked for it, until it expires. Only its SHA-256
 * is stored, so the table holds no usable credential.
 */
export interface UploadTokenRecord {
  hash: string;
  folder: string;
  filename: string;
  apiTokenId: string;
  studyId?: number;
  createdOn: string;
  expiresOn: string;
}

export interface UploadTokenStore {
  put(record: UploadTokenRecord): Promise<void>;
  get(hash: string): Promise<UploadTokenRecord | undefined>;
}

export function newUploadToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashUploadToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('base64url');
}
