import { isFiniteNumber, isGiven, isRecord, PointBudget, type Refusal } from './geometry-checks.js';
import { checkCommonFields, shapeChecksFor } from './shape-checks.js';

/** The question types whose answers are annotation JSON (reference §6). */
export type AnnotationQuestionType = 'AnnoPoints' | 'AnnoShapes' | 'AnnoMeasure';

export interface AnnotationLimits {
  /** Every {x, y}, label and heatmap cell of one answer counts as one point. */
  maxPoints: number;
}

/** About 65 MB of JSON text: far above any real answer, low enough to keep one check within memory. */
export const DEFAULT_ANNOTATION_LIMITS: AnnotationLimits = { maxPoints: 5_000_000 };

export type AnnotationCheck = { ok: true; items: number; points: number } | { ok: false; reason: string };

/**
 * Whether an answer text is a valid annotation for a question of the given type:
 * - AnnoPoints: `[{"x": 1, "y": 2}, …]`, items without a `type` key (clients tell points from shapes by it);
 * - AnnoShapes: typed items (polygon, brush, ellipse, rect/rectangle, heatmap, polyline), mixed freely;
 * - AnnoMeasure: what AnnoShapes takes plus two-point `line`/`measure` items (our choice; format unknown).
 * `[]` is a valid, empty answer. The text is kept as sent; this only says yes or no, with a precise reason.
 * The work is linear in the text and never recursive, whatever the nesting of the input.
 */
export function validateAnnotationAnswer(
  type: AnnotationQuestionType,
  text: string,
  limits: AnnotationLimits = DEFAULT_ANNOTATION_LIMITS,
): AnnotationCheck {
  const parsed = parseAnnotationJson(type, text, limits);
  return parsed.ok ? { ok: true, items: parsed.items, points: parsed.points } : parsed;
}

/** The check of validateAnnotationAnswer, also handing back the parsed JSON (for the annotation model). */
export function parseAnnotationJson(
  type: AnnotationQuestionType,
  text: string,
  limits: AnnotationLimits = DEFAULT_ANNOTATION_LIMITS,
): { ok: true; items: number; points: number; value: unknown[] } | { ok: false; reason: string } {
  const start = text.trimStart();
  if (start === '') return { ok: false, reason: 'empty; an annotation answer with nothing drawn is []' };
  // Refuse non-arrays before parsing, so a large object or string is not built for nothing.
  if (!start.startsWith('[')) return { ok: false, reason: notAnArray(type) };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: `not valid JSON (${message.slice(0, 160)})` };
  }
  const check = checkAnnotationItems(type, value, limits);
  return check.ok ? { ...check, value: value as unknown[] } : check;
}

/** The same check for an answer that is already parsed. */
export function checkAnnotationItems(
  type: AnnotationQuestionType,
  value: unknown,
  limits: AnnotationLimits = DEFAULT_ANNOTATION_LIMITS,
): AnnotationCheck {
  if (!Array.isArray(value)) return { ok: false, reason: notAnArray(type) };
  const budget = new PointBudget(limits.maxPoints);
  if (!budget.take(value.length)) return { ok: false, reason: budget.refusal };
  const checkItem = type === 'AnnoPoints' ? checkPointItem : checkShapeItem(type);
  for (let i = 0; i < value.length; i++) {
    const refusal = checkItem(value[i], i + 1, budget);
    if (refusal) return { ok: false, reason: refusal };
  }
  return { ok: true, items: value.length, points: budget.count };
}

function notAnArray(type: AnnotationQuestionType): string {
  const example = type === 'AnnoPoints' ? '[{"x": 10, "y": 20}]' : '[{"type": "polygon", "points": [...]}]';
  return `an ${type} answer is a JSON array, such as [] or ${example}`;
}

/** Items were counted once already; a point item takes no further budget. */
function checkPointItem(item: unknown, n: number): Refusal {
  if (!isRecord(item)) return `item ${n} must be a point {"x": …, "y": …}`;
  // Even "type": null: readers test `'type' in item` to tell shapes from points.
  if (Object.hasOwn(item, 'type')) {
    return `item ${n} has a "type"; points carry none (typed shapes belong to an AnnoShapes question)`;
  }
  if (!isFiniteNumber(item.x) || !isFiniteNumber(item.y)) {
    return `item ${n} needs finite numbers x and y, as {"x": 10, "y": 20}`;
  }
  if (isGiven(item.color) && typeof item.color !== 'string') {
    return `item ${n}: color must be text`;
  }
  return undefined;
}

function checkShapeItem(type: 'AnnoShapes' | 'AnnoMeasure') {
  const checks = shapeChecksFor(type);
  const known = [...checks.keys()].join(', ');
  return (item: unknown, n: number, budget: PointBudget): Refusal => {
    if (!isRecord(item)) return `item ${n} must be an object with a "type" (${known})`;
    const shape = item.type;
    if (typeof shape !== 'string') {
      return `item ${n} needs a "type" (${known}); untyped {"x", "y"} items belong to an AnnoPoints question`;
    }
    const check = checks.get(shape);
    if (!check) return `item ${n}: unknown type ${JSON.stringify(shape.slice(0, 40))}; expected one of ${known}`;
    const refusal = check(item, budget) ?? checkCommonFields(item, budget);
    return refusal && `item ${n} (${shape}): ${refusal}`;
  };
}
