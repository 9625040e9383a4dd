import {
  DeleteObjectCommand,
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { Anno2Store, Anno2Zip } from '../anno2/anno2-service.js';
import { anno2Key } from '../domain/annotations/anno2/anno2-answer.js';

/** Anno2 zips in the bucket, at `anno2/<uuid>.zip`. */
export class S3Anno2Store implements Anno2Store {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async put(uuid: string, zip: Uint8Array): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: anno2Key(uuid), Body: zip, ContentType: 'application/zip' }),
    );
  }

  async get(uuid: string, maxBytes: number): Promise<Anno2Zip> {
    let object: GetObjectCommandOutput;
    try {
      object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: anno2Key(uuid) }));
    } catch (error) {
      if (isNotFound(error)) return { ok: false, reason: `no zip anno2/${uuid}.zip` };
      throw error;
    }
    const body = object.Body as { transformToByteArray(): Promise<Uint8Array>; destroy?(): void } | undefined;
    if (!body) return { ok: false, reason: `anno2/${uuid}.zip has no body` };
    if ((object.ContentLength ?? 0) > maxBytes) {
      body.destroy?.();
      return { ok: false, reason: `anno2/${uuid}.zip is ${object.ContentLength} bytes, over the ${maxBytes} read` };
    }
    return { ok: true, zip: await body.transformToByteArray() };
  }

  async exists(uuid: string): Promise<boolean> {
    try {
      await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: anno2Key(uuid) }));
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  async delete(uuid: string): Promise<void> {
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: anno2Key(uuid) }));
  }
}

function isNotFound(error: unknown): boolean {
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  const name = (error as { name?: string }).name;
  return status === 404 || name === 'NotFound' || name === 'NoSuchKey';
}
