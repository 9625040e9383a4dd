import { type ReadNumber, readDecimal } from './answer-numbers.js';

/**
 * Answers on the fixed scales of pathology scoring. Slide Score's stored forms for these are unknown
 * (reference §6); these are our choices, documented in docs/results.md.
 */

export type ScaleAnswer = { stored: string } | { reason: string };

/** A percentage 0..100, decimals allowed, with or without a trailing `%` (stored without it). */
export function readPercentage(answer: string): ScaleAnswer {
  const read = readDecimal(answer.trim().replace(/\s*%$/, ''));
  if (!read) return { reason: 'is not a percentage (a number 0..100)' };
  return read.value >= 0 && read.value <= 100 ? { stored: read.text } : { reason: 'is not between 0 and 100' };
}

/** `positive` or `negative`, in any case, stored as written (trimmed). */
export function readPositiveNegative(answer: string): ScaleAnswer {
  const trimmed = answer.trim();
  return /^(?:positive|negative)$/i.test(trimmed) ? { stored: trimmed } : { reason: 'is not "positive" or "negative"' };
}

const INTENSITIES = new Map<string, string>([
  ['0', '0'],
  ['0+', '0'],
  ['negative', '0'],
  ['1', '1+'],
  ['1+', '1+'],
  ['weak', '1+'],
  ['2', '2+'],
  ['2+', '2+'],
  ['moderate', '2+'],
  ['3', '3+'],
  ['3+', '3+'],
  ['strong', '3+'],
]);

/** A staining intensity, stored as `0`, `1+`, `2+` or `3+`; bare digits and the words negative/weak/moderate/strong are read too. */
export function readIntensity(answer: string): ScaleAnswer {
  const stored = INTENSITIES.get(answer.trim().toLowerCase());
  return stored === undefined ? { reason: 'is not an intensity: 0, 1+, 2+ or 3+' } : { stored };
}

// Parts may not add up to exactly 100 after rounding each; allow the error of a few 0.1 % roundings.
const SUM_TOLERANCE = 0.5;

/**
 * An H-score: either the score itself, a number 0..300, or the percentages of cells per intensity joined by `;`:
 * three (`1+;2+;3+`) summing to at most 100, or four (`0;1+;2+;3+`) summing to 100. Stored as given, with
 * decimal points.
 */
export function readHScore(answer: string): ScaleAnswer {
  const parts = answer.split(';');
  if (parts.length === 1) {
    const score = readDecimal(answer);
    if (!score) return { reason: 'is not an H-score (0..300, or percentages per intensity as 1+;2+;3+)' };
    return score.value >= 0 && score.value <= 300 ? { stored: score.text } : { reason: 'is not between 0 and 300' };
  }
  if (parts.length !== 3 && parts.length !== 4) {
    return { reason: 'has neither 3 (1+;2+;3+) nor 4 (0;1+;2+;3+) percentages' };
  }
  const read: ReadNumber[] = [];
  for (const part of parts) {
    const percentage = readDecimal(part);
    if (!percentage || percentage.value < 0 || percentage.value > 100) {
      return { reason: 'has a part that is not a percentage 0..100' };
    }
    read.push(percentage);
  }
  const sum = read.reduce((total, p) => total + p.value, 0);
  if (sum > 100 + SUM_TOLERANCE) return { reason: `has percentages summing to ${sum}, more than 100` };
  if (parts.length === 4 && sum < 100 - SUM_TOLERANCE)
    return { reason: `has 4 percentages summing to ${sum}, not 100` };
  return { stored: read.map((p) => p.text).join(';') };
}
