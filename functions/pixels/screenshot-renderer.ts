import sharp, { type Sharp } from 'sharp';
import type { AnnotationItem } from '../domain/annotations/annotation-model.js';
import { drawAnnotations } from '../domain/annotations/draw-annotations.js';
import { drawMaskTiles, type MaskTile } from '../domain/annotations/draw-masks.js';
import { drawScaleBar } from '../domain/screenshots/scale-bar.js';
import { planToPixel, type ScreenshotPlan } from '../domain/screenshots/screenshot-plan.js';
import { bestLevelForDownsample, type SlideReader, type TileReadError } from '../slides/index.js';

/** JPEG quality of screenshots and overviews; no chroma subsampling, so that thin coloured outlines stay sharp. */
export const SCREENSHOT_JPEG_QUALITY = 90;
export const SCREENSHOT_JPEG = { quality: SCREENSHOT_JPEG_QUALITY, chromaSubsampling: '4:4:4' } as const;
/** A native-level read larger than this many pixels is done in bands of output rows, to bound memory. */
const BAND_SOURCE_PIXELS = 16_000_000;

/** One question's items (and an anno2 mask's tiles, filled), drawn in its colour. */
export interface ScreenshotLayer {
  items: readonly AnnotationItem[];
  masks?: readonly MaskTile[];
  colour: string;
}

export interface ScreenshotOptions {
  layers?: readonly ScreenshotLayer[];
  scaleBar?: boolean;
  /** Microns per pixel of level 0 when SetSlideResolution overrides the file's. */
  mppX?: number;
  /** The stored overview (JPEG) of the slide: whole-slide shots no larger than it are made from it. */
  overview?: { jpeg: Buffer; width: number; height: number };
}

export interface Screenshot {
  jpeg: Buffer;
  /** Where the pixels came from. */
  source: 'overview' | { level: number };
  errors: TileReadError[];
}

/** Renders a planned screenshot: slide pixels (or the overview), the annotations, the scale bar; JPEG. */
export async function renderScreenshot(
  reader: SlideReader,
  plan: ScreenshotPlan,
  options: ScreenshotOptions = {},
): Promise<Screenshot> {
  const { outWidth, outHeight } = plan;
  let rgb: Buffer;
  let source: Screenshot['source'];
  let errors: TileReadError[] = [];
  const overview = options.overview;
  if (overview && plan.wholeSlide && outWidth <= overview.width && outHeight <= overview.height) {
    rgb = await resizeRaw(sharp(overview.jpeg), outWidth, outHeight);
    source = 'overview';
  } else {
    const read = await slidePixels(reader, plan);
    rgb = read.rgb;
    errors = read.errors;
    source = { level: read.level };
  }
  const toPixel = planToPixel(plan);
  for (const layer of options.layers ?? []) {
    if (layer.masks?.length) drawMaskTiles(rgb, outWidth, outHeight, toPixel, layer.masks, layer.colour);
    drawAnnotations(rgb, outWidth, outHeight, toPixel, layer.items, layer.colour);
  }
  if (options.scaleBar) {
    const mpp = options.mppX ?? reader.index.mppX;
    drawScaleBar(rgb, outWidth, outHeight, mpp ? mpp / plan.scale : undefined);
  }
  const jpeg = await sharp(rgb, { raw: { width: outWidth, height: outHeight, channels: 3 } })
    .jpeg(SCREENSHOT_JPEG)
    .toBuffer();
  return { jpeg, source, errors };
}

/**
 * The plan's region as RGB at its output size, read from the native level whose downsample is the largest not
 * above the output's (as OpenSlide's get_best_level_for_downsample) and resampled (Lanczos 3) to the output.
 */
export async function slidePixels(
  reader: SlideReader,
  plan: ScreenshotPlan,
  bandSourcePixels = BAND_SOURCE_PIXELS,
): Promise<{ rgb: Buffer; level: number; errors: TileReadError[] }> {
  const level = bestLevelForDownsample(reader.index, 1 / plan.scale);
  const ds = reader.level(level).downsample;
  const lx0 = Math.floor(plan.x / ds);
  const ly0 = Math.floor(plan.y / ds);
  const lw = Math.max(1, Math.ceil((plan.x + plan.width) / ds) - lx0);
  const lh = Math.max(1, Math.ceil((plan.y + plan.height) / ds) - ly0);
  const { outWidth, outHeight } = plan;
  // Level-0 coordinates that renderRegion maps back to exactly (lx0, ly0 + row) of the level.
  const level0 = (l: number) => Math.ceil(l * ds);
  if (lw * lh <= bandSourcePixels) {
    const region = await reader.renderRegion(level, level0(lx0), level0(ly0), lw, lh);
    const rgb =
      lw === outWidth && lh === outHeight
        ? region.data
        : await resizeRaw(rawInput(region.data, lw, lh), outWidth, outHeight);
    return { rgb, level, errors: region.errors };
  }
  // Bands of output rows, each from the source rows that cover it.
  const rgb = Buffer.allocUnsafe(outWidth * outHeight * 3);
  const errors: TileReadError[] = [];
  const bandRows = Math.max(1, Math.floor(bandSourcePixels / lw / (lh / outHeight)));
  for (let top = 0; top < outHeight; top += bandRows) {
    const bottom = Math.min(outHeight, top + bandRows);
    const sy0 = Math.floor((top * lh) / outHeight);
    const sy1 = Math.min(lh, Math.max(sy0 + 1, Math.ceil((bottom * lh) / outHeight)));
    const region = await reader.renderRegion(level, level0(lx0), level0(ly0 + sy0), lw, sy1 - sy0);
    errors.push(...region.errors);
    const band = await resizeRaw(rawInput(region.data, lw, sy1 - sy0), outWidth, bottom - top);
    band.copy(rgb, top * outWidth * 3);
  }
  return { rgb, level, errors };
}

function rawInput(data: Buffer, width: number, height: number): Sharp {
  return sharp(data, { raw: { width, height, channels: 3 } });
}

async function resizeRaw(input: Sharp, width: number, height: number): Promise<Buffer> {
  const { data, info } = await input
    .removeAlpha()
    .toColourspace('srgb')
    .resize(width, height, { fit: 'fill', kernel: 'lanczos3' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`expected RGB, got ${info.channels} channels`);
  return data;
}
