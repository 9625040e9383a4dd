import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseUploadedResults, readUploadedRows } from '../../../../functions/domain/results/results-tsv.js';

const upload = (...rows: string[]) => parseUploadedResults(`\n${rows.join('\n')}`);
const U = 'jan@nki.nl';

describe('the header line', () => {
  it('is dropped whatever it holds', () => {
    const row = `1\tslide.svs\t${U}\tQ\tA`;
    for (const header of ['', '#header', 'ImageID\tImage Name\tBy\tQuestion\tAnswer', row]) {
      const { rows, errors } = parseUploadedResults(`${header}\n${row}`);
      expect(errors).toEqual([]);
      expect(rows).toHaveLength(1);
      expect(rows[0]?.line).toBe(2);
    }
  });

  it('leaves nothing to read in an empty body or a header alone', () => {
    expect(parseUploadedResults('')).toEqual({ rows: [], errors: [] });
    expect(parseUploadedResults('#header\n')).toEqual({ rows: [], errors: [] });
  });

  it('ending in lastModifiedOn makes every row lose its last column', () => {
    const text = [
      'ImageID\tImage Name\tBy\tQuestion\tAnswer\tlastModifiedOn',
      `1\tslide.svs\t${U}\tQ\tA\tB\t2024-01-01T00:00:00`,
      `1\tslide.svs\t${U}\tQ`,
    ].join('\r\n');
    const { rows, errors } = parseUploadedResults(text);
    expect(rows.map((r) => r.answer)).toEqual(['A\tB']);
    expect(errors).toEqual(['line 3: 3 columns before lastModifiedOn; expected 4, 5, 6, 8 or 9 tab-separated columns']);
    expect(parseUploadedResults('h\tlastModifiedOn\nno tabs at all').errors).toEqual([
      'line 2: no lastModifiedOn column, which the header names',
    ]);
  });
});

describe('lines', () => {
  it('end with \\n, \\r\\n or \\r; blank lines are skipped and numbering follows the original text', () => {
    const text = `#header\r\n1\ta\t${U}\tQ\tA1\r\n\r\n   \n2\tb\t${U}\tQ\tA2\r3\tc\t${U}\tQ\tA3`;
    const { rows, errors } = parseUploadedResults(text);
    expect(errors).toEqual([]);
    expect(rows.map((r) => [r.line, r.imageId, r.answer])).toEqual([
      [2, 1, 'A1'],
      [5, 2, 'A2'],
      [6, 3, 'A3'],
    ]);
  });
});

describe('the five layouts', () => {
  it('reads a whole-slide row (5 columns)', () => {
    expect(upload(`12\tslide 1.svs\t${U}\tTest question\ttest answer 1`).rows).toEqual([
      { line: 2, imageId: 12, imageName: 'slide 1.svs', user: U, question: 'Test question', answer: 'test answer 1' },
    ]);
  });

  it('reads a TMA-core row (8 columns), with an empty sample', () => {
    expect(upload(`12\ttma.svs\t${U}\t0\t3\t\tQ\t1+`).rows).toEqual([
      {
        line: 2,
        imageId: 12,
        imageName: 'tma.svs',
        user: U,
        tmaRow: 0,
        tmaCol: 3,
        tmaSampleId: '',
        question: 'Q',
        answer: '1+',
      },
    ]);
  });

  it('reads a slide-in-a-case row (6 columns)', () => {
    expect(upload(`Case 7\t12\tslide.svs\t${U}\tQ\tA`).rows).toEqual([
      { line: 2, caseName: 'Case 7', imageId: 12, imageName: 'slide.svs', user: U, question: 'Q', answer: 'A' },
    ]);
  });

  it('reads a TMA-core-in-a-case row (9 columns)', () => {
    expect(upload(`Case 7\t12\ttma.svs\t${U}\t1\t2\tS-1\tQ\tA`).rows).toEqual([
      {
        line: 2,
        caseName: 'Case 7',
        imageId: 12,
        imageName: 'tma.svs',
        user: U,
        tmaRow: 1,
        tmaCol: 2,
        tmaSampleId: 'S-1',
        question: 'Q',
        answer: 'A',
      },
    ]);
  });

  it('reads a case-level row (4 columns)', () => {
    expect(upload(`Case 7\t${U}\tQ\tA`).rows).toEqual([
      { line: 2, caseName: 'Case 7', user: U, question: 'Q', answer: 'A' },
    ]);
  });

  it('reads the case-level rows the SDK writes: ImageID 0, empty, or the case name twice', () => {
    const expected = { caseName: 'Case 7', user: U, question: 'Q', answer: 'A' };
    expect(upload(`Case 7\t0\t\t${U}\tQ\tA`).rows).toEqual([{ line: 2, ...expected }]);
    expect(upload(`Case 7\t\t\t${U}\tQ\tA`).rows).toEqual([{ line: 2, ...expected }]);
    expect(upload(`Case 7\tCase 7\t${U}\tQ\tA`).rows).toEqual([{ line: 2, ...expected }]);
  });

  it('reads a case name of None or nothing as no case (SDK 1.2.x writes None)', () => {
    const expected = { line: 2, imageId: 12, imageName: 'slide.svs', user: U, question: 'Q', answer: 'A' };
    expect(upload(`None\t12\tslide.svs\t${U}\tQ\tA`).rows).toEqual([expected]);
    expect(upload(`\t12\tslide.svs\t${U}\tQ\tA`).rows).toEqual([expected]);
  });

  it('reads empty TMA cells as no core, as exports of mixed studies write them', () => {
    expect(upload(`12\tslide.svs\t${U}\t\t\t\tQ\tA`).rows).toEqual([
      { line: 2, imageId: 12, imageName: 'slide.svs', user: U, question: 'Q', answer: 'A' },
    ]);
  });

  it('keeps the user as written (the store matches users ignoring case)', () => {
    expect(upload(`12\tslide.svs\tJan@NKI.nl\tQ\tA`).rows[0]?.user).toBe('Jan@NKI.nl');
    expect(upload(`Case\tCase\tJan@NKI.nl\tQ\tA`).rows[0]?.user).toBe('Jan@NKI.nl');
  });

  it('trims every cell but the answer, which is kept as written', () => {
    expect(upload(` 12 \t slide.svs \t ${U} \t Q \t  spaced answer  `).rows).toEqual([
      { line: 2, imageId: 12, imageName: 'slide.svs', user: U, question: 'Q', answer: '  spaced answer  ' },
    ]);
  });
});

describe('answers holding tabs', () => {
  it.each([
    [`12\tslide.svs\t${U}\tQ\ta\tb`, { imageId: 12, answer: 'a\tb' }],
    [`12\tslide.svs\t${U}\tQ\ta\tb\tc\td\te\tf\tg`, { imageId: 12, answer: 'a\tb\tc\td\te\tf\tg' }],
    [`Case\t12\tslide.svs\t${U}\tQ\ta\tb\tc`, { caseName: 'Case', imageId: 12, answer: 'a\tb\tc' }],
    [`12\ttma.svs\t${U}\t1\t2\tS\tQ\ta\t\tb`, { tmaRow: 1, answer: 'a\t\tb' }],
    [`Case\t${U}\tQ\ta\tb`, { caseName: 'Case', answer: 'a\tb' }],
    // Not a TMA core (TMA Col is empty), so a whole-slide answer to question "1": unknown questions are refused later.
    [`12\ttma.svs\t${U}\t1\t\tS\tQ\tA`, { imageId: 12, question: '1', answer: '\tS\tQ\tA' }],
  ])('keeps them: %j', (line, expected) => {
    const { rows, errors } = upload(line);
    expect(errors).toEqual([]);
    expect(rows[0]).toMatchObject(expected);
  });

  it('tells a 6-column case row from a whole-slide row with one tab by the ImageID column (reference §5.3)', () => {
    expect(upload(`5\t12\tslide.svs\t${U}\tQ\tA`).rows[0]).toMatchObject({ caseName: '5', imageId: 12, answer: 'A' });
    expect(upload(`5\tslide.svs\t${U}\tQ\tA\tB`).rows[0]).toMatchObject({
      imageId: 5,
      imageName: 'slide.svs',
      answer: 'A\tB',
    });
    expect(upload(`5\t12\t${U}\tQ\tA\tB`).rows[0]).toMatchObject({ imageId: 5, imageName: '12', answer: 'A\tB' });
  });
});

describe('bad rows', () => {
  it.each([
    ['just one cell', '1 column; expected 4, 5, 6, 8 or 9 tab-separated columns'],
    ['a\tb\tc', '3 columns; expected 4, 5, 6, 8 or 9 tab-separated columns'],
    ['a\tb\tc\td\te\tf\tg', '7 columns; expected 4, 5, 6, 8 or 9 tab-separated columns'],
    ['a\tb\tc\td\te\tf\tg\th\ti\tj\tk\tl', '12 columns; expected 4, 5, 6, 8 or 9 tab-separated columns'],
    [
      `abc\tslide.svs\t${U.replace('@', '')}\tQ\tA`,
      '5 columns (ImageID, Image Name, By, Question, Answer), but column 1 (ImageID) "abc" is not a whole number',
    ],
    [
      `12\tslide.svs\tjan\tQ\tA`,
      '5 columns (ImageID, Image Name, By, Question, Answer), but column 3 (By) "jan" is not an email address',
    ],
    [`12\tslide.svs\tjan@nki\tQ\tA`, 'column 3 (By) "jan@nki" is not an email address'],
    [`12\tslide.svs\t${U}\t\tA`, 'column 4 (Question) is empty'],
    [
      `0\tslide.svs\t${U}\tQ\tA`,
      'column 1 (ImageID) is 0, which names no image; a case-level answer needs the CaseName column',
    ],
    [`None\t${U}\tQ\tA`, 'a case-level answer (no ImageID) needs a CaseName'],
    [`\t\t\t${U}\tQ\tA`, 'a case-level answer (no ImageID) needs a CaseName'],
    [`12\ttma.svs\t${U}\t\t\tS-1\tQ\tA`, 'column 6 (TMA Sample) is given without TMA Row and TMA Col'],
    [`Case\t\tx\t${U}\t1\t2\tS\tQ\tA`, 'a TMA core needs an ImageID'],
    [`99999999999999999999\ts\t${U}\tQ\tA`, 'column 1 (ImageID) "99999999999999999999" is too large'],
    [
      `Case\tCase\tjan\tQ\tA`,
      '5 columns (ImageID, Image Name, By, Question, Answer), but column 1 (ImageID) "Case" is not a whole number',
    ],
    [`Case\tCase\tjan@x\tQ\tA`, 'column 3 (By) "jan@x" is not an email address'],
  ])('%j: %s', (line, reason) => {
    expect(upload(line).errors).toEqual([`line 2: ${reason}`]);
  });

  it('are all named, and good rows still come back', () => {
    const { rows, errors } = upload(`1\ta\t${U}\tQ\tA`, 'bad', `2\tb\t${U}\tQ\tA`, 'worse\tstill');
    expect(rows.map((r) => r.line)).toEqual([2, 4]);
    expect(errors.map((e) => e.split(':')[0])).toEqual(['line 3', 'line 5']);
  });

  it('quote at most 60 characters of a cell', () => {
    const [error] = upload(`${'x'.repeat(5000)}\ts\t${U}\tQ\tA`).errors;
    expect(error?.length).toBeLessThan(200);
  });
});

describe('large bodies', () => {
  it('reads 10 MB (50,000 rows) in linear time', () => {
    const answer = `[${Array.from({ length: 10 }, (_, i) => `{"x":${i * 1000},"y":${i * 1000}}`).join(',')}]`;
    const line = `123456\tslide-name-123456.svs\tpathologist@hospital.example.org\tTumor cells\t${answer}`;
    const text = `\n${Array.from({ length: 50_000 }, () => line).join('\n')}`;
    expect(text.length).toBeGreaterThan(9_000_000);
    const started = performance.now();
    const { rows, errors } = parseUploadedResults(text);
    const elapsed = performance.now() - started;
    expect(errors).toEqual([]);
    expect(rows).toHaveLength(50_000);
    expect(elapsed).toBeLessThan(2000);
  });

  it('does not split a line of a million tabs into a million cells', () => {
    const started = performance.now();
    const { errors } = parseUploadedResults(`\nx${'\t'.repeat(1_000_000)}`);
    expect(errors).toEqual(['line 2: 1000001 columns; expected 4, 5, 6, 8 or 9 tab-separated columns']);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('yields rows one by one, before reading the rest of the body', () => {
    const rows = readUploadedRows(`\n1\ta\t${U}\tQ\tA\n${'x'.repeat(1000)}`);
    expect(rows.next().value).toMatchObject({ ok: true, row: { line: 2 } });
  });
});

describe('the parser, fuzzed', () => {
  it('never throws on arbitrary text and gives a line and reason for every refusal', () => {
    const piece = fc.oneof(
      fc.constantFrom('\t', '\n', '\r\n', '\r', '@', 'None', '0', '12', U, 'Q', ' '),
      fc.string({ unit: 'binary', maxLength: 8 }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), (pieces) => {
        const text = pieces.join('');
        for (const outcome of readUploadedRows(text)) {
          if (outcome.ok) {
            expect(outcome.row.line).toBeGreaterThanOrEqual(2);
            expect(outcome.row.question).not.toBe('');
          } else {
            expect(outcome.line).toBeGreaterThanOrEqual(2);
            expect(outcome.reason).not.toBe('');
          }
        }
      }),
      { numRuns: 2000 },
    );
  });
});
