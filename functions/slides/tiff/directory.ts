import { SlideOpenError } from '../errors.js';
import type { RangeSource } from '../range-source.js';
import { ByteReader } from './byte-reader.js';

/** TIFF tags the reader uses. */
export const Tag = {
  NewSubfileType: 254,
  ImageWidth: 256,
  ImageLength: 257,
  BitsPerSample: 258,
  Compression: 259,
  Photometric: 262,
  ImageDescription: 270,
  Make: 271,
  Model: 272,
  StripOffsets: 273,
  SamplesPerPixel: 277,
  RowsPerStrip: 278,
  StripByteCounts: 279,
  XResolution: 282,
  YResolution: 283,
  PlanarConfig: 284,
  ResolutionUnit: 296,
  Software: 305,
  DateTime: 306,
  Artist: 315,
  Predictor: 317,
  ColorMap: 320,
  TileWidth: 322,
  TileLength: 323,
  TileOffsets: 324,
  TileByteCounts: 325,
  SubIFDs: 330,
  ExtraSamples: 338,
  SampleFormat: 339,
  JPEGTables: 347,
  YCbCrSubsampling: 530,
  Copyright: 33432,
  ICCProfile: 34675,
} as const;

/** Bytes per value of each TIFF field type (0 = unknown type). */
const TYPE_SIZE = [0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8, 4, 0, 0, 8, 8, 8];

export interface Entry {
  tag: number;
  type: number;
  count: number;
  /** Where the value's bytes are in the file (inline values: inside the entry). */
  valueOffset: number;
  byteLength: number;
}

export interface Directory {
  /** Position of the IFD in the file. */
  offset: number;
  entries: Map<number, Entry>;
  /** Offset of the next IFD in the chain, 0 at the end. */
  next: number;
}

/** A TIFF or BigTIFF file read through ranged reads: header, directory chain, tag values on demand. */
export class TiffFile {
  private constructor(
    readonly reader: ByteReader,
    readonly littleEndian: boolean,
    readonly bigTiff: boolean,
    readonly firstIfd: number,
  ) {}

  get name(): string {
    return this.reader.source.name;
  }

  static async open(source: RangeSource): Promise<TiffFile> {
    if (source.size === 0) throw new SlideOpenError(source.name, 'the file is empty');
    if (source.size < 8) throw new SlideOpenError(source.name, `only ${source.size} bytes: not a TIFF`);
    const reader = new ByteReader(source);
    const head = await reader.bytes(0, Math.min(16, source.size), 'the TIFF header');
    const order = String.fromCharCode(head[0] ?? 0, head[1] ?? 0);
    if (order !== 'II' && order !== 'MM') throw new SlideOpenError(source.name, 'not a TIFF file (no II/MM header)');
    const le = order === 'II';
    const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
    const version = view.getUint16(2, le);
    if (version === 42) return new TiffFile(reader, le, false, view.getUint32(4, le));
    if (version === 43 && head.length >= 16) {
      if (view.getUint16(4, le) !== 8)
        throw new SlideOpenError(source.name, 'BigTIFF with an offset size other than 8');
      return new TiffFile(reader, le, true, Number(view.getBigUint64(8, le)));
    }
    throw new SlideOpenError(source.name, `not a TIFF file (version ${version})`);
  }

  async directory(offset: number): Promise<Directory> {
    const countSize = this.bigTiff ? 8 : 2;
    const entrySize = this.bigTiff ? 20 : 12;
    const head = await this.reader.bytes(offset, countSize, `the directory`);
    const count = this.bigTiff
      ? Number(this.view(head).getBigUint64(0, this.littleEndian))
      : this.view(head).getUint16(0, this.littleEndian);
    if (count === 0 || count > 10_000)
      throw new SlideOpenError(this.name, `directory at byte ${offset} has ${count} entries`);
    const body = await this.reader.bytes(
      offset + countSize,
      count * entrySize + countSize * (this.bigTiff ? 1 : 2),
      `the directory`,
    );
    const view = this.view(body);
    const le = this.littleEndian;
    const entries = new Map<number, Entry>();
    for (let i = 0; i < count; i++) {
      const at = i * entrySize;
      const tag = view.getUint16(at, le);
      const type = view.getUint16(at + 2, le);
      const n = this.bigTiff ? Number(view.getBigUint64(at + 4, le)) : view.getUint32(at + 4, le);
      const size = TYPE_SIZE[type] ?? 0;
      if (size === 0) continue; // an unknown type: skip the tag as libtiff does
      const byteLength = size * n;
      const inlineCapacity = this.bigTiff ? 8 : 4;
      const valueAt = at + (this.bigTiff ? 12 : 8);
      const valueOffset =
        byteLength <= inlineCapacity
          ? offset + countSize + valueAt
          : this.bigTiff
            ? Number(view.getBigUint64(valueAt, le))
            : view.getUint32(valueAt, le);
      entries.set(tag, { tag, type, count: n, valueOffset, byteLength });
    }
    const nextAt = count * entrySize;
    const next = this.bigTiff ? Number(view.getBigUint64(nextAt, le)) : view.getUint32(nextAt, le);
    return { offset, entries, next };
  }

  /** Offsets of the IFD chain from the header, refusing loops. */
  async chain(): Promise<Directory[]> {
    const seen = new Set<number>();
    const dirs: Directory[] = [];
    let at = this.firstIfd;
    while (at !== 0) {
      if (seen.has(at)) throw new SlideOpenError(this.name, `directory chain loops at byte ${at}`);
      if (dirs.length > 1000) throw new SlideOpenError(this.name, 'more than 1000 directories');
      seen.add(at);
      const dir = await this.directory(at);
      dirs.push(dir);
      at = dir.next;
    }
    return dirs;
  }

  /** Numeric values of a tag (integers, rationals as floats), or undefined when absent. */
  async numbers(dir: Directory, tag: number): Promise<number[] | undefined> {
    const entry = dir.entries.get(tag);
    if (!entry) return undefined;
    const bytes = await this.reader.bytes(entry.valueOffset, entry.byteLength, `tag ${tag}`);
    return decodeNumbers(bytes, entry.type, entry.count, this.littleEndian);
  }

  async number(dir: Directory, tag: number): Promise<number | undefined> {
    const entry = dir.entries.get(tag);
    if (!entry) return undefined;
    return (await this.numbers(dir, tag))?.[0];
  }

  /** Integer array tags (tile offsets and byte counts) as a Float64Array: exact up to 2^53. */
  async integers(dir: Directory, tag: number): Promise<Float64Array | undefined> {
    const entry = dir.entries.get(tag);
    if (!entry) return undefined;
    const bytes = await this.reader.bytes(entry.valueOffset, entry.byteLength, `tag ${tag}`);
    const view = this.view(bytes);
    const out = new Float64Array(entry.count);
    const le = this.littleEndian;
    for (let i = 0; i < entry.count; i++) {
      switch (entry.type) {
        case 3:
          out[i] = view.getUint16(i * 2, le);
          break;
        case 4:
        case 13:
          out[i] = view.getUint32(i * 4, le);
          break;
        case 16:
        case 18:
          out[i] = Number(view.getBigUint64(i * 8, le));
          break;
        default:
          throw new SlideOpenError(this.name, `tag ${tag} has type ${entry.type}, not an integer type`);
      }
    }
    return out;
  }

  async text(dir: Directory, tag: number): Promise<string | undefined> {
    const entry = dir.entries.get(tag);
    if (!entry) return undefined;
    const bytes = await this.reader.bytes(entry.valueOffset, entry.byteLength, `tag ${tag}`);
    let end = bytes.length;
    while (end > 0 && bytes[end - 1] === 0) end--;
    return Buffer.from(bytes.buffer, bytes.byteOffset, end).toString('latin1');
  }

  async raw(dir: Directory, tag: number): Promise<Uint8Array | undefined> {
    const entry = dir.entries.get(tag);
    if (!entry) return undefined;
    return this.reader.bytes(entry.valueOffset, entry.byteLength, `tag ${tag}`);
  }

  private view(bytes: Uint8Array): DataView {
    return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
}

function decodeNumbers(bytes: Uint8Array, type: number, count: number, le: boolean): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    switch (type) {
      case 1:
      case 2:
      case 7:
        out.push(view.getUint8(i));
        break;
      case 6:
        out.push(view.getInt8(i));
        break;
      case 3:
        out.push(view.getUint16(i * 2, le));
        break;
      case 8:
        out.push(view.getInt16(i * 2, le));
        break;
      case 4:
      case 13:
        out.push(view.getUint32(i * 4, le));
        break;
      case 9:
        out.push(view.getInt32(i * 4, le));
        break;
      case 5:
        out.push(view.getUint32(i * 8, le) / view.getUint32(i * 8 + 4, le));
        break;
      case 10:
        out.push(view.getInt32(i * 8, le) / view.getInt32(i * 8 + 4, le));
        break;
      case 11:
        out.push(view.getFloat32(i * 4, le));
        break;
      case 12:
        out.push(view.getFloat64(i * 8, le));
        break;
      case 16:
      case 18:
        out.push(Number(view.getBigUint64(i * 8, le)));
        break;
      case 17:
        out.push(Number(view.getBigInt64(i * 8, le)));
        break;
    }
  }
  return out;
}
