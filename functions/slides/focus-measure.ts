import type { SlideIndex } from './slide-index.js';
import type { SlideReader } from './slide-reader.js';

/** Names the measure and its parameters; stored results of another version are measured again. */
export const FOCUS_MEASURE_VERSION = 'laplacian-variance-v1';
/** Below this variance of the Laplacian (grey levels², over tissue) a slide is out of focus (docs/administration.md). */
export const OUT_OF_FOCUS_THRESHOLD = 100;
/** With fewer tissue pixels than this the measure says nothing: the slide is not flagged. */
export const MIN_TISSUE_PIXELS = 10_000;
/** The level measured is the one whose downsample is nearest this (about 10× on a 40× scan). */
export const FOCUS_TARGET_DOWNSAMPLE = 4;
/** Grey level (0–255) below which a pixel counts as tissue (glass is brighter). */
export const TISSUE_GREY_BELOW = 220;
const WINDOW = 1024;
const MAX_WINDOWS_PER_AXIS = 4;

export interface FocusMeasure {
  version: typeof FOCUS_MEASURE_VERSION;
  /** Variance of the 4-neighbour Laplacian of the grey image over tissue pixels. */
  laplacianVariance: number;
  tissuePixels: number;
  level: number;
  downsample: number;
  measuredOn: string;
}

/** The level measured: downsample nearest FOCUS_TARGET_DOWNSAMPLE on a log scale (a middle level). */
export function focusLevel(index: SlideIndex): number {
  let best = 0;
  let bestDistance = Number.POSITIVE_INFINITY;
  index.levels.forEach((level, i) => {
    const distance = Math.abs(Math.log(level.downsample / FOCUS_TARGET_DOWNSAMPLE));
    if (distance < bestDistance) {
      best = i;
      bestDistance = distance;
    }
  });
  return best;
}

/** Whether the measure flags the slide: enough tissue, and its Laplacian variance under the threshold. */
export function isOutOfFocus(measure: Pick<FocusMeasure, 'laplacianVariance' | 'tissuePixels'>): boolean {
  return measure.tissuePixels >= MIN_TISSUE_PIXELS && measure.laplacianVariance < OUT_OF_FOCUS_THRESHOLD;
}

/** Running sums of the Laplacian over tissue pixels, so windows can be added one at a time. */
export interface LaplacianSums {
  sum: number;
  sumOfSquares: number;
  count: number;
}

/**
 * Adds one RGB window: grey = Rec. 601 luma; at every inner pixel whose grey is under TISSUE_GREY_BELOW, the
 * Laplacian n + s + e + w − 4c. Window borders are skipped (they have no neighbours in the window).
 */
export function addLaplacian(sums: LaplacianSums, rgb: Uint8Array, width: number, height: number): void {
  const grey = new Float32Array(width * height);
  for (let p = 0, q = 0; p < grey.length; p += 1, q += 3) {
    grey[p] = 0.299 * (rgb[q] as number) + 0.587 * (rgb[q + 1] as number) + 0.114 * (rgb[q + 2] as number);
  }
  for (let y = 1; y < height - 1; y += 1) {
    for (let x = 1; x < width - 1; x += 1) {
      const c = y * width + x;
      const centre = grey[c] as number;
      if (centre >= TISSUE_GREY_BELOW) continue;
      const lap =
        (grey[c - 1] as number) +
        (grey[c + 1] as number) +
        (grey[c - width] as number) +
        (grey[c + width] as number) -
        4 * centre;
      sums.sum += lap;
      sums.sumOfSquares += lap * lap;
      sums.count += 1;
    }
  }
}

export function varianceOf(sums: LaplacianSums): number {
  if (sums.count === 0) return 0;
  const mean = sums.sum / sums.count;
  return Math.max(0, sums.sumOfSquares / sums.count - mean * mean);
}

/**
 * Windows along one axis of `size` pixels: the whole axis in WINDOW-sized pieces when that is at most
 * MAX_WINDOWS_PER_AXIS of them, else that many WINDOW-sized pieces spread evenly.
 */
export function windowsAlong(size: number): Array<{ start: number; length: number }> {
  const pieces = Math.ceil(size / WINDOW);
  if (pieces <= MAX_WINDOWS_PER_AXIS) {
    return Array.from({ length: pieces }, (_, i) => ({
      start: i * WINDOW,
      length: Math.min(WINDOW, size - i * WINDOW),
    }));
  }
  const step = (size - WINDOW) / (MAX_WINDOWS_PER_AXIS - 1);
  return Array.from({ length: MAX_WINDOWS_PER_AXIS }, (_, i) => ({ start: Math.round(i * step), length: WINDOW }));
}

/** Measures a slide: at most 4 × 4 windows of 1024² at the focus level, read through the slide reader. */
export async function measureFocus(reader: SlideReader, now: Date = new Date()): Promise<FocusMeasure> {
  const level = focusLevel(reader.index);
  const info = reader.index.levels[level];
  const sums: LaplacianSums = { sum: 0, sumOfSquares: 0, count: 0 };
  if (info) {
    for (const row of windowsAlong(info.height)) {
      for (const col of windowsAlong(info.width)) {
        if (col.length < 3 || row.length < 3) continue;
        const region = await reader.renderRegion(
          level,
          Math.ceil(col.start * info.downsample),
          Math.ceil(row.start * info.downsample),
          col.length,
          row.length,
        );
        addLaplacian(sums, region.data, col.length, row.length);
      }
    }
  }
  return {
    version: FOCUS_MEASURE_VERSION,
    laplacianVariance: Math.round(varianceOf(sums) * 100) / 100,
    tissuePixels: sums.count,
    level,
    downsample: info?.downsample ?? 1,
    measuredOn: now.toISOString(),
  };
}
