import { deflateSync } from 'node:zlib';

/** One level for `writeTiledTiff`: RGB pixels, cut into tiles and deflated. */
export interface TestLevel {
  width: number;
  height: number;
  pixel: (x: number, y: number) => [number, number, number];
}

/**
 * Writes a small tiled RGB TIFF (deflate, or tiles from `encode`) in either byte order, classic or BigTIFF: the
 * fixtures have no big-endian slide (OpenSlide 3.4.1 refuses them) and no small JPEG 2000 one, so tests make them.
 */
export function writeTiledTiff(
  levels: TestLevel[],
  options: {
    bigEndian: boolean;
    bigTiff: boolean;
    tile: number;
    compression?: number;
    encode?: (raw: Buffer) => Buffer;
  },
): Buffer {
  const { bigEndian, bigTiff, tile } = options;
  const compression = options.compression ?? 8;
  const encode = options.encode ?? ((raw: Buffer) => deflateSync(raw));
  const le = !bigEndian;
  const chunks: Buffer[] = [];
  let size = bigTiff ? 16 : 8;
  const tileData = levels.map((level) => {
    const tiles: Array<{ offset: number; bytes: Buffer }> = [];
    for (let ty = 0; ty < Math.ceil(level.height / tile); ty++) {
      for (let tx = 0; tx < Math.ceil(level.width / tile); tx++) {
        const raw = Buffer.alloc(tile * tile * 3);
        for (let y = 0; y < tile; y++) {
          for (let x = 0; x < tile; x++) {
            const gx = tx * tile + x;
            const gy = ty * tile + y;
            if (gx < level.width && gy < level.height) raw.set(level.pixel(gx, gy), (y * tile + x) * 3);
          }
        }
        const bytes = encode(raw);
        tiles.push({ offset: size, bytes });
        chunks.push(bytes);
        size += bytes.length;
      }
    }
    return tiles;
  });
  const ifdOffsets: number[] = [];
  for (const [i, level] of levels.entries()) {
    const tiles = tileData[i] ?? [];
    const entries: Array<[number, number, number[]]> = [
      [254, 4, [i === 0 ? 0 : 1]],
      [256, 4, [level.width]],
      [257, 4, [level.height]],
      [258, 3, [8, 8, 8]],
      [259, 3, [compression]],
      [262, 3, [2]],
      [277, 3, [3]],
      [284, 3, [1]],
      [322, 3, [tile]],
      [323, 3, [tile]],
      [324, bigTiff ? 16 : 4, tiles.map((t) => t.offset)],
      [325, 4, tiles.map((t) => t.bytes.length)],
    ];
    const typeSize = (type: number) => (type === 3 ? 2 : type === 16 ? 8 : 4);
    const entrySize = bigTiff ? 20 : 12;
    const inline = bigTiff ? 8 : 4;
    const countSize = bigTiff ? 8 : 2;
    const headerBytes = countSize + entries.length * entrySize + (bigTiff ? 8 : 4);
    const ifdStart = size;
    let extra = ifdStart + headerBytes;
    const head = Buffer.alloc(headerBytes);
    const tails: Buffer[] = [];
    const put = (buf: Buffer, at: number, type: number, value: number) => {
      if (type === 3) le ? buf.writeUInt16LE(value, at) : buf.writeUInt16BE(value, at);
      else if (type === 16) le ? buf.writeBigUInt64LE(BigInt(value), at) : buf.writeBigUInt64BE(BigInt(value), at);
      else le ? buf.writeUInt32LE(value, at) : buf.writeUInt32BE(value, at);
    };
    if (bigTiff) put(head, 0, 16, entries.length);
    else put(head, 0, 3, entries.length);
    for (const [n, [tag, type, values]] of entries.entries()) {
      const at = countSize + n * entrySize;
      put(head, at, 3, tag);
      put(head, at + 2, 3, type);
      put(head, at + 4, bigTiff ? 16 : 4, values.length);
      const valueAt = at + (bigTiff ? 12 : 8);
      const bytes = values.length * typeSize(type);
      if (bytes <= inline) {
        for (const [k, v] of values.entries()) put(head, valueAt + k * typeSize(type), type, v);
      } else {
        const tail = Buffer.alloc(bytes);
        for (const [k, v] of values.entries()) put(tail, k * typeSize(type), type, v);
        put(head, valueAt, bigTiff ? 16 : 4, extra);
        tails.push(tail);
        extra += bytes;
      }
    }
    ifdOffsets.push(ifdStart);
    const ifdBytes = Buffer.concat([head, ...tails]);
    chunks.push(ifdBytes);
    size += ifdBytes.length;
  }
  // Link the chain: each IFD's next pointer to the following IFD.
  const file = Buffer.concat([Buffer.alloc(bigTiff ? 16 : 8), ...chunks]);
  const write = (at: number, value: number) =>
    bigTiff
      ? le
        ? file.writeBigUInt64LE(BigInt(value), at)
        : file.writeBigUInt64BE(BigInt(value), at)
      : le
        ? file.writeUInt32LE(value, at)
        : file.writeUInt32BE(value, at);
  file.write(le ? 'II' : 'MM', 0, 'latin1');
  if (bigTiff) {
    le ? file.writeUInt16LE(43, 2) : file.writeUInt16BE(43, 2);
    le ? file.writeUInt16LE(8, 4) : file.writeUInt16BE(8, 4);
    write(8, ifdOffsets[0] ?? 0);
  } else {
    le ? file.writeUInt16LE(42, 2) : file.writeUInt16BE(42, 2);
    write(4, ifdOffsets[0] ?? 0);
  }
  for (let i = 0; i + 1 < ifdOffsets.length; i++) {
    const start = ifdOffsets[i] as number;
    const count = bigTiff ? 8 : 2;
    const entries = 12;
    write(start + count + entries * (bigTiff ? 20 : 12), ifdOffsets[i + 1] as number);
  }
  return file;
}
