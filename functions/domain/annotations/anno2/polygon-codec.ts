/**
 * The anno2 polygon binary (`encoded_polygons.bin`, SDK `polygon_encoder.py`): all polygons' vertices as one
 * run through 256-px tiles. Little-endian u32 header (tile size 256, tile rows, tile columns), the byte length
 * and u32 values of each polygon's length (2 per vertex), then three omega arrays each after its u32 byte
 * length (tile x jumps, tile y jumps, vertices per tile run) and the u8 remainders (x % 256, y % 256) after
 * theirs. Coordinates are whole and ≥ 0.
 */
import { decodeOmega, encodeOmega } from './elias-omega.js';

const TILE = 256;

/** Polygons as flat [x0, y0, x1, y1, …] arrays of whole numbers ≥ 0. */
export function encodePolygons(polygons: readonly (readonly number[])[]): Uint8Array {
  const lengths: number[] = [];
  const xJumps: number[] = [];
  const yJumps: number[] = [];
  const runs: number[] = [];
  let total = 0;
  for (const p of polygons) total += p.length;
  const remainders = new Uint8Array(total);
  let r = 0;
  let lastX = 0;
  let lastY = 0;
  let maxX = 0;
  let maxY = 0;
  for (const polygon of polygons) {
    lengths.push(polygon.length);
    for (let i = 0; i + 1 < polygon.length; i += 2) {
      const x = polygon[i] as number;
      const y = polygon[i + 1] as number;
      const tileX = Math.floor(x / TILE);
      const tileY = Math.floor(y / TILE);
      if (runs.length === 0 || tileX !== lastX || tileY !== lastY) {
        xJumps.push(tileX - lastX);
        yJumps.push(tileY - lastY);
        runs.push(1);
        lastX = tileX;
        lastY = tileY;
      } else runs[runs.length - 1] = (runs[runs.length - 1] as number) + 1;
      remainders[r++] = x % TILE;
      remainders[r++] = y % TILE;
      maxX = Math.max(maxX, x);
      maxY = Math.max(maxY, y);
    }
  }
  const parts: Uint8Array[] = [u32(TILE), u32(Math.ceil(maxY / TILE)), u32(Math.ceil(maxX / TILE))];
  const lengthBytes = new Uint8Array(lengths.length * 4);
  const view = new DataView(lengthBytes.buffer);
  for (let i = 0; i < lengths.length; i++) view.setUint32(i * 4, lengths[i] as number, true);
  parts.push(u32(lengthBytes.length), lengthBytes);
  for (const encoded of [
    encodeOmega(xJumps, 'integers'),
    encodeOmega(yJumps, 'integers'),
    encodeOmega(runs, 'natural'),
  ]) {
    parts.push(u32(encoded.length), encoded);
  }
  parts.push(u32(remainders.length), remainders);
  return concat(parts);
}

/** The flat polygons of an encoded_polygons.bin; throws a RangeError naming what is corrupt. */
export function decodePolygons(bytes: Uint8Array): number[][] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  const readU32 = (what: string) => {
    if (pos + 4 > bytes.length) throw new RangeError(`the polygon data ends before its ${what}`);
    const v = view.getUint32(pos, true);
    pos += 4;
    return v;
  };
  const readBytes = (what: string) => {
    const n = readU32(`${what} length`);
    if (pos + n > bytes.length) throw new RangeError(`the polygon data ends inside its ${what}`);
    const slice = bytes.subarray(pos, pos + n);
    pos += n;
    return slice;
  };
  const tileSize = readU32('tile size');
  if (tileSize !== TILE) throw new RangeError(`the polygon tile size is ${tileSize}, not ${TILE}`);
  readU32('tile rows');
  readU32('tile columns');
  const lengthBytes = readBytes('polygon lengths');
  if (lengthBytes.length % 4 !== 0) throw new RangeError('the polygon lengths are not whole u32 values');
  const lengths: number[] = [];
  const lengthView = new DataView(lengthBytes.buffer, lengthBytes.byteOffset, lengthBytes.byteLength);
  let total = 0;
  for (let i = 0; i < lengthBytes.length; i += 4) {
    const length = lengthView.getUint32(i, true);
    if (length % 2 !== 0) throw new RangeError(`polygon ${i / 4 + 1} has an odd number of coordinates`);
    lengths.push(length);
    total += length;
  }
  const xJumps = decodeOmega(readBytes('x jumps'), 'integers');
  const yJumps = decodeOmega(readBytes('y jumps'), 'integers');
  const runs = decodeOmega(readBytes('tile runs'), 'natural');
  const remainders = readBytes('remainders');
  if (remainders.length !== total) {
    throw new RangeError(
      `the polygons hold ${total / 2} vertices but the data has ${Math.floor(remainders.length / 2)}`,
    );
  }

  const polygons: number[][] = [];
  let index = 0;
  let current: number[] = [];
  const closeFinished = () => {
    while (index < lengths.length && current.length === lengths[index]) {
      polygons.push(current);
      current = [];
      index++;
    }
  };
  closeFinished();
  let tileX = 0;
  let tileY = 0;
  let r = 0;
  const jumps = Math.min(xJumps.length, yJumps.length, runs.length);
  for (let j = 0; j < jumps && r < total; j++) {
    tileX += xJumps[j] as number;
    tileY += yJumps[j] as number;
    for (let k = 0; k < (runs[j] as number) && r < total; k++) {
      current.push(tileX * TILE + (remainders[r] as number), tileY * TILE + (remainders[r + 1] as number));
      r += 2;
      closeFinished();
    }
  }
  if (index < lengths.length) throw new RangeError(`the tile runs end after ${r / 2} of ${total / 2} vertices`);
  return polygons;
}

function u32(value: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value, true);
  return bytes;
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
