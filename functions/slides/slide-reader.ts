import sharp from 'sharp';
import { ByteLru } from './byte-lru.js';
import { decodeTile, type RgbPixels } from './codecs/decode-tile.js';
import { looksLikeJpeg, standaloneJpeg, withJfifHeader } from './codecs/jpeg-stream.js';
import { type DeepZoomLayout, deepZoomLayout, planDeepZoomTile } from './deepzoom/layout.js';
import { OutOfRangeError, TileReadError } from './errors.js';
import type { RangeSource } from './range-source.js';
import { type ImageIndex, jpegTablesOf, type SlideIndex, tileTable } from './slide-index.js';

export type { RgbPixels } from './codecs/decode-tile.js';

/** JPEG quality of DeepZoom tiles that are resampled or cropped (OpenSlide's deepzoom_server default). */
export const DEEPZOOM_JPEG_QUALITY = 75;

/** Default bound of the per-process decoded-tile cache. */
export const DEFAULT_TILE_CACHE_BYTES = 128 * 1024 * 1024;

/** Default bound of the per-process cache of DeepZoom tiles made by decoding (resampled, cropped). */
export const DEFAULT_ENCODED_CACHE_BYTES = 32 * 1024 * 1024;

/** The decoded-tile cache shared by every reader in the process unless one is given. */
export const sharedTileCache = new ByteLru<RgbPixels>(DEFAULT_TILE_CACHE_BYTES, (p) => p.data.length);

/**
 * Made DeepZoom tiles (JPEG), shared by every reader unless one is given: a tile asked for again (another viewer,
 * another Lambda request) costs no decode or encode. Passed-through tiles are not kept: they cost one read.
 */
export const sharedEncodedTileCache = new ByteLru<Buffer>(DEFAULT_ENCODED_CACHE_BYTES, (b) => b.length);

// libvips' operation cache keeps results of past pipelines; ours never repeat an input buffer, so it only holds memory.
sharp.cache(false);

/** A native tile: JPEG bytes ready to send, or decoded pixels (other codecs). */
export type NativeTile =
  | { kind: 'jpeg'; jpeg: Buffer; width: number; height: number }
  | { kind: 'pixels'; pixels: RgbPixels };

export interface RenderedRegion {
  /** RGB rows of exactly `width × height`. */
  data: Buffer;
  width: number;
  height: number;
  /** Tiles that could not be read; their area is background-coloured. */
  errors: TileReadError[];
}

export interface DeepZoomTile {
  jpeg: Buffer;
  /** True when the bytes are the native tile's, sent without decoding. */
  passedThrough: boolean;
  errors: TileReadError[];
}

export interface SlideReaderOptions {
  tileCache?: ByteLru<RgbPixels>;
  /** null: keep no made tiles (benchmarks timing the making). */
  encodedTileCache?: ByteLru<Buffer> | null;
  /** What tells this file's tiles apart in the shared caches (the server: the upload id); default name and size. */
  cacheKey?: string;
}

/**
 * Reads pixels of one indexed slide through its RangeSource: one ranged read per native tile, decoded tiles
 * cached in a byte-bounded LRU, DeepZoom tiles as OpenSlide's DeepZoomGenerator makes them.
 */
export class SlideReader {
  private readonly cache: ByteLru<RgbPixels>;
  private readonly encoded: ByteLru<Buffer> | null;
  private readonly pending = new Map<string, Promise<RgbPixels>>();
  private readonly layouts = new Map<number, DeepZoomLayout>();
  private readonly keyPrefix: string;
  readonly background: [number, number, number];

  /** The slide's files: one, or a DICOM series' instances in the order of `index.files`. */
  private readonly sources: RangeSource[];

  constructor(
    readonly index: SlideIndex,
    source: RangeSource | RangeSource[],
    options: SlideReaderOptions = {},
  ) {
    this.sources = Array.isArray(source) ? source : [source];
    this.cache = options.tileCache ?? sharedTileCache;
    this.encoded = options.encodedTileCache === undefined ? sharedEncodedTileCache : options.encodedTileCache;
    this.keyPrefix = `${options.cacheKey ?? `${index.fileName}\u0000${index.fileSize}`}\u0000`;
    this.background = parseColour(index.backgroundColor);
  }

  layout(tileSize: number): DeepZoomLayout {
    let layout = this.layouts.get(tileSize);
    if (!layout) {
      layout = deepZoomLayout(this.index, tileSize);
      this.layouts.set(tileSize, layout);
    }
    return layout;
  }

  /** The stored bytes of one tile: exactly one ranged read of exactly its bytes. */
  async tileBytes(level: number, col: number, row: number): Promise<Uint8Array> {
    const image = this.level(level);
    const tile = tileNumber(image, level, col, row);
    return this.imageTileBytes(image, level, tile);
  }

  /** A native tile: JPEG tiles as stand-alone JPEG bytes (tables spliced, Adobe marker for RGB), others decoded. */
  async readNativeTile(level: number, col: number, row: number): Promise<NativeTile> {
    const image = this.level(level);
    const tile = tileNumber(image, level, col, row);
    if (image.compression === 7) {
      const bytes = await this.imageTileBytes(image, level, tile);
      if (!looksLikeJpeg(bytes)) throw new TileReadError(this.index.fileName, level, tile, 'not a JPEG stream');
      return {
        kind: 'jpeg',
        jpeg: standaloneJpeg(bytes, jpegTablesOf(image), image.photometric === 2),
        width: image.tileWidth,
        height: image.tileHeight,
      };
    }
    return { kind: 'pixels', pixels: await this.decodedTile(level, col, row) };
  }

  /** One native tile decoded to RGB (cached). */
  decodedTile(level: number, col: number, row: number): Promise<RgbPixels> {
    const image = this.level(level);
    return this.decodeImageTile(image, level, tileNumber(image, level, col, row));
  }

  /**
   * Pixels of a region like OpenSlide's read_region: (x0, y0) in level-0 pixels, width × height at `level`,
   * background-coloured outside the level. A tile that fails leaves its area background and is reported.
   */
  async renderRegion(level: number, x0: number, y0: number, width: number, height: number): Promise<RenderedRegion> {
    const image = this.level(level);
    if (
      !(width > 0 && height > 0 && Number.isInteger(width) && Number.isInteger(height)) ||
      width * height > 100_000_000
    ) {
      throw new OutOfRangeError(`region of ${width}×${height}`);
    }
    // Position in the level (OpenSlide 3.4 draws fractional offsets sub-pixel shifted; we round down).
    return this.paint(
      image,
      level,
      Math.floor(x0 / image.downsample),
      Math.floor(y0 / image.downsample),
      width,
      height,
    );
  }

  /**
   * A region (as renderRegion) as JPEG with a JFIF APP0 segment (the Slide Score SDK checks for `JFIF`): what
   * GetRawTile and QuPath's raw/ tiles return. `errors` lists tiles that failed (their area is background).
   */
  async regionJpeg(
    level: number,
    x0: number,
    y0: number,
    width: number,
    height: number,
    quality: number,
  ): Promise<{ jpeg: Buffer; errors: TileReadError[] }> {
    const region = await this.renderRegion(level, x0, y0, width, height);
    const jpeg = await sharp(region.data, { raw: { width, height, channels: 3 } })
      .jpeg({ quality: Math.min(100, Math.max(1, Math.round(quality))) })
      .toBuffer();
    return { jpeg: withJfifHeader(jpeg), errors: region.errors };
  }

  /** Names of the associated images (Aperio: thumbnail, label, macro). */
  associatedImageNames(): string[] {
    return Object.keys(this.index.associated);
  }

  /** An associated image, whole, as RGB. */
  async associatedImage(name: string): Promise<RenderedRegion> {
    const image = this.index.associated[name];
    if (!image) throw new OutOfRangeError(`associated image ${name}`);
    return this.paint(image, name, 0, 0, image.width, image.height);
  }

  /** Copies the tiles of `image` that cover (lx, ly, width, height) in its pixels onto a background canvas. */
  private async paint(
    image: ImageIndex,
    level: number | string,
    lx: number,
    ly: number,
    width: number,
    height: number,
  ): Promise<RenderedRegion> {
    const errors: TileReadError[] = [];
    const data = Buffer.allocUnsafe(width * height * 3);
    fillRgb(data, this.background);
    const left = Math.max(0, lx);
    const top = Math.max(0, ly);
    const right = Math.min(image.width, lx + width);
    const bottom = Math.min(image.height, ly + height);
    if (right <= left || bottom <= top) return { data, width, height, errors };
    const tw = image.tileWidth;
    const th = image.tileHeight;
    const jobs: Promise<void>[] = [];
    for (let row = Math.floor(top / th); row * th < bottom; row++) {
      for (let col = Math.floor(left / tw); col * tw < right; col++) {
        jobs.push(
          (async () => {
            let pixels: RgbPixels;
            try {
              pixels = await this.decodeImageTile(image, level, row * image.cols + col);
            } catch (error) {
              if (error instanceof TileReadError) return void errors.push(error);
              throw error;
            }
            // Intersection of this tile, the image and the region, in image pixels.
            const sx = Math.max(left, col * tw);
            const ex = Math.min(right, col * tw + pixels.width);
            const sy = Math.max(top, row * th);
            const ey = Math.min(bottom, row * th + pixels.height);
            if (ex <= sx) return;
            const rowBytes = (ex - sx) * 3;
            for (let y = sy; y < ey; y++) {
              const from = ((y - row * th) * pixels.width + (sx - col * tw)) * 3;
              pixels.data.copy(data, ((y - ly) * width + (sx - lx)) * 3, from, from + rowBytes);
            }
          })(),
        );
      }
    }
    await Promise.all(jobs);
    errors.sort((a, b) => a.tile - b.tile);
    return { data, width, height, errors };
  }

  /**
   * One DeepZoom tile (overlap 0) as JPEG. A tile that is exactly a native JPEG tile (same size, aligned, no
   * crop) is returned as the native bytes without decoding; others are read from the level OpenSlide's
   * DeepZoomGenerator picks, resampled (Lanczos 3) when the read is larger and encoded at `quality`.
   */
  async deepZoomTile(
    z: number,
    col: number,
    row: number,
    tileSize: number,
    quality = DEEPZOOM_JPEG_QUALITY,
  ): Promise<DeepZoomTile> {
    const plan = planDeepZoomTile(this.index, this.layout(tileSize), z, col, row);
    const image = this.level(plan.level);
    const nativeCol = plan.levelX / image.tileWidth;
    const nativeRow = plan.levelY / image.tileHeight;
    if (
      image.compression === 7 &&
      image.samplesPerPixel === 3 &&
      image.tileWidth === tileSize &&
      image.tileHeight === tileSize &&
      plan.width === tileSize &&
      plan.height === tileSize &&
      plan.readWidth === tileSize &&
      plan.readHeight === tileSize &&
      Number.isInteger(nativeCol) &&
      Number.isInteger(nativeRow)
    ) {
      const tile = nativeRow * image.cols + nativeCol;
      // Kept in the made-tile cache too: a warm tile then costs no storage read at all (S3 is milliseconds away).
      const nativeKey = `${this.keyPrefix}native\u0000${plan.level}\u0000${tile}`;
      const kept = this.encoded?.get(nativeKey);
      if (kept) return { jpeg: kept, passedThrough: true, errors: [] };
      const bytes = await this.imageTileBytes(image, plan.level, tile);
      if (looksLikeJpeg(bytes)) {
        const jpeg = standaloneJpeg(bytes, jpegTablesOf(image), image.photometric === 2);
        this.encoded?.set(nativeKey, jpeg);
        return { jpeg, passedThrough: true, errors: [] };
      }
    }
    const key = `${this.keyPrefix}dz\u0000${tileSize}\u0000${quality}\u0000${z}\u0000${col}\u0000${row}`;
    const made = this.encoded?.get(key);
    if (made) return { jpeg: made, passedThrough: false, errors: [] };
    const region = await this.renderRegion(plan.level, plan.x0, plan.y0, plan.readWidth, plan.readHeight);
    let pipeline = sharp(region.data, { raw: { width: region.width, height: region.height, channels: 3 } });
    if (region.width !== plan.width || region.height !== plan.height) {
      pipeline = pipeline.resize(plan.width, plan.height, { fit: 'fill', kernel: 'lanczos3' });
    }
    const jpeg = await pipeline.jpeg({ quality }).toBuffer();
    // A tile with a failed native tile is not kept: the failure may be transient (a storage read).
    if (region.errors.length === 0) this.encoded?.set(key, jpeg);
    return { jpeg, passedThrough: false, errors: region.errors };
  }

  level(level: number): SlideIndex['levels'][number] {
    const image = this.index.levels[level];
    if (!image || !Number.isInteger(level))
      throw new OutOfRangeError(`native level ${level} of ${this.index.levels.length}`);
    return image;
  }

  private async imageTileBytes(image: ImageIndex, level: number | string, tile: number): Promise<Uint8Array> {
    const { offsets, byteCounts } = tileTable(image);
    const offset = offsets[tile] as number;
    const length = byteCounts[tile] as number;
    if (length === 0) throw new TileReadError(this.index.fileName, level, tile, 'the tile is missing (0 bytes)');
    const source = this.sources[image.file ?? 0];
    if (!source) throw new TileReadError(this.index.fileName, level, tile, `no source for file ${image.file}`);
    if (offset + length > source.size) {
      throw new TileReadError(
        this.index.fileName,
        level,
        tile,
        `bytes ${offset}+${length} lie past the end of the file`,
      );
    }
    const bytes = await source.read(offset, length);
    if (bytes.length !== length)
      throw new TileReadError(this.index.fileName, level, tile, `short read: ${bytes.length} of ${length} bytes`);
    return image.paddedTiles ? trimAfterEoi(bytes) : bytes;
  }

  private decodeImageTile(image: ImageIndex, level: number | string, tile: number): Promise<RgbPixels> {
    const key = `${this.keyPrefix}${level}\u0000${tile}`;
    const cached = this.cache.get(key);
    if (cached) return Promise.resolve(cached);
    let job = this.pending.get(key);
    if (!job) {
      job = (async () => {
        try {
          const bytes = await this.imageTileBytes(image, level, tile);
          let pixels: RgbPixels;
          try {
            pixels = await decodeTile(image, bytes, this.index.littleEndian);
          } catch (error) {
            throw new TileReadError(this.index.fileName, level, tile, (error as Error).message);
          }
          this.cache.set(key, pixels);
          return pixels;
        } finally {
          this.pending.delete(key);
        }
      })();
      this.pending.set(key, job);
    }
    return job;
  }
}

/** A DICOM fragment is padded to an even length: drop a zero byte after the JPEG's EOI. */
function trimAfterEoi(bytes: Uint8Array): Uint8Array {
  const n = bytes.length;
  return n >= 3 && bytes[n - 1] === 0 && bytes[n - 3] === 0xff && bytes[n - 2] === 0xd9
    ? bytes.subarray(0, n - 1)
    : bytes;
}

function tileNumber(image: ImageIndex, level: number, col: number, row: number): number {
  if (
    !Number.isInteger(col) ||
    !Number.isInteger(row) ||
    col < 0 ||
    row < 0 ||
    col >= image.cols ||
    row >= image.rows
  ) {
    throw new OutOfRangeError(`tile ${col}_${row} of level ${level} (${image.cols}×${image.rows} tiles)`);
  }
  return row * image.cols + col;
}

function parseColour(hex: string | undefined): [number, number, number] {
  const m = /^#?([0-9a-f]{6})$/i.exec(hex ?? '');
  if (!m?.[1]) return [255, 255, 255];
  const v = Number.parseInt(m[1], 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

function fillRgb(data: Buffer, [r, g, b]: [number, number, number]): void {
  if (r === g && g === b) {
    data.fill(r);
    return;
  }
  data[0] = r;
  data[1] = g;
  data[2] = b;
  let filled = 3;
  while (filled < data.length) {
    data.copy(data, filled, 0, Math.min(filled, data.length - filled));
    filled *= 2;
  }
}
