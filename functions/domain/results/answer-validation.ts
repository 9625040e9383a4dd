import { anno2Reference } from '../annotations/anno2/anno2-answer.js';
import {
  type AnnotationLimits,
  DEFAULT_ANNOTATION_LIMITS,
  validateAnnotationAnswer,
} from '../annotations/annotation-answer.js';
import type { Question } from '../questions/question-types.js';
import { type NumericRange, numericRange, readDecimal, readWholeNumber } from './answer-numbers.js';
import { listOptions, matchOption, optionsOf, readTicked } from './answer-options.js';
import { readHScore, readIntensity, readPercentage, readPositiveNegative, type ScaleAnswer } from './answer-scales.js';
import { quoted } from './quoted.js';

/**
 * Whether an answer fits its question. `normalized` is given when the answer should be stored in another form
 * (a decimal comma made a point, an option in its configured spelling…); otherwise the answer is stored as sent.
 */
export type AnswerCheck = { ok: true; normalized?: string } | { ok: false; reason: string };

const OK: AnswerCheck = { ok: true };

/**
 * Checks an answer text against its question's type and configuration (`valuesAllowed`). The rules per type are
 * listed in docs/results.md; where Slide Score's format is unknown they are our choices. The reason names the
 * answer but not the question or line: callers add those.
 */
export function validateAnswer(
  question: Question,
  answer: string,
  limits: AnnotationLimits = DEFAULT_ANNOTATION_LIMITS,
): AnswerCheck {
  switch (question.type) {
    case 'FreeText':
      return OK;
    case 'Explanation':
      // It shows its configured text to the scorer and asks nothing.
      return answer.trim() === '' ? OK : refuse('an Explanation question takes no answer; leave it empty');
    case 'Integer':
      return checkNumber(answer, readWholeNumber(answer), 'a whole number', numericRange(question.valuesAllowed));
    case 'Real':
      return checkNumber(answer, readDecimal(answer), 'a number', numericRange(question.valuesAllowed));
    case 'Percentage':
    case 'PercentageOnly':
      return fromScale(answer, readPercentage(answer));
    case 'PositiveNegative':
    case 'PositiveNegativeOnly':
      return fromScale(answer, readPositiveNegative(answer));
    case 'Intensities':
    case 'IntensitiesOnly':
      return fromScale(answer, readIntensity(answer));
    case 'HScore':
    case 'HScoreOnly':
      return fromScale(answer, readHScore(answer));
    case 'DropDown':
    case 'ClickFriendly':
    case 'ClickFriendlyOnly':
    case 'ClickFriendlyPollOnly':
      return checkOption(answer, optionsOf(question.valuesAllowed));
    case 'Checkbox':
      return checkTicked(answer, optionsOf(question.valuesAllowed));
    case 'AnnoPoints':
    case 'AnnoShapes':
      // A reference to an anno2 zip (CreateAnno2, ConvertAnnotationToAnno2) stands for the whole answer.
      if (anno2Reference(answer) !== undefined) return OK;
      return checkAnnotation(question.type, answer, limits);
    case 'AnnoMeasure':
      return checkAnnotation(question.type, answer, limits);
  }
}

function checkAnnotation(
  type: 'AnnoPoints' | 'AnnoShapes' | 'AnnoMeasure',
  answer: string,
  limits: AnnotationLimits,
): AnswerCheck {
  const check = validateAnnotationAnswer(type, answer, limits);
  return check.ok ? OK : refuse(check.reason);
}

function refuse(reason: string): AnswerCheck {
  return { ok: false, reason };
}

/** OK, with the stored form when it differs from the answer. */
function accept(answer: string, stored: string): AnswerCheck {
  return stored === answer ? OK : { ok: true, normalized: stored };
}

function checkNumber(
  answer: string,
  read: { value: number; text: string } | undefined,
  kind: string,
  range: NumericRange | undefined,
): AnswerCheck {
  if (!read) return refuse(`${quoted(answer)} is not ${kind}`);
  if (range && (read.value < range.min || read.value > range.max)) {
    return refuse(`${quoted(answer)} is not between ${range.min} and ${range.max}`);
  }
  return accept(answer, read.text);
}

function fromScale(answer: string, read: ScaleAnswer): AnswerCheck {
  return 'reason' in read ? refuse(`${quoted(answer)} ${read.reason}`) : accept(answer, read.stored);
}

const NO_OPTIONS = 'the question lists no options (its valuesAllowed is empty)';

function checkOption(answer: string, options: readonly string[]): AnswerCheck {
  if (options.length === 0) return refuse(NO_OPTIONS);
  const option = matchOption(answer, options);
  return option === undefined
    ? refuse(`${quoted(answer)} is not one of ${listOptions(options)}`)
    : accept(answer, option);
}

/** Nothing ticked is an answer too, even when the question lists no options. */
function checkTicked(answer: string, options: readonly string[]): AnswerCheck {
  const ticked = readTicked(answer, options);
  if (!('reason' in ticked)) return accept(answer, ticked.stored);
  return refuse(options.length === 0 ? NO_OPTIONS : `${quoted(answer)}: ${ticked.reason}`);
}
