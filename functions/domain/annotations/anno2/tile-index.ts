/**
 * The anno2 tile index (`tile_polygons_i.msgpack` and `big_tile_polygons_i.msgpack`): for each 256-px tile a
 * polygon's bounding box touches, the polygon's index, as MessagePack
 * `{tileY: {tileX: {"isTypedArray": true, "bytes": <u32 LE>, "type": "uint32", "len": n}}}` with integer keys,
 * as the SDK writes it. Only the web viewer reads it; we write it so our zips have the SDK's layout. A small
 * writer of our own: the npm MessagePack library writes map keys as strings only.
 */
import { concat } from './polygon-codec.js';

const TILE = 256;
/** A polygon whose box covers more than this many square pixels is also listed as "big" (SDK's cutoff). */
const BIG_POLYGON_AREA = 100 * 100;

export function tileIndexes(polygons: readonly (readonly number[])[]): { all: Uint8Array; big: Uint8Array } {
  const all = new Map<number, Map<number, number[]>>();
  const big = new Map<number, Map<number, number[]>>();
  polygons.forEach((polygon, index) => {
    if (polygon.length < 2) return;
    let minX = Number.POSITIVE_INFINITY;
    let minY = Number.POSITIVE_INFINITY;
    let maxX = Number.NEGATIVE_INFINITY;
    let maxY = Number.NEGATIVE_INFINITY;
    for (let i = 0; i + 1 < polygon.length; i += 2) {
      minX = Math.min(minX, polygon[i] as number);
      maxX = Math.max(maxX, polygon[i] as number);
      minY = Math.min(minY, polygon[i + 1] as number);
      maxY = Math.max(maxY, polygon[i + 1] as number);
    }
    const isBig = (maxX - minX) * (maxY - minY) > BIG_POLYGON_AREA;
    for (let ty = Math.floor(minY / TILE); ty <= Math.floor(maxY / TILE); ty++) {
      for (let tx = Math.floor(minX / TILE); tx <= Math.floor(maxX / TILE); tx++) {
        add(all, ty, tx, index);
        if (isBig) add(big, ty, tx, index);
      }
    }
  });
  return { all: writeIndex(all), big: writeIndex(big) };
}

function add(index: Map<number, Map<number, number[]>>, ty: number, tx: number, polygon: number): void {
  const row = index.get(ty) ?? new Map<number, number[]>();
  index.set(ty, row);
  const list = row.get(tx) ?? [];
  row.set(tx, list);
  list.push(polygon);
}

function writeIndex(index: Map<number, Map<number, number[]>>): Uint8Array {
  const parts: Uint8Array[] = [mapHeader(index.size)];
  for (const [ty, row] of index) {
    parts.push(int(ty), mapHeader(row.size));
    for (const [tx, list] of row) {
      const bytes = new Uint8Array(list.length * 4);
      const view = new DataView(bytes.buffer);
      for (let i = 0; i < list.length; i++) view.setUint32(i * 4, list[i] as number, true);
      parts.push(int(tx), mapHeader(4), str('isTypedArray'), Uint8Array.of(0xc3), str('bytes'), bin(bytes));
      parts.push(str('type'), str('uint32'), str('len'), int(list.length));
    }
  }
  return concat(parts);
}

function mapHeader(size: number): Uint8Array {
  if (size < 16) return Uint8Array.of(0x80 | size);
  if (size < 0x10000) return Uint8Array.of(0xde, size >> 8, size & 255);
  return withU32(0xdf, size);
}

function int(v: number): Uint8Array {
  if (v >= 0 && v < 128) return Uint8Array.of(v);
  if (v < 0 && v >= -32) return Uint8Array.of(v & 0xff);
  if (v >= 0 && v < 256) return Uint8Array.of(0xcc, v);
  if (v >= 0 && v < 0x10000) return Uint8Array.of(0xcd, v >> 8, v & 255);
  if (v >= 0) return withU32(0xce, v);
  const bytes = new Uint8Array(5);
  bytes[0] = 0xd2;
  new DataView(bytes.buffer).setInt32(1, v);
  return bytes;
}

function str(s: string): Uint8Array {
  const bytes = new TextEncoder().encode(s);
  return concat([Uint8Array.of(0xa0 | bytes.length), bytes]); // only short fixed keys are written
}

function bin(bytes: Uint8Array): Uint8Array {
  if (bytes.length < 256) return concat([Uint8Array.of(0xc4, bytes.length), bytes]);
  if (bytes.length < 0x10000) return concat([Uint8Array.of(0xc5, bytes.length >> 8, bytes.length & 255), bytes]);
  return concat([withU32(0xc6, bytes.length), bytes]);
}

function withU32(tag: number, v: number): Uint8Array {
  const bytes = new Uint8Array(5);
  bytes[0] = tag;
  new DataView(bytes.buffer).setUint32(1, v);
  return bytes;
}
