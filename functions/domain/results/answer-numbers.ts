/**
 * Numbers in answers. Slide Score's number formats are unknown; ours: optional sign, digits, a decimal point or a
 * decimal comma (spreadsheets in much of Europe write `3,5`), and an exponent (`1e-05`, as Python prints small
 * floats). No thousands separators, no `NaN` or `Infinity`.
 */

const DECIMAL = /^[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?$/;
const WHOLE = /^[+-]?\d+(?:[.,]0*)?$/;

export interface ReadNumber {
  value: number;
  /** The text as stored: trimmed, without a leading `+`, with a decimal point. */
  text: string;
}

/** A decimal number, or undefined. */
export function readDecimal(answer: string): ReadNumber | undefined {
  const trimmed = answer.trim();
  if (!DECIMAL.test(trimmed)) return undefined;
  const text = trimmed.replace(',', '.').replace(/^\+/, '');
  const value = Number(text);
  return Number.isFinite(value) ? { value, text } : undefined;
}

/** A whole number (`7`, `-3`, also `7.0`), stored in its plain form (`7`), or undefined. */
export function readWholeNumber(answer: string): ReadNumber | undefined {
  const trimmed = answer.trim();
  if (!WHOLE.test(trimmed)) return undefined;
  const value = Number(trimmed.replace(/[.,]0*$/, ''));
  return Number.isSafeInteger(value) ? { value, text: String(value) } : undefined;
}

export interface NumericRange {
  min: number;
  max: number;
}

const RANGE = /^\s*(-?\d+(?:\.\d+)?)\s*(?:;|-|\.\.)\s*(-?\d+(?:\.\d+)?)\s*$/;

/**
 * The bounds an Integer or Real question sets in its configuration, when the configuration is exactly two
 * numbers as `min;max`, `min-max` or `min..max` with min ≤ max (our choice: Slide Score's format is unknown).
 * Anything else sets no bounds, so a configuration we do not understand never refuses answers.
 */
export function numericRange(valuesAllowed: string): NumericRange | undefined {
  const match = RANGE.exec(valuesAllowed);
  if (!match) return undefined;
  const min = Number(match[1]);
  const max = Number(match[2]);
  return min <= max ? { min, max } : undefined;
}
