/**
 * Anno2 zips (reference §3.7, §9; defined by the SDK's `Encoder.py` and `Decoder.py`), read into and written
 * from the annotation model.
 *
 *   readAnno2(zip, limits)        → { ok: true, anno2: { type, version, numItems, userMetadata, items } } | refusal
 *   readAnno2(zip, limits, { region, masks: 'tiles' })   → the same for drawing (GetScreenshot): mask tiles
 *                                   outside the region are not decoded, and a mask comes back as `masks` tiles
 *   writeAnno2(items, metadata)   → { ok: true, zip, type, numItems } | refusal
 *
 * Reading checks the zip before trusting it: a real zip; safe entry names (no absolute paths, `..`,
 * backslashes or duplicates); `system_metadata.json` with a version below 1.0.0 and a known type; the entries
 * that type needs; and sizes: the declared sizes of all entries, and every brotli, gzip and PNG expansion, count
 * against one byte budget, so a zip bomb is refused before it is expanded. Only the entries a type needs are
 * expanded. Points come back as point items, polygons as polygon items (or brush items when they have holes,
 * `negative_polygons.json`) with their `labels.json` captions, a heatmap as one heatmap item.
 *
 * Writing follows the SDK's layout with entries stored uncompressed: all points → type `points`
 * (`anno1_points.json.br`, which the SDK also writes below 500,000 points); one heatmap → `heatmap`
 * (`heatmap.png`, `heatmap_metadata.json`); polygons, rects, ellipses (40 vertices, as the SDK) and brushes
 * (each negative linked to every positive of its brush, as the SDK) → `polygons` (`polygon_container/…`,
 * `labels.json`). Anno2 holds whole non-negative coordinates: they are rounded and negatives become 0.
 * Polylines, measurement lines and mixes of kinds are refused. Not written: the density lookup PNGs and a
 * separately simplified polygon set (`simpl_encoded_polygons.bin.br` holds the full polygons); readers need
 * neither.
 */
import { brotliCompressSync, brotliDecompressSync, constants, gunzipSync } from 'node:zlib';
import { type UnzipFileInfo, unzipSync, zipSync } from 'fflate';
import { PNG } from 'pngjs';
import { checkAnnotationItems } from '../annotation-answer.js';
import { type AnnotationItem, ellipseToPolygon, type Label, type Point, rectToPolygon } from '../annotation-model.js';
import type { Box } from '../clip-annotations.js';
import type { MaskTile } from '../draw-masks.js';
import { scanPoints } from './points-scan.js';
import { decodePolygons, encodePolygons } from './polygon-codec.js';
import { tileIndexes } from './tile-index.js';

export type Anno2Type = 'points' | 'mask' | 'polygons' | 'heatmap' | 'binary-heatmap';

export interface Anno2 {
  type: Anno2Type;
  version: string;
  /** As the zip declares it (the SDK counts polygons and holes, points, or heatmap cells). */
  numItems: number | undefined;
  /** `user_metadata.json`, parsed; {} when absent. */
  userMetadata: unknown;
  items: AnnotationItem[];
  /** A `mask` read with `masks: 'tiles'`: its bitmap, tile by tile (then `items` is empty). */
  masks?: MaskTile[];
}

export interface Anno2ReadOptions {
  /**
   * Only what may show in this level-0 box is wanted: mask tiles wholly outside it are not decoded, and points
   * of `anno1_points.json.br` outside it are left out (when the file has the SDK's plain layout).
   */
  region?: Box;
  /** `tiles`: a `mask` anno2 comes back as its bitmap tiles, not as one point per set pixel (default `points`). */
  masks?: 'points' | 'tiles';
}

export interface Anno2Limits {
  /** Bytes all entries may expand to, together. */
  maxBytes: number;
  /** Points, polygon vertices or heatmap cells. */
  maxItems: number;
}

export const DEFAULT_ANNO2_LIMITS: Anno2Limits = { maxBytes: 256 * 1024 * 1024, maxItems: 5_000_000 };

export type Anno2Read = { ok: true; anno2: Anno2 } | { ok: false; reason: string };
export type Anno2Write =
  | { ok: true; zip: Uint8Array; type: Anno2Type; numItems: number }
  | { ok: false; reason: string };

const TYPES: readonly Anno2Type[] = ['points', 'mask', 'polygons', 'heatmap', 'binary-heatmap'];
const MASK_TILE = 256;
/** A deflated entry may not expand more than this (real anno2 entries are stored, not deflated). */
const MAX_RATIO = 1000;

/** Thrown inside the reader; becomes the refusal's reason. */
class Refused extends Error {}

export function readAnno2(
  zip: Uint8Array,
  limits: Anno2Limits = DEFAULT_ANNO2_LIMITS,
  options: Anno2ReadOptions = {},
): Anno2Read {
  try {
    return { ok: true, anno2: read(zip, limits, options) };
  } catch (error) {
    if (error instanceof Refused) return { ok: false, reason: error.message };
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: `not a readable anno2 zip (${message.slice(0, 160)})` };
  }
}

function read(zip: Uint8Array, limits: Anno2Limits, options: Anno2ReadOptions): Anno2 {
  if (zip.length < 22 || zip[0] !== 0x50 || zip[1] !== 0x4b) throw new Refused('not a zip file');
  const budget = new ByteBudget(limits.maxBytes);
  const entries = listEntries(zip, budget);
  const system = parseJson(entryBytes(zip, entries, 'system_metadata.json'), 'system_metadata.json');
  if (!isRecord(system)) throw new Refused('system_metadata.json must be a JSON object');
  const version = typeof system.version === 'string' ? system.version : '';
  const major = /^(\d+)\.\d+(\.\d+)?/.exec(version)?.[1];
  if (major === undefined)
    throw new Refused(`system_metadata.json: version "${version.slice(0, 20)}" is not a version number`);
  if (Number(major) >= 1) throw new Refused(`anno2 version ${version} is not supported (below 1.0.0 only)`);
  const type = system.type as Anno2Type;
  if (!TYPES.includes(type))
    throw new Refused(`system_metadata.json: type ${JSON.stringify(system.type)} is not one of ${TYPES.join(', ')}`);
  const numItems = Number.isInteger(system.numItems) ? (system.numItems as number) : undefined;
  const userMetadata = entries.has('user_metadata.json')
    ? parseJson(entryBytes(zip, entries, 'user_metadata.json'), 'user_metadata.json')
    : {};

  if (type === 'points' || type === 'mask') {
    const asTiles = type === 'mask' && options.masks === 'tiles';
    const read = readPoints(zip, entries, budget, limits, options.region, asTiles);
    return { type, version, numItems, userMetadata, ...read };
  }
  const items =
    type === 'polygons' ? readPolygons(zip, entries, budget, limits) : [readHeatmap(zip, entries, budget, limits)];
  return { type, version, numItems, userMetadata, items };
}

class ByteBudget {
  private used = 0;
  constructor(readonly max: number) {}
  /** What is left; throws once the budget is spent. */
  take(n: number, what: string): void {
    this.used += n;
    if (this.used > this.max)
      throw new Refused(
        `${what} expands beyond ${this.max.toLocaleString('en-US')} bytes in all; refused as a possible zip bomb`,
      );
  }
  get left(): number {
    return this.max - this.used;
  }
}

/** The zip's entries by name, after the name and size checks; nothing is expanded yet. */
function listEntries(zip: Uint8Array, budget: ByteBudget): Map<string, UnzipFileInfo> {
  const entries = new Map<string, UnzipFileInfo>();
  unzipSync(zip, {
    filter: (info) => {
      const name = info.name;
      if (
        name.startsWith('/') ||
        name.includes('\\') ||
        name.includes('\0') ||
        /^[a-z]:/i.test(name) ||
        name.split('/').includes('..')
      ) {
        throw new Refused(`the zip entry "${name.slice(0, 80)}" has an unsafe path`);
      }
      if (entries.has(name)) throw new Refused(`the zip holds "${name.slice(0, 80)}" twice`);
      if (info.compression !== 0 && info.compression !== 8) {
        throw new Refused(
          `the zip entry "${name.slice(0, 80)}" uses compression method ${info.compression}; only stored and deflated entries are read`,
        );
      }
      if (info.compression === 8 && info.originalSize > 1024 * 1024 && info.originalSize > info.size * MAX_RATIO) {
        throw new Refused(
          `the zip entry "${name.slice(0, 80)}" expands more than ${MAX_RATIO}×; refused as a possible zip bomb`,
        );
      }
      budget.take(info.originalSize, 'the zip');
      entries.set(name, info);
      return false;
    },
  });
  return entries;
}

function entryBytes(zip: Uint8Array, entries: Map<string, UnzipFileInfo>, name: string): Uint8Array {
  if (!entries.has(name)) throw new Refused(`the zip has no ${name}`);
  const info = entries.get(name) as UnzipFileInfo;
  const files = unzipSync(zip, { filter: (f) => f.name === name });
  const bytes = files[name];
  if (!bytes || bytes.length !== info.originalSize) throw new Refused(`the zip entry ${name} is damaged`);
  return bytes;
}

function brotli(bytes: Uint8Array, name: string, budget: ByteBudget): Uint8Array {
  let out: Buffer;
  try {
    out = brotliDecompressSync(bytes, { maxOutputLength: Math.max(1, budget.left) });
  } catch (error) {
    if (error instanceof RangeError) budget.take(Number.POSITIVE_INFINITY, name);
    throw new Refused(`${name} is not valid brotli data`);
  }
  budget.take(out.length, name);
  return out;
}

function parseJson(bytes: Uint8Array, name: string): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new Refused(`${name} is not valid UTF-8 JSON`);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readPoints(
  zip: Uint8Array,
  entries: Map<string, UnzipFileInfo>,
  budget: ByteBudget,
  limits: Anno2Limits,
  region: Box | undefined,
  asTiles: boolean,
): { items: AnnotationItem[]; masks?: MaskTile[] } {
  if (entries.has('anno1_points.json.br')) {
    const json = brotli(entryBytes(zip, entries, 'anno1_points.json.br'), 'anno1_points.json.br', budget);
    const scanned = scanPoints(json, limits.maxItems);
    if (scanned) {
      const items: AnnotationItem[] = [];
      for (let i = 0; i < scanned.length; i += 2) {
        const x = scanned[i] as number;
        const y = scanned[i + 1] as number;
        if (
          !region ||
          (x >= region.x && y >= region.y && x <= region.x + region.width && y <= region.y + region.height)
        )
          items.push({ type: 'point', x, y });
      }
      return { items };
    }
    const value = parseJson(json, 'anno1_points.json.br');
    const check = checkAnnotationItems('AnnoPoints', value, { maxPoints: limits.maxItems });
    if (!check.ok) throw new Refused(`anno1_points.json.br: ${check.reason}`);
    return { items: (value as { x: number; y: number }[]).map((p) => ({ type: 'point', x: p.x, y: p.y })) };
  }
  if (!entries.has('masks.tar.gz')) throw new Refused('a points anno2 needs anno1_points.json.br or masks.tar.gz');
  let tar: Buffer;
  try {
    tar = gunzipSync(entryBytes(zip, entries, 'masks.tar.gz'), { maxOutputLength: Math.max(1, budget.left) });
  } catch (error) {
    if (error instanceof RangeError) budget.take(Number.POSITIVE_INFINITY, 'masks.tar.gz');
    throw new Refused('masks.tar.gz is not valid gzip data');
  }
  budget.take(tar.length, 'masks.tar.gz');
  const items: AnnotationItem[] = [];
  const masks: MaskTile[] = [];
  for (const { name, data } of tarFiles(tar)) {
    const tile = /^tile_x(-?\d+)_y(-?\d+)\.png$/.exec(name);
    if (!tile) throw new Refused(`masks.tar.gz: "${name.slice(0, 80)}" is not named tile_x<X>_y<Y>.png`);
    // Tiles are square: the SDK places tile (X, Y) at (X, Y) × its width.
    const size = data.length >= 24 ? new DataView(data.buffer, data.byteOffset, 24).getUint32(16) : 0;
    const offsetX = Number(tile[1]) * size;
    const offsetY = Number(tile[2]) * size;
    if (
      region &&
      size > 0 &&
      (offsetX >= region.x + region.width ||
        offsetY >= region.y + region.height ||
        offsetX + size <= region.x ||
        offsetY + size <= region.y)
    ) {
      continue;
    }
    const png = decodePng(data, `masks.tar.gz ${name}`, budget, MASK_TILE * MASK_TILE);
    if (asTiles) {
      const bits = new Uint8Array(png.width * png.height);
      for (let i = 0; i < bits.length; i++) bits[i] = png.data[i * 4] !== 0 ? 1 : 0;
      masks.push({ x: offsetX, y: offsetY, width: png.width, height: png.height, bits });
      continue;
    }
    for (let y = 0; y < png.height; y++) {
      for (let x = 0; x < png.width; x++) {
        if (png.data[(y * png.width + x) * 4] !== 0) {
          if (items.length >= limits.maxItems)
            throw new Refused(`more than ${limits.maxItems.toLocaleString('en-US')} points`);
          items.push({ type: 'point', x: offsetX + x, y: offsetY + y });
        }
      }
    }
  }
  return asTiles ? { items, masks } : { items };
}

/** Regular files of a ustar archive. */
function* tarFiles(tar: Uint8Array): Generator<{ name: string; data: Uint8Array }> {
  const text = new TextDecoder();
  const field = (at: number, length: number) => {
    const bytes = tar.subarray(at, at + length);
    const end = bytes.indexOf(0);
    return text.decode(end < 0 ? bytes : bytes.subarray(0, end));
  };
  let at = 0;
  while (at + 512 <= tar.length) {
    if (tar.subarray(at, at + 512).every((b) => b === 0)) return;
    const name = (tar[at + 345] ? `${field(at + 345, 155)}/` : '') + field(at, 100);
    const size = Number.parseInt(field(at + 124, 12).trim() || '0', 8);
    const kind = String.fromCharCode(tar[at + 156] ?? 0);
    if (!Number.isFinite(size) || size < 0 || at + 512 + size > tar.length)
      throw new Refused('masks.tar.gz is a damaged tar archive');
    if (kind === '0' || kind === '\0') yield { name, data: tar.subarray(at + 512, at + 512 + size) };
    at += 512 + Math.ceil(size / 512) * 512;
  }
}

/** Decodes a PNG after checking its declared size, so a small file cannot claim a huge image. */
function decodePng(bytes: Uint8Array, name: string, budget: ByteBudget, maxPixels: number): PNG {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length < 24 || signature.some((b, i) => bytes[i] !== b)) throw new Refused(`${name} is not a PNG`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  if (width * height > maxPixels)
    throw new Refused(`${name} is ${width}×${height} pixels; at most ${maxPixels.toLocaleString('en-US')} are read`);
  budget.take(width * height * 4, name);
  try {
    return PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (error) {
    throw new Refused(`${name} is not a readable PNG (${error instanceof Error ? error.message.slice(0, 80) : ''})`);
  }
}

function readPolygons(
  zip: Uint8Array,
  entries: Map<string, UnzipFileInfo>,
  budget: ByteBudget,
  limits: Anno2Limits,
): AnnotationItem[] {
  const name = 'polygon_container/encoded_polygons.bin.br';
  let polygons: number[][];
  try {
    polygons = decodePolygons(brotli(entryBytes(zip, entries, name), name, budget));
  } catch (error) {
    if (error instanceof RangeError) throw new Refused(`${name}: ${error.message}`);
    throw error;
  }
  let vertices = 0;
  for (const p of polygons) vertices += p.length / 2;
  if (vertices > limits.maxItems)
    throw new Refused(`more than ${limits.maxItems.toLocaleString('en-US')} polygon vertices`);

  const holes = new Map<number, number[]>();
  const isHole = new Set<number>();
  const holesName = 'polygon_container/negative_polygons.json';
  if (entries.has(holesName)) {
    const value = parseJson(entryBytes(zip, entries, holesName), holesName);
    if (!isRecord(value)) throw new Refused(`${holesName} must map polygon numbers to lists of hole numbers`);
    for (const [key, list] of Object.entries(value)) {
      const positive = Number(key);
      const valid = (n: unknown): n is number =>
        Number.isInteger(n) && (n as number) >= 0 && (n as number) < polygons.length;
      if (!valid(positive) || !Array.isArray(list) || !list.every(valid)) {
        throw new Refused(
          `${holesName}: "${key.slice(0, 20)}" must be a polygon number with a list of polygon numbers`,
        );
      }
      holes.set(positive, list);
      for (const n of list) isHole.add(n);
    }
  }

  const labels = new Map<number, Label[]>();
  if (entries.has('labels.json')) {
    const value = parseJson(entryBytes(zip, entries, 'labels.json'), 'labels.json');
    if (!Array.isArray(value)) throw new Refused('labels.json must be a list of labels');
    value.forEach((raw, i) => {
      const label = labelOf(raw);
      if (!label || !isRecord(raw) || !Number.isInteger(raw.polygon_i)) {
        throw new Refused(`labels.json: label ${i + 1} needs text "label", numbers x and y, and polygon_i`);
      }
      const list = labels.get(raw.polygon_i as number) ?? [];
      list.push(label);
      labels.set(raw.polygon_i as number, list);
    });
  }

  const toPoints = (flat: readonly number[]): Point[] => {
    const points: Point[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) points.push({ x: flat[i] as number, y: flat[i + 1] as number });
    return points;
  };
  const items: AnnotationItem[] = [];
  polygons.forEach((flat, i) => {
    const negatives = holes.get(i);
    if (isHole.has(i) && !negatives) return;
    const item: AnnotationItem = negatives
      ? {
          type: 'brush',
          positivePolygons: [toPoints(flat)],
          negativePolygons: negatives.map((n) => toPoints(polygons[n] as number[])),
        }
      : { type: 'polygon', points: toPoints(flat) };
    const captions = labels.get(i);
    if (captions) item.labels = captions;
    items.push(item);
  });
  return items;
}

function labelOf(raw: unknown): Label | undefined {
  if (!isRecord(raw) || typeof raw.label !== 'string' || !Number.isFinite(raw.x) || !Number.isFinite(raw.y))
    return undefined;
  const label: Label = { label: raw.label, x: raw.x as number, y: raw.y as number };
  const whenToShow = raw.whenToShow ?? raw.whentoshow;
  const fontSize = raw.fontSize ?? raw.fontsize;
  if (typeof whenToShow === 'string') label.whenToShow = whenToShow;
  if (typeof fontSize === 'number' && fontSize > 0) label.fontSize = fontSize;
  return label;
}

function readHeatmap(
  zip: Uint8Array,
  entries: Map<string, UnzipFileInfo>,
  budget: ByteBudget,
  limits: Anno2Limits,
): AnnotationItem {
  const meta = parseJson(entryBytes(zip, entries, 'heatmap_metadata.json'), 'heatmap_metadata.json');
  if (!isRecord(meta) || !Number.isFinite(meta.x) || !Number.isFinite(meta.y) || !(Number(meta.sizePerPixel) > 0)) {
    throw new Refused('heatmap_metadata.json needs numbers x, y and sizePerPixel > 0');
  }
  const png = decodePng(entryBytes(zip, entries, 'heatmap.png'), 'heatmap.png', budget, limits.maxItems);
  const values = new Uint8Array(png.width * png.height);
  for (let i = 0; i < values.length; i++) values[i] = png.data[i * 4] as number;
  const sizePerPixel = meta.sizePerPixel as number;
  return {
    type: 'heatmap',
    x: meta.x as number,
    y: meta.y as number,
    height: png.height * sizePerPixel,
    rows: png.height,
    columns: png.width,
    values,
  };
}

// --- writing ---

export function writeAnno2(items: readonly AnnotationItem[], userMetadata: unknown = {}): Anno2Write {
  if (items.length === 0) return { ok: false, reason: 'nothing to convert: the answer is empty' };
  const kinds = new Set(
    items.map((i) => (i.type === 'point' ? 'points' : i.type === 'heatmap' ? 'heatmap' : 'shapes')),
  );
  if (kinds.size > 1)
    return { ok: false, reason: `anno2 holds one kind of item; this answer mixes ${[...kinds].join(' and ')}` };
  const files: Record<string, Uint8Array> = {};
  const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value, null, 2));
  const br = (bytes: Uint8Array) =>
    new Uint8Array(brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 8 } }));
  let type: Anno2Type;
  let numItems: number;

  if (kinds.has('points')) {
    type = 'points';
    numItems = items.length;
    const points = items.map((p) => ({ x: whole((p as Point).x), y: whole((p as Point).y) }));
    files['anno1_points.json.br'] = br(new TextEncoder().encode(JSON.stringify(points)));
  } else if (kinds.has('heatmap')) {
    if (items.length > 1) return { ok: false, reason: 'anno2 holds one heatmap; this answer has several' };
    const heatmap = items[0] as Extract<AnnotationItem, { type: 'heatmap' }>;
    type = 'heatmap';
    numItems = heatmap.values.length;
    const png = new PNG({
      width: heatmap.columns,
      height: heatmap.rows,
      colorType: 0,
      inputColorType: 0,
      bitDepth: 8,
      inputHasAlpha: false,
    });
    png.data = Buffer.from(heatmap.values);
    files['heatmap.png'] = new Uint8Array(
      PNG.sync.write(png, { colorType: 0, inputColorType: 0, bitDepth: 8, inputHasAlpha: false }),
    );
    files['heatmap_metadata.json'] = json({ x: heatmap.x, y: heatmap.y, sizePerPixel: heatmap.height / heatmap.rows });
  } else {
    const polygons: number[][] = [];
    const holes: Record<string, number[]> = {};
    const labels: (Label & { polygon_i: number })[] = [];
    const flat = (points: readonly Point[]) => points.flatMap((p) => [whole(p.x), whole(p.y)]);
    for (const item of items) {
      let rings: Point[][];
      let negatives: Point[][] = [];
      switch (item.type) {
        case 'polygon':
          rings = [item.points];
          break;
        case 'rect':
          rings = [rectToPolygon(item)];
          break;
        case 'ellipse':
          rings = [ellipseToPolygon(item, 40)];
          break;
        case 'brush':
          rings = item.positivePolygons;
          negatives = item.negativePolygons;
          break;
        default:
          return {
            ok: false,
            reason: `a ${item.type} cannot be stored in anno2, which holds closed polygons, points or one heatmap`,
          };
      }
      // Empty polygons draw nothing, and the SDK's reader cannot step over them.
      const positives: number[] = [];
      for (const ring of rings) if (ring.length > 0) positives.push(polygons.push(flat(ring)) - 1);
      for (const ring of negatives) {
        if (ring.length === 0 || positives.length === 0) continue;
        const hole = polygons.push(flat(ring)) - 1;
        for (const p of positives) {
          const list = holes[String(p)] ?? [];
          list.push(hole);
          holes[String(p)] = list;
        }
      }
      const first = positives[0];
      if (first !== undefined) for (const label of item.labels ?? []) labels.push({ ...label, polygon_i: first });
    }
    if (polygons.length === 0) return { ok: false, reason: 'nothing to convert: every polygon is empty' };
    type = 'polygons';
    numItems = polygons.length;
    const encoded = br(encodePolygons(polygons));
    const index = tileIndexes(polygons);
    files['polygon_container/tile_polygons_i.msgpack.br'] = br(index.all);
    files['polygon_container/big_tile_polygons_i.msgpack.br'] = br(index.big);
    files['polygon_container/encoded_polygons.bin.br'] = encoded;
    files['polygon_container/simpl_encoded_polygons.bin.br'] = encoded;
    files['polygon_container/negative_polygons.json'] = json(holes);
    if (labels.length > 0) files['labels.json'] = json(labels);
  }
  const zip = zipSync(
    {
      'system_metadata.json': json({ version: '0.2.0', type, numItems }),
      'user_metadata.json': json(userMetadata ?? {}),
      ...files,
    },
    { level: 0 },
  );
  return { ok: true, zip, type, numItems };
}

function whole(v: number): number {
  return Math.max(0, Math.round(v));
}
