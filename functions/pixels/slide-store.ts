import { GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  ByteLru,
  derivePyramid,
  indexSlide,
  MAX_DERIVE_INPUT_BYTES,
  type RangeSource,
  type SlideIndex,
  SlideOpenError,
  SlideReader,
  UntiledImageError,
} from '../slides/index.js';
import { SLIDE_INDEX_VERSION } from '../slides/slide-index.js';
import type { UploadedFiles } from '../storage/uploaded-files.js';
import type { IndexedFile } from '../uploads/file-index.js';

/** Where the pixel objects of a committed file live in the bucket, keyed by its upload (never changed after). */
export const SLIDE_INDEX_PREFIX = 'slide-index/';
export const DERIVED_PREFIX = 'derived/';

/**
 * The stored slide index: one small object per committed slide file, written by the slide-committed pipeline
 * (or on first use), so that a warm tile costs one ranged read and a cold one two (this object, the tile).
 * `object` is what the tiles are read from: the upload itself, or the tiled pyramid derived from an untiled
 * input (kept beside it; the original is never changed).
 */
export interface StoredSlide {
  version: typeof SLIDE_INDEX_VERSION;
  uploadId: string;
  /** The upload path the file had when it was indexed (for logs and error messages). */
  path: string;
  object: { key: string; size: number };
  /** How a derived pyramid was made, when there is one. */
  derived?: string;
  index: SlideIndex;
}

/** The slide is an untiled image whose derived pyramid is not there yet (the pipeline makes it). */
export class SlideNotReady extends Error {
  constructor(readonly path: string) {
    super(`${path}: the slide is still being prepared (its tiled pyramid is made once after upload); try again soon`);
    this.name = 'SlideNotReady';
  }
}

/** Slide indexes and readers of this process: S3 objects behind a cache bounded in bytes. */
export class SlideStore {
  private readonly readers: ByteLru<SlideReader>;

  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly files: UploadedFiles,
    cacheBytes = 64 * 1024 * 1024,
  ) {
    // An index's weight is about its JSON: tile tables dominate.
    this.readers = new ByteLru<SlideReader>(cacheBytes, (reader) => weightOf(reader.index));
  }

  /**
   * The reader of a committed file. Builds its index on first use when the pipeline has not (directory reads
   * only, never the whole file); an untiled image without its derived pyramid is SlideNotReady.
   */
  async readerFor(file: IndexedFile): Promise<SlideReader> {
    const cached = this.readers.get(file.uploadId);
    if (cached) return cached;
    const stored = (await this.load(file.uploadId)) ?? (await this.prepare(file, { derive: false }));
    return this.remember(stored);
  }

  /** The reader for an upload whose index must already exist (tile requests carry only the upload id). */
  async readerForUpload(uploadId: string): Promise<SlideReader | undefined> {
    const cached = this.readers.get(uploadId);
    if (cached) return cached;
    const stored = await this.load(uploadId);
    return stored && this.remember(stored);
  }

  /**
   * The pipeline step run once per committed slide: index the file, or (untiled input, `derive`) read it whole
   * up to MAX_DERIVE_INPUT_BYTES, write its tiled pyramid beside it, and index that. Stores the result.
   */
  async prepare(file: IndexedFile, options: { derive: boolean }): Promise<StoredSlide> {
    const existing = await this.load(file.uploadId);
    if (existing) return existing;
    let stored: StoredSlide;
    try {
      const index = await indexSlide(this.source(file.path, file.key, file.size));
      stored = {
        version: SLIDE_INDEX_VERSION,
        uploadId: file.uploadId,
        path: file.path,
        object: { key: file.key, size: file.size },
        index,
      };
    } catch (error) {
      if (!(error instanceof UntiledImageError) && !isPlainImage(error, file)) throw error;
      if (!options.derive) throw new SlideNotReady(file.path);
      stored = await this.derive(file);
    }
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: indexKey(file.uploadId),
        Body: JSON.stringify(stored),
        ContentType: 'application/json',
      }),
    );
    return stored;
  }

  private async derive(file: IndexedFile): Promise<StoredSlide> {
    if (file.size > MAX_DERIVE_INPUT_BYTES) {
      throw new SlideOpenError(
        file.path,
        `an untiled image of ${file.size} bytes is larger than the ${MAX_DERIVE_INPUT_BYTES} bytes the server converts`,
      );
    }
    const bytes = await this.files.readObjectRange(file, 0, file.size);
    const pyramid = await derivePyramid(bytes, file.path);
    const key = `${DERIVED_PREFIX}${file.uploadId}.tif`;
    await this.s3.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: pyramid.tiff, ContentType: 'image/tiff' }),
    );
    const index = await indexSlide(this.source(file.path, key, pyramid.tiff.length));
    return {
      version: SLIDE_INDEX_VERSION,
      uploadId: file.uploadId,
      path: file.path,
      object: { key, size: pyramid.tiff.length },
      derived: pyramid.source,
      index: { ...index, fileName: file.path, fileSize: file.size },
    };
  }

  private async load(uploadId: string): Promise<StoredSlide | undefined> {
    try {
      const object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: indexKey(uploadId) }));
      const text = await (object.Body as { transformToString(): Promise<string> }).transformToString();
      const stored = parseStored(text);
      return stored?.version === SLIDE_INDEX_VERSION ? stored : undefined;
    } catch (error) {
      if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return undefined;
      throw error;
    }
  }

  private remember(stored: StoredSlide): SlideReader {
    const source = this.source(stored.path, stored.object.key, stored.object.size);
    const reader = new SlideReader(stored.index, source, { cacheKey: stored.uploadId });
    this.readers.set(stored.uploadId, reader);
    return reader;
  }

  private source(name: string, key: string, size: number): RangeSource {
    const object = { key, size };
    return { name, size, read: (offset, length) => this.files.readObjectRange(object, offset, length) };
  }
}

/**
 * A stored index, or undefined when the text is not one. S3 writes objects whole, but the embedded runtime's
 * s3rver can serve an object while the pipeline is still writing it: such a read counts as "not indexed yet".
 */
function parseStored(text: string): StoredSlide | undefined {
  try {
    return JSON.parse(text) as StoredSlide;
  } catch {
    return undefined;
  }
}

function indexKey(uploadId: string): string {
  return `${SLIDE_INDEX_PREFIX}v${SLIDE_INDEX_VERSION}/${uploadId}.json`;
}

function weightOf(index: SlideIndex): number {
  let bytes = 2048;
  for (const level of index.levels)
    bytes += level.tileOffsets.length + level.tileByteCounts.length + (level.jpegTables?.length ?? 0);
  return bytes;
}

/** Plain JPEG and PNG files are not TIFFs at all: they go the derive way too. */
function isPlainImage(error: unknown, file: IndexedFile): boolean {
  if (!(error instanceof SlideOpenError) || !file.head) return false;
  const head = Buffer.from(file.head, 'base64');
  const jpeg = head[0] === 0xff && head[1] === 0xd8;
  const png = head[0] === 0x89 && head.subarray(1, 4).toString('latin1') === 'PNG';
  return jpeg || png;
}
