/**
 * Which study question each ASAP annotation answers (reference §7.2), as a pure function of the parsed file,
 * the study's questions and the optional `questionsMap`.
 *
 * - With a map: each line is `<key>;<question name>`. An annotation matches a key by its colour (hex compared
 *   without case, with or without `#`, #rgb read as #rrggbb) or else by its group name (exact). Annotations that
 *   match no key are ignored.
 * - Without a map: one question per colour, named after the annotations' group (else the colour, as #rrggbb);
 *   when one colour holds both points (Dot, PointSet) and shapes, two questions, suffixed " (Dot)" and
 *   " (Polygon)"; when two colours share a group name, the colour is appended (" #rrggbb"). Points go to an
 *   AnnoPoints question, shapes to an AnnoShapes one, in that colour. A question of that name that already
 *   exists with that type is reused, not created again.
 * - Polygon, Spline and any unknown type → polygon (Slidescape reads unknown types as polygons too);
 *   Rectangle → rect (the box around its corners); Dot and PointSet → one point per coordinate. Annotations
 *   without coordinates are skipped. All mapped annotations of one question make one answer, in file order.
 * - `annotationName` becomes every answer's `label`: it travels beside the answer, not inside its JSON.
 */
import type { AnnotationItem, Point } from './annotation-model.js';
import type { AsapAnnotation, AsapDocument } from './asap-xml-reader.js';

export interface StudyQuestion {
  name: string;
  /** The question type as the study's scores file names it (AnnoPoints, AnnoShapes, FreeText…). */
  type: string;
  color?: string;
}

export type AsapTargetType = 'AnnoPoints' | 'AnnoShapes' | 'AnnoMeasure';

export interface AsapAnswer {
  question: string;
  questionType: AsapTargetType;
  items: AnnotationItem[];
  /** The import's `annotationName`, when given. */
  label?: string;
}

export interface NewQuestion {
  name: string;
  type: 'AnnoPoints' | 'AnnoShapes';
  /** #rrggbb, lower case. */
  color: string;
}

export type AsapMapping =
  | { ok: true; answers: AsapAnswer[]; newQuestions: NewQuestion[]; ignored: number }
  | { ok: false; reason: string };

export interface AsapMappingOptions {
  questionsMap?: string;
  annotationName?: string;
}

/** Maps parsed ASAP annotations to answers (and, without a map, to the questions to create first). */
export function mapAsapToAnswers(
  document: AsapDocument,
  questions: readonly StudyQuestion[],
  options: AsapMappingOptions = {},
): AsapMapping {
  const map = options.questionsMap?.trim() ? options.questionsMap : undefined;
  return map === undefined
    ? mapToNewQuestions(document, questions, options.annotationName)
    : mapWithQuestionsMap(document, questions, map, options.annotationName);
}

/** `#e6194b`, `E6194B`, `#E19` → `e6194b`; anything else → undefined. */
export function normalizeColour(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const hex = value.trim().replace(/^#/, '').toLowerCase();
  if (/^[0-9a-f]{6}$/.test(hex)) return hex;
  if (/^[0-9a-f]{3}$/.test(hex)) return hex.replace(/./g, (c) => c + c);
  return undefined;
}

type Kind = 'points' | 'shapes';

function kindOf(annotation: AsapAnnotation): Kind {
  const type = annotation.type.toLowerCase();
  return type === 'dot' || type === 'pointset' ? 'points' : 'shapes';
}

function itemsOf(annotation: AsapAnnotation): AnnotationItem[] {
  const coordinates = annotation.coordinates;
  if (coordinates.length === 0) return [];
  if (kindOf(annotation) === 'points') return coordinates.map((p) => ({ type: 'point', x: p.x, y: p.y }));
  if (annotation.type.toLowerCase() === 'rectangle') {
    const box = boxOf(coordinates);
    return [
      { type: 'rect', corner: { x: box.minX, y: box.minY }, size: { x: box.maxX - box.minX, y: box.maxY - box.minY } },
    ];
  }
  return [{ type: 'polygon', points: coordinates.map((p) => ({ x: p.x, y: p.y })) }];
}

function boxOf(points: readonly Point[]) {
  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (const p of points) {
    minX = Math.min(minX, p.x);
    minY = Math.min(minY, p.y);
    maxX = Math.max(maxX, p.x);
    maxY = Math.max(maxY, p.y);
  }
  return { minX, minY, maxX, maxY };
}

function describe(annotation: AsapAnnotation, index: number): string {
  const name = annotation.name ? ` "${annotation.name.slice(0, 60)}"` : '';
  return `annotation ${index + 1}${name} (${annotation.type || 'no Type'})`;
}

function targetType(question: StudyQuestion): AsapTargetType | undefined {
  const type = question.type.toLowerCase();
  if (type === 'annopoints') return 'AnnoPoints';
  if (type === 'annoshapes') return 'AnnoShapes';
  if (type === 'annomeasure') return 'AnnoMeasure';
  return undefined;
}

/** Appends one annotation's items to the answer for a question, refusing a kind the question cannot hold. */
function addTo(
  answers: Map<string, AsapAnswer>,
  question: StudyQuestion,
  type: AsapTargetType,
  annotation: AsapAnnotation,
  index: number,
  label: string | undefined,
): string | undefined {
  const kind = kindOf(annotation);
  if (kind === 'points' && type !== 'AnnoPoints') {
    return `${describe(annotation, index)} holds points, but question "${question.name}" is ${type}; map points to an AnnoPoints question`;
  }
  if (kind === 'shapes' && type === 'AnnoPoints') {
    return `${describe(annotation, index)} is a shape, but question "${question.name}" is AnnoPoints; map shapes to an AnnoShapes question`;
  }
  let answer = answers.get(question.name);
  if (!answer) {
    answer = { question: question.name, questionType: type, items: [] };
    if (label !== undefined) answer.label = label;
    answers.set(question.name, answer);
  }
  for (const item of itemsOf(annotation)) answer.items.push(item);
  return undefined;
}

function mapWithQuestionsMap(
  document: AsapDocument,
  questions: readonly StudyQuestion[],
  questionsMap: string,
  label: string | undefined,
): AsapMapping {
  const byName = new Map(questions.map((q) => [q.name, q]));
  const byColour = new Map<string, StudyQuestion>();
  const byGroup = new Map<string, StudyQuestion>();
  const lines = questionsMap.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).trim();
    if (line === '') continue;
    const where = `questionsMap line ${i + 1}`;
    const split = line.indexOf(';');
    if (split < 0)
      return { ok: false, reason: `${where}: "${line.slice(0, 80)}" needs the form <colour or group>;<question name>` };
    const key = line.slice(0, split).trim();
    const name = line.slice(split + 1).trim();
    if (key === '' || name === '')
      return { ok: false, reason: `${where}: both the colour (or group) and the question name are needed` };
    const question = byName.get(name);
    if (!question) return { ok: false, reason: `${where}: the study has no question "${name.slice(0, 80)}"` };
    if (!targetType(question)) {
      return {
        ok: false,
        reason: `${where}: question "${name}" is ${question.type}; annotations go to AnnoPoints or AnnoShapes questions`,
      };
    }
    const colour = normalizeColour(key);
    for (const [table, k] of [
      [byColour, colour],
      [byGroup, key],
    ] as const) {
      if (k === undefined) continue;
      const earlier = table.get(k);
      if (earlier && earlier.name !== name) {
        return { ok: false, reason: `${where}: "${key}" is already mapped to question "${earlier.name}"` };
      }
      table.set(k, question);
    }
  }

  const answers = new Map<string, AsapAnswer>();
  let ignored = 0;
  for (let i = 0; i < document.annotations.length; i++) {
    const annotation = document.annotations[i] as AsapAnnotation;
    const colour = normalizeColour(annotation.color);
    const question =
      (colour !== undefined ? byColour.get(colour) : undefined) ??
      (annotation.group !== undefined ? byGroup.get(annotation.group) : undefined);
    if (!question || annotation.coordinates.length === 0) {
      ignored++;
      continue;
    }
    const refusal = addTo(answers, question, targetType(question) as AsapTargetType, annotation, i, label);
    if (refusal) return { ok: false, reason: refusal };
  }
  return { ok: true, answers: [...answers.values()], newQuestions: [], ignored };
}

function mapToNewQuestions(
  document: AsapDocument,
  questions: readonly StudyQuestion[],
  label: string | undefined,
): AsapMapping {
  const groupColours = new Map(document.groups.map((g) => [g.name, normalizeColour(g.color)]));
  const colourOf = (a: AsapAnnotation) =>
    normalizeColour(a.color) ?? (a.group !== undefined ? groupColours.get(a.group) : undefined) ?? '000000';

  // First pass: per colour, its group name and which kinds it holds.
  const colours = new Map<string, { group: string | undefined; kinds: Set<Kind> }>();
  let ignored = 0;
  for (const annotation of document.annotations) {
    if (annotation.coordinates.length === 0) continue;
    const colour = colourOf(annotation);
    const entry = colours.get(colour) ?? { group: undefined, kinds: new Set<Kind>() };
    entry.group ??= annotation.group;
    entry.kinds.add(kindOf(annotation));
    colours.set(colour, entry);
  }
  const groupUse = new Map<string, number>();
  for (const { group } of colours.values())
    if (group !== undefined) groupUse.set(group, (groupUse.get(group) ?? 0) + 1);

  const existing = new Map(questions.map((q) => [q.name, q]));
  const target = new Map<string, StudyQuestion>(); // `${colour} ${kind}` → question
  const newQuestions: NewQuestion[] = [];
  for (const [colour, { group, kinds }] of colours) {
    let base = group ?? `#${colour}`;
    if (group !== undefined && (groupUse.get(group) ?? 0) > 1) base = `${group} #${colour}`;
    for (const kind of kinds) {
      const type = kind === 'points' ? 'AnnoPoints' : 'AnnoShapes';
      const name = kinds.size > 1 ? `${base} (${kind === 'points' ? 'Dot' : 'Polygon'})` : base;
      const found = existing.get(name);
      if (found && targetType(found) !== type && !(type === 'AnnoShapes' && targetType(found) === 'AnnoMeasure')) {
        return {
          ok: false,
          reason: `the study already has a question "${name}" of type ${found.type}, and the ${kind} coloured #${colour} need a new ${type} question of that name; pass a questionsMap`,
        };
      }
      const question = found ?? { name, type, color: `#${colour}` };
      if (!found) newQuestions.push({ name, type, color: `#${colour}` });
      target.set(`${colour} ${kind}`, question);
    }
  }

  const answers = new Map<string, AsapAnswer>();
  for (let i = 0; i < document.annotations.length; i++) {
    const annotation = document.annotations[i] as AsapAnnotation;
    if (annotation.coordinates.length === 0) {
      ignored++;
      continue;
    }
    const question = target.get(`${colourOf(annotation)} ${kindOf(annotation)}`) as StudyQuestion;
    const refusal = addTo(answers, question, targetType(question) as AsapTargetType, annotation, i, label);
    if (refusal) return { ok: false, reason: refusal };
  }
  return { ok: true, answers: [...answers.values()], newQuestions, ignored };
}
