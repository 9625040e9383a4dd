import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TmaMap } from '../../../../functions/domain/study-config/model.js';
import { parseTmaMapFile, writeTmaMapFile } from '../../../../functions/domain/study-config/tma-map-file.js';
import { tmaMap } from './arbitraries.js';

const FILE = 'study.Demo.map1';

/** The grid as text: sample IDs, `*` after a control, `-` for no core. */
function picture(map: TmaMap): string[] {
  return map.grid.map((row) =>
    row.map((core) => (core ? `${core.sampleId}${core.isControl ? '*' : ''}` : '-')).join(' '),
  );
}

const SEED_HEADER = 'tmas: 1.svs\ncontrols: ctrl\nignore: 0, empty\nforce: true\n\n';
const SEED_PICTURE = ['1 1 1 ctrl* ctrl* ctrl*', '2 2 2 3 3 3', '- - - 4 4 4', '5 5 5 - - -'];

describe('parseTmaMapFile', () => {
  it("reads the docs' example with TABs: 4 rows of 6 cores", () => {
    const text = `${SEED_HEADER}1\t1\t1\tctrl\tctrl\tctrl\n2\t2\t2\t3\t3\t3\n0\t0\t0\t4\t4\t4\n5\t5\t5\tempty\tempty\tempty\n`;
    const { value, problems } = parseTmaMapFile(FILE, text);
    expect(problems).toEqual([]);
    expect(value.tmas).toEqual(['1.svs']);
    expect(value.force).toBe(true);
    expect(picture(value)).toEqual(SEED_PICTURE);
    expect(value.grid[0]?.[3]).toEqual({ row: 0, col: 3, sampleId: 'ctrl', isControl: true });
    expect(value.grid[1]?.[4]).toEqual({ row: 1, col: 4, sampleId: '3', isControl: false });
    expect(value.grid[2]?.[0]).toBeNull();
  });

  it("reads the docs' example as rendered (spaces), with a warning", () => {
    const text = `${SEED_HEADER}1   1   1   ctrl    ctrl    ctrl\n2   2   2   3   3   3\n0   0   0   4   4   4\n5   5   5   empty   empty   empty\n`;
    const { value, problems } = parseTmaMapFile(FILE, text);
    expect(picture(value)).toEqual(SEED_PICTURE);
    expect(problems).toEqual([
      {
        file: FILE,
        line: 6,
        severity: 'warning',
        reason: 'no TAB on this line (and 3 more lines): columns were taken as separated by spaces',
      },
    ]);
  });

  it('treats runs of TABs as one separator, ignores TABs at the ends, and pads short rows', () => {
    const { value, problems } = parseTmaMapFile(FILE, '\r\nA\t\tB\t\tC\r\n\tD\t\r\n\r\nE\tF\r\n');
    expect(problems).toEqual([]);
    expect(picture(value)).toEqual(['A B C', 'D - -', 'E F -']);
    expect(value).toMatchObject({ tmas: [], force: false });
  });

  it('reads a map with no header, a cell of spaces as no core, and IDs with spaces between TABs', () => {
    const { value, problems } = parseTmaMapFile(FILE, 'T1 a\t \tT1 b\nsingle\n');
    expect(problems).toEqual([]);
    expect(picture(value)).toEqual(['T1 a - T1 b', 'single - -']);
  });

  it('does not take a first row with a colon in an ID for a header', () => {
    expect(picture(parseTmaMapFile(FILE, 'A1:1\tA1:2\nB1:1\tB1:2').value)).toEqual(['A1:1 A1:2', 'B1:1 B1:2']);
  });

  it('reads a header not followed by an empty line, with a warning', () => {
    const { value, problems } = parseTmaMapFile(FILE, 'TMAs: a.svs, b\\c.svs\nControls: c\n1\tc\n');
    expect(value.tmas).toEqual(['a.svs', 'b/c.svs']);
    expect(picture(value)).toEqual(['1 c*']);
    expect(problems).toEqual([
      { file: FILE, line: 3, severity: 'warning', reason: 'no empty line after the header; the map starts here' },
    ]);
  });

  it('warns about unknown header properties and unused controls, and errors on a bad force', () => {
    const text = 'tmas: a.svs\ncore radius: 300\ncontrols: c, x\nforce: maybe\n\n1\tc\n';
    const { value, problems } = parseTmaMapFile(FILE, text);
    expect(value.force).toBe(false);
    expect(problems.map((p) => [p.line, p.severity, p.reason])).toEqual([
      [
        2,
        'warning',
        'unknown header property "core radius" (known: tmas, controls, ignore, force, origin-x, origin-y, spacing-x, spacing-y, core-diameter); ignored',
      ],
      [3, 'warning', 'control "x" is not in the map'],
      [4, 'error', 'force must be true or false, not "maybe"; ignored'],
    ]);
  });

  it('adds to lists given twice; the last force wins; an ID both control and ignored is ignored', () => {
    const text = 'tmas: a\ntmas: b, a\ncontrols: 0\nignore: 0\nforce: yes\nforce: FALSE\n\n0\t1\n';
    const { value, problems } = parseTmaMapFile(FILE, text);
    expect(value.tmas).toEqual(['a', 'b']);
    expect(value.force).toBe(false);
    expect(picture(value)).toEqual(['- 1']);
    expect(problems.map((p) => [p.line, p.severity])).toEqual([
      [3, 'warning'],
      [6, 'warning'],
    ]);
  });

  it('warns about a header property after the header ended', () => {
    const { problems } = parseTmaMapFile(FILE, 'tmas: a\n\nforce: true\n1\t2\n');
    expect(problems[0]).toMatchObject({ line: 3, severity: 'warning' });
  });

  it('errors when there are no rows', () => {
    const { value, problems } = parseTmaMapFile(FILE, 'tmas: a.svs\nforce: true\n\n');
    expect(value.grid).toEqual([]);
    expect(problems).toEqual([{ file: FILE, line: 4, severity: 'error', reason: 'the map has no rows of cores' }]);
    expect(parseTmaMapFile(FILE, '').problems).toEqual([
      { file: FILE, line: 1, severity: 'error', reason: 'the map has no rows of cores' },
    ]);
  });
});

describe('writeTmaMapFile', () => {
  it("writes the docs' example back", () => {
    const parsed = parseTmaMapFile(FILE, `${SEED_HEADER}1 1 1 ctrl ctrl ctrl\n2 2 2 3 3 3\n0 0 0 4 4 4\n5 5 5 0 0 0`);
    expect(writeTmaMapFile(parsed.value)).toBe(
      'tmas: 1.svs\ncontrols: ctrl\nignore: empty\nforce: true\n\n' +
        '1\t1\t1\tctrl\tctrl\tctrl\n2\t2\t2\t3\t3\t3\nempty\tempty\tempty\t4\t4\t4\n5\t5\t5\tempty\tempty\tempty\n',
    );
  });

  it('picks an ignore ID no core uses', () => {
    const map: TmaMap = {
      tmas: [],
      force: false,
      grid: [[{ row: 0, col: 0, sampleId: 'empty', isControl: false }, null]],
    };
    expect(writeTmaMapFile(map)).toBe('ignore: empty2\nforce: false\n\nempty\tempty2\n');
  });

  it('round-trips any map', () => {
    fc.assert(
      fc.property(tmaMap, (model) => {
        expect(parseTmaMapFile(FILE, writeTmaMapFile(model))).toEqual({ value: model, problems: [] });
      }),
      { numRuns: 300 },
    );
  });
});
