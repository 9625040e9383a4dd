import { createHash } from 'node:crypto';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

/**
 * Where answers too large for a DynamoDB item are kept: one object per answer text, named by its SHA-256
 * (`answers/<studyId>/<sha256>.json`), so writing the same text twice is one object and a retried save
 * rewrites the same key. The score item keeps the key in place of the text.
 */
export interface LargeAnswerStore {
  /** Stores the text (idempotent) and returns its key. */
  put(studyId: number, text: string): Promise<string>;
  get(key: string): Promise<string>;
}

export const LARGE_ANSWERS_PREFIX = 'answers/';

/** The key of an answer text: the same text always has the same key. */
export function largeAnswerKey(studyId: number, text: string): string {
  return `${LARGE_ANSWERS_PREFIX}${studyId}/${createHash('sha256').update(text).digest('hex')}.json`;
}

export class S3LargeAnswers implements LargeAnswerStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async put(studyId: number, text: string): Promise<string> {
    const key = largeAnswerKey(studyId, text);
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: text,
        ContentType: 'application/json; charset=utf-8',
      }),
    );
    return key;
  }

  async get(key: string): Promise<string> {
    const { Body } = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    if (!Body) throw new Error(`The stored answer ${key} has no body`);
    return Body.transformToString('utf-8');
  }
}
