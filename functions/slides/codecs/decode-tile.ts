import { inflateSync } from 'node:zlib';
import sharp from 'sharp';
import { ZSTDDecoder } from 'zstddec';
import { type ImageIndex, jpegTablesOf } from '../slide-index.js';
import { standaloneJpeg } from './jpeg-stream.js';
import { decodeJpeg2000 } from './jpeg2000.js';
import { lzwDecode } from './lzw.js';

/** Decoded pixels: 8-bit RGB, rows of `width * 3` bytes. */
export interface RgbPixels {
  data: Buffer;
  width: number;
  height: number;
}

let zstd: Promise<ZSTDDecoder> | undefined;
function zstdDecoder(): Promise<ZSTDDecoder> {
  zstd ??= (async () => {
    const decoder = new ZSTDDecoder();
    await decoder.init();
    return decoder;
  })();
  return zstd;
}

/**
 * Decodes one tile's bytes (exactly as stored) to RGB of the tile's full size (`tileWidth × tileHeight`; a
 * short last strip may be less). Throws on corrupt data; the caller names file, level and tile.
 */
export async function decodeTile(image: ImageIndex, bytes: Uint8Array, littleEndian: boolean): Promise<RgbPixels> {
  const width = image.tileWidth;
  switch (image.compression) {
    case 7:
      return decodeWithSharp(standaloneJpeg(bytes, jpegTablesOf(image), image.photometric === 2));
    case 33003:
    case 33005: {
      const j2k = await decodeJpeg2000(bytes);
      const rgb = toRgb8(j2k.data, j2k.width, j2k.height, j2k.channels, 8, 2, true);
      if (image.compression === 33003) ycbcrToRgbInPlace(rgb);
      return { data: rgb, width: j2k.width, height: j2k.height };
    }
    default: {
      const bytesPerSample = Math.ceil(image.bitsPerSample / 8);
      const rowBytes = width * image.samplesPerPixel * bytesPerSample;
      const expected = rowBytes * image.tileHeight;
      let raw: Uint8Array;
      switch (image.compression) {
        case 1:
          raw = bytes;
          break;
        case 5:
          raw = lzwDecode(bytes, expected);
          break;
        case 8:
        case 32946:
          raw = inflateSync(bytes);
          break;
        case 50000:
          raw = (await zstdDecoder()).decode(bytes, expected);
          break;
        default:
          throw new Error(`unsupported compression ${image.compression}`);
      }
      const height = Math.min(image.tileHeight, Math.floor(raw.length / rowBytes));
      if (height < 1) throw new Error(`decoded ${raw.length} bytes, less than one row of ${rowBytes}`);
      // The predictor works in place: never on the caller's bytes.
      const samples = image.compression === 1 && image.predictor === 2 ? Uint8Array.from(raw) : raw;
      if (image.predictor === 2)
        undoHorizontalPredictor(samples, width, height, image.samplesPerPixel, bytesPerSample, littleEndian);
      const data = toRgb8(
        samples,
        width,
        height,
        image.samplesPerPixel,
        image.bitsPerSample,
        image.photometric,
        littleEndian,
      );
      return { data, width, height };
    }
  }
}

async function decodeWithSharp(jpeg: Buffer): Promise<RgbPixels> {
  const { data, info } = await sharp(jpeg, { failOn: 'truncated' }).raw().toBuffer({ resolveWithObject: true });
  if (info.channels === 3) return { data, width: info.width, height: info.height };
  return {
    data: toRgb8(data, info.width, info.height, info.channels, 8, info.channels < 3 ? 1 : 2, true),
    width: info.width,
    height: info.height,
  };
}

/** TIFF Predictor 2: each sample is stored as the difference from the one to its left. */
function undoHorizontalPredictor(
  data: Uint8Array,
  width: number,
  height: number,
  spp: number,
  bytesPerSample: number,
  littleEndian: boolean,
): void {
  const rowBytes = width * spp * bytesPerSample;
  if (bytesPerSample === 1) {
    for (let y = 0; y < height; y++) {
      const row = y * rowBytes;
      for (let i = row + spp, end = row + rowBytes; i < end; i++)
        data[i] = ((data[i] as number) + (data[i - spp] as number)) & 0xff;
    }
    return;
  }
  if (bytesPerSample === 2) {
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    for (let y = 0; y < height; y++) {
      const row = y * rowBytes;
      for (let i = spp; i < width * spp; i++) {
        const at = row + i * 2;
        view.setUint16(
          at,
          (view.getUint16(at, littleEndian) + view.getUint16(at - spp * 2, littleEndian)) & 0xffff,
          littleEndian,
        );
      }
    }
  }
}

/** Samples to 8-bit RGB: greyscale (min-is-white/black), RGB(A), 16-bit scaled down by its high byte. */
function toRgb8(
  data: Uint8Array,
  width: number,
  height: number,
  spp: number,
  bits: number,
  photometric: number,
  littleEndian: boolean,
): Buffer {
  const n = width * height;
  const out = Buffer.allocUnsafe(n * 3);
  const wide = bits === 16;
  const hi = wide ? (littleEndian ? 1 : 0) : 0;
  const step = wide ? 2 : 1;
  const sample = (i: number) => data[i * step + hi] as number;
  if (spp >= 3 && !wide && spp === 3) {
    out.set(data.subarray(0, n * 3));
    return out;
  }
  for (let p = 0; p < n; p++) {
    if (spp >= 3) {
      out[p * 3] = sample(p * spp);
      out[p * 3 + 1] = sample(p * spp + 1);
      out[p * 3 + 2] = sample(p * spp + 2);
    } else {
      let v = sample(p * spp);
      if (photometric === 0) v = 255 - v;
      out[p * 3] = v;
      out[p * 3 + 1] = v;
      out[p * 3 + 2] = v;
    }
  }
  return out;
}

/** JPEG 2000 tiles in Aperio 33003 hold YCbCr: convert as OpenSlide does (BT.601 full range). */
function ycbcrToRgbInPlace(data: Buffer): void {
  const clamp = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v));
  for (let i = 0; i < data.length; i += 3) {
    const y = data[i] as number;
    const cb = (data[i + 1] as number) - 128;
    const cr = (data[i + 2] as number) - 128;
    data[i] = clamp(y + 1.402 * cr);
    data[i + 1] = clamp(y - 0.344136 * cb - 0.714136 * cr);
    data[i + 2] = clamp(y + 1.772 * cb);
  }
}
