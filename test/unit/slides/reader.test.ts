import { createRequire } from 'node:module';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { ByteLru } from '../../../functions/slides/byte-lru.js';
import {
  bufferRangeSource,
  countingRangeSource,
  derivePyramid,
  imageMetadata,
  indexSlide,
  OutOfRangeError,
  SlideOpenError,
  SlideReader,
  TileReadError,
  UntiledImageError,
  withJfifHeader,
} from '../../../functions/slides/index.js';
import { tileTable } from '../../../functions/slides/slide-index.js';
import { fixtureBytes, meanAbsDiff, openFixture, rgbOf } from './fixtures.js';
import { writeTiledTiff } from './tiff-writer.js';

describe('indexing', () => {
  it('reads only directory bytes, in few ranged reads', async () => {
    const { source, index } = await openFixture('CMU-1-Small-Region.svs');
    expect(source.counts.reads).toBeLessThanOrEqual(6);
    expect(source.counts.bytes).toBeLessThan(source.size / 4);
    // The index is small JSON and survives a round trip.
    const json = JSON.stringify(index);
    expect(json.length).toBeLessThan(20_000);
    const reader = new SlideReader(JSON.parse(json), source);
    expect((await reader.renderRegion(0, 0, 0, 8, 8)).errors).toEqual([]);
  });

  it('finds the levels of a SubIFD pyramid', async () => {
    const { index } = await openFixture('vips-subifd-pyramid.tif');
    expect(index.levels.map((l) => [l.width, l.height])).toEqual([
      [1280, 960],
      [640, 480],
      [320, 240],
      [160, 120],
    ]);
    expect(index.levels.map((l) => l.downsample)).toEqual([1, 2, 4, 8]);
    expect(index.levels.slice(1).every((l) => l.subIfd)).toBe(true);
  });

  it('gives metadata: mpp only from metric units, the osdTileSize rule, numbers not nulls', async () => {
    const cmu = imageMetadata((await openFixture('CMU-1-Small-Region.svs')).index, 'a/CMU.svs');
    expect(cmu).toMatchObject({
      level0Width: 2220,
      level0Height: 2967,
      level0TileWidth: 240,
      osdTileSize: 240,
      mppX: 0.499,
      mppY: 0.499,
    });
    expect(cmu).toMatchObject({
      objectivePower: 20,
      levelCount: 1,
      fileName: 'a/CMU.svs',
      zLayerCount: 1,
      backgroundColor: null,
    });
    expect(cmu).toMatchObject({ boundsX: 0, boundsY: 0, boundsWidth: 2220, boundsHeight: 2967 });
    // 28.35 px/cm is 72 dpi, not a microscope: 0. Tiles of 64 are too small for viewers: 256.
    const boxes = imageMetadata((await openFixture('openslide-boxes.tiff')).index, 'boxes.tiff');
    expect(boxes).toMatchObject({ mppX: 0, mppY: 0, objectivePower: 0, osdTileSize: 256 });
    const zstd = imageMetadata((await openFixture('large-image-yb10kx5k.zstd.tiff')).index, 'z.tiff');
    expect(zstd.osdTileSize).toBe(1024);
  });

  it('reads both byte orders, classic TIFF and BigTIFF, to the same pixels', async () => {
    const pixel = (x: number, y: number): [number, number, number] => [x & 255, y & 255, (x ^ y) & 255];
    const levels = [
      { width: 300, height: 200, pixel },
      { width: 150, height: 100, pixel: (x: number, y: number) => pixel(x * 2, y * 2) },
    ];
    const regions: Buffer[] = [];
    for (const bigEndian of [false, true]) {
      for (const bigTiff of [false, true]) {
        const bytes = writeTiledTiff(levels, { bigEndian, bigTiff, tile: 64 });
        const index = await indexSlide(bufferRangeSource(bytes, 'made.tif'));
        expect(index.littleEndian).toBe(!bigEndian);
        expect(index.bigTiff).toBe(bigTiff);
        expect(index.levels.map((l) => [l.width, l.height])).toEqual([
          [300, 200],
          [150, 100],
        ]);
        const reader = new SlideReader(index, bufferRangeSource(bytes, 'made.tif'));
        const region = await reader.renderRegion(1, 100, 60, 40, 30);
        expect([...region.data.subarray(0, 3)]).toEqual(pixel(100, 60));
        regions.push(region.data);
      }
    }
    for (const region of regions) expect(region.equals(regions[0] as Buffer)).toBe(true);
  });
});

describe('tiles', () => {
  it('costs one ranged read of exactly the tile bytes when warm, and passes native JPEG tiles through', async () => {
    const { source, reader, index } = await openFixture('corrupt-tiles.svs');
    const level = index.levels[1];
    if (!level) throw new Error('no level 1');
    const expected = await reader.readNativeTile(1, 3, 2);
    if (expected.kind !== 'jpeg') throw new Error('a JPEG level');
    source.reset();
    // DeepZoom level 12 of a 6000×4000 slide is level 1 (downsample 2): tile (3, 2) is native tile (3, 2).
    const tile = await reader.deepZoomTile(12, 3, 2, 256);
    expect(tile.passedThrough).toBe(true);
    expect(tile.jpeg.equals(expected.jpeg)).toBe(true);
    expect(source.counts.reads).toBe(1);
    const { offsets, byteCounts } = tileTable(level);
    const n = 2 * level.cols + 3;
    expect(source.counts.log).toEqual([[offsets[n], byteCounts[n]]]);
    expect(source.counts.bytes).toBe(byteCounts[n]);
    // The passed-through bytes decode to what the decoder path gives.
    const decoded = await reader.renderRegion(1, 3 * 256 * 2, 2 * 256 * 2, 256, 256);
    expect(meanAbsDiff(await rgbOf(tile.jpeg), decoded)).toBe(0);
  });

  it('inserts the Adobe marker for RGB-photometric Aperio tiles so colours are right', async () => {
    const { reader } = await openFixture('CMU-1-Small-Region.svs');
    const native = await reader.readNativeTile(0, 4, 6);
    if (native.kind !== 'jpeg') throw new Error('a JPEG level');
    expect(native.jpeg.includes(Buffer.from('Adobe'))).toBe(true);
    const region = await reader.renderRegion(0, 4 * 240, 6 * 240, 240, 240);
    expect(meanAbsDiff(await rgbOf(native.jpeg), region)).toBe(0);
  });

  it('decodes the LZW label and the JPEG thumbnail of an Aperio slide', async () => {
    const { reader, index } = await openFixture('CMU-1-Small-Region.svs');
    expect(index.associated.label?.compression).toBe(5);
    const label = await reader.associatedImage('label');
    expect([label.width, label.height, label.errors]).toEqual([387, 463, []]);
    const thumbnail = await reader.associatedImage('thumbnail');
    expect([thumbnail.width, thumbnail.height, thumbnail.errors]).toEqual([574, 768, []]);
    // The label is not blank: LZW with predictor decoded to varied pixels.
    expect(new Set(label.data).size).toBeGreaterThan(50);
  });

  it('paints background outside the image and refuses tiles out of range', async () => {
    const { reader } = await openFixture('openslide-small.svs');
    const region = await reader.renderRegion(0, 8, 8, 16, 16);
    expect([...region.data.subarray(region.data.length - 3)]).toEqual([255, 255, 255]);
    await expect(reader.deepZoomTile(4, 1, 0, 256)).rejects.toBeInstanceOf(OutOfRangeError);
    await expect(reader.deepZoomTile(99, 0, 0, 256)).rejects.toBeInstanceOf(OutOfRangeError);
    await expect(reader.readNativeTile(0, 1, 0)).rejects.toBeInstanceOf(OutOfRangeError);
    await expect(reader.renderRegion(3, 0, 0, 10, 10)).rejects.toBeInstanceOf(OutOfRangeError);
  });

  it('keeps decoded tiles in a cache bounded in bytes', async () => {
    const { source, index } = await openFixture('large-image-yb10kx5k.zstd.tiff');
    const cache = new ByteLru<{ data: Buffer; width: number; height: number }>(4 * 1024 * 1024, (p) => p.data.length);
    const reader = new SlideReader(index, source, { tileCache: cache });
    for (let col = 0; col < 3; col++) await reader.decodedTile(0, col, 0);
    expect(cache.bytes).toBeLessThanOrEqual(4 * 1024 * 1024);
    expect(cache.size).toBe(1); // one 1024² RGB tile is 3 MiB
    source.reset();
    await reader.decodedTile(0, 2, 0);
    expect(source.counts.reads).toBe(0);
  });
});

describe('bad files', () => {
  const open = (bytes: Uint8Array, name: string) => indexSlide(bufferRangeSource(bytes, name));

  it.each([
    ['empty.svs', /empty\.svs: .*empty/],
    ['not-a-slide.svs', /not-a-slide\.svs: .*not a TIFF/],
    ['openslide-unopenable.tiff', /openslide-unopenable\.tiff: .*compression 52479/],
  ])('%s is refused with a clear error', async (file, message) => {
    const error = await open(fixtureBytes(file), file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SlideOpenError);
    expect((error as Error).message).toMatch(message);
  });

  it('a truncated slide is refused, naming the file', async () => {
    const whole = fixtureBytes('corrupt-tiles.svs');
    const error = await open(whole.subarray(0, Math.floor(whole.length * 0.4)), 'truncated.svs').catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SlideOpenError);
    expect((error as Error).message).toMatch(/truncated\.svs: .*past the end of the file/);
  });

  it('an untiled image asks for a derived pyramid', async () => {
    await expect(open(fixtureBytes('plain-1280x960-strip.tif'), 'strip.tif')).rejects.toBeInstanceOf(UntiledImageError);
  });

  it('a corrupt tile fails alone and fast; DeepZoom gives background for it and reports the error', async () => {
    const { reader } = await openFixture('corrupt-tiles.svs');
    // Level-0 tiles 104–154 (rows 4–6 of 24 columns) are 0xFF bytes.
    const started = Date.now();
    await expect(reader.readNativeTile(0, 10, 5)).rejects.toThrow(/corrupt-tiles\.svs: level 0 tile 130/);
    await expect(reader.decodedTile(0, 10, 5)).rejects.toBeInstanceOf(TileReadError);
    // DeepZoom level 13 is level 0: tile (10, 5) is the corrupt native tile.
    const tile = await reader.deepZoomTile(13, 10, 5, 256);
    expect(tile.passedThrough).toBe(false);
    expect(tile.errors.map((e) => e.tile)).toEqual([130]);
    const pixels = await rgbOf(tile.jpeg);
    expect(pixels.data.every((v) => v > 250)).toBe(true);
    // Its neighbour is fine.
    expect((await reader.deepZoomTile(13, 10, 3, 256)).passedThrough).toBe(true);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('a tile with broken JPEG markers fails with the file, level and tile named', async () => {
    const { reader } = await openFixture('openslide-unreadable.svs');
    const region = await reader.renderRegion(0, 0, 0, 16, 16);
    expect(region.errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/openslide-unreadable\.svs: level 0 tile 0: /),
    ]);
  });
});

describe('derived pyramids for untiled inputs', () => {
  it.each([
    ['plain-1280x960.png', 'png'],
    ['plain-1280x960-strip.tif', 'tif'],
    ['plain-1280x960.jpg', 'jpg'],
  ])('%s becomes a tiled JPEG pyramid with the same pixels', async (file) => {
    const derived = await derivePyramid(fixtureBytes(file), file);
    const index = await indexSlide(bufferRangeSource(derived.tiff, file));
    expect(index.levels.map((l) => [l.width, l.height])).toEqual([
      [1280, 960],
      [640, 480],
      [320, 240],
      [160, 120],
    ]);
    expect(index.levels[0]).toMatchObject({ tileWidth: 256, tileHeight: 256, compression: 7 });
    const reader = new SlideReader(index, bufferRangeSource(derived.tiff, file));
    const region = await reader.renderRegion(0, 0, 0, 1280, 960);
    expect(meanAbsDiff(region, await rgbOf(fixtureBytes(file)))).toBeLessThan(3);
    expect((await reader.deepZoomTile(11, 1, 1, 256)).passedThrough).toBe(true);
  });

  it('refuses what is not an image, and inputs over the size limit', async () => {
    await expect(derivePyramid(fixtureBytes('not-a-slide.svs'), 'not-a-slide.svs')).rejects.toThrow(
      /not-a-slide\.svs: .*not an image/,
    );
    await expect(derivePyramid(fixtureBytes('plain-1280x960.png'), 'big.png', 1000)).rejects.toThrow(
      /big\.png: .*more than the 1000/,
    );
  });
});

describe('JFIF header', () => {
  it('adds a JFIF APP0 segment to sharp’s output, which still decodes', async () => {
    const jpeg = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#ff0000' } })
      .jpeg()
      .toBuffer();
    const withJfif = withJfifHeader(jpeg);
    expect(withJfif.subarray(6, 10).toString('latin1')).toBe('JFIF');
    expect((await sharp(withJfif).metadata()).width).toBe(8);
  });
});

describe('counting source', () => {
  it('counts reads and bytes', async () => {
    const source = countingRangeSource(bufferRangeSource(Buffer.alloc(100), 'x'));
    await source.read(10, 20);
    await source.read(90, 20);
    expect(source.counts).toMatchObject({
      reads: 2,
      bytes: 30,
      log: [
        [10, 20],
        [90, 20],
      ],
    });
  });
});

describe('JPEG 2000 tiles (Aperio 33005)', () => {
  it('decode to the encoded pixels', async () => {
    const require = createRequire(import.meta.url);
    const factory = require('@cornerstonejs/codec-openjpeg/wasmjs') as (o: object) => Promise<J2kEncoderModule>;
    const openjpeg = await factory({ print: () => {}, printErr: () => {} });
    const tile = 64;
    const encode = (raw: Buffer) => {
      const encoder = new openjpeg.J2KEncoder();
      const info = {
        width: tile,
        height: tile,
        bitsPerSample: 8,
        componentCount: 3,
        isSigned: false,
        isUsingColorTransform: false,
      };
      encoder.getDecodedBuffer(info).set(raw);
      encoder.encode();
      const bytes = Buffer.from(encoder.getEncodedBuffer());
      encoder.delete();
      return bytes;
    };
    const pixel = (x: number, y: number): [number, number, number] => [(x * 3) & 255, (y * 5) & 255, 128];
    const bytes = writeTiledTiff([{ width: 100, height: 70, pixel }], {
      bigEndian: false,
      bigTiff: false,
      tile,
      compression: 33005,
      encode,
    });
    const index = await indexSlide(bufferRangeSource(bytes, 'j2k.svs'));
    const reader = new SlideReader(index, bufferRangeSource(bytes, 'j2k.svs'));
    const region = await reader.renderRegion(0, 0, 0, 100, 70);
    expect(region.errors).toEqual([]);
    let worst = 0;
    for (let y = 0; y < 70; y++) {
      for (let x = 0; x < 100; x++) {
        const expected = pixel(x, y);
        for (let c = 0; c < 3; c++)
          worst = Math.max(worst, Math.abs((region.data[(y * 100 + x) * 3 + c] as number) - expected[c]!));
      }
    }
    expect(worst).toBeLessThanOrEqual(2);
  });
});

interface J2kEncoderModule {
  J2KEncoder: new () => {
    getDecodedBuffer(info: object): Uint8Array;
    encode(): void;
    getEncodedBuffer(): Uint8Array;
    delete(): void;
  };
}

describe('raw regions as JPEG', () => {
  it('are exactly the size asked, start with JFIF, and are background outside the image', async () => {
    const { reader } = await openFixture('CMU-1-Small-Region.svs');
    const { jpeg, errors } = await reader.regionJpeg(0, 2100, 2900, 250, 250, 9);
    expect(errors).toEqual([]);
    expect(jpeg.subarray(0, 11).includes(Buffer.from('JFIF'))).toBe(true);
    const pixels = await rgbOf(jpeg);
    expect([pixels.width, pixels.height]).toEqual([250, 250]);
    // Bottom-right corner lies outside the 2220×2967 image.
    expect((pixels.data[pixels.data.length - 3] as number) > 240).toBe(true);
  });
});
