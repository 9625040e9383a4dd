/**
 * What the study config files say, as plain data. Parsers produce these values and writers turn them back into
 * file text; the values are JSON-friendly (no `undefined` inside arrays) so they can be stored and returned by
 * GetConfig as they are.
 */
import type { Question } from '../questions/question-types.js';

export type { Question };

/** Rights keywords of a `.emails` line, in the order writers list them. */
export const RIGHTS = ['canscore', 'canedit', 'cangetresults', 'viewonly'] as const;
export type Right = (typeof RIGHTS)[number];

/**
 * One user of a study. `email` is as first written (matched ignoring case). `rights` is never empty, has no repeats, follows the order of
 * RIGHTS, and holds `viewonly` only on its own (any other right already lets the user view).
 */
export interface StudyUser {
  email: string;
  rights: Right[];
}

export const ROTATIONS = [0, 90, 180, 270] as const;
export type Rotation = (typeof ROTATIONS)[number];

/**
 * One line of an `.images` file. Paths are relative to the upload root and use `/`. A field that is absent was
 * left out or empty in the file: Reimport then keeps what the image already has (or the default for a new one).
 */
export interface ImageEntry {
  path: string;
  /** Root-relative path of the TMA map file for this image. */
  tmaMap?: string;
  rotation?: Rotation;
  /** Display name; trimmed, never empty. */
  name?: string;
  /** The case the image is in: set by the `case: <name>` line above it in the file. */
  caseName?: string;
}

/** One TMA core; `row` and `col` are 0-based and equal its position in the grid. */
export interface TmaCore {
  row: number;
  col: number;
  sampleId: string;
  isControl: boolean;
}

/**
 * A TMA map. `grid` is rectangular (short rows are padded); `null` is a position with no core. Whether a core is a
 * control depends only on its sample ID (the file lists control IDs), so one ID is a control everywhere or nowhere.
 */
export interface TmaMap {
  /** Image names or paths the map applies to, as written (with `/`); Reimport matches them to the study's images. */
  tmas: string[];
  /** Replace a map already attached to those images. */
  force: boolean;
  grid: (TmaCore | null)[][];
  /** Where the cores sit on the slide, from the header (functions/domain/tma/tma-positions.ts); absent: an even grid. */
  layout?: TmaLayout;
}

/** Core positions in µm on the slide as displayed (after its rotation); each absent value takes its default. */
export interface TmaLayout {
  /** Centre of the top-left core. */
  originXUm?: number;
  originYUm?: number;
  /** Centre-to-centre distance between neighbouring columns and rows. */
  spacingXUm?: number;
  spacingYUm?: number;
  coreDiameterUm?: number;
}

/**
 * The `.config` file. An absent scalar was not given in the file (Reimport leaves the study's value as it is);
 * lists are empty when not given. Tags keep the spelling of their first mention and have no repeats (ignoring case).
 */
export interface StudySettings {
  label?: string;
  /** Root-relative folder the study's images are in, when it is not the folder named after the study. */
  folder?: string;
  description?: string;
  published?: boolean;
  organs: string[];
  diseases: string[];
  stainings: string[];
}
