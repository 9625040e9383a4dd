import { describe, expect, it } from 'vitest';
import type { Question } from '../../../../functions/domain/questions/question-types.js';
import { checkUploadedResults, uploadFailureLog } from '../../../../functions/domain/results/upload-check.js';

// The questions of the official SDK's upload test, plus a few more.
const questions: Question[] = [
  { name: 'Test question', type: 'FreeText', valuesAllowed: '' },
  { name: 'Options question', type: 'ClickFriendlyPollOnly', valuesAllowed: 'Option1;;Option2;;Option3' },
  { name: 'Ki67', type: 'Percentage', valuesAllowed: '' },
  { name: 'Tumor', type: 'AnnoShapes', valuesAllowed: '#e6194b' },
];
const U = 'pytest@example.com';

describe('checkUploadedResults', () => {
  it('accepts the rows the official SDK sends, keeping their answers', () => {
    const text = `\n12\tslide.svs\t${U}\tTest question\ttest answer 1\n12\tslide.svs\t${U}\tOptions question\tOption2`;
    const { rows, errors } = checkUploadedResults(text, questions);
    expect(errors).toEqual([]);
    expect(rows.map((r) => [r.question, r.answer])).toEqual([
      ['Test question', 'test answer 1'],
      ['Options question', 'Option2'],
    ]);
  });

  it('stores normalized answers', () => {
    const { rows } = checkUploadedResults(
      `#header\n12\ts\t${U}\tKi67\t45,5 %\n12\ts\t${U}\tOptions question\toption3`,
      questions,
    );
    expect(rows.map((r) => r.answer)).toEqual(['45.5', 'Option3']);
  });

  it('names every bad line: unreadable rows, unknown questions and answers that do not fit', () => {
    const text = [
      '#header',
      `12\ts\t${U}\tNon-existant question\tanswer`,
      `12\ts\t${U}\ttest question\tanswer`,
      `12\ts\t${U}\tTest question\tfine`,
      `12\ts\tnobody\tTest question\tanswer`,
      `12\ts\t${U}\tKi67\t120`,
      `12\ts\t${U}\tTumor\t[{"type":"circle"}]`,
      `12\ttma.svs\t${U}\t1\t\tS\tKi67\t5`,
    ].join('\n');
    const { rows, errors } = checkUploadedResults(text, questions);
    expect(rows.map((r) => r.line)).toEqual([4]);
    expect(errors).toEqual([
      'line 2: the study has no question "Non-existant question"',
      'line 3: the study has no question "test question"; did you mean "Test question"?',
      'line 5: 5 columns (ImageID, Image Name, By, Question, Answer), but column 3 (By) "nobody" is not an email address',
      'line 6: question "Ki67" (Percentage): "120" is not between 0 and 100',
      'line 7: question "Tumor" (AnnoShapes): item 1: unknown type "circle"; expected one of polygon, brush, ellipse, rect, rectangle, heatmap, polyline',
      'line 8: the study has no question "1"',
    ]);
  });
});

describe('uploadFailureLog', () => {
  it('says nothing was saved, then lists the bad lines', () => {
    expect(uploadFailureLog(['line 2: x'])).toBe('1 bad line; nothing was saved.\nline 2: x');
  });

  it('lists at most the first lines in full', () => {
    const errors = Array.from({ length: 5 }, (_, i) => `line ${i + 2}: x`);
    expect(uploadFailureLog(errors, 3)).toBe(
      '5 bad lines; nothing was saved.\nline 2: x\nline 3: x\nline 4: x\n… and 2 more bad lines',
    );
  });
});
