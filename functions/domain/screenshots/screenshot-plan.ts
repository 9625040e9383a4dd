/**
 * What one GetScreenshot renders (docs/annotations.md, "Screenshots"): the region in level-0 pixels, the
 * DeepZoom level clamped to the slide's, and the output size at 2^(level − maxLevel). Pure: the reader and the
 * encoder come after.
 */

/** The longest side of a screenshot, in output pixels. */
export const MAX_SCREENSHOT_SIDE = 10_000;
/** The most output pixels of a screenshot (3 bytes each while it is drawn: 120 MB). */
export const MAX_SCREENSHOT_PIXELS = 40_000_000;

export interface ScreenshotRequest {
  /** DeepZoom level; absent: the level at which the whole request fits in 1024 px (an overview). */
  level?: number;
  x?: number;
  y?: number;
  width?: number;
  height?: number;
}

export interface ScreenshotPlan {
  /** The DeepZoom level used (clamped to 0..maxLevel). */
  level: number;
  maxLevel: number;
  /** Output pixels per level-0 pixel: 2^(level − maxLevel). */
  scale: number;
  /** Region in level-0 pixels. */
  x: number;
  y: number;
  width: number;
  height: number;
  /** Output size. */
  outWidth: number;
  outHeight: number;
  /** The request is the whole slide. */
  wholeSlide: boolean;
}

export type PlanResult = { ok: true; plan: ScreenshotPlan } | { ok: false; reason: string };

/** The DeepZoom scale's top level: ceil(log2(max(w, h))). */
export function deepZoomMaxLevel(slideWidth: number, slideHeight: number): number {
  return Math.max(0, Math.ceil(Math.log2(Math.max(1, slideWidth, slideHeight))));
}

export function planScreenshot(slideWidth: number, slideHeight: number, request: ScreenshotRequest): PlanResult {
  const maxLevel = deepZoomMaxLevel(slideWidth, slideHeight);
  const x = request.x ?? 0;
  const y = request.y ?? 0;
  const width = request.width ?? (request.x === undefined ? slideWidth : slideWidth - x);
  const height = request.height ?? (request.y === undefined ? slideHeight : slideHeight - y);
  if (!(width > 0 && height > 0)) return { ok: false, reason: 'width and height must be positive' };
  if (x >= slideWidth || y >= slideHeight || x + width <= 0 || y + height <= 0) {
    return { ok: false, reason: `the region lies outside the slide (${slideWidth}×${slideHeight})` };
  }
  const fitLevel = maxLevel - Math.max(0, Math.ceil(Math.log2(Math.max(width, height) / 1024)));
  const level = Math.min(maxLevel, Math.max(0, Math.round(request.level ?? fitLevel)));
  const scale = 2 ** (level - maxLevel);
  const outWidth = Math.max(1, Math.ceil(width * scale));
  const outHeight = Math.max(1, Math.ceil(height * scale));
  if (Math.max(outWidth, outHeight) > MAX_SCREENSHOT_SIDE || outWidth * outHeight > MAX_SCREENSHOT_PIXELS) {
    return {
      ok: false,
      reason: `a screenshot of ${outWidth}×${outHeight} pixels is larger than the ${MAX_SCREENSHOT_SIDE} px per side (and ${MAX_SCREENSHOT_PIXELS} pixels) allowed: ask for a lower level or a smaller region`,
    };
  }
  const wholeSlide = x === 0 && y === 0 && width === slideWidth && height === slideHeight;
  return { ok: true, plan: { level, maxLevel, scale, x, y, width, height, outWidth, outHeight, wholeSlide } };
}

/** Level-0 coordinates → output pixel coordinates of the plan. */
export function planToPixel(plan: ScreenshotPlan): (x: number, y: number) => readonly [number, number] {
  const { scale, x: x0, y: y0 } = plan;
  return (x, y) => [(x - x0) * scale, (y - y0) * scale];
}
