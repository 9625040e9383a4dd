import type { ScoreRow } from '../domain/results/results-format.js';
import { columnIndex, type TsvLayout, tsvLayoutFor } from '../domain/results/results-layouts.js';
import type { StudyContents } from '../studies/study-model.js';
import type { StoredAnswer, StudyAnswerSummary } from './score-repository.js';

/**
 * Turns stored answers (IDs) into export rows (names), from the study's images, cases and questions held in
 * maps: a study with a million answers has a few thousand images, so the maps stay small.
 * Names are the current ones: an image renamed or moved to another case is exported under its new name and case.
 */
export class ScoreRowNamer {
  private readonly images = new Map<number, { name: string; caseId?: number }>();
  private readonly cases = new Map<number, string>();
  private readonly questions = new Map<number, string>();

  constructor(contents: StudyContents) {
    // Answers on a slide removed by DeleteSlide are left out until Reimport or AddSlide brings it back.
    for (const image of contents.images) {
      if (!image.removed) this.images.set(image.id, { name: image.name, caseId: image.caseId });
    }
    for (const c of contents.cases) this.cases.set(c.id, c.name);
    for (const question of contents.questions) this.questions.set(question.id, question.name);
  }

  /** The row, or undefined when the study no longer has the answer's image, case or question. */
  row(answer: StoredAnswer): ScoreRow | undefined {
    const question = this.questions.get(answer.questionId);
    if (question === undefined) return undefined;
    if (answer.imageId === undefined) {
      const caseName = this.cases.get(answer.caseId ?? -1);
      if (caseName === undefined) return undefined;
      return {
        id: answer.id,
        caseName,
        user: answer.user,
        question,
        answer: answer.answer,
        lastModifiedOn: answer.lastModifiedOn,
      };
    }
    const image = this.images.get(answer.imageId);
    if (!image) return undefined;
    // One object literal (this runs once per exported answer); an image in no case keeps caseName undefined,
    // which every formatter reads as absent.
    const row: ScoreRow = {
      id: answer.id,
      imageId: answer.imageId,
      imageName: image.name,
      caseName: image.caseId === undefined ? undefined : this.cases.get(image.caseId),
      user: answer.user,
      question,
      answer: answer.answer,
      lastModifiedOn: answer.lastModifiedOn,
    };
    if (answer.tmaRow !== undefined) {
      row.tmaRow = answer.tmaRow;
      row.tmaCol = answer.tmaCol;
      row.tmaSampleId = answer.tmaSampleId ?? '';
    }
    return row;
  }
}

/**
 * The TSV layout of a study's export, chosen before the first row is read (the header comes first) from
 * study-level facts: what kinds of answers the score store says the study holds, and whether any image of the
 * study is in a case. Filtered exports use the study's layout too, so every download of a study has one shape.
 */
export function studyTsvLayout(summary: StudyAnswerSummary, contents: StudyContents): TsvLayout {
  const imagesInCases = contents.images.some((image) => image.caseId !== undefined);
  return tsvLayoutFor({
    images: summary.images,
    tma: summary.tma,
    cases: summary.cases || (summary.images && imagesInCases),
  });
}

/**
 * Whether a row has a column for everything it holds. Only a row of a new kind written while the export runs
 * (after its layout was chosen) can fail this; such a row is left out of that export.
 */
export function fitsLayout(row: ScoreRow, layout: TsvLayout): boolean {
  return (
    (row.caseName === undefined || columnIndex(layout, 'CaseName') >= 0) &&
    (row.imageId === undefined || columnIndex(layout, 'ImageID') >= 0) &&
    (row.tmaRow === undefined || columnIndex(layout, 'TMA Row') >= 0)
  );
}
