/**
 * A 5×7 pixel font for the characters a scale bar needs, embedded so that rendering never depends on system
 * fonts (Lambda has none; sharp's text rendering would need fontconfig and a font file). Each glyph is seven
 * rows of five bits, most significant bit leftmost.
 */
const GLYPHS: Record<string, readonly number[]> = {
  '0': [0x0e, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0e],
  '1': [0x04, 0x0c, 0x04, 0x04, 0x04, 0x04, 0x0e],
  '2': [0x0e, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1f],
  '3': [0x1f, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0e],
  '4': [0x02, 0x06, 0x0a, 0x12, 0x1f, 0x02, 0x02],
  '5': [0x1f, 0x10, 0x1e, 0x01, 0x01, 0x11, 0x0e],
  '6': [0x06, 0x08, 0x10, 0x1e, 0x11, 0x11, 0x0e],
  '7': [0x1f, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08],
  '8': [0x0e, 0x11, 0x11, 0x0e, 0x11, 0x11, 0x0e],
  '9': [0x0e, 0x11, 0x11, 0x0f, 0x01, 0x02, 0x0c],
  '.': [0x00, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x0c],
  ' ': [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00],
  µ: [0x00, 0x11, 0x11, 0x11, 0x13, 0x1d, 0x10],
  m: [0x00, 0x00, 0x1a, 0x15, 0x15, 0x15, 0x15],
  c: [0x00, 0x00, 0x0e, 0x10, 0x10, 0x11, 0x0e],
};

export const GLYPH_WIDTH = 5;
export const GLYPH_HEIGHT = 7;
/** Pixels between glyphs, before scaling. */
const SPACING = 1;

/** Width in pixels of `text` drawn at `size` (pixels per font pixel). */
export function textWidth(text: string, size: number): number {
  const n = [...text].length;
  return n === 0 ? 0 : (n * (GLYPH_WIDTH + SPACING) - SPACING) * size;
}

/**
 * Draws `text` with its top-left at (x, y) into an RGB buffer, each font pixel a size×size square, clipped to
 * the buffer. Characters without a glyph are drawn as blanks.
 */
export function drawText(
  rgb: Uint8Array,
  width: number,
  height: number,
  x: number,
  y: number,
  text: string,
  size: number,
  colour: readonly [number, number, number],
): void {
  let left = x;
  for (const char of text) {
    const glyph = GLYPHS[char] ?? GLYPHS[' '];
    for (let row = 0; row < GLYPH_HEIGHT; row++) {
      const bits = glyph?.[row] ?? 0;
      for (let col = 0; col < GLYPH_WIDTH; col++) {
        if (!(bits & (1 << (GLYPH_WIDTH - 1 - col)))) continue;
        fillRect(rgb, width, height, left + col * size, y + row * size, size, size, colour);
      }
    }
    left += (GLYPH_WIDTH + SPACING) * size;
  }
}

/** Fills a w×h rectangle at (x, y), clipped. */
export function fillRect(
  rgb: Uint8Array,
  width: number,
  height: number,
  x: number,
  y: number,
  w: number,
  h: number,
  colour: readonly [number, number, number],
): void {
  const x0 = Math.max(0, x);
  const x1 = Math.min(width, x + w);
  const y0 = Math.max(0, y);
  const y1 = Math.min(height, y + h);
  for (let row = y0; row < y1; row++) {
    let i = (row * width + x0) * 3;
    for (let col = x0; col < x1; col++, i += 3) {
      rgb[i] = colour[0];
      rgb[i + 1] = colour[1];
      rgb[i + 2] = colour[2];
    }
  }
}
