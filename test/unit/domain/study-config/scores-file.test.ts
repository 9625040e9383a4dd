import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QUESTION_TYPES } from '../../../../functions/domain/questions/question-types.js';
import {
  parseQuestionSpec,
  parseScoresFile,
  writeQuestionSpec,
  writeScoresFile,
} from '../../../../functions/domain/study-config/scores-file.js';
import { question, questions } from './arbitraries.js';

const FILE = 'study.Demo.scores';

describe('parseScoresFile', () => {
  it('reads the SDK test lines (TAB-separated)', () => {
    const text = [
      'Test question\tFreeText',
      'Options question\tClickFriendlyPollOnly\tOption1;;Option2;;Option3',
      'Test anno\tAnnoShapes\t#e6194b',
      'points\tAnnoPoints\t#e6194b',
      'Annotate shape\tAnnoShapes\t#FF0000',
    ].join('\n');
    const { value, problems } = parseScoresFile(FILE, text);
    expect(problems).toEqual([]);
    expect(value).toEqual([
      { name: 'Test question', type: 'FreeText', valuesAllowed: '' },
      { name: 'Options question', type: 'ClickFriendlyPollOnly', valuesAllowed: 'Option1;;Option2;;Option3' },
      { name: 'Test anno', type: 'AnnoShapes', valuesAllowed: '#e6194b' },
      { name: 'points', type: 'AnnoPoints', valuesAllowed: '#e6194b' },
      { name: 'Annotate shape', type: 'AnnoShapes', valuesAllowed: '#FF0000' },
    ]);
  });

  it('reads the ; form of the docs, keeping ;; options after the second ;', () => {
    const text =
      'Grade;DropDown;1;;2;;3\r\nComment;freetext\r\nKi67 %;PERCENTAGE;\r\nTumour;annoshapes;#00ff00;extra\r\n';
    const { value, problems } = parseScoresFile(FILE, text);
    expect(problems).toEqual([]);
    expect(value).toEqual([
      { name: 'Grade', type: 'DropDown', valuesAllowed: '1;;2;;3' },
      { name: 'Comment', type: 'FreeText', valuesAllowed: '' },
      { name: 'Ki67 %', type: 'Percentage', valuesAllowed: '' },
      { name: 'Tumour', type: 'AnnoShapes', valuesAllowed: '#00ff00;extra' },
    ]);
  });

  it('knows all 20 type names, in any case', () => {
    const text = QUESTION_TYPES.map(
      (type, i) => `Q${i}\t${type.toUpperCase()}\t${type.startsWith('Anno') ? '#123456' : 'x'}`,
    );
    const { value, problems } = parseScoresFile(FILE, text.join('\n'));
    expect(problems).toEqual([]);
    expect(value.map((q) => q.type)).toEqual([...QUESTION_TYPES]);
  });

  it('accepts single ; between options and stores them ;;-separated, trimmed, without repeats', () => {
    const { value, problems } = parseScoresFile(FILE, 'Grade\tCheckbox\t low ; high;;;high ;');
    expect(value).toEqual([{ name: 'Grade', type: 'Checkbox', valuesAllowed: 'low;;high' }]);
    expect(problems).toEqual([
      { file: FILE, line: 1, severity: 'warning', reason: 'repeated options of "Grade" were dropped' },
    ]);
  });

  it('gives annotation questions without colour a default one not used in the file', () => {
    const text = 'A\tAnnoPoints\nB\tAnnoShapes\t#E6194B\nC;AnnoMeasure;;note\n';
    const { value, problems } = parseScoresFile(FILE, text);
    expect(value.map((q) => q.valuesAllowed)).toEqual(['#3cb44b', '#E6194B', '#4363d8;note']);
    expect(problems).toEqual([
      {
        file: FILE,
        line: 1,
        severity: 'warning',
        reason: 'annotation question "A" has no colour; it gets #3cb44b',
      },
      {
        file: FILE,
        line: 3,
        severity: 'warning',
        reason: 'annotation question "C" has no colour; it gets #4363d8',
      },
    ]);
  });

  it('skips lines with errors', () => {
    const text = [
      'Just a name',
      '\tFreeText',
      'Q\tDropdwon\ta;;b',
      'Q\tDropDown',
      'Anno\tAnnoShapes\tred',
      'Anno\tAnnoShapes\t#ff00',
      'Ok\tInteger',
      'OK\tReal',
      'Lonely\t',
    ].join('\n');
    const { value, problems } = parseScoresFile(FILE, text);
    expect(value).toEqual([{ name: 'Ok', type: 'Integer', valuesAllowed: '' }]);
    expect(problems.map((p) => [p.line, p.severity, p.reason])).toEqual([
      [1, 'error', 'expected "name<TAB>type<TAB>configuration" or "name;type;configuration"; line skipped'],
      [2, 'error', 'the question has no name; line skipped'],
      [3, 'error', 'unknown question type "Dropdwon"; line skipped'],
      [4, 'error', 'DropDown question "Q" needs at least one option; line skipped'],
      [5, 'error', 'colour "red" of annotation question "Anno" must be #rrggbb, e.g. #e6194b; line skipped'],
      [6, 'error', 'colour "#ff00" of annotation question "Anno" must be #rrggbb, e.g. #e6194b; line skipped'],
      [8, 'error', 'question "OK" is already on line 7; line skipped'],
      [9, 'error', 'question "Lonely" has no type; line skipped'],
    ]);
  });

  it('reads a line with a TAB as TAB-separated, even if it has ;', () => {
    expect(parseScoresFile(FILE, 'Size; mm\tReal\tmin=0').value).toEqual([
      { name: 'Size; mm', type: 'Real', valuesAllowed: 'min=0' },
    ]);
  });
});

describe('parseQuestionSpec', () => {
  it('reads one line in either form', () => {
    expect(parseQuestionSpec('Grade;DropDown;1;;2;;3')).toEqual({
      value: { name: 'Grade', type: 'DropDown', valuesAllowed: '1;;2;;3' },
      problems: [],
    });
    expect(parseQuestionSpec('Mitosis\tAnnoPoints\t#ff0000\n').value).toEqual({
      name: 'Mitosis',
      type: 'AnnoPoints',
      valuesAllowed: '#ff0000',
    });
  });

  it('avoids the colours the study already uses', () => {
    const { value, problems } = parseQuestionSpec('Mitosis;AnnoPoints', { usedColours: ['#E6194B'] });
    expect(value?.valuesAllowed).toBe('#3cb44b');
    expect(problems[0]?.severity).toBe('warning');
  });

  it('refuses empty, multi-line and bad specs', () => {
    expect(parseQuestionSpec('')).toEqual({
      value: undefined,
      problems: [{ file: 'questionSpec', line: 1, severity: 'error', reason: 'questionSpec is empty' }],
    });
    expect(parseQuestionSpec('A\tFreeText\nB\tFreeText').problems[0]).toMatchObject({ line: 2, severity: 'error' });
    expect(parseQuestionSpec('A\tNope').problems[0]?.reason).toBe('unknown question type "Nope"');
  });
});

describe('writeScoresFile', () => {
  it('writes TAB-separated lines like the SDK', () => {
    expect(
      writeScoresFile([
        { name: 'Test question', type: 'FreeText', valuesAllowed: '' },
        { name: 'Options question', type: 'ClickFriendlyPollOnly', valuesAllowed: 'Option1;;Option2;;Option3' },
      ]),
    ).toBe('Test question\tFreeText\nOptions question\tClickFriendlyPollOnly\tOption1;;Option2;;Option3\n');
  });

  it('round-trips any questions, and any single question through questionSpec', () => {
    fc.assert(
      fc.property(questions, (model) => {
        expect(parseScoresFile(FILE, writeScoresFile(model))).toEqual({ value: model, problems: [] });
      }),
    );
    fc.assert(
      fc.property(question, (model) => {
        expect(parseQuestionSpec(writeQuestionSpec(model))).toEqual({ value: model, problems: [] });
      }),
    );
  });
});
