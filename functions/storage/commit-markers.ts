import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { COMMITTED_FILES_PREFIX } from '../routes/manifest.js';
import type { CommitMarkers } from '../uploads/upload-service.js';

/**
 * A small object under `files/<path>` per commit: S3 notifies the FileCommitted function when it is created
 * (s3rver does the same locally). It carries the path only; readers take the file from the index, so racing
 * commits cannot leave a marker and the index disagreeing.
 */
export class S3CommitMarkers implements CommitMarkers {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async committed(path: string): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: `${COMMITTED_FILES_PREFIX}${path}`,
        Body: JSON.stringify({ path, committedOn: new Date().toISOString() }),
        ContentType: 'application/json',
      }),
    );
  }
}
