import type { Rotation, TmaLayout, TmaMap } from '../study-config/model.js';

/**
 * Where the cores of a TMA map sit on a slide: the one source of core positions (QuPath's TMAPositions.json,
 * the viewer's core navigation). Pure: the slide's size, resolution and rotation come in as numbers.
 *
 * The map's rows and columns are those of the map file (the `tmaRow`/`tmaCol` of results). A slide rotated by
 * 90, 180 or 270 degrees carries the map turned on it, as Slide Score's QuPath extension reads it: on a slide
 * rotated by 90°, map row r is the r-th column from the left and map column c the c-th row from the bottom.
 * By default the cores make an even grid over the slide's non-empty bounds (one cell per core, core centred in
 * its cell, diameter 80% of the smaller cell side); the map's layout (header properties or UpdateTMACoreSize)
 * overrides origin, spacing and diameter, in µm on the slide as displayed, each on its own.
 */

export interface SlideGeometry {
  /** The non-empty region of the slide, in level-0 pixels (the whole slide when unknown). */
  bounds: { x: number; y: number; width: number; height: number };
  /** Microns per pixel; 0 when unknown, and then layout values are read as pixels. */
  mppX: number;
  mppY: number;
  rotation: Rotation;
}

export interface CorePosition {
  /** Row and column in the map (0-based). */
  row: number;
  col: number;
  /** The core's sample ID; null for an empty position of the map. */
  sampleId: string | null;
  /** Centre, in level-0 pixels of the slide file. */
  x: number;
  y: number;
  /** In level-0 pixels. */
  diameter: number;
}

/** Share of the smaller cell side the default core diameter takes. */
const DEFAULT_CORE_SHARE = 0.8;

/** Every position of the map, empty ones too, in the map's row-major order. */
export function corePositions(
  map: Pick<TmaMap, 'grid' | 'layout'>,
  slide: SlideGeometry,
  overrides: TmaLayout = {},
): CorePosition[] {
  const rows = map.grid.length;
  const cols = map.grid.reduce((max, row) => Math.max(max, row.length), 0);
  if (rows === 0 || cols === 0) return [];
  const layout = { ...map.layout, ...definedOnly(overrides) };
  const turned = slide.rotation === 90 || slide.rotation === 270;
  const [slideCols, slideRows] = turned ? [rows, cols] : [cols, rows];
  const umX = slide.mppX > 0 ? slide.mppX : 1;
  const umY = slide.mppY > 0 ? slide.mppY : 1;
  const { bounds } = slide;
  const spacingX = layout.spacingXUm !== undefined ? layout.spacingXUm / umX : bounds.width / slideCols;
  const spacingY = layout.spacingYUm !== undefined ? layout.spacingYUm / umY : bounds.height / slideRows;
  const originX = layout.originXUm !== undefined ? layout.originXUm / umX : bounds.x + spacingX / 2;
  const originY = layout.originYUm !== undefined ? layout.originYUm / umY : bounds.y + spacingY / 2;
  const diameter =
    layout.coreDiameterUm !== undefined
      ? layout.coreDiameterUm / ((umX + umY) / 2)
      : DEFAULT_CORE_SHARE * Math.min(spacingX, spacingY);
  const positions: CorePosition[] = [];
  for (let row = 0; row < rows; row++) {
    for (let col = 0; col < cols; col++) {
      const [i, j] = slideCell(row, col, rows, cols, slide.rotation);
      positions.push({
        row,
        col,
        sampleId: map.grid[row]?.[col]?.sampleId ?? null,
        x: originX + i * spacingX,
        y: originY + j * spacingY,
        diameter,
      });
    }
  }
  return positions;
}

/** The (column, row) on the slide as displayed of map position (row, col). */
export function slideCell(row: number, col: number, rows: number, cols: number, rotation: Rotation): [number, number] {
  switch (rotation) {
    case 90:
      return [row, cols - 1 - col];
    case 180:
      return [cols - 1 - col, rows - 1 - row];
    case 270:
      return [rows - 1 - row, col];
    default:
      return [col, row];
  }
}

/**
 * QuPath's TMAPositions.json (reference §3.11): cores in the map's row-major order, empty ones at x = y = 0
 * (QuPath marks a core with x <= 0 missing), coordinates scaled by 1000 · width / max(width, height) as the
 * extension divides them, and `coreRadiusUM` the core's diameter in µm (the extension reads it as a diameter;
 * 0 when the slide has no resolution, and QuPath then picks its own).
 */
export function qupathTmaPositions(
  positions: readonly CorePosition[],
  slide: SlideGeometry & { width: number; height: number },
): {
  coreRadiusUM: number;
  rotate: Rotation;
  cores: { row: number; col: number; name: string; x: number; y: number }[];
} {
  const scale = (1000 * slide.width) / Math.max(slide.width, slide.height, 1);
  const mpp = slide.mppX > 0 && slide.mppY > 0 ? (slide.mppX + slide.mppY) / 2 : 0;
  const first = positions[0];
  return {
    coreRadiusUM: first && mpp > 0 ? Math.round(first.diameter * mpp * 100) / 100 : 0,
    rotate: slide.rotation,
    cores: positions.map((p) => ({
      row: p.row,
      col: p.col,
      name: p.sampleId ?? '',
      x: p.sampleId === null ? 0 : Math.max(1, Math.round(p.x * scale)),
      y: p.sampleId === null ? 0 : Math.max(1, Math.round(p.y * scale)),
    })),
  };
}

function definedOnly(layout: TmaLayout): TmaLayout {
  return Object.fromEntries(Object.entries(layout).filter(([, v]) => v !== undefined)) as TmaLayout;
}
