import { describe, expect, it } from 'vitest';
import type { UploadedRow } from '../../../functions/domain/results/results-tsv.js';
import { mergeLineErrors, resolveUploadedRows } from '../../../functions/scores/upload-targets.js';
import { sampleContents } from './study-contents.js';

const row = (fields: Partial<UploadedRow>): UploadedRow => ({
  line: 2,
  user: 'jan@nki.nl',
  question: 'Ki67',
  answer: '5',
  ...fields,
});

const resolve = (rows: UploadedRow[], max = 1000) => resolveUploadedRows(rows, sampleContents(), max);

describe('resolveUploadedRows', () => {
  it('turns rows into answers keyed by IDs', () => {
    const { answers, errors } = resolve([
      row({ imageId: 1, imageName: 'a.svs' }),
      row({ imageId: 2, imageName: '', caseName: 'Patient 7', tmaRow: 0, tmaCol: 1, tmaSampleId: 'S' }),
      row({ caseName: 'Patient 8' }),
    ]);
    expect(errors).toEqual([]);
    expect(answers).toEqual([
      { imageId: 1, questionId: 100, user: 'jan@nki.nl', answer: '5' },
      { imageId: 2, tmaRow: 0, tmaCol: 1, tmaSampleId: 'S', questionId: 100, user: 'jan@nki.nl', answer: '5' },
      { caseId: 11, questionId: 100, user: 'jan@nki.nl', answer: '5' },
    ]);
  });

  it('accepts an image without its case name: the image says which case', () => {
    expect(resolve([row({ imageId: 2, imageName: 'b.svs' })]).errors).toEqual([]);
  });

  it.each([
    [row({ imageId: 9 }), 'line 2: the study has no image 9'],
    [row({ imageId: 3 }), 'line 2: image 3 was removed from the study'],
    [row({ imageId: 1, caseName: 'Patient 7' }), 'line 2: image 1 is in no case, not in case "Patient 7"'],
    [row({ imageId: 2, caseName: 'Patient 8' }), 'line 2: image 2 is in case "Patient 7", not in case "Patient 8"'],
    [row({ caseName: 'patient 7' }), 'line 2: the study has no case "patient 7"; did you mean "Patient 7"?'],
    [row({ caseName: 'Nobody' }), 'line 2: the study has no case "Nobody"'],
    [row({ imageId: 1, question: 'Old' }), 'line 2: the study has no question "Old"'],
    [row({ imageId: 1, answer: 'x'.repeat(1001) }), 'line 2: the answer is 1,001 bytes; at most 1,000 can be stored'],
  ])('refuses %o', (bad, message) => {
    expect(resolve([bad])).toEqual({ answers: [], errors: [message], notes: [] });
  });

  it("accepts an Image Name other than the image's (the ImageID decides) and notes it", () => {
    expect(resolve([row({ imageId: 1, imageName: 'b.svs' })])).toEqual({
      answers: [{ imageId: 1, questionId: 100, user: 'jan@nki.nl', answer: '5' }],
      errors: [],
      notes: ['line 2: image 1 is named "a.svs", not "b.svs"; saved for image 1'],
    });
  });
});

describe('mergeLineErrors', () => {
  it('merges by line number', () => {
    expect(mergeLineErrors(['line 2: a', 'line 10: b'], ['line 3: c', 'line 11: d'])).toEqual([
      'line 2: a',
      'line 3: c',
      'line 10: b',
      'line 11: d',
    ]);
  });
});
