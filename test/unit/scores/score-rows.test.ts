import { describe, expect, it } from 'vitest';
import { tsvLine } from '../../../functions/domain/results/results-format.js';
import { fitsLayout, ScoreRowNamer, studyTsvLayout } from '../../../functions/scores/score-rows.js';
import { sampleContents } from './study-contents.js';

const stored = { id: 5, questionId: 100, user: 'jan@nki.nl', answer: '1', lastModifiedOn: '2024-01-01T00:00:00.000Z' };

describe('ScoreRowNamer', () => {
  const namer = new ScoreRowNamer(sampleContents());

  it('names images, their cases, cores and case-level answers from the study', () => {
    expect(namer.row({ ...stored, imageId: 1 })).toEqual({
      id: 5,
      imageId: 1,
      imageName: 'a.svs',
      user: 'jan@nki.nl',
      question: 'Ki67',
      answer: '1',
      lastModifiedOn: stored.lastModifiedOn,
    });
    expect(namer.row({ ...stored, imageId: 2, tmaRow: 1, tmaCol: 2, tmaSampleId: 'S' })).toMatchObject({
      imageName: 'b.svs',
      caseName: 'Patient 7',
      tmaRow: 1,
      tmaCol: 2,
      tmaSampleId: 'S',
    });
    expect(namer.row({ ...stored, caseId: 11 })).toMatchObject({ caseName: 'Patient 8' });
    expect(namer.row({ ...stored, caseId: 11 })).not.toHaveProperty('imageId');
  });

  it('names answers of removed questions, and leaves out those of deleted slides and those it cannot name', () => {
    expect(namer.row({ ...stored, imageId: 1, questionId: 101 })).toMatchObject({
      imageName: 'a.svs',
      question: 'Old',
    });
    // DeleteSlide: its answers stay stored but leave Scores until the slide comes back (docs/administration.md).
    expect(namer.row({ ...stored, imageId: 3 })).toBeUndefined();
    expect(namer.row({ ...stored, imageId: 99 })).toBeUndefined();
    expect(namer.row({ ...stored, caseId: 99 })).toBeUndefined();
    expect(namer.row({ ...stored, imageId: 1, questionId: 999 })).toBeUndefined();
  });
});

describe('studyTsvLayout', () => {
  const contents = sampleContents();
  const withoutCases = { ...contents, images: contents.images.map(({ caseId: _c, ...image }) => image) };
  it.each([
    [{ images: true, tma: false, cases: false }, withoutCases, 'slide'],
    [{ images: true, tma: true, cases: false }, withoutCases, 'slideTma'],
    [{ images: true, tma: false, cases: false }, contents, 'caseSlide'],
    [{ images: false, tma: false, cases: true }, contents, 'case'],
    [{ images: true, tma: true, cases: true }, withoutCases, 'caseSlideTma'],
    [{ images: false, tma: false, cases: false }, contents, 'slide'],
  ] as const)('%o gives %s', (summary, study, layout) => {
    expect(studyTsvLayout(summary, study)).toBe(layout);
  });

  it('tells which rows fit, so tsvLine never meets a row it cannot write', () => {
    const namer = new ScoreRowNamer(contents);
    const core = namer.row({ ...stored, imageId: 2, tmaRow: 0, tmaCol: 0 });
    if (!core) throw new Error('expected a row');
    expect(fitsLayout(core, 'caseSlide')).toBe(false);
    expect(fitsLayout(core, 'caseSlideTma')).toBe(true);
    expect(tsvLine(core, { layout: 'caseSlideTma' })).toBe('Patient 7\t2\tb.svs\tjan@nki.nl\t0\t0\t\tKi67\t1');
  });
});
