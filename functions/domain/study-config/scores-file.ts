import { checkField } from '../limits/field-limits.js';
import {
  isAnnotationType,
  isSelectionType,
  type Question,
  type QuestionType,
  questionTypeNamed,
} from '../questions/question-types.js';
import { type Parsed, ProblemLog } from './problems.js';
import { appendUnique } from './property-lines.js';
import { contentLines, joinLines, oneLine } from './text-lines.js';

/**
 * Colours given to annotation questions that have none, in this order, skipping colours the file already uses.
 * The first is the one the Slide Score SDK examples use; the rest are well-separated colours visible on H&E.
 */
export const DEFAULT_ANNOTATION_COLOURS = [
  '#e6194b',
  '#3cb44b',
  '#4363d8',
  '#f58231',
  '#911eb4',
  '#42d4f4',
  '#f032e6',
  '#000075',
  '#9a6324',
  '#800000',
  '#469990',
  '#808000',
] as const;

const COLOUR = /^#[0-9a-fA-F]{6}$/;

/**
 * Reads `study.<name>.scores`: one question per line, `name`, `type`, then the type's configuration. A line
 * with a TAB is TAB-separated (as the SDK writes it); otherwise it is `name;type;configuration`, the
 * configuration being everything after the second `;` so `;;`-separated options survive. A line with an
 * error is skipped; a repeated question name (ignoring case) is an error on the later line.
 */
export function parseScoresFile(fileName: string, text: string): Parsed<Question[]> {
  const log = new ProblemLog(fileName);
  const read: { question: Question; needsColour: boolean; line: number }[] = [];
  const firstLine = new Map<string, number>();
  for (const line of contentLines(text, log)) {
    const result = readQuestionLine(line.text);
    if ('error' in result) {
      log.error(line.number, `${result.error}; line skipped`);
      continue;
    }
    const key = result.question.name.toLowerCase();
    const earlier = firstLine.get(key);
    if (earlier !== undefined) {
      log.error(line.number, `question "${result.question.name}" is already on line ${earlier}; line skipped`);
      continue;
    }
    firstLine.set(key, line.number);
    for (const warning of result.warnings) log.warning(line.number, warning);
    read.push({ ...result, line: line.number });
  }
  const used = read.flatMap(({ question, needsColour }) =>
    isAnnotationType(question.type) && !needsColour ? [colourOf(question)] : [],
  );
  for (const entry of read) {
    if (entry.needsColour) giveDefaultColour(entry.question, used, (reason) => log.warning(entry.line, reason));
  }
  return { value: read.map((entry) => entry.question), problems: log.problems };
}

export interface QuestionSpecOptions {
  /** Colours of the study's annotation questions, so a question without colour gets a different one. */
  usedColours?: readonly string[];
}

/** Reads one `.scores` line, as AddQuestion and UpdateQuestion receive it in `questionSpec`. */
export function parseQuestionSpec(text: string, options: QuestionSpecOptions = {}): Parsed<Question | undefined> {
  const log = new ProblemLog('questionSpec');
  const lines = contentLines(text, log);
  const [line, second] = lines;
  if (!line || second) {
    if (log.problems.length === 0) {
      const where = second?.number ?? 1;
      log.error(where, line ? 'questionSpec must be a single line' : 'questionSpec is empty');
    }
    return { value: undefined, problems: log.problems };
  }
  const result = readQuestionLine(line.text);
  if ('error' in result) {
    log.error(line.number, result.error);
    return { value: undefined, problems: log.problems };
  }
  for (const warning of result.warnings) log.warning(line.number, warning);
  if (result.needsColour) {
    const used = (options.usedColours ?? []).map((colour) => colour.toLowerCase());
    giveDefaultColour(result.question, used, (reason) => log.warning(line.number, reason));
  }
  return { value: result.question, problems: log.problems };
}

/** One `.scores` line, TAB-separated as the SDK writes it; without configuration, no trailing TAB. */
export function writeQuestionSpec(question: Question): string {
  const fields = [oneLine(question.name), question.type];
  const configuration = oneLine(question.valuesAllowed);
  if (configuration !== '') fields.push(configuration);
  return fields.join('\t');
}

export function writeScoresFile(questions: readonly Question[]): string {
  return joinLines(questions.map(writeQuestionSpec));
}

type QuestionLine = { question: Question; needsColour: boolean; warnings: string[] } | { error: string };

function readQuestionLine(text: string): QuestionLine {
  const fields = splitQuestionLine(text);
  if (!fields) return { error: 'expected "name<TAB>type<TAB>configuration" or "name;type;configuration"' };
  const name = fields.name.trim();
  if (name === '') return { error: 'the question has no name' };
  const badName = checkField('name', name);
  if (badName) return { error: `question name: ${badName}` };
  const badConfiguration = checkField('freeText', fields.configuration);
  if (badConfiguration) return { error: `question configuration: ${badConfiguration}` };
  if (fields.type.trim() === '') return { error: `question "${name}" has no type` };
  const type = questionTypeNamed(fields.type);
  if (!type) return { error: `unknown question type "${fields.type.trim()}"` };
  const configuration = fields.configuration.trim();
  if (isSelectionType(type)) return readOptions(name, type, configuration);
  if (isAnnotationType(type)) return readAnnotation(name, type, configuration);
  return { question: { name, type, valuesAllowed: configuration }, needsColour: false, warnings: [] };
}

function splitQuestionLine(text: string): { name: string; type: string; configuration: string } | undefined {
  const separator = text.includes('\t') ? '\t' : ';';
  const first = text.indexOf(separator);
  if (first < 0) return undefined;
  const second = text.indexOf(separator, first + 1);
  return {
    name: text.slice(0, first),
    type: second < 0 ? text.slice(first + 1) : text.slice(first + 1, second),
    configuration: second < 0 ? '' : text.slice(second + 1),
  };
}

/** Options are separated by `;;`; a single `;` (or any run of them) is accepted too, and stored as `;;`. */
function readOptions(name: string, type: QuestionType, configuration: string): QuestionLine {
  const written = configuration
    .split(/;+/)
    .map((option) => option.trim())
    .filter((option) => option !== '');
  if (written.length === 0) return { error: `${type} question "${name}" needs at least one option` };
  const options: string[] = [];
  appendUnique(options, written);
  const warnings = options.length < written.length ? [`repeated options of "${name}" were dropped`] : [];
  return { question: { name, type, valuesAllowed: options.join(';;') }, needsColour: false, warnings };
}

/** The colour is the first `;`-separated part; the rest is kept as written. */
function readAnnotation(name: string, type: QuestionType, configuration: string): QuestionLine {
  const semicolon = configuration.indexOf(';');
  const colour = (semicolon < 0 ? configuration : configuration.slice(0, semicolon)).trim();
  const rest = semicolon < 0 ? '' : configuration.slice(semicolon);
  if (colour !== '' && !COLOUR.test(colour)) {
    return { error: `colour "${colour}" of annotation question "${name}" must be #rrggbb, e.g. #e6194b` };
  }
  return { question: { name, type, valuesAllowed: colour + rest }, needsColour: colour === '', warnings: [] };
}

function colourOf(question: Question): string {
  return (question.valuesAllowed.split(';')[0] ?? '').toLowerCase();
}

/** Puts the first unused default colour in front of the configuration; `used` grows with it. */
function giveDefaultColour(question: Question, used: string[], warn: (reason: string) => void): void {
  const free = DEFAULT_ANNOTATION_COLOURS.find((colour) => !used.includes(colour));
  const colour = free ?? DEFAULT_ANNOTATION_COLOURS[used.length % DEFAULT_ANNOTATION_COLOURS.length] ?? '#e6194b';
  used.push(colour);
  question.valuesAllowed = colour + question.valuesAllowed;
  warn(`annotation question "${question.name}" has no colour; it gets ${colour}`);
}
