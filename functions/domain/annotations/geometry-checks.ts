/**
 * Checks of the geometric building blocks of annotation answers (reference §6): points, point lists and lists
 * of polygons. Each check returns the reason a value is refused, or undefined when it is fine, so callers can
 * prefix the reason with where the value sits ("item 3 (polygon): point 2 …").
 */

/** The reason a value is refused, or undefined when it is fine. */
export type Refusal = string | undefined;

/**
 * Counts coordinates over one answer (every {x, y}, label and heatmap cell counts as one) so that a runaway
 * answer is refused before its checks cost unbounded time. Array lengths are taken before their items are
 * looked at, so a huge array is refused without walking it.
 */
export class PointBudget {
  private used = 0;

  constructor(readonly max: number) {}

  /** Takes n more; false once the answer holds more than the maximum. */
  take(n: number): boolean {
    this.used += n;
    return this.used <= this.max;
  }

  get count(): number {
    return this.used;
  }

  get refusal(): string {
    return `more than ${this.max.toLocaleString('en-US')} points in one answer; split it over several answers or simplify the shapes`;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** True when the field is present with a value (JSON null counts as absent, as Python clients write None). */
export function isGiven(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/** A point `{"x": …, "y": …}` with finite numbers; other keys are allowed. */
export function checkPoint(value: unknown, what: string, budget: PointBudget): Refusal {
  if (!budget.take(1)) return budget.refusal;
  if (isRecord(value) && isFiniteNumber(value.x) && isFiniteNumber(value.y)) return undefined;
  return `${what} needs finite numbers x and y, as {"x": 10, "y": 20}`;
}

/** A point whose x and y must also be ≥ 0 (sizes and semi-axes). */
export function checkSize(value: unknown, what: string, budget: PointBudget): Refusal {
  const refusal = checkPoint(value, what, budget);
  if (refusal) return refusal;
  const size = value as { x: number; y: number };
  return size.x >= 0 && size.y >= 0 ? undefined : `${what} needs x ≥ 0 and y ≥ 0`;
}

/**
 * An array of points. Any length is accepted, even fewer than a polygon needs: exports of Slide Score itself
 * hold such degenerate polygons (the NKI parser warns "Invalid polygon" and skips them), and refusing them
 * would make a re-upload of a real export fail.
 */
export function checkPointList(value: unknown, what: string, budget: PointBudget): Refusal {
  if (!Array.isArray(value)) return `${what} must be an array of points [{"x": …, "y": …}, …]`;
  if (!budget.take(value.length)) return budget.refusal;
  for (let i = 0; i < value.length; i++) {
    const point: unknown = value[i];
    if (!isRecord(point) || !isFiniteNumber(point.x) || !isFiniteNumber(point.y)) {
      return `${what}, point ${i + 1} needs finite numbers x and y, as {"x": 10, "y": 20}`;
    }
  }
  return undefined;
}

/** An array of point arrays (the positive or negative polygons of a brush). */
export function checkPolygonList(value: unknown, what: string, budget: PointBudget): Refusal {
  if (!Array.isArray(value)) return `${what} must be an array of polygons [[{"x": …, "y": …}, …], …]`;
  for (let i = 0; i < value.length; i++) {
    const refusal = checkPointList(value[i], `${what} polygon ${i + 1}`, budget);
    if (refusal) return refusal;
  }
  return undefined;
}
