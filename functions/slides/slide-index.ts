/**
 * The per-slide index: everything needed to serve tiles with one ranged read each, as one small
 * JSON-serializable object (the server stores it beside the slide and caches it per process).
 */
export const SLIDE_INDEX_VERSION = 1;

export type SlideVendor = 'aperio' | 'generic-tiff' | 'dicom';

/** One tiled (or striped: strips are full-width tiles) image in the file: a pyramid level or an associated image. */
export interface ImageIndex {
  width: number;
  height: number;
  tileWidth: number;
  tileHeight: number;
  /** Tiles across and down (strips: 1 across). */
  cols: number;
  rows: number;
  /** TIFF Compression: 1 none, 5 LZW, 7 JPEG, 8/32946 deflate, 50000 zstd, 33003/33005 Aperio JPEG 2000. */
  compression: number;
  /** TIFF Photometric: 1 min-is-black, 2 RGB, 3 palette, 6 YCbCr… */
  photometric: number;
  samplesPerPixel: number;
  bitsPerSample: number;
  /** 1 chunky, 2 planar (one tile grid per sample). */
  planarConfig: number;
  /** 1 none, 2 horizontal differencing. */
  predictor: number;
  /** Base64 of the JPEGTables tag (JPEG only). */
  jpegTables?: string;
  /** Base64 of little-endian Uint32 (or Float64 when `offsets64`) tile offsets, row-major. */
  tileOffsets: string;
  offsets64: boolean;
  /** Base64 of little-endian Uint32 tile byte counts. */
  tileByteCounts: string;
  /** Directory number in the file (SubIFD levels: of their parent) and whether it is a SubIFD. */
  ifd: number;
  subIfd?: boolean;
  /** Multi-file slides (a DICOM series): which of `SlideIndex.files` holds the tiles; absent: the one file. */
  file?: number;
  /** DICOM JPEG frames may end with a padding byte after EOI: tile byte counts are upper bounds. */
  paddedTiles?: boolean;
}

export interface LevelIndex extends ImageIndex {
  /** Level-0 size ÷ this level's size, averaged over both axes as OpenSlide computes it. */
  downsample: number;
}

export interface SlideIndex {
  version: typeof SLIDE_INDEX_VERSION;
  /** The slide's name (upload path; for a DICOM series, its folder). */
  fileName: string;
  /** Total bytes of the slide's file(s). */
  fileSize: number;
  /** Multi-file slides: the files in the order `ImageIndex.file` counts, as given to the indexer. */
  files?: Array<{ name: string; size: number }>;
  vendor: SlideVendor;
  bigTiff: boolean;
  littleEndian: boolean;
  levels: LevelIndex[];
  associated: Record<string, ImageIndex>;
  /** Microns per pixel at level 0, undefined when the file does not say (or only in inches). */
  mppX?: number;
  mppY?: number;
  objectivePower?: number;
  /** Hex RRGGBB without '#', when the file names one. */
  backgroundColor?: string;
  bounds?: { x: number; y: number; width: number; height: number };
  /** The properties OpenSlide reports (tiff.*, aperio.*, openslide.*), as strings. */
  properties: Record<string, string>;
}

/** Offsets and byte counts of one image as typed arrays (decoded once per index and kept beside it). */
export interface TileTable {
  offsets: Float64Array | Uint32Array;
  byteCounts: Uint32Array;
}

const tables = new WeakMap<ImageIndex, TileTable>();

export function tileTable(image: ImageIndex): TileTable {
  let table = tables.get(image);
  if (!table) {
    table = {
      offsets: unpack(image.tileOffsets, image.offsets64 ? 8 : 4),
      byteCounts: unpack(image.tileByteCounts, 4) as Uint32Array,
    };
    tables.set(image, table);
  }
  return table;
}

export function packOffsets(values: Float64Array): { data: string; offsets64: boolean } {
  const offsets64 = values.some((v) => v > 0xffffffff);
  return { data: pack(offsets64 ? values : Uint32Array.from(values)), offsets64 };
}

export function packCounts(values: Float64Array): string {
  return pack(Uint32Array.from(values));
}

/** Typed arrays are little-endian on every platform Node runs on (x64, arm64). */
function pack(values: Uint32Array | Float64Array): string {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64');
}

function unpack(base64: string, width: 4 | 8): Float64Array | Uint32Array {
  const bytes = Buffer.from(base64, 'base64');
  const copy = new ArrayBuffer(bytes.length); // aligned, unlike pooled Buffers
  new Uint8Array(copy).set(bytes);
  return width === 8 ? new Float64Array(copy) : new Uint32Array(copy);
}

const jpegTables = new WeakMap<ImageIndex, Buffer>();

/** The JPEGTables bytes of an image (decoded from base64 once per index object). */
export function jpegTablesOf(image: ImageIndex): Buffer | undefined {
  if (image.jpegTables === undefined) return undefined;
  let tables = jpegTables.get(image);
  if (!tables) {
    tables = Buffer.from(image.jpegTables, 'base64');
    jpegTables.set(image, tables);
  }
  return tables;
}
