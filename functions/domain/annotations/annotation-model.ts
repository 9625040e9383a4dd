/**
 * THE annotation model: what an AnnoPoints, AnnoShapes or AnnoMeasure answer holds (reference §6), as typed
 * items. Every reader and writer of annotations goes through it: UploadResults, ASAP XML in and out, anno2, the
 * screenshot renderer, the viewer and QuPath.
 *
 *   parseAnnotationAnswer(type, text)  → { ok: true, items } | { ok: false, reason }   (one checker: the validator)
 *   formatAnnotationAnswer(items)      → the answer text clients read; formatAnswerChunks(items) yields it in ~64 KB pieces
 *   answerByteLength(items)            → its exact UTF-8 size without building it (DynamoDB item or S3?)
 *   boundsOf(items) / itemBounds(item) → level-0 bounding box
 *   ellipseToPolygon(item, n)          → the vertices of an ellipse, for writers and renderers that need polygons
 *
 * An answer is `AnnotationItem[]`. Points are `{type: 'point'}` items here, but are written without a `type`
 * (clients tell points from shapes by its absence), so an answer is an AnnoPoints answer when it holds only
 * points, and an AnnoShapes one when it holds none. Parsing normalizes the spellings clients use (`rectangle` →
 * `rect`, `whentoshow`/`fontsize` → `whenToShow`/`fontSize`); keys we do not know are kept in `extra` and
 * written back, so a client's own fields survive a parse and format. Heatmap values are one Uint8Array,
 * row-major, so large heatmaps cost a byte a cell. Coordinates are level-0 pixels.
 */
import { type AnnotationLimits, type AnnotationQuestionType, parseAnnotationJson } from './annotation-answer.js';

export interface Point {
  x: number;
  y: number;
}

/** An on-slide caption of a shape. */
export interface Label {
  label: string;
  x: number;
  y: number;
  whenToShow?: string;
  fontSize?: number;
}

/** Fields any typed shape may carry besides its geometry. */
export interface ShapeFields {
  /** Display text such as "370 um2", or a number. */
  area?: string | number;
  /** The same, for measurements. */
  length?: string | number;
  /** ISO time text. */
  modifiedOn?: string;
  color?: string;
  labels?: Label[];
  /** Keys the model does not know, kept as sent. */
  extra?: Record<string, unknown>;
}

export interface PointItem extends Point {
  type: 'point';
  color?: string;
  extra?: Record<string, unknown>;
}

export interface PolygonItem extends ShapeFields {
  type: 'polygon';
  points: Point[];
}

/** An open line (QuPath line ROIs). */
export interface PolylineItem extends ShapeFields {
  type: 'polyline';
  points: Point[];
}

/** Filled polygons; the negatives are holes cut from the positives that contain them. */
export interface BrushItem extends ShapeFields {
  type: 'brush';
  positivePolygons: Point[][];
  negativePolygons: Point[][];
}

/** Axis-aligned; `size` holds the semi-axes (radii). */
export interface EllipseItem extends ShapeFields {
  type: 'ellipse';
  center: Point;
  size: Point;
}

/** `corner` is the top-left; `size` is width and height. */
export interface RectItem extends ShapeFields {
  type: 'rect';
  corner: Point;
  size: Point;
}

/**
 * A grid of 0..255 values placed at (x, y), `height` level-0 pixels tall: each cell is height / rows pixels
 * square. `values` holds rows × columns bytes, row after row.
 */
export interface HeatmapItem extends ShapeFields {
  type: 'heatmap';
  x: number;
  y: number;
  height: number;
  rows: number;
  columns: number;
  values: Uint8Array;
}

/** A two-point measurement (AnnoMeasure only); `measure` is read as `line`. */
export interface LineItem extends ShapeFields {
  type: 'line';
  points: [Point, Point];
}

export type ShapeItem = PolygonItem | PolylineItem | BrushItem | EllipseItem | RectItem | HeatmapItem | LineItem;
export type AnnotationItem = PointItem | ShapeItem;

export type AnnotationParse = { ok: true; items: AnnotationItem[] } | { ok: false; reason: string };

export interface Bounds {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/**
 * Reads an answer text into the model. The text is checked by the one validator first (same reasons, same
 * limits), so anything UploadResults accepts parses, and nothing it refuses does.
 */
export function parseAnnotationAnswer(
  type: AnnotationQuestionType,
  text: string,
  limits?: AnnotationLimits,
): AnnotationParse {
  const parsed = parseAnnotationJson(type, text, limits);
  if (!parsed.ok) return parsed;
  const items = (parsed.value as Record<string, unknown>[]).map(toItem);
  return { ok: true, items };
}

/** The answer text clients expect: a JSON array, points without a `type`. */
export function formatAnnotationAnswer(items: readonly AnnotationItem[]): string {
  return [...formatAnswerChunks(items)].join('');
}

/** The same text in pieces of about 64 KB (or one large item), so a large answer can be streamed, not built. */
export function* formatAnswerChunks(items: readonly AnnotationItem[]): Generator<string> {
  let buffer = '[';
  for (let i = 0; i < items.length; i++) {
    buffer += (i > 0 ? ',' : '') + JSON.stringify(toJson(items[i] as AnnotationItem));
    if (buffer.length >= CHUNK) {
      yield buffer;
      buffer = '';
    }
  }
  yield `${buffer}]`;
}

const CHUNK = 64 * 1024;

/** The exact UTF-8 byte length of formatAnnotationAnswer(items), without holding the whole text. */
export function answerByteLength(items: readonly AnnotationItem[]): number {
  let bytes = 0;
  for (const chunk of formatAnswerChunks(items)) bytes += Buffer.byteLength(chunk, 'utf8');
  return bytes;
}

/** The level-0 box around one item (labels excluded), or undefined when it has no coordinates. */
export function itemBounds(item: AnnotationItem): Bounds | undefined {
  switch (item.type) {
    case 'point':
      return { minX: item.x, minY: item.y, maxX: item.x, maxY: item.y };
    case 'polygon':
    case 'polyline':
    case 'line':
      return pointsBounds(item.points);
    case 'brush':
      return mergeBounds(item.positivePolygons.map(pointsBounds));
    case 'ellipse':
      return {
        minX: item.center.x - item.size.x,
        minY: item.center.y - item.size.y,
        maxX: item.center.x + item.size.x,
        maxY: item.center.y + item.size.y,
      };
    case 'rect':
      return {
        minX: item.corner.x,
        minY: item.corner.y,
        maxX: item.corner.x + item.size.x,
        maxY: item.corner.y + item.size.y,
      };
    case 'heatmap': {
      const cell = item.height / item.rows;
      return { minX: item.x, minY: item.y, maxX: item.x + item.columns * cell, maxY: item.y + item.height };
    }
  }
}

/** The level-0 box around all items, or undefined when none has coordinates. */
export function boundsOf(items: readonly AnnotationItem[]): Bounds | undefined {
  return mergeBounds(items.map(itemBounds));
}

/** Every {x, y} of an answer, counted as the validator counts them (a heatmap cell is one point). */
export function countPoints(items: readonly AnnotationItem[]): number {
  let n = 0;
  for (const item of items) {
    switch (item.type) {
      case 'point':
        n += 1;
        break;
      case 'brush':
        for (const p of item.positivePolygons) n += p.length;
        for (const p of item.negativePolygons) n += p.length;
        break;
      case 'ellipse':
      case 'rect':
        n += 2;
        break;
      case 'heatmap':
        n += item.values.length;
        break;
      default:
        n += item.points.length;
    }
  }
  return n;
}

/** The ellipse as a closed polygon of n vertices (not repeating the first), clockwise on screen from 3 o'clock. */
export function ellipseToPolygon(item: Pick<EllipseItem, 'center' | 'size'>, n = 64): Point[] {
  const points: Point[] = [];
  for (let i = 0; i < n; i++) {
    const angle = (2 * Math.PI * i) / n;
    points.push({ x: item.center.x + item.size.x * Math.cos(angle), y: item.center.y + item.size.y * Math.sin(angle) });
  }
  return points;
}

/** The four corners of a rect, clockwise on screen from the top-left. */
export function rectToPolygon(item: Pick<RectItem, 'corner' | 'size'>): Point[] {
  const { x, y } = item.corner;
  return [
    { x, y },
    { x: x + item.size.x, y },
    { x: x + item.size.x, y: y + item.size.y },
    { x, y: y + item.size.y },
  ];
}

function pointsBounds(points: readonly Point[]): Bounds | undefined {
  if (points.length === 0) return undefined;
  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (const p of points) {
    if (p.x < minX) minX = p.x;
    if (p.x > maxX) maxX = p.x;
    if (p.y < minY) minY = p.y;
    if (p.y > maxY) maxY = p.y;
  }
  return { minX, minY, maxX, maxY };
}

function mergeBounds(all: readonly (Bounds | undefined)[]): Bounds | undefined {
  let merged: Bounds | undefined;
  for (const b of all) {
    if (!b) continue;
    if (!merged) merged = { ...b };
    else {
      merged.minX = Math.min(merged.minX, b.minX);
      merged.minY = Math.min(merged.minY, b.minY);
      merged.maxX = Math.max(merged.maxX, b.maxX);
      merged.maxY = Math.max(merged.maxY, b.maxY);
    }
  }
  return merged;
}

// --- JSON ↔ model. The input was validated, so fields have the right types here. ---

const COMMON_KEYS = ['area', 'length', 'modifiedOn', 'color', 'labels'];
const GEOMETRY_KEYS: Record<string, readonly string[]> = {
  point: ['x', 'y', 'color'],
  polygon: ['type', 'points'],
  polyline: ['type', 'points'],
  line: ['type', 'points'],
  measure: ['type', 'points'],
  brush: ['type', 'positivePolygons', 'negativePolygons'],
  ellipse: ['type', 'center', 'size'],
  rect: ['type', 'corner', 'size'],
  rectangle: ['type', 'corner', 'size'],
  heatmap: ['type', 'x', 'y', 'height', 'data'],
};

/** The keys an item of a kind has a field for, one set per kind (made once: answers hold millions of points). */
const KNOWN_KEYS = new Map<string, ReadonlySet<string>>();
function knownKeys(kind: string): ReadonlySet<string> {
  let known = KNOWN_KEYS.get(kind);
  if (!known) {
    known = new Set([...(GEOMETRY_KEYS[kind] ?? []), ...(kind === 'point' ? [] : COMMON_KEYS)]);
    if (Object.hasOwn(GEOMETRY_KEYS, kind) || kind === 'point') KNOWN_KEYS.set(kind, known);
  }
  return known;
}

function toItem(json: Record<string, unknown>): AnnotationItem {
  // The common case first, without allocating: a point with just x and y (answers hold millions of them).
  if (json.type === undefined) {
    let keys = 0;
    for (const key in json) {
      if (key !== 'x' && key !== 'y') {
        keys = -1;
        break;
      }
      keys++;
    }
    if (keys === 2) return { type: 'point', x: json.x as number, y: json.y as number };
  }
  const kind = typeof json.type === 'string' ? json.type : 'point';
  const known = knownKeys(kind);
  const extra: Record<string, unknown> = {};
  let hasExtra = false;
  for (const key of Object.keys(json)) {
    if (!known.has(key)) {
      // defineProperty, not assignment: a "__proto__" key must stay a plain key.
      Object.defineProperty(extra, key, { value: json[key], enumerable: true, writable: true, configurable: true });
      hasExtra = true;
    }
  }
  const withExtra = <T extends object>(item: T): T => (hasExtra ? { ...item, extra } : item);
  if (kind === 'point') {
    const point: PointItem = { type: 'point', x: json.x as number, y: json.y as number };
    if (isPresent(json.color)) point.color = json.color as string;
    return withExtra(point);
  }
  const fields = shapeFields(json);
  switch (kind) {
    case 'polygon':
    case 'polyline':
      return withExtra({ type: kind, points: pointsOf(json.points), ...fields });
    case 'line':
    case 'measure':
      return withExtra({ type: 'line', points: pointsOf(json.points) as [Point, Point], ...fields });
    case 'brush':
      return withExtra({
        type: 'brush',
        positivePolygons: (json.positivePolygons as unknown[]).map(pointsOf),
        negativePolygons: isPresent(json.negativePolygons) ? (json.negativePolygons as unknown[]).map(pointsOf) : [],
        ...fields,
      });
    case 'ellipse':
      return withExtra({ type: 'ellipse', center: pointOf(json.center), size: pointOf(json.size), ...fields });
    case 'rect':
    case 'rectangle':
      return withExtra({ type: 'rect', corner: pointOf(json.corner), size: pointOf(json.size), ...fields });
    default: {
      const data = json.data as number[][];
      const columns = (data[0] as number[]).length;
      const values = new Uint8Array(data.length * columns);
      for (let r = 0; r < data.length; r++) values.set(data[r] as number[], r * columns);
      return withExtra({
        type: 'heatmap',
        x: json.x as number,
        y: json.y as number,
        height: json.height as number,
        rows: data.length,
        columns,
        values,
        ...fields,
      });
    }
  }
}

function isPresent(value: unknown): boolean {
  return value !== undefined && value !== null;
}

function pointOf(value: unknown): Point {
  const p = value as Point;
  return { x: p.x, y: p.y };
}

function pointsOf(value: unknown): Point[] {
  return (value as Point[]).map(pointOf);
}

function shapeFields(json: Record<string, unknown>): ShapeFields {
  const fields: ShapeFields = {};
  if (isPresent(json.area)) fields.area = json.area as string | number;
  if (isPresent(json.length)) fields.length = json.length as string | number;
  if (isPresent(json.modifiedOn)) fields.modifiedOn = json.modifiedOn as string;
  if (isPresent(json.color)) fields.color = json.color as string;
  if (isPresent(json.labels)) fields.labels = (json.labels as Record<string, unknown>[]).map(labelOf);
  return fields;
}

function labelOf(json: Record<string, unknown>): Label {
  const label: Label = { label: json.label as string, x: json.x as number, y: json.y as number };
  const whenToShow = json.whenToShow ?? json.whentoshow;
  const fontSize = json.fontSize ?? json.fontsize;
  if (isPresent(whenToShow)) label.whenToShow = whenToShow as string;
  if (isPresent(fontSize)) label.fontSize = fontSize as number;
  return label;
}

/** The JSON object of one item, in the key order clients write. */
function toJson(item: AnnotationItem): Record<string, unknown> {
  if (item.type === 'point') {
    const json: Record<string, unknown> = { x: item.x, y: item.y };
    if (item.color !== undefined) json.color = item.color;
    return item.extra ? { ...item.extra, ...json } : json;
  }
  let json: Record<string, unknown>;
  switch (item.type) {
    case 'polygon':
    case 'polyline':
    case 'line':
      json = { type: item.type, points: item.points.map(pointOf) };
      break;
    case 'brush':
      json = {
        type: 'brush',
        positivePolygons: item.positivePolygons.map(pointsOf),
        negativePolygons: item.negativePolygons.map(pointsOf),
      };
      break;
    case 'ellipse':
      json = { type: 'ellipse', center: pointOf(item.center), size: pointOf(item.size) };
      break;
    case 'rect':
      json = { type: 'rect', corner: pointOf(item.corner), size: pointOf(item.size) };
      break;
    case 'heatmap': {
      const data: number[][] = [];
      for (let r = 0; r < item.rows; r++) {
        data.push(Array.from(item.values.subarray(r * item.columns, (r + 1) * item.columns)));
      }
      json = { type: 'heatmap', x: item.x, y: item.y, height: item.height, data };
      break;
    }
  }
  if (item.area !== undefined) json.area = item.area;
  if (item.length !== undefined) json.length = item.length;
  if (item.modifiedOn !== undefined) json.modifiedOn = item.modifiedOn;
  if (item.color !== undefined) json.color = item.color;
  if (item.labels !== undefined) json.labels = item.labels.map((l) => ({ ...l }));
  return item.extra ? { ...item.extra, ...json } : json;
}
