import { OutOfRangeError } from '../errors.js';
import type { SlideIndex } from '../slide-index.js';

/** A standard DeepZoom pyramid over level 0: overlap 0, level 0 is 1×1, each level halves the next (rounding up). */
export interface DeepZoomLayout {
  tileSize: number;
  levelCount: number;
  /** [width, height] per DeepZoom level, level 0 first. */
  dimensions: Array<[number, number]>;
  /** [cols, rows] per DeepZoom level. */
  tiles: Array<[number, number]>;
}

export function deepZoomLayout(index: SlideIndex, tileSize: number): DeepZoomLayout {
  const base = index.levels[0];
  if (!base) throw new OutOfRangeError('a slide without levels');
  let w = base.width;
  let h = base.height;
  const dimensions: Array<[number, number]> = [[w, h]];
  while (w > 1 || h > 1) {
    w = Math.max(1, Math.ceil(w / 2));
    h = Math.max(1, Math.ceil(h / 2));
    dimensions.push([w, h]);
  }
  dimensions.reverse();
  const tiles = dimensions.map(([dw, dh]) => [Math.ceil(dw / tileSize), Math.ceil(dh / tileSize)] as [number, number]);
  return { tileSize, levelCount: dimensions.length, dimensions, tiles };
}

/** OpenSlide 3.4.1's get_best_level_for_downsample: the last level whose downsample does not exceed `d`. */
export function bestLevelForDownsample(index: SlideIndex, d: number): number {
  const first = index.levels[0];
  if (!first || d < first.downsample) return 0;
  for (let i = 1; i < index.levels.length; i++) {
    if (d < (index.levels[i]?.downsample ?? Number.POSITIVE_INFINITY)) return i - 1;
  }
  return index.levels.length - 1;
}

/** What one DeepZoom tile needs: its size and the `read_region` call OpenSlide's DeepZoomGenerator makes. */
export interface DeepZoomTilePlan {
  /** Size of the DeepZoom tile (edge tiles are cropped to the image). */
  width: number;
  height: number;
  /** Native level read, level-0 location and the size read at that level. */
  level: number;
  x0: number;
  y0: number;
  readWidth: number;
  readHeight: number;
  /** Position of the read in the native level (for pass-through: exact tile alignment). */
  levelX: number;
  levelY: number;
}

/** The Deep Zoom math of python3-openslide 1.2.0 (limit_bounds off, overlap 0), step by step. */
export function planDeepZoomTile(
  index: SlideIndex,
  layout: DeepZoomLayout,
  z: number,
  col: number,
  row: number,
): DeepZoomTilePlan {
  const dims = layout.dimensions[z];
  const tiles = layout.tiles[z];
  if (
    !dims ||
    !tiles ||
    !Number.isInteger(z) ||
    !Number.isInteger(col) ||
    !Number.isInteger(row) ||
    col < 0 ||
    row < 0 ||
    col >= tiles[0] ||
    row >= tiles[1]
  ) {
    throw new OutOfRangeError(`DeepZoom level ${z} tile ${col}_${row}`);
  }
  const T = layout.tileSize;
  const d = 2 ** (layout.levelCount - 1 - z);
  const level = bestLevelForDownsample(index, d);
  const native = index.levels[level];
  if (!native) throw new OutOfRangeError(`native level ${level}`);
  const r = d / native.downsample;
  const width = Math.min(T, dims[0] - T * col);
  const height = Math.min(T, dims[1] - T * row);
  const lx = r * T * col;
  const ly = r * T * row;
  return {
    width,
    height,
    level,
    x0: Math.trunc(native.downsample * lx),
    y0: Math.trunc(native.downsample * ly),
    readWidth: Math.trunc(Math.min(Math.ceil(r * width), native.width - Math.ceil(lx))),
    readHeight: Math.trunc(Math.min(Math.ceil(r * height), native.height - Math.ceil(ly))),
    levelX: lx,
    levelY: ly,
  };
}
