import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { DeleteObjectsCommand, GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { DataStore } from '@tus/utils';
import { type AppConfig, UPLOADS_PREFIX } from '../common/config.js';
import { createUploadDatastore } from '../tus/upload-datastore.js';
import type { StagedUpload, UploadStaging } from '../uploads/upload-staging.js';

export function createUploadStaging(config: AppConfig, s3: S3Client): UploadStaging {
  const datastore = createUploadDatastore(config);
  const staging = config.uploads.staging;
  return staging.kind === 's3'
    ? new S3UploadStaging(datastore, staging.prefix, s3, config.bucket)
    : new FileUploadStaging(datastore, staging.directory, s3, config.bucket);
}

async function findIn(datastore: DataStore, id: string): Promise<StagedUpload | undefined> {
  try {
    const upload = await datastore.getUpload(id);
    return { id, size: upload.size, offset: upload.offset, metadata: upload.metadata ?? {} };
  } catch (error) {
    if ((error as { status_code?: number }).status_code === 404) return undefined;
    throw error;
  }
}

/** Cloud: the finished upload already is the object `uploads/<id>`; committing it copies nothing. */
class S3UploadStaging implements UploadStaging {
  constructor(
    private readonly datastore: DataStore,
    private readonly prefix: string,
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  find(id: string): Promise<StagedUpload | undefined> {
    return findIn(this.datastore, id);
  }

  async finalize(upload: StagedUpload): Promise<string> {
    return `${this.prefix}${upload.id}`;
  }

  async head(upload: StagedUpload, length: number): Promise<Buffer> {
    if (!upload.size) return Buffer.alloc(0);
    const object = await this.s3.send(
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: `${this.prefix}${upload.id}`,
        Range: `bytes=0-${Math.min(length, upload.size) - 1}`,
      }),
    );
    return Buffer.from(await (object.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
  }

  async release(): Promise<void> {}

  async discard(id: string): Promise<void> {
    const key = `${this.prefix}${id}`;
    await this.s3.send(
      new DeleteObjectsCommand({
        Bucket: this.bucket,
        Delete: { Objects: [{ Key: key }, { Key: `${key}.info` }], Quiet: true },
      }),
    );
  }
}

/**
 * `npm start`: streams the finished file into the embedded S3 under the same key the cloud uses. One move per
 * upload at a time: a FinishUpload retried while the first still copies waits for that copy.
 */
class FileUploadStaging implements UploadStaging {
  private readonly moving = new Map<string, Promise<string>>();

  constructor(
    private readonly datastore: DataStore,
    private readonly directory: string,
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  find(id: string): Promise<StagedUpload | undefined> {
    return findIn(this.datastore, id);
  }

  finalize(upload: StagedUpload): Promise<string> {
    let move = this.moving.get(upload.id);
    if (!move) {
      move = this.move(upload).finally(() => this.moving.delete(upload.id));
      this.moving.set(upload.id, move);
    }
    return move;
  }

  private async move(upload: StagedUpload): Promise<string> {
    const key = `${UPLOADS_PREFIX}${upload.id}`;
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: createReadStream(join(this.directory, upload.id)),
        ContentLength: upload.size ?? 0,
      }),
    );
    return key;
  }

  async head(upload: StagedUpload, length: number): Promise<Buffer> {
    const file = await open(join(this.directory, upload.id), 'r');
    try {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await file.read(buffer, 0, length, 0);
      return buffer.subarray(0, bytesRead);
    } finally {
      await file.close();
    }
  }

  async release(id: string): Promise<void> {
    try {
      await this.datastore.remove(id);
    } catch (error) {
      if ((error as { status_code?: number }).status_code !== 404) throw error; // a concurrent call removed it
    }
  }

  discard(id: string): Promise<void> {
    return this.release(id); // the staged file is all there is
  }
}
