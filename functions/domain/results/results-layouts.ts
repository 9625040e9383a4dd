/**
 * The five row layouts of results TSV (reference §5.1, from the SDK's `toRow`), shared by the upload parser
 * and the export formatter so both agree on column order. The Answer is always the last column.
 */

export type TsvLayout = 'slide' | 'slideTma' | 'caseSlide' | 'caseSlideTma' | 'case';

export type TsvColumn =
  | 'CaseName'
  | 'ImageID'
  | 'Image Name'
  | 'By'
  | 'TMA Row'
  | 'TMA Col'
  | 'TMA Sample'
  | 'Question'
  | 'Answer';

/** Header names: `ImageID`, `Image Name`, `By`, `Question`, `Answer` are Slide Score's; the others are our choice. */
export const TSV_COLUMNS: Readonly<Record<TsvLayout, readonly TsvColumn[]>> = {
  slide: ['ImageID', 'Image Name', 'By', 'Question', 'Answer'],
  slideTma: ['ImageID', 'Image Name', 'By', 'TMA Row', 'TMA Col', 'TMA Sample', 'Question', 'Answer'],
  caseSlide: ['CaseName', 'ImageID', 'Image Name', 'By', 'Question', 'Answer'],
  caseSlideTma: ['CaseName', 'ImageID', 'Image Name', 'By', 'TMA Row', 'TMA Col', 'TMA Sample', 'Question', 'Answer'],
  case: ['CaseName', 'By', 'Question', 'Answer'],
};

/** The name of the optional trailing column some Slide Score exports add after Answer. */
export const LAST_MODIFIED_COLUMN = 'lastModifiedOn';

/** Zero-based position of a column in a layout, or -1 when the layout has no such column. */
export function columnIndex(layout: TsvLayout, column: TsvColumn): number {
  return TSV_COLUMNS[layout].indexOf(column);
}

/** What the rows of an export hold; the layout is the narrowest that fits them all. */
export interface LayoutNeeds {
  /** Some row belongs to a case (or is a case-level answer). */
  cases?: boolean;
  /** Some row is about an image. */
  images?: boolean;
  /** Some row is about a TMA core. */
  tma?: boolean;
}

/**
 * The layout for an export. A study mixing kinds of rows gets the widest layout any row needs, with empty cells
 * where a row has no value (no case, no image for a case-level answer, no core): one table a spreadsheet shows
 * in aligned columns, and that UploadResults reads back. With nothing to say (no rows), the whole-slide layout.
 */
export function tsvLayoutFor(needs: LayoutNeeds): TsvLayout {
  if (needs.tma) return needs.cases ? 'caseSlideTma' : 'slideTma';
  if (needs.images) return needs.cases ? 'caseSlide' : 'slide';
  return needs.cases ? 'case' : 'slide';
}
