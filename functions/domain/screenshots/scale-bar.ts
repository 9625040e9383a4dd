import { drawText, fillRect, GLYPH_HEIGHT, textWidth } from './bitmap-font.js';

/** The smallest screenshot that gets a scale bar: narrower or lower ones have no room for it. */
const MIN_SIDE = 96;

export interface ScaleBar {
  /** Length of the bar in µm and in output pixels. */
  micrometres: number;
  pixels: number;
  label: string;
}

/**
 * The bar for a screenshot `outWidth` wide at `umPerPixel` µm per output pixel: a round length (1, 2 or 5
 * × 10^k µm) about a fifth of the width, at most a third; undefined when the resolution is unknown.
 */
export function chooseScaleBar(outWidth: number, umPerPixel: number | undefined): ScaleBar | undefined {
  if (!umPerPixel || !(umPerPixel > 0) || !Number.isFinite(umPerPixel)) return undefined;
  const target = (outWidth / 5) * umPerPixel;
  const power = 10 ** Math.floor(Math.log10(target));
  let micrometres = power;
  for (const step of [1, 2, 5, 10]) if (step * power <= target * 1.5) micrometres = step * power;
  const pixels = Math.round(micrometres / umPerPixel);
  if (pixels < 1 || pixels > outWidth / 3 + 1) return undefined;
  return { micrometres, pixels, label: formatLength(micrometres) };
}

function formatLength(um: number): string {
  const trim = (n: number) => String(Number(n.toPrecision(6)));
  if (um >= 1000) return `${trim(um / 1000)} mm`;
  return `${trim(um)} µm`;
}

/**
 * Draws the scale bar in the bottom-left corner: a white panel holding a black bar and its length above it.
 * Returns the bar drawn (undefined when the resolution is unknown or the image too small).
 */
export function drawScaleBar(
  rgb: Uint8Array,
  width: number,
  height: number,
  umPerPixel: number | undefined,
): ScaleBar | undefined {
  if (width < MIN_SIDE || height < MIN_SIDE) return undefined;
  const bar = chooseScaleBar(width, umPerPixel);
  if (!bar) return undefined;
  const size = width >= 1536 ? 3 : width >= 512 ? 2 : 1;
  const pad = 3 * size;
  const thickness = 3 * size;
  const textW = textWidth(bar.label, size);
  const panelW = Math.max(bar.pixels, textW) + 2 * pad;
  const panelH = GLYPH_HEIGHT * size + thickness + 3 * pad;
  const left = pad * 2;
  const top = height - panelH - pad * 2;
  fillRect(rgb, width, height, left, top, panelW, panelH, WHITE);
  drawText(rgb, width, height, left + pad, top + pad, bar.label, size, BLACK);
  fillRect(rgb, width, height, left + pad, top + 2 * pad + GLYPH_HEIGHT * size, bar.pixels, thickness, BLACK);
  return bar;
}

const WHITE = [255, 255, 255] as const;
const BLACK = [0, 0, 0] as const;
