/**
 * Draws mask bitmaps (an anno2 `mask`: 256-px tiles of set and clear level-0 pixels) straight into an RGB
 * buffer, filled in one colour at `alpha`. Each set mask pixel covers the output pixels its square maps to, at
 * least one: enlarged masks stay solid, and reduced ones keep thin parts. Covered output pixels are marked
 * first and blended once, so overlapping mask pixels do not darken. Tiles outside the buffer are skipped.
 */
import { parseHexColour, type Rgb, type ToPixel } from './draw-annotations.js';

/** A tile of a mask: `bits` holds width × height bytes, row after row, non-zero where the mask is set. */
export interface MaskTile {
  /** Level-0 position of the tile's top left pixel. */
  x: number;
  y: number;
  width: number;
  height: number;
  bits: Uint8Array;
}

/** Default opacity of a mask's fill. */
export const MASK_ALPHA = 0.5;

export function drawMaskTiles(
  rgb: Uint8Array,
  width: number,
  height: number,
  toPixel: ToPixel,
  tiles: readonly MaskTile[],
  colour: string | Rgb,
  alpha = MASK_ALPHA,
): void {
  if (rgb.length < width * height * 3) throw new RangeError(`the buffer holds fewer than ${width}×${height}×3 bytes`);
  const c = typeof colour === 'string' ? (parseHexColour(colour) ?? [255, 0, 0]) : colour;
  let covered: Uint8Array | undefined;
  let top = height;
  let bottom = -1;
  for (const tile of tiles) {
    // Column and row edges are projected once; toPixel is axis-aligned, as a screenshot's is.
    const xs = new Int32Array(tile.width + 1);
    for (let col = 0; col <= tile.width; col++) xs[col] = Math.round(toPixel(tile.x + col, tile.y)[0]);
    const ys = new Int32Array(tile.height + 1);
    for (let row = 0; row <= tile.height; row++) ys[row] = Math.round(toPixel(tile.x, tile.y + row)[1]);
    const tileRight = Math.max(xs[0] as number, (xs[tile.width] as number) - 1);
    const tileBottom = Math.max(ys[0] as number, (ys[tile.height] as number) - 1);
    if (tileRight < 0 || tileBottom < 0 || (xs[0] as number) >= width || (ys[0] as number) >= height) continue;
    covered ??= new Uint8Array(width * height);
    for (let row = 0; row < tile.height; row++) {
      const y0 = Math.max(0, ys[row] as number);
      const y1 = Math.min(height, Math.max((ys[row] as number) + 1, ys[row + 1] as number));
      if (y0 >= y1) continue;
      const bits = row * tile.width;
      for (let col = 0; col < tile.width; col++) {
        if (tile.bits[bits + col] === 0) continue;
        const x0 = Math.max(0, xs[col] as number);
        const x1 = Math.min(width, Math.max((xs[col] as number) + 1, xs[col + 1] as number));
        if (x0 >= x1) continue;
        for (let y = y0; y < y1; y++) covered.fill(1, y * width + x0, y * width + x1);
      }
      top = Math.min(top, y0);
      bottom = Math.max(bottom, y1 - 1);
    }
  }
  if (!covered) return;
  const a = Math.min(1, Math.max(0, alpha));
  const keep = 1 - a;
  const [r, g, b] = [c[0] * a, c[1] * a, c[2] * a];
  for (let i = top * width, end = (bottom + 1) * width; i < end; i++) {
    if (covered[i] === 0) continue;
    const p = i * 3;
    rgb[p] = Math.round((rgb[p] as number) * keep + r);
    rgb[p + 1] = Math.round((rgb[p + 1] as number) * keep + g);
    rgb[p + 2] = Math.round((rgb[p + 2] as number) * keep + b);
  }
}
