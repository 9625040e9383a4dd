import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  jsonChunks,
  type ScoreRow,
  scoreJson,
  tsvChunks,
  tsvHeader,
  tsvLayoutOf,
  tsvLine,
} from '../../../../functions/domain/results/results-format.js';
import { type TsvLayout, tsvLayoutFor } from '../../../../functions/domain/results/results-layouts.js';
import { parseUploadedResults } from '../../../../functions/domain/results/results-tsv.js';
import { mixedRows, type RowKind, scoreRow } from './arbitraries.js';

const at = '2024-05-01T10:00:00.000Z';
const slide: ScoreRow = {
  id: 1,
  imageId: 12,
  imageName: 'a.svs',
  user: 'jan@nki.nl',
  question: 'Q',
  answer: 'A',
  lastModifiedOn: at,
};
const core: ScoreRow = { ...slide, id: 2, tmaRow: 0, tmaCol: 3, tmaSampleId: 'S-1' };
const inCase: ScoreRow = { ...slide, id: 3, caseName: 'Case 7' };
const caseLevel: ScoreRow = {
  id: 4,
  caseName: 'Case 7',
  user: 'jan@nki.nl',
  question: 'Q',
  answer: '',
  lastModifiedOn: at,
};

async function collect(chunks: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const chunk of chunks) text += chunk;
  return text;
}

describe('TSV headers', () => {
  it('are the layouts of reference §5.1', () => {
    expect(tsvHeader({ layout: 'slide' })).toBe('ImageID\tImage Name\tBy\tQuestion\tAnswer');
    expect(tsvHeader({ layout: 'slideTma' })).toBe(
      'ImageID\tImage Name\tBy\tTMA Row\tTMA Col\tTMA Sample\tQuestion\tAnswer',
    );
    expect(tsvHeader({ layout: 'caseSlide' })).toBe('CaseName\tImageID\tImage Name\tBy\tQuestion\tAnswer');
    expect(tsvHeader({ layout: 'caseSlideTma' })).toBe(
      'CaseName\tImageID\tImage Name\tBy\tTMA Row\tTMA Col\tTMA Sample\tQuestion\tAnswer',
    );
    expect(tsvHeader({ layout: 'case' })).toBe('CaseName\tBy\tQuestion\tAnswer');
    expect(tsvHeader({ layout: 'slide', lastModifiedOn: true })).toBe(
      'ImageID\tImage Name\tBy\tQuestion\tAnswer\tlastModifiedOn',
    );
  });
});

describe('choosing the layout', () => {
  it('takes the widest any row needs', () => {
    expect(tsvLayoutOf([])).toBe('slide');
    expect(tsvLayoutOf([slide])).toBe('slide');
    expect(tsvLayoutOf([slide, core])).toBe('slideTma');
    expect(tsvLayoutOf([slide, inCase])).toBe('caseSlide');
    expect(tsvLayoutOf([caseLevel])).toBe('case');
    expect(tsvLayoutOf([caseLevel, slide])).toBe('caseSlide');
    expect(tsvLayoutOf([caseLevel, core])).toBe('caseSlideTma');
    expect(tsvLayoutFor({ tma: true })).toBe('slideTma');
  });
});

describe('TSV lines', () => {
  it('leave cells empty where a row has no value', () => {
    expect(tsvLine(slide, { layout: 'slide' })).toBe('12\ta.svs\tjan@nki.nl\tQ\tA');
    expect(tsvLine(core, { layout: 'slideTma' })).toBe('12\ta.svs\tjan@nki.nl\t0\t3\tS-1\tQ\tA');
    expect(tsvLine(slide, { layout: 'caseSlideTma' })).toBe('\t12\ta.svs\tjan@nki.nl\t\t\t\tQ\tA');
    expect(tsvLine(caseLevel, { layout: 'caseSlide' })).toBe('Case 7\t\t\tjan@nki.nl\tQ\t');
    expect(tsvLine(caseLevel, { layout: 'case' })).toBe('Case 7\tjan@nki.nl\tQ\t');
    expect(tsvLine(slide, { layout: 'slide', lastModifiedOn: true })).toBe(`12\ta.svs\tjan@nki.nl\tQ\tA\t${at}`);
  });

  it('turn TABs and line breaks into spaces, except TABs in the answer', () => {
    const messy = { ...slide, imageName: 'a\tb\nc', question: 'Q\r\n1', answer: 'x\ty\r\nz\rw' };
    expect(tsvLine(messy, { layout: 'slide' })).toBe('12\ta b c\tjan@nki.nl\tQ  1\tx\ty z w');
  });

  it('refuse a row the layout cannot hold', () => {
    expect(() => tsvLine(core, { layout: 'slide' })).toThrow('score 2 does not fit the slide layout');
    expect(() => tsvLine(inCase, { layout: 'slideTma' })).toThrow('does not fit');
    expect(() => tsvLine(slide, { layout: 'case' })).toThrow('does not fit');
    expect(() => tsvLine({ ...caseLevel, caseName: undefined }, { layout: 'caseSlide' })).toThrow('needs a case');
    expect(() => tsvLine({ ...slide, tmaRow: 1 }, { layout: 'slideTma' })).toThrow('only one of tmaRow and tmaCol');
  });
});

describe('Scores JSON', () => {
  it('has exactly the keys clients read, TMA and case keys only where they apply', () => {
    expect(Object.keys(scoreJson(slide))).toEqual([
      'id',
      'imageID',
      'imageName',
      'user',
      'question',
      'answer',
      'lastModifiedOn',
    ]);
    expect(scoreJson(core)).toEqual({
      id: 2,
      imageID: 12,
      imageName: 'a.svs',
      user: 'jan@nki.nl',
      tmaRow: 0,
      tmaCol: 3,
      tmaSampleID: 'S-1',
      question: 'Q',
      answer: 'A',
      lastModifiedOn: at,
    });
    expect(scoreJson(inCase)).toMatchObject({ caseName: 'Case 7', imageID: 12 });
    expect(scoreJson(inCase)).not.toHaveProperty('tmaRow');
  });

  it('gives a case-level answer a null imageID and an empty imageName', () => {
    expect(scoreJson(caseLevel)).toEqual({
      id: 4,
      imageID: null,
      imageName: '',
      caseName: 'Case 7',
      user: 'jan@nki.nl',
      question: 'Q',
      answer: '',
      lastModifiedOn: at,
    });
  });

  it('streams a JSON array', async () => {
    expect(JSON.parse(await collect(jsonChunks([])))).toEqual([]);
    expect(JSON.parse(await collect(jsonChunks([slide, core, caseLevel])))).toEqual(
      [slide, core, caseLevel].map(scoreJson),
    );
  });
});

describe('streaming', () => {
  function* endless(): Generator<ScoreRow> {
    for (let id = 0; ; id++) yield { ...slide, id, answer: 'x'.repeat(100) };
  }

  it('reads rows only as pieces are taken, so memory stays bounded', async () => {
    for (const chunks of [tsvChunks(endless(), { layout: 'slide' }), jsonChunks(endless())]) {
      const first = await chunks.next();
      expect(first.done).toBe(false);
      expect(first.value?.length).toBeGreaterThan(60_000);
      expect(first.value?.length).toBeLessThan(70_000);
      await chunks.return(undefined);
    }
  });

  it('takes async sources too', async () => {
    async function* rows() {
      yield slide;
      yield inCase;
    }
    const text = await collect(tsvChunks(rows(), { layout: 'caseSlide' }));
    expect(text).toBe(
      'CaseName\tImageID\tImage Name\tBy\tQuestion\tAnswer\n\t12\ta.svs\tjan@nki.nl\tQ\tA\nCase 7\t12\ta.svs\tjan@nki.nl\tQ\tA\n',
    );
  });

  it('formats a million rows in bounded time', async () => {
    function* million(): Generator<ScoreRow> {
      for (let id = 0; id < 1_000_000; id++) yield { ...slide, id };
    }
    let bytes = 0;
    const started = performance.now();
    for await (const chunk of tsvChunks(million(), { layout: 'slide' })) bytes += chunk.length;
    expect(bytes).toBeGreaterThan(20_000_000);
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});

/** What UploadResults reads back of a score row. */
function uploaded(row: ScoreRow) {
  const { id: _id, lastModifiedOn: _at, ...rest } = row;
  return rest;
}

async function roundTrip(rows: ScoreRow[], layout: TsvLayout, lastModifiedOn: boolean) {
  const text = await collect(tsvChunks(rows, { layout, lastModifiedOn }));
  const parsed = parseUploadedResults(text);
  expect(parsed.errors).toEqual([]);
  expect(parsed.rows.map(({ line: _line, ...row }) => row)).toEqual(rows.map(uploaded));
  expect(parsed.rows.map((r) => r.line)).toEqual(rows.map((_, i) => i + 2));
}

describe('format, then parse', () => {
  it('gives back the same rows, for a study of any mix of rows, in the layout they choose', async () => {
    await fc.assert(
      fc.asyncProperty(mixedRows, fc.boolean(), async (rows, lastModifiedOn) => {
        await roundTrip(rows, tsvLayoutOf(rows), lastModifiedOn);
      }),
      { numRuns: 300 },
    );
  });

  it('gives back the same rows in every layout wider than they need', async () => {
    const cases: [RowKind, boolean, TsvLayout[]][] = [
      ['slide', false, ['slide', 'slideTma', 'caseSlide', 'caseSlideTma']],
      ['slide', true, ['caseSlide', 'caseSlideTma']],
      ['tma', false, ['slideTma', 'caseSlideTma']],
      ['tma', true, ['caseSlideTma']],
      ['case', true, ['case', 'caseSlide', 'caseSlideTma']],
    ];
    for (const [kind, inCase, layouts] of cases) {
      await fc.assert(
        fc.asyncProperty(
          fc.array(scoreRow(kind, inCase), { maxLength: 5 }),
          fc.constantFrom(...layouts),
          async (rows, layout) => {
            await roundTrip(rows, layout, false);
          },
        ),
        { numRuns: 100 },
      );
    }
  });
});
