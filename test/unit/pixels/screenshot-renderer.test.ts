import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { planScreenshot } from '../../../functions/domain/screenshots/screenshot-plan.js';
import { renderScreenshot, slidePixels } from '../../../functions/pixels/screenshot-renderer.js';
import { renderOverview } from '../../../functions/pixels/slide-renditions.js';
import { fileRangeSource, indexSlide, SlideReader } from '../../../functions/slides/index.js';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'slides');

async function open(file: string): Promise<SlideReader> {
  const source = await fileRangeSource(join(FIXTURES, file));
  return new SlideReader(await indexSlide(source), source);
}

function plan(width: number, height: number, request: Parameters<typeof planScreenshot>[2]) {
  const planned = planScreenshot(width, height, request);
  if (!planned.ok) throw new Error(planned.reason);
  return planned.plan;
}

describe('screenshot renderer', () => {
  it('reads large regions in bands of output rows, with the same pixels as one read', async () => {
    const reader = await open('CMU-1-Small-Region.svs');
    const whole = plan(2220, 2967, { level: 11 });
    const once = await slidePixels(reader, whole);
    const banded = await slidePixels(reader, whole, 500_000);
    expect(once.level).toBe(0);
    expect(banded.rgb.length).toBe(1110 * 1484 * 3);
    let sum = 0;
    for (let i = 0; i < once.rgb.length; i++) sum += Math.abs((once.rgb[i] as number) - (banded.rgb[i] as number));
    // Each band is resampled on its own: rows at the seams differ a little (less than JPEG does).
    expect(sum / once.rgb.length).toBeLessThan(2);
  });

  it('reads a pyramid from the level that fits the output, never level 0 for a small whole-slide shot', async () => {
    const reader = await open('corrupt-tiles.svs');
    const level0 = reader.level(0);
    const small = plan(level0.width, level0.height, { level: 8 });
    const shot = await renderScreenshot(reader, small);
    expect(shot.source).not.toEqual({ level: 0 });
    const meta = await sharp(shot.jpeg).metadata();
    expect([meta.width, meta.height]).toEqual([small.outWidth, small.outHeight]);
  });

  it('makes an overview of at most 2048 px a side and serves whole-slide shots from it', async () => {
    const reader = await open('CMU-1-Small-Region.svs');
    const overview = await renderOverview(reader);
    expect([overview.width, overview.height]).toEqual([1532, 2048]);
    const shot = await renderScreenshot(reader, plan(2220, 2967, { level: 10 }), { overview });
    expect(shot.source).toBe('overview');
    const full = await renderScreenshot(reader, plan(2220, 2967, { level: 12 }), { overview });
    expect(full.source).toEqual({ level: 0 });
  });
});
