/** fast-check generators for the study-config models, within the invariants the models document. */
import fc from 'fast-check';
import { QUESTION_TYPES, type Question } from '../../../../functions/domain/questions/question-types.js';
import {
  type ImageEntry,
  RIGHTS,
  type Right,
  ROTATIONS,
  type StudySettings,
  type StudyUser,
  type TmaCore,
  type TmaMap,
} from '../../../../functions/domain/study-config/model.js';

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export const word = (chars = LETTERS, maxLength = 10) =>
  fc.string({ unit: fc.constantFrom(...chars), minLength: 1, maxLength });

/** Trimmed, single-line text with inner spaces and the odd punctuation and non-ASCII letter. */
export const text = (extra = '') =>
  fc
    .array(word(`${LETTERS}-_.()'é${extra}`), { minLength: 1, maxLength: 4 })
    .map((words) => words.join(' '))
    .filter((t) => t.trim() === t);

export const email = fc
  .tuple(word(`${LETTERS}._+-`), fc.array(word('abcdefghijklmnopqrstuvwxyz0123456789'), { minLength: 2, maxLength: 3 }))
  .map(([local, labels]) => `${local}@${labels.join('.')}`.toLowerCase())
  .filter((e) => !/^\.|\.\.|\.@/.test(e));

export const rights: fc.Arbitrary<Right[]> = fc.oneof(
  fc.constant<Right[]>(['viewonly']),
  fc.subarray(
    RIGHTS.filter((r) => r !== 'viewonly'),
    { minLength: 1 },
  ),
);

export const users: fc.Arbitrary<StudyUser[]> = fc.uniqueArray(fc.record({ email, rights }), {
  selector: (u) => u.email,
  maxLength: 8,
});

/** A file or folder name: no `;`, no `/`, never `.` or `..`. */
const segment = fc
  .tuple(word(`${LETTERS}_-`), fc.option(word('abcdefghijklmnopqrstuvwxyz', 4), { nil: undefined }))
  .map(([base, extension]) => (extension ? `${base}.${extension}` : base));

export const rootPath = fc.array(segment, { minLength: 1, maxLength: 3 }).map((parts) => parts.join('/'));

export const images: fc.Arbitrary<ImageEntry[]> = fc.uniqueArray(
  fc.record(
    {
      path: rootPath,
      tmaMap: rootPath,
      rotation: fc.constantFrom(...ROTATIONS),
      name: text(';,:'),
    },
    { requiredKeys: ['path'] },
  ),
  { selector: (i) => i.path, maxLength: 8 },
);

const sampleId = text('+#').filter((id) => !id.includes(','));

export const tmaMap: fc.Arbitrary<TmaMap> = fc
  .record({
    tmas: fc.uniqueArray(rootPath, { maxLength: 3 }),
    force: fc.boolean(),
    ids: fc.uniqueArray(sampleId, { minLength: 1, maxLength: 6 }),
    controlShare: fc.double({ min: 0, max: 1, noNaN: true }),
    width: fc.integer({ min: 1, max: 6 }),
    height: fc.integer({ min: 1, max: 5 }),
    picks: fc.array(fc.integer({ min: -3, max: 5 }), { minLength: 30, maxLength: 30 }),
  })
  .map(({ tmas, force, ids, controlShare, width, height, picks }) => {
    const controls = new Set(ids.filter((_, i) => i < ids.length * controlShare));
    const grid = Array.from({ length: height }, (_, row) =>
      Array.from({ length: width }, (_, col): TmaCore | null => {
        const pick = picks[(row * width + col) % picks.length] ?? 0;
        const sample = pick < 0 ? undefined : ids[pick % ids.length];
        return sample === undefined ? null : { row, col, sampleId: sample, isControl: controls.has(sample) };
      }),
    );
    return { tmas, force, grid };
  });

const tags = fc.uniqueArray(text(), { maxLength: 4, selector: (t) => t.toLowerCase() });

export const settings: fc.Arbitrary<StudySettings> = fc.record(
  {
    label: text(':;,'),
    folder: rootPath,
    description: text(':;,<>/'),
    published: fc.boolean(),
    organs: tags,
    diseases: tags,
    stainings: tags,
  },
  { requiredKeys: ['organs', 'diseases', 'stainings'] },
);

const colour = fc
  .string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF'), minLength: 6, maxLength: 6 })
  .map((hex) => `#${hex}`);

export const question: fc.Arbitrary<Question> = fc
  .record({ name: text(';:,#'), type: fc.constantFrom(...QUESTION_TYPES) })
  .chain(({ name, type }) => {
    const valuesAllowed = ['AnnoPoints', 'AnnoMeasure', 'AnnoShapes'].includes(type)
      ? fc.tuple(colour, fc.option(text(), { nil: undefined })).map(([c, rest]) => (rest ? `${c};${rest}` : c))
      : ['DropDown', 'Checkbox', 'ClickFriendly', 'ClickFriendlyOnly', 'ClickFriendlyPollOnly'].includes(type)
        ? fc.uniqueArray(text(), { minLength: 1, maxLength: 5 }).map((options) => options.join(';;'))
        : fc.oneof(fc.constant(''), text(';:'));
    return valuesAllowed.map((v) => ({ name, type, valuesAllowed: v }));
  });

export const questions: fc.Arbitrary<Question[]> = fc.uniqueArray(question, {
  selector: (q) => q.name.toLowerCase(),
  maxLength: 8,
});

/** Text made mostly of the characters the parsers care about, so fuzzing reaches their branches. */
export const configLikeText = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.string({
    unit: fc.constantFrom(
      ...'ab1.@;,:\t \n\r\r\n/\\#\uFEFF\u0000é'.split(''),
      '..',
      ';;',
      'canscore',
      'tmas:',
      '0',
      'constructor',
      '__proto__',
      'organs',
    ),
  }),
);
