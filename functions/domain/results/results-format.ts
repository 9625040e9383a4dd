import {
  columnIndex,
  LAST_MODIFIED_COLUMN,
  type LayoutNeeds,
  TSV_COLUMNS,
  type TsvColumn,
  type TsvLayout,
  tsvLayoutFor,
} from './results-layouts.js';

/**
 * One stored answer as the Scores endpoint returns it. A row is about an image (`imageId`), possibly a TMA core
 * of it (`tmaRow` and `tmaCol` come together), possibly in a case; or about a case only (no `imageId`).
 */
export interface ScoreRow {
  id: number;
  imageId?: number;
  imageName?: string;
  caseName?: string;
  user: string;
  question: string;
  answer: string;
  tmaRow?: number;
  tmaCol?: number;
  tmaSampleId?: string;
  /** ISO 8601. */
  lastModifiedOn: string;
}

/**
 * An item of the Scores JSON array (reference §5.2). `caseName` and the three TMA keys are absent, never null,
 * where they do not apply: clients test `'tmaRow' in item` and call `int()` on the value.
 */
export interface ScoreJson {
  id: number;
  /** Null for a case-level answer. */
  imageID: number | null;
  imageName: string;
  caseName?: string;
  user: string;
  tmaRow?: number;
  tmaCol?: number;
  tmaSampleID?: string;
  question: string;
  answer: string;
  lastModifiedOn: string;
}

export function scoreJson(row: ScoreRow): ScoreJson {
  const core = tmaCore(row);
  return {
    id: row.id,
    imageID: row.imageId ?? null,
    imageName: row.imageId === undefined ? '' : (row.imageName ?? ''),
    ...(row.caseName !== undefined ? { caseName: row.caseName } : {}),
    user: row.user,
    ...(core ? { tmaRow: core.row, tmaCol: core.col, tmaSampleID: core.sample } : {}),
    question: row.question,
    answer: row.answer,
    lastModifiedOn: row.lastModifiedOn,
  };
}

export interface TsvOptions {
  layout: TsvLayout;
  /** Adds a trailing `lastModifiedOn` column, as some newer Slide Score exports have. Off by default. */
  lastModifiedOn?: boolean;
}

/** What one row needs of a layout. */
export function layoutNeedsOf(row: ScoreRow): LayoutNeeds {
  return { cases: row.caseName !== undefined, images: row.imageId !== undefined, tma: row.tmaRow !== undefined };
}

/** The layout for a known set of rows (one pass); a streamed export gets its needs from the study instead. */
export function tsvLayoutOf(rows: Iterable<ScoreRow>): TsvLayout {
  const needs: LayoutNeeds = {};
  for (const row of rows) {
    const own = layoutNeedsOf(row);
    needs.cases ||= own.cases;
    needs.images ||= own.images;
    needs.tma ||= own.tma;
  }
  return tsvLayoutFor(needs);
}

/** The header line, without its line end. */
export function tsvHeader(options: TsvOptions): string {
  const names: string[] = [...TSV_COLUMNS[options.layout]];
  if (options.lastModifiedOn) names.push(LAST_MODIFIED_COLUMN);
  return names.join('\t');
}

/**
 * One row as a TSV line, without its line end. Cells the row has no value for are empty. A TAB or line break
 * inside a value would break the table, so it becomes a space; the Answer, being the last column, keeps its TABs
 * (UploadResults reads them back). Throws when the layout lacks a column the row needs: choose the layout from
 * the rows or the study ({@link tsvLayoutOf}, `tsvLayoutFor`).
 */
export function tsvLine(row: ScoreRow, options: TsvOptions): string {
  const { layout } = options;
  const core = tmaCore(row);
  const missing =
    (row.caseName !== undefined && columnIndex(layout, 'CaseName') < 0) ||
    (row.imageId !== undefined && columnIndex(layout, 'ImageID') < 0) ||
    (core !== undefined && columnIndex(layout, 'TMA Row') < 0);
  if (missing) throw new Error(`score ${row.id} does not fit the ${layout} layout`);
  if (row.imageId === undefined && (row.caseName === undefined || core)) {
    throw new Error(`score ${row.id} has no image, so it needs a case and no TMA core`);
  }
  const cells = TSV_COLUMNS[layout].map((column) => cellOf(row, column, core));
  if (options.lastModifiedOn) cells.push(oneCell(row.lastModifiedOn));
  return cells.join('\t');
}

function cellOf(row: ScoreRow, column: TsvColumn, core: TmaCore | undefined): string {
  switch (column) {
    case 'CaseName':
      return oneCell(row.caseName ?? '');
    case 'ImageID':
      return row.imageId === undefined ? '' : String(row.imageId);
    case 'Image Name':
      return row.imageId === undefined ? '' : oneCell(row.imageName ?? '');
    case 'By':
      return oneCell(row.user);
    case 'TMA Row':
      return core ? String(core.row) : '';
    case 'TMA Col':
      return core ? String(core.col) : '';
    case 'TMA Sample':
      return core ? oneCell(core.sample) : '';
    case 'Question':
      return oneCell(row.question);
    case 'Answer':
      return row.answer.replace(/\r\n|\r|\n/g, ' ');
  }
}

function oneCell(value: string): string {
  return value.replace(/[\t\r\n]/g, ' ');
}

interface TmaCore {
  row: number;
  col: number;
  sample: string;
}

function tmaCore(row: ScoreRow): TmaCore | undefined {
  if (row.tmaRow === undefined && row.tmaCol === undefined) return undefined;
  if (row.tmaRow === undefined || row.tmaCol === undefined) {
    throw new Error(`score ${row.id} has only one of tmaRow and tmaCol`);
  }
  return { row: row.tmaRow, col: row.tmaCol, sample: row.tmaSampleId ?? '' };
}

/** Rows are gathered into pieces of about this many characters, so a stream gets few, reasonably sized writes. */
const CHUNK_CHARS = 64 * 1024;

type Rows = Iterable<ScoreRow> | AsyncIterable<ScoreRow>;

/**
 * The TSV export, header first, every line ending in `\n`, in pieces: rows are read only as pieces are taken,
 * so an export of a million answers needs memory for one piece, not for the export.
 */
export async function* tsvChunks(rows: Rows, options: TsvOptions): AsyncGenerator<string> {
  let chunk = `${tsvHeader(options)}\n`;
  for await (const row of rows) {
    chunk += `${tsvLine(row, options)}\n`;
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = '';
    }
  }
  yield chunk;
}

/** The JSON array of the Scores reply, in pieces, with the same bounded memory as {@link tsvChunks}. */
export async function* jsonChunks(rows: Rows): AsyncGenerator<string> {
  let chunk = '[';
  let first = true;
  for await (const row of rows) {
    chunk += (first ? '' : ',') + JSON.stringify(scoreJson(row));
    first = false;
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = '';
    }
  }
  yield `${chunk}]`;
}
