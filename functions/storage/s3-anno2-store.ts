import { DeleteObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Anno2Store } from '../anno2/anno2-service.js';
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

  async exists(uuid: string): Promise<boolean> {
    try {
      await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: anno2Key(uuid) }));
      return true;
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 404 || (error as { name?: string }).name === 'NotFound') return false;
      throw error;
    }
  }

  async delete(uuid: string): Promise<void> {
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: anno2Key(uuid) }));
  }
}
