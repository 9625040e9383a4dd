import {
  checkPoint,
  checkPointList,
  checkPolygonList,
  checkSize,
  isFiniteNumber,
  isGiven,
  isRecord,
  type PointBudget,
  type Refusal,
} from './geometry-checks.js';

/** Checks the type-specific fields of one typed item. */
type ShapeCheck = (item: Record<string, unknown>, budget: PointBudget) => Refusal;

const polygon: ShapeCheck = (item, budget) => checkPointList(item.points, 'points', budget);

/** Negative polygons are holes; a brush without any may leave the key out. */
const brush: ShapeCheck = (item, budget) =>
  checkPolygonList(item.positivePolygons, 'positivePolygons', budget) ??
  (isGiven(item.negativePolygons) ? checkPolygonList(item.negativePolygons, 'negativePolygons', budget) : undefined);

/** `size` holds the semi-axes (radii), so both must be ≥ 0. */
const ellipse: ShapeCheck = (item, budget) =>
  checkPoint(item.center, 'center', budget) ?? checkSize(item.size, 'size (the semi-axes)', budget);

const rect: ShapeCheck = (item, budget) =>
  checkPoint(item.corner, 'corner', budget) ?? checkSize(item.size, 'size (width and height)', budget);

/** Rows of 0..255 values, all of one length, placed at (x, y) and `height` level-0 pixels tall. */
const heatmap: ShapeCheck = (item, budget) => {
  if (!isFiniteNumber(item.x) || !isFiniteNumber(item.y)) return 'x and y (the top-left offset) must be numbers';
  if (!isFiniteNumber(item.height) || item.height <= 0) return 'height must be a number > 0';
  const rows = item.data;
  if (!Array.isArray(rows) || rows.length === 0) return 'data must be a non-empty array of rows [[0..255, …], …]';
  const first: unknown = rows[0];
  const width = Array.isArray(first) ? first.length : 0;
  for (let r = 0; r < rows.length; r++) {
    const row: unknown = rows[r];
    if (!Array.isArray(row) || row.length === 0) return `data row ${r + 1} must be a non-empty array of 0..255`;
    if (row.length !== width) return `data row ${r + 1} has ${row.length} values; row 1 has ${width}`;
    if (!budget.take(row.length)) return budget.refusal;
    for (let c = 0; c < row.length; c++) {
      const v: unknown = row[c];
      if (!Number.isInteger(v) || (v as number) < 0 || (v as number) > 255) {
        return `data row ${r + 1}, value ${c + 1} must be a whole number 0..255`;
      }
    }
  }
  return undefined;
};

/** A measurement line: exactly two end points (our choice; Slide Score's AnnoMeasure format is unknown). */
const line: ShapeCheck = (item, budget) => {
  const refusal = checkPointList(item.points, 'points', budget);
  if (refusal) return refusal;
  const count = (item.points as unknown[]).length;
  return count === 2 ? undefined : `a measurement line needs exactly 2 points, not ${count}`;
};

// Maps, not object literals: a `type` of "constructor" or "__proto__" must not find Object.prototype members.
const SHAPES = new Map<string, ShapeCheck>([
  ['polygon', polygon],
  ['brush', brush],
  ['ellipse', ellipse],
  ['rect', rect],
  ['rectangle', rect],
  ['heatmap', heatmap],
  ['polyline', polygon],
]);

const MEASURES = new Map<string, ShapeCheck>([...SHAPES, ['line', line], ['measure', line]]);

/** The item types an answer to an AnnoShapes or AnnoMeasure question may hold, with their checks. */
export function shapeChecksFor(questionType: 'AnnoShapes' | 'AnnoMeasure'): ReadonlyMap<string, ShapeCheck> {
  return questionType === 'AnnoMeasure' ? MEASURES : SHAPES;
}

/**
 * The optional fields any typed item may carry: `area` (display text such as "370 um2", or a number),
 * `length` (the same, for measurements), `modifiedOn` (ISO text), `color` and on-slide `labels`.
 * Unknown keys are allowed: clients add their own.
 */
export function checkCommonFields(item: Record<string, unknown>, budget: PointBudget): Refusal {
  for (const key of ['area', 'length'] as const) {
    const value = item[key];
    if (isGiven(value) && typeof value !== 'string' && !isFiniteNumber(value)) return `${key} must be text or a number`;
  }
  for (const key of ['modifiedOn', 'color'] as const) {
    if (isGiven(item[key]) && typeof item[key] !== 'string') return `${key} must be text`;
  }
  return isGiven(item.labels) ? checkLabels(item.labels, budget) : undefined;
}

/** `[{label, x, y, whenToShow|whentoshow, fontSize|fontsize}]`; readers accept both spellings of the last two. */
function checkLabels(labels: unknown, budget: PointBudget): Refusal {
  if (!Array.isArray(labels)) return 'labels must be an array [{"label": …, "x": …, "y": …}, …]';
  if (!budget.take(labels.length)) return budget.refusal;
  for (let i = 0; i < labels.length; i++) {
    const label: unknown = labels[i];
    const what = `label ${i + 1}`;
    if (!isRecord(label)) return `${what} must be an object {"label": …, "x": …, "y": …}`;
    if (typeof label.label !== 'string') return `${what} needs its text in "label"`;
    if (!isFiniteNumber(label.x) || !isFiniteNumber(label.y)) return `${what} needs finite numbers x and y`;
    for (const key of ['whenToShow', 'whentoshow'] as const) {
      if (isGiven(label[key]) && typeof label[key] !== 'string') return `${what}: ${key} must be text`;
    }
    for (const key of ['fontSize', 'fontsize'] as const) {
      const size = label[key];
      if (isGiven(size) && (!isFiniteNumber(size) || size <= 0)) return `${what}: ${key} must be a number > 0`;
    }
  }
  return undefined;
}
