import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { ByteLru } from '../../../functions/slides/byte-lru.js';
import { bufferRangeSource, countingRangeSource, indexSlide, SlideReader } from '../../../functions/slides/index.js';
import type { RgbPixels } from '../../../functions/slides/slide-reader.js';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/slides/', import.meta.url));

/** OpenSlide 3.4.1's outputs for a fixture (`reference/<file>/properties.json`, see the fixtures README). */
export interface Reference {
  level_dimensions: Array<[number, number]>;
  level_downsamples: number[];
  level_tile_sizes: Array<[number, number]>;
  properties: Record<string, string>;
  associated_images: Record<string, [number, number]>;
  'mpp-x': string | null;
  'mpp-y': string | null;
  'objective-power': string | null;
  deepzoom: {
    level_count: number;
    level_dimensions: Array<[number, number]>;
    level_tiles: Array<[number, number]>;
    slide_level_for_dz_level: number[];
    tiles: Array<{
      file: string | null;
      dz_level: number;
      col: number;
      row: number;
      size: [number, number];
      read_region: { location: [number, number]; level: number; size: [number, number] };
    }>;
  };
  regions: Array<{ file: string | null; location: [number, number]; level: number; size: [number, number] }>;
}

export function reference(file: string): Reference {
  return JSON.parse(readFileSync(`${FIXTURES}reference/${file}/properties.json`, 'utf8')) as Reference;
}

export function fixtureBytes(file: string): Buffer {
  return readFileSync(`${FIXTURES}${file}`);
}

/** A fixture through a counting in-memory RangeSource (no file handles left open by tests). */
export async function openFixture(file: string) {
  const source = countingRangeSource(bufferRangeSource(fixtureBytes(file), file));
  const index = await indexSlide(source);
  // A private cache per reader, so one test's warm tiles do not make another's.
  const reader = new SlideReader(index, source, {
    tileCache: new ByteLru<RgbPixels>(64 * 1024 * 1024, (p) => p.data.length),
  });
  return { source, index, reader };
}

export interface Rgb {
  data: Buffer;
  width: number;
  height: number;
}

/** Any image file or encoded buffer as RGB, composited over white (OpenSlide's RGBA regions are transparent outside). */
export async function rgbOf(input: string | Buffer): Promise<Rgb> {
  const { data, info } = await sharp(input)
    .flatten({ background: '#ffffff' })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** Mean absolute difference per channel over the common area (DeepZoom tiles may differ by a pixel in size). */
export function meanAbsDiff(a: Rgb, b: Rgb): number {
  const w = Math.min(a.width, b.width);
  const h = Math.min(a.height, b.height);
  let sum = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w * 3; x++)
      sum += Math.abs((a.data[y * a.width * 3 + x] as number) - (b.data[y * b.width * 3 + x] as number));
  }
  return sum / (w * h * 3);
}
