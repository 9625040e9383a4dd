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
  /** An anno2 upload (CreateAnno2, CreateOrphanAnno2): FinishUpload checks the zip and keeps it under this UUID. */
  anno2?: Anno2Target;
  /**
   * A large annotation QuPath sends through a per-slide link (its CreateAnno2.json): `apiTokenId` is then the
   * link's token, and FinishAnno2Upload.json saves the gzipped answer as the link's user.
   */
  qupathAnswer?: QupathAnswerTarget;
  createdOn: string;
  expiresOn: string;
}

/** What an anno2 upload becomes: its UUID, and for CreateAnno2 the answer that will refer to it. */
export interface Anno2Target {
  uuid: string;
  answer?: {
    studyId: number;
    imageId: number;
    questionId: number;
    user: string;
  };
}

/** The answer a QuPath upload becomes: the link's image and user, and the question asked. */
export interface QupathAnswerTarget {
  studyId: number;
  imageId: number;
  questionId: number;
  user: string;
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
