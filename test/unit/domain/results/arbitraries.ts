import fc from 'fast-check';
import { checkField } from '../../../../functions/domain/limits/field-limits.js';
import type { ScoreRow } from '../../../../functions/domain/results/results-format.js';

/** Text for one cell other than the answer: no TAB or line break, no `@`, no surrounding spaces (cells are trimmed). */
export const cellText = fc
  .string({
    unit: fc.constantFrom('a', 'B', 'z', '0', '7', ' ', '-', '.', 'é', '中', '😀', '#', ';', '"'),
    minLength: 1,
  })
  .map((s) => s.trim())
  .filter((s) => s !== '' && s !== 'None');

/** Question names start with a letter: a whole-number question name could read as a TMA column. */
export const questionName = fc
  .tuple(fc.constantFrom('Q', 'Ki67', 'Tumor'), fc.option(cellText))
  .map(([a, b]) => (b === null ? a : `${a} ${b}`));

export const emailArb = fc
  .tuple(
    fc.stringMatching(/^[a-z0-9]([a-z0-9._+-]{0,10}[a-z0-9])?$/),
    fc.stringMatching(/^[a-z]{1,8}$/),
    fc.constantFrom('nl', 'com', 'org'),
  )
  .filter(([local]) => !local.includes('..'))
  .map(([local, domain, tld]) => `${local}@${domain}.${tld}`);

/**
 * Any answer a TSV line can carry: no control character but TAB (line breaks end a row; others are refused,
 * docs/api.md "Input limits").
 */
export const answerArb = fc.oneof(
  fc
    .string({ unit: 'binary' })
    .map((s) => [...s].filter((c) => c === '\t' || checkField('name', c) === undefined).join('')),
  fc.constantFrom('[]', '[{"x":1,"y":2}]', 'Option2', '1+', 'a\tb', ''),
);

export type RowKind = 'slide' | 'tma' | 'case';

/** A score row of one kind, with or without a case (case-level rows always have one). */
export function scoreRow(kind: RowKind, inCase: boolean): fc.Arbitrary<ScoreRow> {
  return fc
    .record({
      id: fc.nat(),
      imageId: fc.integer({ min: 1, max: 10_000_000 }),
      imageName: fc.oneof(cellText, fc.constant('')),
      caseName: cellText,
      user: emailArb,
      question: questionName,
      answer: answerArb,
      tmaRow: fc.nat(30),
      tmaCol: fc.nat(30),
      tmaSampleId: fc.oneof(cellText, fc.constant('')),
      lastModifiedOn: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
    })
    .map(({ imageId, imageName, caseName, tmaRow, tmaCol, tmaSampleId, ...rest }) => ({
      ...rest,
      ...(kind !== 'case' ? { imageId, imageName } : {}),
      ...(kind === 'case' || inCase ? { caseName } : {}),
      ...(kind === 'tma' ? { tmaRow, tmaCol, tmaSampleId } : {}),
    }));
}

/** Rows of a study that may mix every kind. */
export const mixedRows = fc.array(
  fc
    .tuple(fc.constantFrom<RowKind>('slide', 'tma', 'case'), fc.boolean())
    .chain(([kind, inCase]) => scoreRow(kind, inCase)),
  { maxLength: 12 },
);
