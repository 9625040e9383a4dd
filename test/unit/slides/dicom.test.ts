import { describe, expect, it } from 'vitest';
import {
  bufferRangeSource,
  countingRangeSource,
  imageMetadata,
  indexDicomSeries,
  SlideReader,
} from '../../../functions/slides/index.js';
import { fixtureBytes } from './fixtures.js';

const SERIES = ['level-2.dcm', 'level-3.dcm', 'label.dcm'].map((f) => `synthetic-dicom-wsi/${f}`);
const sourcesOf = (files: string[]) => files.map((f) => countingRangeSource(bufferRangeSource(fixtureBytes(f), f)));

describe('DICOM-WSI', () => {
  it('indexes a series of instances as one slide: levels, label, mpp', async () => {
    const sources = sourcesOf(SERIES);
    const index = await indexDicomSeries('synthetic-dicom-wsi', sources);
    const meta = imageMetadata(index, 'synthetic-dicom-wsi');
    expect(meta).toMatchObject({ levelWidths: [1000, 500], levelHeights: [750, 375], downsamples: [1, 2] });
    expect(meta).toMatchObject({ mppX: 1, mppY: 1, osdTileSize: 256 });
    expect(Object.keys(index.associated)).toEqual(['label']);
    // Headers only: a couple of reads per instance.
    for (const source of sources) expect(source.counts.reads).toBeLessThanOrEqual(3);
  });

  it('passes JPEG frames through and decodes the pattern', async () => {
    const sources = sourcesOf(SERIES);
    const index = await indexDicomSeries('synthetic-dicom-wsi', sources);
    const reader = new SlideReader(index, sources);
    const top = reader.layout(256).levelCount - 1;
    const tile = await reader.deepZoomTile(top, 1, 1, 256);
    expect(tile.passedThrough).toBe(true);
    // A checkerboard cell centre of the synthetic pattern (level 0 of the original at 4×): (512, 512) → (128, 128).
    const region = await reader.renderRegion(0, 128, 128, 1, 1);
    const expected = [Math.round((255 * 512) / 19999), Math.round((255 * 512) / 14999), 64];
    for (const [c, v] of expected.entries()) expect(Math.abs((region.data[c] as number) - v)).toBeLessThanOrEqual(8);
    const label = await reader.associatedImage('label');
    expect([label.width, label.height, label.errors]).toEqual([400, 440, []]);
  });

  it('reads an uncompressed single-instance slide', async () => {
    const sources = sourcesOf(['highdicom-sm_image.dcm']);
    const index = await indexDicomSeries('highdicom-sm_image.dcm', sources);
    expect(imageMetadata(index, 'x')).toMatchObject({
      level0Width: 50,
      level0Height: 50,
      level0TileWidth: 10,
      mppX: 0.499,
    });
    const region = await new SlideReader(index, sources).renderRegion(0, 0, 0, 50, 50);
    expect(region.errors).toEqual([]);
    expect(new Set(region.data).size).toBeGreaterThan(20);
  });

  it('refuses a folder with no whole-slide image', async () => {
    await expect(indexDicomSeries('junk', sourcesOf(['not-a-slide.svs']))).rejects.toThrow(
      /junk: .*no DICOM whole-slide/,
    );
  });
});
