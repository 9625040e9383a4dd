import { describe, expect, it } from 'vitest';
import { deepZoomLayout, imageMetadata } from '../../../functions/slides/index.js';
import { FIXTURES, meanAbsDiff, openFixture, reference, rgbOf } from './fixtures.js';

/**
 * The reader against OpenSlide 3.4.1's own outputs (test/fixtures/slides/reference, made by make-reference.py).
 * Bounds: regions are native pixels, so mean |difference| ≤ 0.5 per channel (sharp and OpenSlide both use
 * libjpeg-style islow decoding; they match exactly today). DeepZoom tiles are JPEG-encoded at quality 75 and
 * resampled with Lanczos 3 where OpenSlide uses Pillow's thumbnail: mean |difference| ≤ 10 per channel, and
 * sizes may differ by one pixel (Pillow keeps the aspect ratio). Levels OpenSlide 3.4.1 decodes wrongly have
 * no reference file and are skipped.
 */
const SLIDES = [
  'CMU-1-Small-Region.svs',
  'corrupt-tiles.svs',
  'large-image-yb10kx5k.zstd.tiff',
  'openslide-boxes.tiff',
  'openslide-small.svs',
  'slidescore-test-image.tiff',
];

describe.each(SLIDES)('%s', (file) => {
  const ref = reference(file);

  it('has OpenSlide’s levels, downsamples, tile sizes, mpp, objective power and properties', async () => {
    const { index } = await openFixture(file);
    const meta = imageMetadata(index, file);
    expect(index.levels.map((l) => [l.width, l.height])).toEqual(ref.level_dimensions);
    expect(meta.downsamples).toEqual(ref.level_downsamples);
    expect(index.levels.map((l) => [l.tileWidth, l.tileHeight])).toEqual(ref.level_tile_sizes);
    expect(meta.mppX).toBe(ref['mpp-x'] === null ? meta.mppX : Number(ref['mpp-x']));
    expect(meta.objectivePower).toBe(ref['objective-power'] === null ? 0 : Number(ref['objective-power']));
    expect(Object.keys(index.associated).sort()).toEqual(Object.keys(ref.associated_images).sort());
    for (const [key, value] of Object.entries(ref.properties)) {
      if (key !== 'openslide.quickhash-1') expect(index.properties[key], key).toBe(value);
    }
  });

  it('has OpenSlide’s DeepZoom layout', async () => {
    const { index } = await openFixture(file);
    const layout = deepZoomLayout(index, 256);
    expect(layout.levelCount).toBe(ref.deepzoom.level_count);
    expect(layout.dimensions).toEqual(ref.deepzoom.level_dimensions);
    expect(layout.tiles).toEqual(ref.deepzoom.level_tiles);
  });

  it('reads regions with OpenSlide’s pixels', async () => {
    const { reader } = await openFixture(file);
    for (const region of ref.regions.filter((r) => r.file)) {
      const out = await reader.renderRegion(
        region.level,
        region.location[0],
        region.location[1],
        region.size[0],
        region.size[1],
      );
      expect(out.errors).toEqual([]);
      const expected = await rgbOf(`${FIXTURES}reference/${file}/${region.file}`);
      expect([out.width, out.height]).toEqual([expected.width, expected.height]);
      expect(meanAbsDiff(out, expected), region.file ?? '').toBeLessThanOrEqual(0.5);
    }
  });

  it('makes OpenSlide’s DeepZoom tiles at tile size 256', async () => {
    const { reader } = await openFixture(file);
    for (const tile of ref.deepzoom.tiles.filter((t) => t.file)) {
      const out = await reader.deepZoomTile(tile.dz_level, tile.col, tile.row, 256);
      expect(out.errors).toEqual([]);
      const got = await rgbOf(out.jpeg);
      const expected = await rgbOf(`${FIXTURES}reference/${file}/${tile.file}`);
      expect(Math.abs(got.width - expected.width), tile.file ?? '').toBeLessThanOrEqual(1);
      expect(Math.abs(got.height - expected.height), tile.file ?? '').toBeLessThanOrEqual(1);
      // A one-pixel size difference means a different scale: compare only same-size tiles' pixels.
      if (got.width === expected.width && got.height === expected.height) {
        expect(meanAbsDiff(got, expected), tile.file ?? '').toBeLessThanOrEqual(10);
      }
    }
  });
});
