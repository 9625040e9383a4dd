/**
 * The slide reader: pure pixel code over ranged reads (no AWS). The server gives it a RangeSource backed by
 * S3 ranged GETs; see docs/pixels.md.
 */
export { ByteLru } from './byte-lru.js';
export { withJfifHeader } from './codecs/jpeg-stream.js';
export { bestLevelForDownsample, type DeepZoomLayout, deepZoomLayout, planDeepZoomTile } from './deepzoom/layout.js';
export { type DerivedPyramid, derivePyramid, MAX_DERIVE_INPUT_BYTES } from './derive-pyramid.js';
export { indexDicomSeries } from './dicom/index-dicom.js';
export { OutOfRangeError, SlideOpenError, TileReadError } from './errors.js';
export { type ImageMetadata, imageMetadata, osdTileSize } from './metadata.js';
export {
  bufferRangeSource,
  countingRangeSource,
  fileRangeSource,
  type RangeSource,
  type ReadCounts,
} from './range-source.js';
export type { ImageIndex, LevelIndex, SlideIndex } from './slide-index.js';
export {
  DEEPZOOM_JPEG_QUALITY,
  type DeepZoomTile,
  type NativeTile,
  type RenderedRegion,
  type RgbPixels,
  SlideReader,
  sharedEncodedTileCache,
  sharedTileCache,
} from './slide-reader.js';
export { indexSlide, UntiledImageError } from './tiff/index-slide.js';
