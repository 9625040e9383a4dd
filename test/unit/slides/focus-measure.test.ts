import { describe, expect, it } from 'vitest';
import {
  addLaplacian,
  focusLevel,
  isOutOfFocus,
  type LaplacianSums,
  MIN_TISSUE_PIXELS,
  OUT_OF_FOCUS_THRESHOLD,
  varianceOf,
  windowsAlong,
} from '../../../functions/slides/focus-measure.js';
import type { SlideIndex } from '../../../functions/slides/index.js';

const levels = (downsamples: number[]) =>
  ({ levels: downsamples.map((downsample) => ({ downsample })) }) as unknown as SlideIndex;

describe('focus measure', () => {
  it('measures the level whose downsample is nearest 4', () => {
    expect(focusLevel(levels([1]))).toBe(0);
    expect(focusLevel(levels([1, 4, 16]))).toBe(1);
    expect(focusLevel(levels([1, 2, 8, 32]))).toBe(1);
    expect(focusLevel(levels([1, 2.0002, 4.0004, 8.001]))).toBe(2);
  });

  it('covers small levels whole and samples 4 windows per axis of large ones', () => {
    expect(windowsAlong(2220)).toEqual([
      { start: 0, length: 1024 },
      { start: 1024, length: 1024 },
      { start: 2048, length: 172 },
    ]);
    const large = windowsAlong(100_000);
    expect(large).toHaveLength(4);
    expect(large[0]).toEqual({ start: 0, length: 1024 });
    expect(large[3]).toEqual({ start: 100_000 - 1024, length: 1024 });
  });

  it('a flat image has variance 0; glass (grey ≥ 220) is not tissue; a checkerboard is sharp', () => {
    const image = (width: number, height: number, value: (x: number, y: number) => number) => {
      const rgb = new Uint8Array(width * height * 3);
      for (let y = 0; y < height; y += 1)
        for (let x = 0; x < width; x += 1) rgb.fill(value(x, y), (y * width + x) * 3, (y * width + x) * 3 + 3);
      return rgb;
    };
    const flat: LaplacianSums = { sum: 0, sumOfSquares: 0, count: 0 };
    addLaplacian(
      flat,
      image(50, 50, () => 100),
      50,
      50,
    );
    expect(flat.count).toBe(48 * 48);
    expect(varianceOf(flat)).toBe(0);
    const glass: LaplacianSums = { sum: 0, sumOfSquares: 0, count: 0 };
    addLaplacian(
      glass,
      image(50, 50, () => 240),
      50,
      50,
    );
    expect(glass.count).toBe(0);
    const checks: LaplacianSums = { sum: 0, sumOfSquares: 0, count: 0 };
    addLaplacian(
      checks,
      image(50, 50, (x, y) => ((x + y) % 2 ? 0 : 200)),
      50,
      50,
    );
    expect(varianceOf(checks)).toBeGreaterThan(OUT_OF_FOCUS_THRESHOLD);
  });

  it('flags only slides with enough tissue under the threshold', () => {
    expect(isOutOfFocus({ laplacianVariance: 45, tissuePixels: 2_000_000 })).toBe(true);
    expect(isOutOfFocus({ laplacianVariance: 1900, tissuePixels: 2_000_000 })).toBe(false);
    expect(isOutOfFocus({ laplacianVariance: 0, tissuePixels: MIN_TISSUE_PIXELS - 1 })).toBe(false);
  });
});
