import sharp, { type Sharp, type TiffOptions } from 'sharp';
import { SlideOpenError } from './errors.js';
import { bufferRangeSource } from './range-source.js';
import { type Directory, Tag, TiffFile } from './tiff/directory.js';

/** Largest input the derive step reads whole (it runs once per slide, in the S3-event function). */
export const MAX_DERIVE_INPUT_BYTES = 512 * 1024 * 1024;

export interface DerivedPyramid {
  /** A tiled (256²), pyramidal, JPEG-compressed (Q 90) RGB TIFF: index it with indexSlide like any slide. */
  tiff: Buffer;
  width: number;
  height: number;
  /** How the pixels were made, for logs and docs ("image", "qptiff composite of DAPI, FITC, Cy3"). */
  source: string;
}

const TILE = 256;
const QUALITY = 90;

/**
 * Untiled inputs (striped TIFF, plain JPEG/PNG, QPTIFF strips) → a tiled pyramid TIFF kept beside the original.
 * Reads the input whole, up to `maxBytes`. QPTIFF fluorescence channels are composited additively in their
 * `<Color>`, each stretched from its median (black) to its 99.9th percentile (full colour). Resolution in centimetres is kept.
 */
export async function derivePyramid(
  bytes: Uint8Array,
  name: string,
  maxBytes = MAX_DERIVE_INPUT_BYTES,
): Promise<DerivedPyramid> {
  if (bytes.length === 0) throw new SlideOpenError(name, 'the file is empty');
  if (bytes.length > maxBytes)
    throw new SlideOpenError(name, `${bytes.length} bytes is more than the ${maxBytes} an untiled image may have`);
  const resolution = await tiffResolution(bytes, name);
  const qptiff = await qptiffChannels(bytes, name);
  let image: Sharp;
  let source = 'image';
  try {
    if (qptiff && qptiff.length > 1) {
      const { data, width, height } = await composite(bytes, qptiff);
      image = sharp(data, { raw: { width, height, channels: 3 } });
      source = `qptiff composite of ${qptiff.map((c) => c.name).join(', ')}`;
    } else {
      image = sharp(bytes, { limitInputPixels: false }).flatten({ background: '#ffffff' }).toColourspace('srgb');
    }
    const tiffOptions: TiffOptions = {
      tile: true,
      tileWidth: TILE,
      tileHeight: TILE,
      pyramid: true,
      compression: 'jpeg',
      quality: QUALITY,
    };
    if (resolution)
      Object.assign(tiffOptions, { xres: resolution[0] / 10, yres: resolution[1] / 10, resolutionUnit: 'cm' });
    const { data, info } = await image.tiff(tiffOptions).toBuffer({ resolveWithObject: true });
    return { tiff: data, width: info.width, height: info.height, source };
  } catch (error) {
    if (error instanceof SlideOpenError) throw error;
    throw new SlideOpenError(name, `not an image that can be read: ${(error as Error).message}`);
  }
}

/** Pixels per centimetre of a TIFF's first directory, when it says so in centimetres. */
async function tiffResolution(bytes: Uint8Array, name: string): Promise<[number, number] | undefined> {
  const tiff = await openTiff(bytes, name);
  const first = tiff && (await tiff.directory(tiff.firstIfd));
  if (!tiff || !first || (await tiff.number(first, Tag.ResolutionUnit)) !== 3) return undefined;
  const x = await tiff.number(first, Tag.XResolution);
  const y = await tiff.number(first, Tag.YResolution);
  return x && y ? [x, y] : undefined;
}

interface Channel {
  page: number;
  name: string;
  colour: [number, number, number];
}

/** The full-resolution fluorescence channels of a PerkinElmer/Akoya QPTIFF, or undefined for other files. */
async function qptiffChannels(bytes: Uint8Array, name: string): Promise<Channel[] | undefined> {
  const tiff = await openTiff(bytes, name);
  if (!tiff) return undefined;
  const channels: Channel[] = [];
  let dirs: Directory[];
  try {
    dirs = await tiff.chain();
  } catch {
    return undefined;
  }
  for (const [page, dir] of dirs.entries()) {
    const xml = await tiff.text(dir, Tag.ImageDescription);
    if (!xml?.includes('<PerkinElmer-QPI-ImageDescription>')) return undefined;
    if (!xml.includes('<ImageType>FullResolution</ImageType>')) continue;
    const colour = /<Color>\s*(\d+),(\d+),(\d+)\s*<\/Color>/.exec(xml);
    channels.push({
      page,
      name: /<Name>([^<]*)<\/Name>/.exec(xml)?.[1] ?? `channel ${page}`,
      colour: colour ? [Number(colour[1]), Number(colour[2]), Number(colour[3])] : [255, 255, 255],
    });
  }
  return channels;
}

async function composite(
  bytes: Uint8Array,
  channels: Channel[],
): Promise<{ data: Buffer; width: number; height: number }> {
  let out: Float32Array | undefined;
  let width = 0;
  let height = 0;
  for (const channel of channels) {
    const { data, info } = await sharp(bytes, { page: channel.page, limitInputPixels: false })
      .extractChannel(0)
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (!out) {
      width = info.width;
      height = info.height;
      out = new Float32Array(width * height * 3);
    }
    if (info.width !== width || info.height !== height) continue;
    // Fluorescence has a bright background: the median maps to black, the 99.9th percentile to full colour.
    const low = percentile(data, 0.5);
    const scale = 1 / Math.max(1, percentile(data, 0.999) - low);
    const [r, g, b] = channel.colour;
    for (let p = 0, q = 0; p < data.length; p++, q += 3) {
      const v = Math.min(1, Math.max(0, (data[p] as number) - low) * scale);
      out[q] = (out[q] as number) + v * r;
      out[q + 1] = (out[q + 1] as number) + v * g;
      out[q + 2] = (out[q + 2] as number) + v * b;
    }
  }
  if (!out) throw new Error('no channel');
  const data = Buffer.allocUnsafe(out.length);
  for (let i = 0; i < out.length; i++) data[i] = Math.min(255, Math.round(out[i] as number));
  return { data, width, height };
}

function percentile(data: Uint8Array, p: number): number {
  const histogram = new Uint32Array(256);
  for (const v of data) histogram[v] = (histogram[v] as number) + 1;
  const target = data.length * p;
  let seen = 0;
  for (let v = 0; v < 256; v++) {
    seen += histogram[v] as number;
    if (seen >= target) return v;
  }
  return 255;
}

async function openTiff(bytes: Uint8Array, name: string): Promise<TiffFile | undefined> {
  const head = bytes.subarray(0, 2);
  if (!(head[0] === 0x49 && head[1] === 0x49) && !(head[0] === 0x4d && head[1] === 0x4d)) return undefined;
  try {
    return await TiffFile.open(bufferRangeSource(bytes, name));
  } catch {
    return undefined;
  }
}
