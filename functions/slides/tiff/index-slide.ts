import { SlideOpenError } from '../errors.js';
import type { RangeSource } from '../range-source.js';
import {
  type ImageIndex,
  type LevelIndex,
  packCounts,
  packOffsets,
  SLIDE_INDEX_VERSION,
  type SlideIndex,
  type SlideVendor,
} from '../slide-index.js';
import { type Directory, Tag, TiffFile } from './directory.js';

/** Compressions the tile decoders handle. */
export const SUPPORTED_COMPRESSIONS = new Set([1, 5, 7, 8, 32946, 50000, 33003, 33005]);

/** Refused because it has no tiles: the server derives a tiled pyramid (derivePyramid) and indexes that. */
export class UntiledImageError extends SlideOpenError {
  constructor(file: string, why = 'the image is not tiled (strips)') {
    super(file, `${why}: a tiled pyramid must be derived first`);
    this.name = 'UntiledImageError';
  }
}

/**
 * Reads a TIFF/BigTIFF slide's directories through ranged reads (never the whole file) and returns its index:
 * levels from the IFD chain and from SubIFDs, the Aperio layout (thumbnail, label, macro), resolution,
 * objective power and OpenSlide's properties.
 */
export async function indexSlide(source: RangeSource): Promise<SlideIndex> {
  const tiff = await TiffFile.open(source);
  const chain = await tiff.chain();
  const first = chain[0];
  if (!first) throw new SlideOpenError(source.name, 'no image directory');
  const description = await tiff.text(first, Tag.ImageDescription);
  const vendor: SlideVendor = description?.startsWith('Aperio') ? 'aperio' : 'generic-tiff';
  if (!first.entries.has(Tag.TileWidth)) throw new UntiledImageError(source.name);

  const levels: LevelIndex[] = [];
  const associated: Record<string, ImageIndex> = {};
  for (const [i, dir] of chain.entries()) {
    const tiled = dir.entries.has(Tag.TileWidth);
    if (tiled) {
      const subfile = (await tiff.number(dir, Tag.NewSubfileType)) ?? 0;
      if (subfile & 4) continue; // a transparency mask, not a level
      levels.push({ ...(await imageOf(tiff, dir, i)), downsample: 1 });
    } else if (vendor === 'aperio') {
      const name = await associatedName(tiff, dir, i);
      // An associated image the decoders cannot read is left out; the slide still opens.
      if (name && !associated[name]) {
        const image = await imageOf(tiff, dir, i).catch((error: unknown) => {
          if (error instanceof SlideOpenError) return undefined;
          throw error;
        });
        if (image) associated[name] = image;
      }
    }
  }
  // SubIFD pyramids (libvips --subifd, OME-TIFF): reduced levels hang under the full-resolution directory.
  const subIfds = await tiff.integers(first, Tag.SubIFDs);
  for (const offset of subIfds ?? []) {
    const dir = await tiff.directory(offset);
    if (dir.entries.has(Tag.TileWidth)) levels.push({ ...(await imageOf(tiff, dir, 0)), downsample: 1, subIfd: true });
  }

  levels.sort((a, b) => b.width * b.height - a.width * a.height);
  const base = levels[0];
  if (!base) throw new SlideOpenError(source.name, 'no tiled image');
  for (const level of levels) level.downsample = (base.width / level.width + base.height / level.height) / 2;

  const properties: Record<string, string> = {};
  await tiffProperties(tiff, first, properties);
  let mppX: number | undefined;
  let mppY: number | undefined;
  let objectivePower: number | undefined;
  if (vendor === 'aperio' && description) {
    for (const [key, value] of aperioPairs(description)) properties[`aperio.${key}`] = value;
    const mpp = Number(properties['aperio.MPP']);
    if (properties['aperio.MPP'] !== undefined && Number.isFinite(mpp) && mpp > 0) mppX = mppY = mpp;
    const mag = Number(properties['aperio.AppMag']);
    if (properties['aperio.AppMag'] !== undefined && Number.isFinite(mag) && mag > 0) objectivePower = mag;
  } else {
    const metric = await metricMpp(tiff, first);
    mppX = metric?.[0];
    mppY = metric?.[1];
  }

  const index: SlideIndex = {
    version: SLIDE_INDEX_VERSION,
    fileName: source.name,
    fileSize: source.size,
    vendor,
    bigTiff: tiff.bigTiff,
    littleEndian: tiff.littleEndian,
    levels,
    associated,
    properties,
  };
  if (mppX !== undefined) index.mppX = mppX;
  if (mppY !== undefined) index.mppY = mppY;
  if (objectivePower !== undefined) index.objectivePower = objectivePower;
  addOpenSlideProperties(index, description);
  return index;
}

async function imageOf(tiff: TiffFile, dir: Directory, ifd: number): Promise<ImageIndex> {
  const name = tiff.name;
  const where = `directory ${ifd}`;
  const width = await tiff.number(dir, Tag.ImageWidth);
  const height = await tiff.number(dir, Tag.ImageLength);
  if (!width || !height) throw new SlideOpenError(name, `${where} has no image size`);
  const compression = (await tiff.number(dir, Tag.Compression)) ?? 1;
  if (!SUPPORTED_COMPRESSIONS.has(compression)) {
    throw new SlideOpenError(name, `${where}: unsupported TIFF compression ${compression}`);
  }
  const tiled = dir.entries.has(Tag.TileWidth);
  const tileWidth = tiled ? await tiff.number(dir, Tag.TileWidth) : width;
  const tileHeight = tiled
    ? await tiff.number(dir, Tag.TileLength)
    : Math.min(height, (await tiff.number(dir, Tag.RowsPerStrip)) ?? height);
  if (!tileWidth || !tileHeight) throw new SlideOpenError(name, `${where} has no tile size`);
  const samplesPerPixel = (await tiff.number(dir, Tag.SamplesPerPixel)) ?? 1;
  const planarConfig = (await tiff.number(dir, Tag.PlanarConfig)) ?? 1;
  const photometric = (await tiff.number(dir, Tag.Photometric)) ?? 2;
  const bitsPerSample = (await tiff.number(dir, Tag.BitsPerSample)) ?? 1;
  // Layouts the tile decoders do not handle; libvips reads them, so the derive step can make a pyramid.
  if (planarConfig === 2 && samplesPerPixel > 1) throw new UntiledImageError(name, `${where}: separate colour planes`);
  if (photometric === 3) throw new UntiledImageError(name, `${where}: a palette image`);
  if (bitsPerSample !== 8 && bitsPerSample !== 16)
    throw new UntiledImageError(name, `${where}: ${bitsPerSample} bits per sample`);
  const cols = Math.ceil(width / tileWidth);
  const rows = Math.ceil(height / tileHeight);
  const offsets = await tiff.integers(dir, tiled ? Tag.TileOffsets : Tag.StripOffsets);
  const counts = await tiff.integers(dir, tiled ? Tag.TileByteCounts : Tag.StripByteCounts);
  const expected = cols * rows * (planarConfig === 2 ? samplesPerPixel : 1);
  if (!offsets || !counts || offsets.length < expected || counts.length < expected) {
    throw new SlideOpenError(name, `${where}: ${offsets?.length ?? 0} tile offsets for ${expected} tiles`);
  }
  const packed = packOffsets(offsets);
  const image: ImageIndex = {
    width,
    height,
    tileWidth,
    tileHeight,
    cols,
    rows,
    compression,
    photometric,
    samplesPerPixel,
    bitsPerSample,
    planarConfig,
    predictor: (await tiff.number(dir, Tag.Predictor)) ?? 1,
    tileOffsets: packed.data,
    offsets64: packed.offsets64,
    tileByteCounts: packCounts(counts),
    ifd,
  };
  const tables = await tiff.raw(dir, Tag.JPEGTables);
  if (tables && compression === 7) image.jpegTables = Buffer.from(tables).toString('base64');
  return image;
}

/** Aperio's associated images: the second directory is the thumbnail; label and macro by subfile type or description. */
async function associatedName(tiff: TiffFile, dir: Directory, ifd: number): Promise<string | undefined> {
  if (ifd === 1) return 'thumbnail';
  const description = (await tiff.text(dir, Tag.ImageDescription)) ?? '';
  const secondLine = description.split('\n')[1] ?? '';
  if (secondLine.startsWith('label')) return 'label';
  if (secondLine.startsWith('macro')) return 'macro';
  const subfile = (await tiff.number(dir, Tag.NewSubfileType)) ?? 0;
  if (subfile === 1) return 'label';
  if (subfile === 9) return 'macro';
  return undefined;
}

/** `key = value` pairs of an Aperio ImageDescription (items after the first `|`). */
function aperioPairs(description: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const item of description.split('|').slice(1)) {
    const eq = item.indexOf(' = ');
    if (eq > 0) pairs.push([item.slice(0, eq).trim(), item.slice(eq + 3).trim()]);
  }
  return pairs;
}

/**
 * Microns per pixel from XResolution/YResolution, only with ResolutionUnit centimetre and a value a
 * microscope could have (≤ 100 µm/px): 72 or 96 dpi written as pixels per cm are screen defaults, not scans.
 */
async function metricMpp(tiff: TiffFile, dir: Directory): Promise<[number, number] | undefined> {
  if ((await tiff.number(dir, Tag.ResolutionUnit)) !== 3) return undefined;
  const x = await tiff.number(dir, Tag.XResolution);
  const y = await tiff.number(dir, Tag.YResolution);
  if (!x || !y) return undefined;
  const mppX = 10_000 / x;
  const mppY = 10_000 / y;
  return mppX > 0 && mppX <= 100 && mppY > 0 && mppY <= 100 ? [mppX, mppY] : undefined;
}

const TEXT_TAGS: Array<[string, number]> = [
  ['ImageDescription', Tag.ImageDescription],
  ['Make', Tag.Make],
  ['Model', Tag.Model],
  ['Software', Tag.Software],
  ['DateTime', Tag.DateTime],
  ['Artist', Tag.Artist],
  ['Copyright', Tag.Copyright],
];

/** The `tiff.*` properties OpenSlide reports for the first directory. */
async function tiffProperties(tiff: TiffFile, dir: Directory, out: Record<string, string>): Promise<void> {
  for (const [name, tag] of TEXT_TAGS) {
    const value = await tiff.text(dir, tag);
    if (value !== undefined) out[`tiff.${name}`] = value;
  }
  const unit = await tiff.number(dir, Tag.ResolutionUnit);
  const x = await tiff.number(dir, Tag.XResolution);
  const y = await tiff.number(dir, Tag.YResolution);
  if (x !== undefined) out['tiff.XResolution'] = formatFloat(x);
  if (y !== undefined) out['tiff.YResolution'] = formatFloat(y);
  out['tiff.ResolutionUnit'] = unit === 1 ? 'none' : unit === 3 ? 'centimeter' : 'inch'; // libtiff's default: inch
}

/** OpenSlide's `openslide.*` standard properties. */
function addOpenSlideProperties(index: SlideIndex, description: string | undefined): void {
  const p = index.properties;
  p['openslide.vendor'] = index.vendor;
  if (description !== undefined) p['openslide.comment'] = description;
  p['openslide.level-count'] = String(index.levels.length);
  for (const [i, level] of index.levels.entries()) {
    p[`openslide.level[${i}].width`] = String(level.width);
    p[`openslide.level[${i}].height`] = String(level.height);
    p[`openslide.level[${i}].tile-width`] = String(level.tileWidth);
    p[`openslide.level[${i}].tile-height`] = String(level.tileHeight);
    p[`openslide.level[${i}].downsample`] = formatFloat(level.downsample);
  }
  // OpenSlide 3.4.1 reports mpp only from vendor metadata; our metric-TIFF mpp stays out of its properties.
  if (index.vendor === 'aperio' && index.mppX !== undefined) p['openslide.mpp-x'] = formatFloat(index.mppX);
  if (index.vendor === 'aperio' && index.mppY !== undefined) p['openslide.mpp-y'] = formatFloat(index.mppY);
  if (index.objectivePower !== undefined) p['openslide.objective-power'] = properties(index, 'aperio.AppMag');
}

function properties(index: SlideIndex, key: string): string {
  return index.properties[key] ?? '';
}

/** C's `%.17g`, as OpenSlide prints doubles (4 → "4", 1/3 → "0.33333333333333331"). */
export function formatFloat(value: number): string {
  if (Number.isInteger(value)) return String(value);
  const [mantissa = '', exponent] = value.toPrecision(17).split('e');
  const trimmed = mantissa.includes('.') ? mantissa.replace(/0+$/, '').replace(/\.$/, '') : mantissa;
  return exponent === undefined ? trimmed : `${trimmed}e${exponent}`;
}
