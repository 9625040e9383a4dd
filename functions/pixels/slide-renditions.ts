import { GetObjectCommand, HeadObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import { planScreenshot } from '../domain/screenshots/screenshot-plan.js';
import type { SlideReader } from '../slides/index.js';
import { renderScreenshot, SCREENSHOT_JPEG } from './screenshot-renderer.js';

/** The longest side of a slide's overview: level-11 screenshots of slides up to 131,072 px are made from it. */
export const OVERVIEW_SIDE = 2048;
/** Renditions live beside the slide index, keyed by upload (never changed after). */
export const RENDITIONS_PREFIX = 'slide-renditions/';
/** The associated images kept as JPEG when the file has them. */
export const ASSOCIATED_NAMES = ['label', 'macro'] as const;
export type AssociatedName = (typeof ASSOCIATED_NAMES)[number];

export interface Overview {
  jpeg: Buffer;
  width: number;
  height: number;
}

/**
 * Images rendered once per slide by the slide-committed pipeline: the overview (whole slide, longest side
 * OVERVIEW_SIDE, JPEG) and the label and macro images. Stored in S3 under `slide-renditions/<uploadId>/`.
 */
export class SlideRenditions {
  private readonly overviews = new Map<string, Overview | null>();

  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  /** Renders and stores the overview, label and macro of a slide (again when `force`); returns what it wrote. */
  async render(uploadId: string, reader: SlideReader, force = false): Promise<string[]> {
    const written: string[] = [];
    if (force || !(await this.exists(uploadId, 'overview'))) {
      const overview = await renderOverview(reader);
      await this.put(uploadId, 'overview', overview.jpeg, { width: overview.width, height: overview.height });
      written.push('overview');
    }
    const present = new Set(reader.associatedImageNames());
    for (const name of ASSOCIATED_NAMES) {
      if (!present.has(name) || (!force && (await this.exists(uploadId, name)))) continue;
      const image = await reader.associatedImage(name);
      const jpeg = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
        .jpeg(SCREENSHOT_JPEG)
        .toBuffer();
      await this.put(uploadId, name, jpeg, { width: image.width, height: image.height });
      written.push(name);
    }
    return written;
  }

  /** The stored overview, or undefined before the pipeline made it (kept per process: it never changes). */
  async overview(uploadId: string): Promise<Overview | undefined> {
    const known = this.overviews.get(uploadId);
    if (known !== undefined) return known ?? undefined;
    const jpeg = await this.get(uploadId, 'overview');
    if (!jpeg) return undefined; // not remembered: the pipeline may still be making it
    const meta = await sharp(jpeg).metadata();
    const overview = { jpeg, width: meta.width ?? 0, height: meta.height ?? 0 };
    if (this.overviews.size >= 16) this.overviews.clear(); // about 1 MB each
    this.overviews.set(uploadId, overview);
    return overview;
  }

  /** A stored label or macro JPEG. */
  associated(uploadId: string, name: AssociatedName): Promise<Buffer | undefined> {
    return this.get(uploadId, name);
  }

  private async exists(uploadId: string, name: string): Promise<boolean> {
    try {
      await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: renditionKey(uploadId, name) }));
      return true;
    } catch (error) {
      const { name: kind, $metadata } = error as { name?: string; $metadata?: { httpStatusCode?: number } };
      if (kind === 'NotFound' || kind === 'NoSuchKey' || $metadata?.httpStatusCode === 404) return false;
      throw error;
    }
  }

  private async put(uploadId: string, name: string, jpeg: Buffer, size: { width: number; height: number }) {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: renditionKey(uploadId, name),
        Body: jpeg,
        ContentType: 'image/jpeg',
        Metadata: { width: String(size.width), height: String(size.height) },
      }),
    );
  }

  private async get(uploadId: string, name: string): Promise<Buffer | undefined> {
    try {
      const object = await this.s3.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: renditionKey(uploadId, name) }),
      );
      const bytes = await (object.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray();
      const jpeg = Buffer.from(bytes);
      // s3rver can serve an object while it is being written: a JPEG is whole when it ends with EOI.
      return jpeg.length > 4 && jpeg[jpeg.length - 2] === 0xff && jpeg[jpeg.length - 1] === 0xd9 ? jpeg : undefined;
    } catch (error) {
      if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return undefined;
      throw error;
    }
  }
}

export function renditionKey(uploadId: string, name: string): string {
  return `${RENDITIONS_PREFIX}${uploadId}/${name}.jpg`;
}

/** The whole slide, longest side OVERVIEW_SIDE (or the slide's own size when smaller), no scale bar. */
export async function renderOverview(reader: SlideReader): Promise<Overview> {
  const level0 = reader.level(0);
  const longest = Math.max(level0.width, level0.height);
  const scale = Math.min(1, OVERVIEW_SIDE / longest);
  const width = Math.max(1, Math.round(level0.width * scale));
  const height = Math.max(1, Math.round(level0.height * scale));
  const planned = planScreenshot(level0.width, level0.height, {});
  if (!planned.ok) throw new Error(planned.reason);
  // Not a power-of-two scale: the plan's geometry with the overview's own size.
  const plan = { ...planned.plan, scale, outWidth: width, outHeight: height };
  const shot = await renderScreenshot(reader, plan);
  return { jpeg: shot.jpeg, width, height };
}
