import { fieldProblem } from '../limits/field-limits.js';
import { isEmailAddress } from '../study-config/emails-file.js';
import { quoted } from './quoted.js';
import { columnIndex, LAST_MODIFIED_COLUMN, TSV_COLUMNS, type TsvColumn, type TsvLayout } from './results-layouts.js';

/** One answer read from an UploadResults body. Image, name and TMA fields are present only where they apply. */
export interface UploadedRow {
  /** 1-based line number in the uploaded text (the header is line 1). */
  line: number;
  caseName?: string;
  imageId?: number;
  /** Informational: images are matched by ID. */
  imageName?: string;
  /** The `By` column: an email address, as written (users are matched ignoring case). */
  user: string;
  tmaRow?: number;
  tmaCol?: number;
  tmaSampleId?: string;
  question: string;
  /** Exactly as written, tabs included; only the line ending is removed. */
  answer: string;
}

export type RowOutcome = { ok: true; row: UploadedRow } | { ok: false; line: number; reason: string };

/**
 * Reads an UploadResults body one row at a time:
 * - the first line is a header and is ignored, whatever it holds (empty, `#header`, a real header), except that
 *   a header ending in a `lastModifiedOn` column says every row ends with one, which is dropped;
 * - lines end with `\n`, `\r\n` or `\r`; blank lines are skipped;
 * - each row is one of the five layouts of reference §5.1, told apart by where the `By` email and the numeric
 *   ImageID sit (see {@link classify}); the answer is everything after the columns before it, tabs included;
 * - a CaseName of `None` (written by SDK 1.2.x for "no case") or empty means no case.
 * Work is linear in the text: lines are found with one scan, and a row is cut at most 9 times.
 */
const TRAILING_DATE_HEADER = new RegExp(`(?:^|\t)\\s*${LAST_MODIFIED_COLUMN}\\s*$`, 'i');

export function* readUploadedRows(text: string): Generator<RowOutcome> {
  const lines = textLines(text);
  const header = lines.next();
  if (header.done) return;
  const trailingDate = TRAILING_DATE_HEADER.test(header.value.text);
  for (const line of lines) {
    if (!/\S/.test(line.text)) continue;
    yield readRow(line.text, line.number, trailingDate);
  }
}

/** Every row of the body, and one message per bad line (`line 7: …`), in line order. */
export function parseUploadedResults(text: string): { rows: UploadedRow[]; errors: string[] } {
  const rows: UploadedRow[] = [];
  const errors: string[] = [];
  for (const outcome of readUploadedRows(text)) {
    if (outcome.ok) rows.push(outcome.row);
    else errors.push(`line ${outcome.line}: ${outcome.reason}`);
  }
  return { rows, errors };
}

function* textLines(text: string): Generator<{ number: number; text: string }> {
  const ends = /\r\n|\r|\n/g;
  let start = 0;
  let number = 0;
  for (let end = ends.exec(text); end; end = ends.exec(text)) {
    yield { number: ++number, text: text.slice(start, end.index) };
    start = end.index + end[0].length;
  }
  if (start < text.length) yield { number: ++number, text: text.slice(start) };
}

const EXPECTED = 'expected 4, 5, 6, 8 or 9 tab-separated columns';
// The widest layout has 9 columns; a 10th cell holds the rest of the line, tabs and all.
const MAX_CELLS = 10;

function readRow(line: string, number: number, trailingDate: boolean): RowOutcome {
  let body = line;
  if (trailingDate) {
    const tab = body.lastIndexOf('\t');
    if (tab < 0)
      return { ok: false, line: number, reason: `no ${LAST_MODIFIED_COLUMN} column, which the header names` };
    body = body.slice(0, tab);
  }
  const cells = splitCells(body);
  const layout = classify(cells);
  if (layout === 'caseTwice') return readCaseTwice(cells, number);
  if (!layout) return { ok: false, line: number, reason: explainMismatch(cells, trailingDate) };
  const read = buildRow(layout, cells);
  if ('reason' in read) return { ok: false, line: number, reason: read.reason };
  const tooLong = fieldsProblem(read);
  return tooLong ? { ok: false, line: number, reason: tooLong } : { ok: true, row: { line: number, ...read } };
}

/** The first field of a row beyond its limits (docs/api.md "Input limits"), or undefined. */
function fieldsProblem(row: RowFields): string | undefined {
  return (
    fieldProblem('email', row.user, 'By') ??
    fieldProblem('name', row.question, 'Question') ??
    fieldProblem('answer', row.answer, 'Answer') ??
    (row.caseName === undefined ? undefined : fieldProblem('name', row.caseName, 'CaseName')) ??
    (row.imageName === undefined ? undefined : fieldProblem('name', row.imageName, 'Image Name'))
  );
}

function splitCells(line: string): string[] {
  const cells: string[] = [];
  let start = 0;
  while (cells.length < MAX_CELLS - 1) {
    const tab = line.indexOf('\t', start);
    if (tab < 0) break;
    cells.push(line.slice(start, tab));
    start = tab + 1;
  }
  cells.push(line.slice(start));
  return cells;
}

function columnCount(cells: readonly string[]): number {
  if (cells.length < MAX_CELLS) return cells.length;
  const rest = cells[MAX_CELLS - 1] ?? '';
  let tabs = 0;
  for (let i = rest.indexOf('\t'); i >= 0; i = rest.indexOf('\t', i + 1)) tabs++;
  return MAX_CELLS + tabs;
}

const WHOLE = /^\d+$/;
const cell = (cells: readonly string[], index: number): string => (index < 0 ? '' : (cells[index] ?? '').trim());
const at = (layout: TsvLayout, cells: readonly string[], column: TsvColumn) => cell(cells, columnIndex(layout, column));

// Rows whose column count is exactly a layout's are tried first; then rows whose answer holds tabs, the
// layouts with more signals (TMA columns) first.
const EXACT_ORDER: readonly TsvLayout[] = ['slide', 'slideTma', 'caseSlide', 'caseSlideTma', 'case'];
const WIDER_ORDER: readonly TsvLayout[] = ['slideTma', 'caseSlideTma', 'slide', 'caseSlide', 'case'];

/**
 * The layout a row is written in (reference §5.3: column count, then whether the ImageID column holds a whole
 * number), or undefined. A layout fits when its `By` column holds an `@`, its ImageID column a whole number
 * (or, in case layouts, nothing: a case-level answer) and its TMA Row and Col columns whole numbers or both
 * nothing. `caseTwice` is the current SDK's case-level row, which repeats the case name: `Case\tCase\tBy\t…`.
 */
function classify(cells: readonly string[]): TsvLayout | 'caseTwice' | undefined {
  for (const layout of EXACT_ORDER) {
    if (cells.length === TSV_COLUMNS[layout].length && fits(layout, cells)) return layout;
  }
  for (const layout of WIDER_ORDER) {
    if (cells.length > TSV_COLUMNS[layout].length && fits(layout, cells)) return layout;
  }
  const name = cell(cells, 0);
  const twice = cells.length >= 5 && name !== '' && name !== 'None' && name === cell(cells, 1);
  return twice && cell(cells, 2).includes('@') ? 'caseTwice' : undefined;
}

function fits(layout: TsvLayout, cells: readonly string[]): boolean {
  return fitMismatch(layout, cells) === undefined;
}

/** Why a row does not fit a layout's signals (see {@link classify}), or undefined when it fits. */
function fitMismatch(layout: TsvLayout, cells: readonly string[]): string | undefined {
  const hasCase = columnIndex(layout, 'CaseName') >= 0;
  if (columnIndex(layout, 'ImageID') >= 0) {
    const image = at(layout, cells, 'ImageID');
    if (!WHOLE.test(image) && !(hasCase && image === '')) {
      return `${label(layout, 'ImageID')} ${quoted(image)} is not a whole number`;
    }
  }
  const user = at(layout, cells, 'By');
  if (!user.includes('@')) return `${label(layout, 'By')} ${quoted(user)} is not an email address`;
  if (columnIndex(layout, 'TMA Row') >= 0) {
    const row = at(layout, cells, 'TMA Row');
    const col = at(layout, cells, 'TMA Col');
    if (!(WHOLE.test(row) && WHOLE.test(col)) && !(row === '' && col === '')) {
      return `${label(layout, 'TMA Row')} and ${label(layout, 'TMA Col')} must be whole numbers, or both empty`;
    }
  }
  return undefined;
}

function label(layout: TsvLayout, column: TsvColumn): string {
  return `column ${columnIndex(layout, column) + 1} (${column})`;
}

function explainMismatch(cells: readonly string[], trailingDate: boolean): string {
  const count = columnCount(cells);
  const counted = `${count} column${count === 1 ? '' : 's'}${trailingDate ? ` before ${LAST_MODIFIED_COLUMN}` : ''}`;
  const layout = EXACT_ORDER.find((l) => TSV_COLUMNS[l].length === count);
  if (!layout) return `${counted}; ${EXPECTED}`;
  return `${counted} (${TSV_COLUMNS[layout].join(', ')}), but ${fitMismatch(layout, cells)}`;
}

type RowFields = Omit<UploadedRow, 'line'>;

/** The row's fields, checked beyond the layout signals; the layout is known to fit. */
function buildRow(layout: TsvLayout, cells: readonly string[]): RowFields | { reason: string } {
  const user = at(layout, cells, 'By');
  const badUser = fieldProblem('email', user, 'By');
  if (badUser) return { reason: badUser };
  if (!isEmailAddress(user)) return { reason: `${label(layout, 'By')} ${quoted(user)} is not an email address` };
  const question = at(layout, cells, 'Question');
  if (question === '') return { reason: `${label(layout, 'Question')} is empty` };
  const answer = cells.slice(TSV_COLUMNS[layout].length - 1).join('\t');
  const row: RowFields = { user, question, answer };

  const caseName = at(layout, cells, 'CaseName');
  if (caseName !== '' && caseName !== 'None') row.caseName = caseName;

  const image = columnIndex(layout, 'ImageID') >= 0 ? at(layout, cells, 'ImageID') : '';
  // The SDK writes ImageID 0 for case-level answers it downloaded (their imageID is null).
  if (image !== '' && image !== '0') {
    const imageId = Number(image);
    if (!Number.isSafeInteger(imageId)) return { reason: `${label(layout, 'ImageID')} ${quoted(image)} is too large` };
    row.imageId = imageId;
    row.imageName = at(layout, cells, 'Image Name');
  } else if (row.caseName === undefined) {
    return {
      reason:
        image === '0' && columnIndex(layout, 'CaseName') < 0
          ? `${label(layout, 'ImageID')} is 0, which names no image; a case-level answer needs the CaseName column`
          : 'a case-level answer (no ImageID) needs a CaseName',
    };
  }

  if (columnIndex(layout, 'TMA Row') >= 0) {
    const tma = readTmaCells(layout, cells, row.imageId !== undefined);
    if ('reason' in tma) return tma;
    Object.assign(row, tma);
  }
  return row;
}

function readTmaCells(
  layout: TsvLayout,
  cells: readonly string[],
  hasImage: boolean,
): Pick<UploadedRow, 'tmaRow' | 'tmaCol' | 'tmaSampleId'> | { reason: string } {
  const row = at(layout, cells, 'TMA Row');
  const col = at(layout, cells, 'TMA Col');
  const sample = at(layout, cells, 'TMA Sample');
  if (row === '') {
    return sample === '' ? {} : { reason: `${label(layout, 'TMA Sample')} is given without TMA Row and TMA Col` };
  }
  if (!hasImage) return { reason: 'a TMA core needs an ImageID' };
  const tmaRow = Number(row);
  const tmaCol = Number(col);
  if (!Number.isSafeInteger(tmaRow) || !Number.isSafeInteger(tmaCol))
    return { reason: 'TMA Row or TMA Col is too large' };
  return { tmaRow, tmaCol, tmaSampleId: sample };
}

function readCaseTwice(cells: readonly string[], line: number): RowOutcome {
  const user = cell(cells, 2);
  const question = cell(cells, 3);
  const badUser = fieldProblem('email', user, 'By');
  if (badUser) return { ok: false, line, reason: badUser };
  if (!isEmailAddress(user))
    return { ok: false, line, reason: `column 3 (By) ${quoted(user)} is not an email address` };
  if (question === '') return { ok: false, line, reason: 'column 4 (Question) is empty' };
  const answer = cells.slice(4).join('\t');
  const fields: RowFields = { caseName: cell(cells, 0), user, question, answer };
  const tooLong = fieldsProblem(fields);
  return tooLong ? { ok: false, line, reason: tooLong } : { ok: true, row: { line, ...fields } };
}
