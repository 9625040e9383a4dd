import type { TmaCore, TmaLayout, TmaMap } from './model.js';
import { type Parsed, ProblemLog } from './problems.js';
import { appendUnique, parseBoolean, splitList, splitPropertyLine } from './property-lines.js';
import {
  CONTROL_CHARACTER_REASON,
  hasControlCharacter,
  isBlank,
  joinLines,
  oneLine,
  splitLines,
  type TextLine,
} from './text-lines.js';

const HEADER_PROPERTIES = [
  'tmas',
  'controls',
  'ignore',
  'force',
  'origin-x',
  'origin-y',
  'spacing-x',
  'spacing-y',
  'core-diameter',
] as const;

/** Header properties that place the cores (µm), and the layout field each sets. */
const LAYOUT_PROPERTIES = new Map<string, keyof TmaLayout>([
  ['origin-x', 'originXUm'],
  ['origin-y', 'originYUm'],
  ['spacing-x', 'spacingXUm'],
  ['spacing-y', 'spacingYUm'],
  ['core-diameter', 'coreDiameterUm'],
]);

/**
 * Reads a TMA map file (`study.<name>.map…` in the root, or a map named in an `.images` line): an optional
 * header of `property: value` lines ended by an empty line, then one line per row of core IDs separated by TABs.
 *
 * Header or grid? The header is the run of header lines at the top of the file. A header line has a `:` and,
 * before it, a known property name, or (on a line without TAB) a name made of letters, `_`, `-` and single
 * spaces; anything else starts the grid, so a map without a header works too.
 *
 * Grid: runs of TABs count as one separator (so columns can be aligned with extra TABs) and leading or trailing
 * TABs are ignored; an empty position is written with an `ignore` ID. A line with no TAB but spaces between IDs
 * is split at the spaces (warning). Short rows are padded with empty positions. Blank lines in the grid are skipped.
 */
export function parseTmaMapFile(fileName: string, text: string): Parsed<TmaMap> {
  const log = new ProblemLog(fileName);
  const lines = splitLines(text);
  let index = 0;
  while (index < lines.length && isBlank(lines[index]?.text ?? '')) index++;

  const header: { name: string; value: string; line: number }[] = [];
  for (; index < lines.length; index++) {
    const line = lines[index];
    if (!line || isBlank(line.text)) break;
    const property = headerProperty(line.text);
    if (!property) {
      if (header.length > 0) log.warning(line.number, 'no empty line after the header; the map starts here');
      break;
    }
    if (hasControlCharacter(line.text)) log.error(line.number, CONTROL_CHARACTER_REASON);
    else header.push({ ...property, line: line.number });
  }

  const settings = readHeader(header, log);
  const rows = readRows(lines.slice(index), log);
  const grid = buildGrid(rows, settings);
  checkControls(settings, grid, log);
  if (grid.length === 0) log.error(Math.max(1, lines.length), 'the map has no rows of cores');
  const value: TmaMap = { tmas: settings.tmas, force: settings.force, grid };
  if (Object.keys(settings.layout).length > 0) value.layout = settings.layout;
  return { value, problems: log.problems };
}

/**
 * The file text for a map. The header always has a `force` line (so a grid row can never be read as a header);
 * control IDs are those of the control cores; empty positions are written with an ignore ID that no core uses.
 */
export function writeTmaMapFile(map: TmaMap): string {
  const ids = map.grid.map((row) => row.map((core) => (core && oneLine(core.sampleId)) || undefined));
  const used = new Set(ids.flat().filter((id) => id !== undefined));
  const controls: string[] = [];
  appendUnique(
    controls,
    map.grid.flat().flatMap((core) => (core?.isControl ? [oneLine(core.sampleId)] : [])),
  );
  let empty = 'empty';
  for (let n = 2; used.has(empty); n++) empty = `empty${n}`;

  const lines: string[] = [];
  if (map.tmas.length > 0) lines.push(`tmas: ${map.tmas.map(oneLine).join(', ')}`);
  if (controls.length > 0) lines.push(`controls: ${controls.join(', ')}`);
  if (ids.some((row) => row.includes(undefined))) lines.push(`ignore: ${empty}`);
  for (const [name, field] of LAYOUT_PROPERTIES) {
    const number = map.layout?.[field];
    if (number !== undefined) lines.push(`${name}: ${number}`);
  }
  lines.push(`force: ${map.force}`, '');
  for (const row of ids) {
    const cells = row.map((id) => id ?? empty);
    // A lone ID with a space would be split at the space on reading; a trailing TAB marks the line as TAB-separated.
    lines.push(cells.join('\t') + (cells.length === 1 && cells[0]?.includes(' ') ? '\t' : ''));
  }
  return joinLines(lines);
}

function headerProperty(text: string): { name: string; value: string } | undefined {
  const property = splitPropertyLine(text);
  if (!property) return undefined;
  const known = (HEADER_PROPERTIES as readonly string[]).includes(property.name);
  const word = /^[a-z]+(?:[ _-][a-z]+)*$/.test(property.name) && !text.includes('\t');
  return known || word ? property : undefined;
}

interface HeaderSettings {
  tmas: string[];
  force: boolean;
  controls: { ids: Set<string>; line: number };
  ignore: Set<string>;
  layout: TmaLayout;
}

function readHeader(header: readonly { name: string; value: string; line: number }[], log: ProblemLog): HeaderSettings {
  const tmas: string[] = [];
  const controls: string[] = [];
  const ignore: string[] = [];
  let force: { value: boolean; line: number } | undefined;
  let controlsLine = 1;
  const layout: TmaLayout = {};
  for (const { name, value, line } of header) {
    const field = LAYOUT_PROPERTIES.get(name);
    if (field) {
      const number = Number(value);
      const least = field.startsWith('origin') ? 0 : Number.MIN_VALUE;
      if (value === '' || !Number.isFinite(number) || number < least || number > 1_000_000) {
        log.error(
          line,
          `${name} must be a number of µm (${least === 0 ? 'at least 0' : 'above 0'}), not "${value}"; ignored`,
        );
      } else layout[field] = number;
    } else if (name === 'tmas')
      appendUnique(
        tmas,
        splitList(value).map((tma) => tma.replaceAll('\\', '/')),
      );
    else if (name === 'controls') {
      appendUnique(controls, splitList(value));
      controlsLine = line;
    } else if (name === 'ignore') appendUnique(ignore, splitList(value));
    else if (name === 'force') {
      const parsed = parseBoolean(value);
      if (parsed === undefined) log.error(line, `force must be true or false, not "${value}"; ignored`);
      else {
        if (force) log.warning(line, `force is also on line ${force.line}; this value wins`);
        force = { value: parsed, line };
      }
    } else log.warning(line, `unknown header property "${name}" (known: ${HEADER_PROPERTIES.join(', ')}); ignored`);
  }
  for (const id of controls) {
    if (ignore.includes(id)) log.warning(controlsLine, `"${id}" is both a control and ignored; it is ignored`);
  }
  return {
    tmas,
    force: force?.value ?? false,
    controls: { ids: new Set(controls), line: controlsLine },
    ignore: new Set(ignore),
    layout,
  };
}

function readRows(lines: readonly TextLine[], log: ProblemLog): string[][] {
  const rows: string[][] = [];
  const spaceSplit: number[] = [];
  for (const line of lines) {
    if (isBlank(line.text)) continue;
    if (hasControlCharacter(line.text)) {
      log.error(line.number, CONTROL_CHARACTER_REASON);
      continue;
    }
    const hasTab = line.text.includes('\t');
    if (!hasTab && (HEADER_PROPERTIES as readonly string[]).includes(splitPropertyLine(line.text)?.name ?? '')) {
      log.warning(line.number, 'looks like a header property, but the header ended earlier; read as a row of cores');
    }
    if (hasTab) rows.push(trimEnds(line.text.split(/\t+/).map((cell) => cell.trim())));
    else if (/\S\s+\S/.test(line.text)) {
      spaceSplit.push(line.number);
      rows.push(line.text.trim().split(/\s+/));
    } else rows.push([line.text.trim()]);
  }
  const [first, ...others] = spaceSplit;
  if (first !== undefined) {
    const more = others.length > 0 ? ` (and ${others.length} more line${others.length > 1 ? 's' : ''})` : '';
    log.warning(first, `no TAB on this line${more}: columns were taken as separated by spaces`);
  }
  return rows;
}

/** Drops the empty cells that leading or trailing TABs make. */
function trimEnds(cells: string[]): string[] {
  while (cells.length > 1 && cells[0] === '') cells.shift();
  while (cells.length > 1 && cells.at(-1) === '') cells.pop();
  return cells;
}

function buildGrid(rows: readonly string[][], settings: HeaderSettings): (TmaCore | null)[][] {
  const width = rows.reduce((max, row) => Math.max(max, row.length), 0);
  return rows.map((row, r) =>
    Array.from({ length: width }, (_, c) => {
      const id = row[c] ?? '';
      if (id === '' || settings.ignore.has(id)) return null;
      return { row: r, col: c, sampleId: id, isControl: settings.controls.ids.has(id) };
    }),
  );
}

function checkControls(settings: HeaderSettings, grid: (TmaCore | null)[][], log: ProblemLog): void {
  const present = new Set(grid.flat().map((core) => core?.sampleId));
  for (const id of settings.controls.ids) {
    if (!present.has(id) && !settings.ignore.has(id)) {
      log.warning(settings.controls.line, `control "${id}" is not in the map`);
    }
  }
}
