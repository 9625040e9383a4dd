/**
 * The 20 question types of Slide Score, in the order of its numeric enum (reference §4.4, from the NKI fork's
 * `type_to_name`). `.scores` files, questionSpec strings and GetConfig use these names.
 */
export const QUESTION_TYPES = [
  'FreeText',
  'Integer',
  'Real',
  'DropDown',
  'PositiveNegative',
  'Intensities',
  'Percentage',
  'Checkbox',
  'ClickFriendly',
  'PercentageOnly',
  'IntensitiesOnly',
  'PositiveNegativeOnly',
  'ClickFriendlyOnly',
  'ClickFriendlyPollOnly',
  'Explanation',
  'HScore',
  'HScoreOnly',
  'AnnoPoints',
  'AnnoMeasure',
  'AnnoShapes',
] as const;

export type QuestionType = (typeof QUESTION_TYPES)[number];

const byLowerCase = new Map<string, QuestionType>(QUESTION_TYPES.map((t) => [t.toLowerCase(), t]));

/** The canonical name for a type name in any case, or undefined when it is not a Slide Score type. */
export function questionTypeNamed(name: string): QuestionType | undefined {
  return byLowerCase.get(name.trim().toLowerCase());
}

/** Types whose answers are annotation JSON and whose configuration starts with a `#rrggbb` colour. */
export function isAnnotationType(type: QuestionType): boolean {
  return type === 'AnnoPoints' || type === 'AnnoShapes' || type === 'AnnoMeasure';
}

/** Types whose configuration is a list of options separated by `;;`, one of which is the answer. */
export function isSelectionType(type: QuestionType): boolean {
  return (
    type === 'DropDown' ||
    type === 'Checkbox' ||
    type === 'ClickFriendly' ||
    type === 'ClickFriendlyOnly' ||
    type === 'ClickFriendlyPollOnly'
  );
}

/**
 * A study question as the domain sees it. `valuesAllowed` is the type's configuration text (options joined
 * by `;;`, or the annotation colour first), normalized by the `.scores` parser; GetConfig returns it under
 * that name.
 */
export interface Question {
  name: string;
  type: QuestionType;
  valuesAllowed: string;
}
