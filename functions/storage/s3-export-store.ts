import { Readable } from 'node:stream';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { ExportStore } from '../scores/export-delivery.js';

/** 8 MB parts, two in flight: an export of any size needs about 16 MB of buffers (S3 allows 10,000 parts). */
const PART_BYTES = 8 * 1024 * 1024;
const PARTS_IN_FLIGHT = 2;

/** Exports in the bucket: written with a multipart upload from a stream, read through presigned GET URLs. */
export class S3ExportStore implements ExportStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async put(key: string, contentType: string, body: AsyncIterable<Buffer>, signal: AbortSignal): Promise<void> {
    const upload = new Upload({
      client: this.s3,
      params: { Bucket: this.bucket, Key: key, Body: Readable.from(body), ContentType: contentType },
      partSize: PART_BYTES,
      queueSize: PARTS_IN_FLIGHT,
      leavePartsOnError: false,
    });
    // Abort ends done() at once, and the multipart upload is aborted (S3's lifecycle rule removes any parts left).
    signal.addEventListener('abort', () => void upload.abort().catch(() => {}), { once: true });
    await upload.done();
  }

  /**
   * Signed with the function's own (role) credentials: the URL works for `seconds` or until those credentials
   * expire, whichever comes first, which for a 15-minute URL and a Lambda session is the former.
   */
  downloadUrl(key: string, seconds: number): Promise<string> {
    return getSignedUrl(this.s3, new GetObjectCommand({ Bucket: this.bucket, Key: key }), { expiresIn: seconds });
  }
}
