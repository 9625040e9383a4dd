import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  QUESTION_TYPES,
  type Question,
  type QuestionType,
} from '../../../../functions/domain/questions/question-types.js';
import { numericRange } from '../../../../functions/domain/results/answer-numbers.js';
import { optionsOf } from '../../../../functions/domain/results/answer-options.js';
import { type AnswerCheck, validateAnswer } from '../../../../functions/domain/results/answer-validation.js';

const question = (type: QuestionType, valuesAllowed = ''): Question => ({ name: 'Q', type, valuesAllowed });
const check = (type: QuestionType, answer: string, valuesAllowed = '') =>
  validateAnswer(question(type, valuesAllowed), answer);
const reasonOf = (result: AnswerCheck) => (result.ok ? undefined : result.reason);

describe('FreeText and Explanation', () => {
  it('takes any free text as it is', () => {
    for (const answer of ['', 'test answer 1', '  spaced\tand tabbed  ', '[{"x":1}']) {
      expect(check('FreeText', answer)).toEqual({ ok: true });
    }
  });

  it('takes no answer to an Explanation', () => {
    expect(check('Explanation', '')).toEqual({ ok: true });
    expect(reasonOf(check('Explanation', 'read me'))).toBe('an Explanation question takes no answer; leave it empty');
  });
});

describe('Integer and Real', () => {
  it.each([
    ['7', undefined],
    [' 42 ', '42'],
    ['+3', '3'],
    ['-0', '0'],
    ['007', '7'],
    ['5.0', '5'],
    ['5,00', '5'],
  ])('takes the whole number %j', (answer, normalized) => {
    expect(check('Integer', answer)).toEqual(normalized === undefined ? { ok: true } : { ok: true, normalized });
  });

  it.each(['', 'seven', '1.5', '1e3', '1 000', '99999999999999999999'])('refuses %j as an Integer', (answer) => {
    expect(reasonOf(check('Integer', answer))).toMatch(/is not a whole number$/);
  });

  it.each([
    ['3.5', undefined],
    ['3,5', '3.5'],
    ['.5', undefined],
    ['-2.', undefined],
    ['1e-05', undefined],
    ['+1E3', '1E3'],
  ])('takes the number %j', (answer, normalized) => {
    expect(check('Real', answer)).toEqual(normalized === undefined ? { ok: true } : { ok: true, normalized });
  });

  it.each(['', 'NaN', 'Infinity', '1,5,6', '1.000,5', '0x10', '1e999'])('refuses %j as a Real', (answer) => {
    expect(reasonOf(check('Real', answer))).toMatch(/is not a number$/);
  });

  it('enforces bounds only when the configuration is plainly min;max, min-max or min..max', () => {
    expect(numericRange('0;10')).toEqual({ min: 0, max: 10 });
    expect(numericRange(' 1 - 5 ')).toEqual({ min: 1, max: 5 });
    expect(numericRange('-5--1')).toEqual({ min: -5, max: -1 });
    expect(numericRange('0.5..2.5')).toEqual({ min: 0.5, max: 2.5 });
    for (const unclear of ['', '10;0', '0;10;1', 'min 0', '#ff0000']) expect(numericRange(unclear)).toBeUndefined();

    expect(check('Integer', '10', '0;10')).toEqual({ ok: true });
    expect(reasonOf(check('Integer', '11', '0;10'))).toBe('"11" is not between 0 and 10');
    expect(reasonOf(check('Real', '-5.5', '-5--1'))).toBe('"-5.5" is not between -5 and -1');
    expect(check('Real', '1e6', 'anything else')).toEqual({ ok: true });
  });
});

describe('percentages', () => {
  it.each([
    ['0', undefined],
    ['100', undefined],
    ['45.5', undefined],
    ['45,5', '45.5'],
    ['30%', '30'],
    [' 30 % ', '30'],
  ])('takes %j', (answer, normalized) => {
    for (const type of ['Percentage', 'PercentageOnly'] as const) {
      expect(check(type, answer)).toEqual(normalized === undefined ? { ok: true } : { ok: true, normalized });
    }
  });

  it('refuses numbers outside 0..100 and text', () => {
    expect(reasonOf(check('Percentage', '100.5'))).toBe('"100.5" is not between 0 and 100');
    expect(reasonOf(check('PercentageOnly', '-1'))).toBe('"-1" is not between 0 and 100');
    expect(reasonOf(check('Percentage', 'half'))).toBe('"half" is not a percentage (a number 0..100)');
  });
});

describe('selection questions', () => {
  const options = 'Option1;;Option2;;Option3';

  it('reads options split on ;; or any run of ;, as the .scores parser does', () => {
    expect(optionsOf(options)).toEqual(['Option1', 'Option2', 'Option3']);
    expect(optionsOf('A;B; C ;;;D;')).toEqual(['A', 'B', 'C', 'D']);
    expect(optionsOf('A;;A')).toEqual(['A']);
  });

  it.each(['DropDown', 'ClickFriendly', 'ClickFriendlyOnly', 'ClickFriendlyPollOnly', 'Checkbox'] as const)(
    '%s takes one option, in its configured spelling',
    (type) => {
      expect(check(type, 'Option2', options)).toEqual({ ok: true });
      expect(check(type, ' option2 ', options)).toEqual({ ok: true, normalized: 'Option2' });
    },
  );

  it('refuses anything else, listing the options', () => {
    expect(reasonOf(check('ClickFriendlyPollOnly', 'Option4', options))).toBe(
      '"Option4" is not one of "Option1", "Option2", "Option3"',
    );
    expect(reasonOf(check('DropDown', '', options))).toMatch(/^"" is not one of/);
    expect(reasonOf(check('DropDown', 'A', ''))).toBe('the question lists no options (its valuesAllowed is empty)');
  });

  it('matches case only when that is unambiguous', () => {
    expect(check('DropDown', 'a', 'A;;b;;B')).toEqual({ ok: true, normalized: 'A' });
    expect(check('DropDown', 'b', 'A;;b;;B')).toEqual({ ok: true });
    expect(check('DropDown', 'B', 'A;;b;;B')).toEqual({ ok: true });
    expect(check('DropDown', 'a', 'aa;;A;;a')).toEqual({ ok: true });
    expect(reasonOf(check('DropDown', 'AA', 'aa;;Aa'))).toMatch(/is not one of/);
  });

  it('lets a Checkbox tick several options, as a JSON list or joined by ; or ;;', () => {
    expect(check('Checkbox', '', options)).toEqual({ ok: true });
    expect(check('Checkbox', '[]', options)).toEqual({ ok: true });
    expect(check('Checkbox', '[]', '')).toEqual({ ok: true });
    expect(check('Checkbox', '["Option1","Option3"]', options)).toEqual({ ok: true });
    expect(check('Checkbox', '["option1", "Option3"]', options)).toEqual({
      ok: true,
      normalized: '["Option1","Option3"]',
    });
    expect(check('Checkbox', 'Option1;Option3', options)).toEqual({ ok: true });
    expect(check('Checkbox', 'option1;;Option3', options)).toEqual({ ok: true, normalized: 'Option1;;Option3' });
    expect(reasonOf(check('Checkbox', 'Option1;Nope', options))).toBe(
      '"Option1;Nope": "Nope" is not one of "Option1", "Option2", "Option3"',
    );
    expect(reasonOf(check('Checkbox', '["Option1",2]', options))).toMatch(/must hold only text/);
    expect(reasonOf(check('Checkbox', '[Option1', options))).toMatch(/not a JSON list of options/);
  });
});

describe('scales', () => {
  it('takes positive or negative in any case', () => {
    for (const type of ['PositiveNegative', 'PositiveNegativeOnly'] as const) {
      expect(check(type, 'positive')).toEqual({ ok: true });
      expect(check(type, 'Negative')).toEqual({ ok: true });
      expect(check(type, ' POSITIVE ')).toEqual({ ok: true, normalized: 'POSITIVE' });
      expect(reasonOf(check(type, '+'))).toBe('"+" is not "positive" or "negative"');
    }
  });

  it.each([
    ['0', undefined],
    ['1+', undefined],
    ['3+', undefined],
    ['2', '2+'],
    ['0+', '0'],
    ['Weak', '1+'],
    ['strong', '3+'],
  ])('takes the intensity %j', (answer, normalized) => {
    for (const type of ['Intensities', 'IntensitiesOnly'] as const) {
      expect(check(type, answer)).toEqual(normalized === undefined ? { ok: true } : { ok: true, normalized });
    }
  });

  it('refuses other intensities', () => {
    expect(reasonOf(check('Intensities', '4+'))).toBe('"4+" is not an intensity: 0, 1+, 2+ or 3+');
  });

  it.each([
    ['0', undefined],
    ['300', undefined],
    ['145,5', '145.5'],
    ['10;20;30', undefined],
    ['40;10;20;30', undefined],
    [' 10 ; 20,5 ; 30 ', '10;20.5;30'],
    ['33.3;33.3;33.3', undefined],
    ['0;33.3;33.3;33.3', undefined],
  ])('takes the H-score %j', (answer, normalized) => {
    for (const type of ['HScore', 'HScoreOnly'] as const) {
      expect(check(type, answer)).toEqual(normalized === undefined ? { ok: true } : { ok: true, normalized });
    }
  });

  it.each([
    ['301', /is not between 0 and 300/],
    ['high', /is not an H-score/],
    ['10;20', /has neither 3 .* nor 4/],
    ['50;40;30', /summing to 120, more than 100/],
    ['10;10;10;10', /has 4 percentages summing to 40, not 100/],
    ['10;x;10', /has a part that is not a percentage/],
    ['10;101;0', /has a part that is not a percentage/],
  ])('refuses the H-score %j', (answer, reason) => {
    expect(reasonOf(check('HScore', answer))).toMatch(reason);
  });
});

describe('annotation questions', () => {
  it('use the annotation validator', () => {
    expect(check('AnnoPoints', '[{"x":10,"y":10}]', '#e6194b')).toEqual({ ok: true });
    expect(check('AnnoShapes', '[]', '#e6194b')).toEqual({ ok: true });
    expect(reasonOf(check('AnnoShapes', '[{"x":10,"y":10}]'))).toMatch(/^item 1 needs a "type"/);
    expect(reasonOf(check('AnnoMeasure', ''))).toBe('empty; an annotation answer with nothing drawn is []');
  });

  it('take a reference to an anno2 zip for AnnoPoints and AnnoShapes, not AnnoMeasure', () => {
    const uuid = '0b5e8f0c-4f7e-4c1e-9a8e-2f1d3c4b5a69';
    const reference = `[{"type":"anno2","annoUUID":"${uuid}"}]`;
    expect(check('AnnoPoints', reference)).toEqual({ ok: true });
    expect(check('AnnoShapes', ` [ { "type": "anno2", "annoUUID": "${uuid}" } ] `)).toEqual({ ok: true });
    expect(reasonOf(check('AnnoMeasure', reference))).toMatch(/unknown type "anno2"/);
    for (const bad of [
      '[{"type":"anno2","annoUUID":"not-a-uuid"}]',
      `[{"type":"anno2","annoUUID":"${uuid.toUpperCase()}"}]`,
      `[{"type":"anno2","annoUUID":"${uuid}","extra":1}]`,
      `[{"type":"anno2","annoUUID":"${uuid}"},{"type":"anno2","annoUUID":"${uuid}"}]`,
    ]) {
      expect(check('AnnoShapes', bad).ok, bad).toBe(false);
    }
  });
});

describe('every type, fuzzed', () => {
  it('never throws, and a normalized answer is itself accepted unchanged', () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.constantFrom('1', '1,5', ' 2+ ', 'weak', 'Option1;option2', '["Option1"]', '10;20;30', '[]', '50 %'),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...QUESTION_TYPES),
        fc.constantFrom('', 'Option1;;Option2', '0;10', '#ff0000'),
        text,
        (type, config, answer) => {
          const result = validateAnswer(question(type, config), answer);
          if (result.ok && result.normalized !== undefined) {
            expect(validateAnswer(question(type, config), result.normalized)).toEqual({ ok: true });
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
