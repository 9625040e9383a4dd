import type { SlideIndex } from './slide-index.js';

/** The `metadata` object of GetImageMetadata (§3.6); QuPath's SlideScoreMetadata.json has the same in PascalCase. */
export interface ImageMetadata {
  level0Width: number;
  level0Height: number;
  level0TileWidth: number;
  level0TileHeight: number;
  osdTileSize: number;
  /** Microns per pixel; 0 when unknown (QuPath fails on null). */
  mppX: number;
  mppY: number;
  /** Scan magnification; 0 when unknown. */
  objectivePower: number;
  backgroundColor: string | null;
  levelCount: number;
  levelWidths: number[];
  levelHeights: number[];
  downsamples: number[];
  fileName: string;
  zLayerCount: number;
  boundsX: number;
  boundsY: number;
  boundsWidth: number;
  boundsHeight: number;
}

/**
 * The DeepZoom tile size for viewers: the native tile size when square and 128–1024, so DeepZoom tiles at
 * native levels are native tiles sent without decoding; otherwise 256.
 */
export function osdTileSize(index: SlideIndex): number {
  const level = index.levels[0];
  if (!level) return 256;
  const { tileWidth, tileHeight } = level;
  return tileWidth === tileHeight && tileWidth >= 128 && tileWidth <= 1024 ? tileWidth : 256;
}

/** `resolution`: an administrator's override of the file's microns per pixel (SetSlideResolution). */
export function imageMetadata(
  index: SlideIndex,
  fileName: string,
  resolution?: { mppX: number; mppY: number },
): ImageMetadata {
  const base = index.levels[0];
  const width = base?.width ?? 0;
  const height = base?.height ?? 0;
  return {
    level0Width: width,
    level0Height: height,
    level0TileWidth: base?.tileWidth ?? 0,
    level0TileHeight: base?.tileHeight ?? 0,
    osdTileSize: osdTileSize(index),
    mppX: resolution?.mppX ?? index.mppX ?? 0,
    mppY: resolution?.mppY ?? index.mppY ?? 0,
    objectivePower: index.objectivePower ?? 0,
    backgroundColor: index.backgroundColor === undefined ? null : `#${index.backgroundColor}`,
    levelCount: index.levels.length,
    levelWidths: index.levels.map((l) => l.width),
    levelHeights: index.levels.map((l) => l.height),
    downsamples: index.levels.map((l) => l.downsample),
    fileName,
    zLayerCount: 1,
    boundsX: index.bounds?.x ?? 0,
    boundsY: index.bounds?.y ?? 0,
    boundsWidth: index.bounds?.width ?? width,
    boundsHeight: index.bounds?.height ?? height,
  };
}
