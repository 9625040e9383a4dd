import dicomParser, { type DataSet } from 'dicom-parser';
import { SlideOpenError } from '../errors.js';
import type { RangeSource } from '../range-source.js';
import {
  type ImageIndex,
  type LevelIndex,
  packCounts,
  packOffsets,
  SLIDE_INDEX_VERSION,
  type SlideIndex,
} from '../slide-index.js';
import { ByteReader } from '../tiff/byte-reader.js';

const PIXEL_DATA = 'x7fe00010';
const VL_WHOLE_SLIDE = '1.2.840.10008.5.1.4.1.1.77.1.6';
/** Transfer syntaxes whose frames the reader decodes: uncompressed, JPEG baseline, JPEG 2000. */
const UNCOMPRESSED = new Set(['1.2.840.10008.1.2.1', '1.2.840.10008.1.2']);
const JPEG = new Set(['1.2.840.10008.1.2.4.50']);
const JPEG_2000 = new Set(['1.2.840.10008.1.2.4.90', '1.2.840.10008.1.2.4.91']);

interface Instance {
  fileNumber: number;
  kind: string;
  series: string;
  image: ImageIndex;
  mpp?: [number, number];
}

/**
 * Indexes a DICOM-WSI series (VL Whole Slide Microscopy instances, one file per level, label and overview) as one
 * slide named `name` (its folder). Reads each header (64 KiB, more if needed) and the frame offsets: the Basic
 * Offset Table when present, else the fragment item headers (then the reads cover the file once, at index time
 * only). Instances of other series or SOP classes are ignored; TILED_SPARSE instances are refused.
 */
export async function indexDicomSeries(name: string, sources: RangeSource[]): Promise<SlideIndex> {
  const instances: Instance[] = [];
  for (const [fileNumber, source] of sources.entries()) {
    const instance = await readInstance(source, fileNumber);
    if (instance) instances.push(instance);
  }
  const volumes = instances.filter((i) => i.kind === 'VOLUME');
  const series = volumes[0]?.series;
  const levels: LevelIndex[] = volumes
    .filter((v) => v.series === series)
    .map((v) => ({ ...v.image, downsample: 1 }))
    .sort((a, b) => b.width * b.height - a.width * a.height);
  const base = levels[0];
  if (!base) throw new SlideOpenError(name, 'no DICOM whole-slide VOLUME image in the series');
  for (const level of levels) level.downsample = (base.width / level.width + base.height / level.height) / 2;
  const associated: Record<string, ImageIndex> = {};
  for (const instance of instances) {
    const label = { LABEL: 'label', OVERVIEW: 'macro', THUMBNAIL: 'thumbnail' }[instance.kind];
    if (label && instance.series === series && !associated[label]) associated[label] = instance.image;
  }
  const mpp = volumes.find((v) => v.image.width === base.width && v.mpp)?.mpp;
  const index: SlideIndex = {
    version: SLIDE_INDEX_VERSION,
    fileName: name,
    fileSize: sources.reduce((sum, s) => sum + s.size, 0),
    files: sources.map((s) => ({ name: s.name, size: s.size })),
    vendor: 'dicom',
    bigTiff: false,
    littleEndian: true,
    levels,
    associated,
    properties: { 'openslide.vendor': 'dicom', 'openslide.level-count': String(levels.length) },
  };
  if (mpp) {
    index.mppX = mpp[0];
    index.mppY = mpp[1];
  }
  return index;
}

async function readInstance(source: RangeSource, fileNumber: number): Promise<Instance | undefined> {
  const reader = new ByteReader(source);
  if (source.size < 132) return undefined;
  const preamble = await reader.bytes(128, 4, 'the DICOM preamble');
  if (Buffer.from(preamble).toString('latin1') !== 'DICM') return undefined;
  const data = await parseHeader(source);
  if (data.string('x00080016') !== VL_WHOLE_SLIDE) return undefined;
  const syntax = data.string('x00020010') ?? '';
  const where = (reason: string) => new SlideOpenError(source.name, reason);
  const compression = UNCOMPRESSED.has(syntax) ? 1 : JPEG.has(syntax) ? 7 : JPEG_2000.has(syntax) ? 33005 : 0;
  if (compression === 0) throw where(`unsupported DICOM transfer syntax ${syntax}`);
  if ((data.string('x00209311') ?? 'TILED_FULL') === 'TILED_SPARSE')
    throw where('TILED_SPARSE frame organisation is not supported');
  const tileWidth = data.uint16('x00280011') ?? 0;
  const tileHeight = data.uint16('x00280010') ?? 0;
  const width = data.uint32('x00480006') ?? tileWidth;
  const height = data.uint32('x00480007') ?? tileHeight;
  const frames = data.intString('x00280008') ?? 1;
  const samplesPerPixel = data.uint16('x00280002') ?? 3;
  if (!tileWidth || !tileHeight || !width || !height) throw where('no frame or matrix size');
  const cols = Math.ceil(width / tileWidth);
  const rows = Math.ceil(height / tileHeight);
  if (frames < cols * rows) throw where(`${frames} frames for a ${cols}×${rows} grid`);
  const pixel = data.elements[PIXEL_DATA];
  if (!pixel) throw where('no pixel data');
  const { offsets, counts } =
    compression === 1
      ? uncompressedFrames(pixel.dataOffset ?? 0, frames, tileWidth * tileHeight * samplesPerPixel)
      : await encapsulatedFrames(reader, source, pixel.dataOffset ?? 0, frames);
  const packed = packOffsets(offsets);
  const image: ImageIndex = {
    width,
    height,
    tileWidth,
    tileHeight,
    cols,
    rows,
    compression,
    // JPEG frames are YCbCr whatever the header says (real files say RGB): never add the Adobe RGB marker.
    photometric: compression === 1 ? (samplesPerPixel === 1 ? 1 : 2) : 6,
    samplesPerPixel,
    bitsPerSample: data.uint16('x00280100') ?? 8,
    planarConfig: (data.uint16('x00280006') ?? 0) === 1 ? 2 : 1,
    predictor: 1,
    tileOffsets: packed.data,
    offsets64: packed.offsets64,
    tileByteCounts: packCounts(counts),
    ifd: 0,
    file: fileNumber,
  };
  if (compression === 7) image.paddedTiles = true;
  const imageType = (data.string('x00080008') ?? '').split('\\');
  const instance: Instance = {
    fileNumber,
    kind: imageType[2] || 'VOLUME',
    series: data.string('x0020000e') ?? '',
    image,
  };
  const spacing = pixelSpacing(data);
  if (spacing) instance.mpp = spacing;
  return instance;
}

/** Parses up to the pixel data, reading 64 KiB and then more while the header does not fit (at most 16 MiB). */
async function parseHeader(source: RangeSource): Promise<DataSet> {
  for (let length = 64 * 1024; ; length *= 4) {
    const bytes = await source.read(0, Math.min(length, source.size));
    try {
      const data = dicomParser.parseDicom(bytes, { untilTag: PIXEL_DATA });
      if (data.elements[PIXEL_DATA] || bytes.length === source.size) return data;
    } catch (error) {
      if (bytes.length === source.size || length >= 16 * 1024 * 1024) {
        throw new SlideOpenError(source.name, `not a readable DICOM file: ${String(error)}`);
      }
    }
    if (length >= 16 * 1024 * 1024) throw new SlideOpenError(source.name, 'DICOM header larger than 16 MiB');
  }
}

/** Level-0 microns per pixel from SharedFunctionalGroupsSequence › PixelMeasuresSequence › PixelSpacing (mm). */
function pixelSpacing(data: DataSet): [number, number] | undefined {
  const shared = data.elements.x52009229?.items?.[0]?.dataSet;
  const measures = shared?.elements.x00289110?.items?.[0]?.dataSet;
  const rowSpacing = measures?.floatString('x00280030', 0);
  const columnSpacing = measures?.floatString('x00280030', 1);
  return rowSpacing && columnSpacing ? [columnSpacing * 1000, rowSpacing * 1000] : undefined;
}

function uncompressedFrames(start: number, frames: number, frameBytes: number) {
  const offsets = new Float64Array(frames);
  const counts = new Float64Array(frames).fill(frameBytes);
  for (let i = 0; i < frames; i++) offsets[i] = start + i * frameBytes;
  return { offsets, counts };
}

/** Frame positions in encapsulated pixel data: one fragment per frame (what WSI writers do). */
async function encapsulatedFrames(reader: ByteReader, source: RangeSource, start: number, frames: number) {
  const item = async (at: number) => {
    const head = await reader.bytes(at, 8, 'a pixel data item');
    const view = new DataView(head.buffer, head.byteOffset, 8);
    return { group: view.getUint16(0, true), element: view.getUint16(2, true), length: view.getUint32(4, true) };
  };
  const table = await item(start);
  if (table.group !== 0xfffe || table.element !== 0xe000)
    throw new SlideOpenError(source.name, 'pixel data is not encapsulated');
  const first = start + 8 + table.length;
  const offsets = new Float64Array(frames);
  const counts = new Float64Array(frames);
  if (table.length >= frames * 4) {
    // Basic Offset Table: frame i's item starts at first + BOT[i]; its length is up to the next item.
    const bot = await reader.bytes(start + 8, frames * 4, 'the basic offset table');
    const view = new DataView(bot.buffer, bot.byteOffset, bot.byteLength);
    const last = await lastItemEnd(reader, source);
    for (let i = 0; i < frames; i++) {
      const at = first + view.getUint32(i * 4, true);
      const next = i + 1 < frames ? first + view.getUint32((i + 1) * 4, true) : last;
      offsets[i] = at + 8;
      counts[i] = next - at - 8;
    }
  } else {
    let at = first;
    for (let i = 0; i < frames; i++) {
      const fragment = await item(at);
      if (fragment.group !== 0xfffe || fragment.element !== 0xe000) {
        throw new SlideOpenError(source.name, `pixel data ends after ${i} of ${frames} frames`);
      }
      offsets[i] = at + 8;
      counts[i] = fragment.length;
      at += 8 + fragment.length;
    }
  }
  return { offsets, counts };
}

/** Where the last fragment ends: before the sequence delimitation item, which ends the file. */
async function lastItemEnd(reader: ByteReader, source: RangeSource): Promise<number> {
  const tail = await reader.bytes(source.size - 8, 8, 'the sequence delimiter');
  const view = new DataView(tail.buffer, tail.byteOffset, 8);
  if (view.getUint16(0, true) === 0xfffe && view.getUint16(2, true) === 0xe0dd) return source.size - 8;
  throw new SlideOpenError(source.name, 'pixel data is not the last element of the file');
}
