import { GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { FOCUS_MEASURE_VERSION, type FocusMeasure, measureFocus } from '../slides/focus-measure.js';
import type { IndexedFile } from '../uploads/file-index.js';
import type { SlideStore } from './slide-store.js';

/** Where focus measures live in the bucket: one JSON object per committed upload (`<uploadId>.json`). */
export const FOCUS_PREFIX = `focus/${FOCUS_MEASURE_VERSION}/`;

/**
 * The focus measure of committed slides (functions/slides/focus-measure.ts): made by the slide-committed
 * pipeline, or on demand when a call needs it first; stored in S3 and never changed (an upload's bytes never
 * change; a new upload of the path has a new upload id).
 */
export class FocusStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly slides: SlideStore,
  ) {}

  /** The stored measure, else measures the slide now and stores it. Throws what opening the slide throws. */
  async measure(file: IndexedFile): Promise<FocusMeasure> {
    const stored = await this.stored(file.uploadId);
    if (stored) return stored;
    const reader = await this.slides.readerFor(file);
    const measured = await measureFocus(reader);
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: focusKey(file.uploadId),
        Body: JSON.stringify(measured),
        ContentType: 'application/json',
      }),
    );
    return measured;
  }

  async stored(uploadId: string): Promise<FocusMeasure | undefined> {
    try {
      const object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: focusKey(uploadId) }));
      const text = await (object.Body as { transformToString(): Promise<string> }).transformToString();
      const parsed = JSON.parse(text) as FocusMeasure;
      return parsed.version === FOCUS_MEASURE_VERSION ? parsed : undefined;
    } catch (error) {
      if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return undefined;
      if (error instanceof SyntaxError) return undefined; // read while being written (s3rver): measure again
      throw error;
    }
  }
}

export function focusKey(uploadId: string): string {
  return `${FOCUS_PREFIX}${uploadId}.json`;
}
