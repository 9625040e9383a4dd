import type { AnnotationQuestionType } from '../domain/annotations/annotation-answer.js';
import { formatAnnotationAnswer, parseAnnotationAnswer } from '../domain/annotations/annotation-model.js';
import { mapAsapToAnswers } from '../domain/annotations/asap-mapping.js';
import { readAsapXml } from '../domain/annotations/asap-xml-reader.js';
import { type AsapExportAnswer, writeAsapXml } from '../domain/annotations/asap-xml-writer.js';
import { isAnnotationType } from '../domain/questions/question-types.js';
import type { StudyImage, StudyQuestion } from '../studies/study-model.js';
import type { StudyRepository } from '../studies/study-repository.js';
import type { ResultsService } from './results-service.js';
import type { NewAnswer } from './score-repository.js';

export interface AsapImport {
  image: StudyImage;
  user: string;
  xml: string;
  questionsMap?: string | undefined;
  annotationName?: string | undefined;
  /** Whether the caller may create questions (CanManageStudies): needed when there is no questionsMap. */
  mayCreateQuestions: boolean;
}

export type AsapImportOutcome =
  | { ok: true; answers: number; ignored: number; questionsCreated: number }
  | { ok: false; reason: 'refused'; log: string }
  | { ok: false; reason: 'may not create questions'; log: string };

/**
 * ASAP XML in and out of a study's answers (docs/annotations.md, "ASAP XML"): the file is parsed (streaming,
 * no DOCTYPE) and mapped (asap-mapping.ts) before anything is written; then the questions it needs are created
 * (without a questionsMap) and its answers saved through ResultsService.saveAnswers, each replacing that user's
 * previous answer to that question on that image.
 */
export class AsapAnnotations {
  constructor(
    private readonly studies: Pick<StudyRepository, 'loadContents' | 'addQuestions'>,
    private readonly results: Pick<ResultsService, 'saveAnswers' | 'answers'>,
    private readonly maxAnswerBytes: () => number,
  ) {}

  async import(request: AsapImport): Promise<AsapImportOutcome> {
    const studyId = request.image.studyId;
    const parsed = await readAsapXml(request.xml);
    if (!parsed.ok) return { ok: false, reason: 'refused', log: `asapAnnotation: ${parsed.reason}` };
    const contents = await this.studies.loadContents(studyId);
    if (!contents) return { ok: false, reason: 'refused', log: `No study ${studyId}` };
    const active = contents.questions.filter((q) => !q.removed);
    const mapping = mapAsapToAnswers(parsed.document, active, {
      ...(request.questionsMap !== undefined ? { questionsMap: request.questionsMap } : {}),
      ...(request.annotationName !== undefined ? { annotationName: request.annotationName } : {}),
    });
    if (!mapping.ok) return { ok: false, reason: 'refused', log: mapping.reason };
    if (mapping.newQuestions.length > 0 && !request.mayCreateQuestions) {
      return {
        ok: false,
        reason: 'may not create questions',
        log: 'Without a questionsMap the import creates a question per colour, which needs CanManageStudies; pass a questionsMap',
      };
    }
    // Every answer is built and measured before any question is created, so a refusal writes nothing.
    const texts = mapping.answers.map((answer) => formatAnnotationAnswer(answer.items));
    for (const [i, text] of texts.entries()) {
      const bytes = Buffer.byteLength(text);
      if (bytes > this.maxAnswerBytes()) {
        return {
          ok: false,
          reason: 'refused',
          log: `The answer to "${mapping.answers[i]?.question}" is ${bytes} bytes; at most ${this.maxAnswerBytes()} can be stored`,
        };
      }
    }
    const byName = new Map(active.map((q) => [q.name, q]));
    if (mapping.newQuestions.length > 0) {
      let order = contents.questions.reduce((max, q) => Math.max(max, q.order + 1), 0);
      const added = await this.studies.addQuestions(
        studyId,
        mapping.newQuestions.map((q) => ({ name: q.name, type: q.type, valuesAllowed: q.color, order: order++ })),
      );
      for (const q of added) byName.set(q.name, q);
      // A question added meanwhile under the same name (ignoring case) by someone else: read it back.
      if (mapping.newQuestions.some((q) => !byName.has(q.name))) {
        const again = await this.studies.loadContents(studyId);
        for (const q of again?.questions ?? []) if (!q.removed) byName.set(q.name, q);
      }
    }
    const answers: NewAnswer[] = [];
    for (const [i, answer] of mapping.answers.entries()) {
      const question = byName.get(answer.question);
      if (!question) return { ok: false, reason: 'refused', log: `The study has no question "${answer.question}"` };
      answers.push({
        imageId: request.image.id,
        questionId: question.id,
        user: request.user,
        answer: texts[i] as string,
        ...(answer.label !== undefined ? { label: answer.label } : {}),
      });
    }
    if (answers.length > 0) {
      const saved = await this.results.saveAnswers(studyId, answers);
      if (!saved.ok) return { ok: false, reason: 'refused', log: 'log' in saved ? saved.log : `No study ${studyId}` };
    }
    return {
      ok: true,
      answers: answers.length,
      ignored: mapping.ignored,
      questionsCreated: mapping.newQuestions.length,
    };
  }

  /**
   * The user's answer to the question on the image as ASAP XML chunks, or undefined when there is no such
   * answer (an empty file is written then by the caller's choice). Throws nothing for a question that is not an
   * annotation question: the caller checks.
   */
  async export(image: StudyImage, question: StudyQuestion, user: string): Promise<Generator<string>> {
    let found: string | undefined;
    for await (const answer of this.results.answers(image.studyId, {
      targets: [{ imageId: image.id }],
      questionId: question.id,
      user,
    })) {
      // Whole-slide answers only: TMA cores have their own answers, which ASAP has no place for.
      if (answer.imageId === image.id && answer.tmaRow === undefined) found = answer.answer;
    }
    const answers: AsapExportAnswer[] = [];
    if (found !== undefined && found.trim() !== '') {
      const parsed = parseAnnotationAnswer(question.type as AnnotationQuestionType, found);
      if (parsed.ok) answers.push({ question: question.name, color: questionColour(question), items: parsed.items });
    }
    return writeAsapXml(answers);
  }
}

/** Whether answers to the question are annotations (the only ones ASAP can hold). */
export function isAnnotationQuestion(question: StudyQuestion): boolean {
  return isAnnotationType(question.type);
}

/** The question's colour (the first field of an annotation question's configuration), as #rrggbb. */
export function questionColour(question: StudyQuestion): string {
  const first = question.valuesAllowed.split(';')[0]?.trim() ?? '';
  return /^#[0-9a-fA-F]{6}$/.test(first) ? first.toLowerCase() : '#000000';
}
