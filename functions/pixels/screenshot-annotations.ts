import type { Anno2Zip } from '../anno2/anno2-service.js';
import { log } from '../common/log.js';
import { anno2Reference } from '../domain/annotations/anno2/anno2-answer.js';
import { type Anno2Limits, readAnno2 } from '../domain/annotations/anno2/anno2-zip.js';
import { type AnnotationQuestionType, DEFAULT_ANNOTATION_LIMITS } from '../domain/annotations/annotation-answer.js';
import { type AnnotationItem, parseAnnotationAnswer } from '../domain/annotations/annotation-model.js';
import { type Box, clipItems } from '../domain/annotations/clip-annotations.js';
import { isAnnotationType } from '../domain/questions/question-types.js';
import type { ResultsService } from '../scores/results-service.js';
import type { StudyImage, StudyQuestion } from '../studies/study-model.js';
import type { ScreenshotLayer } from './screenshot-renderer.js';

/** Colour of an annotation question without one in its configuration. */
const DEFAULT_COLOUR = '#ff0000';

export type LayersResult = { ok: true; layers: ScreenshotLayer[] } | { ok: false; reason: string };

export interface LayerOptions {
  /**
   * The level-0 region shown, and how far beyond it a coordinate's drawing reaches (level-0 pixels): items
   * that cannot show are left out before drawing, and only the mask tiles that meet it are decoded.
   */
  region?: Box;
  margin?: number;
  /** Reads an anno2 zip (`Anno2Service.zip`); without it, anno2 answers are left out. */
  anno2Zip?: (uuid: string) => Promise<Anno2Zip>;
  /** What an anno2 zip may expand to while it is read. */
  anno2Limits?: Anno2Limits;
}

/**
 * The layers a screenshot draws: `user`'s answers about the image (whole slide and TMA cores) to `questionName`
 * when given, else to every annotation question, each in its question's colour. An anno2 answer
 * (`[{"type":"anno2","annoUUID":…}]`) is drawn from its zip, read once: points, polygons (holes cut out),
 * heatmaps as items, a mask as its bitmap tiles. An answer that no longer parses, and an anno2 whose zip is
 * missing, too large or unreadable, is left out (the anno2 with a log line).
 */
export async function annotationLayers(
  scores: Pick<ResultsService, 'answers'>,
  image: StudyImage,
  questions: readonly StudyQuestion[],
  user: string,
  questionName: string | undefined,
  options: LayerOptions = {},
): Promise<LayersResult> {
  const live = questions.filter((q) => !q.removed);
  let wanted: StudyQuestion[];
  if (questionName !== undefined) {
    const lower = questionName.toLowerCase();
    const found = live.find((q) => q.name === questionName) ?? live.find((q) => q.name.toLowerCase() === lower);
    if (!found) return { ok: false, reason: `No question ${questionName} in study ${image.studyId}` };
    if (!isAnnotationType(found.type)) {
      return { ok: false, reason: `Question ${found.name} is a ${found.type} question, not an annotation question` };
    }
    wanted = [found];
  } else {
    wanted = live.filter((q) => isAnnotationType(q.type));
  }
  const byId = new Map(wanted.map((q) => [q.id, q]));
  const layers: ScreenshotLayer[] = [];
  const filter = {
    targets: [{ imageId: image.id }],
    user,
    ...(wanted.length === 1 ? { questionId: (wanted[0] as StudyQuestion).id } : {}),
  };
  for await (const answer of scores.answers(image.studyId, filter)) {
    const question = byId.get(answer.questionId);
    if (!question || answer.user.toLowerCase() !== user.toLowerCase()) continue;
    const colour = questionColour(question);
    const uuid = anno2Reference(answer.answer);
    if (uuid !== undefined) {
      const drawn = await anno2Layer(uuid, options);
      if (drawn) layers.push({ ...drawn, colour });
      continue;
    }
    const parsed = parseAnnotationAnswer(
      question.type as AnnotationQuestionType,
      answer.answer,
      DEFAULT_ANNOTATION_LIMITS,
    );
    if (!parsed.ok) continue;
    layers.push({ items: clip(parsed.items, options), colour });
  }
  return { ok: true, layers };
}

function clip(items: AnnotationItem[], options: LayerOptions): AnnotationItem[] {
  return options.region ? clipItems(items, options.region, options.margin) : items;
}

/** An anno2 answer's items (and mask tiles), clipped to the region; undefined (logged) when it cannot be read. */
async function anno2Layer(uuid: string, options: LayerOptions): Promise<Omit<ScreenshotLayer, 'colour'> | undefined> {
  if (!options.anno2Zip) return undefined;
  const skip = (reason: string) => {
    log.warn('GetScreenshot: anno2 answer skipped', { annoUUID: uuid, reason });
    return undefined;
  };
  let stored: Anno2Zip;
  try {
    stored = await options.anno2Zip(uuid);
  } catch (error) {
    return skip(`the zip could not be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!stored.ok) return skip(stored.reason);
  const m = options.margin ?? 0;
  const region = options.region;
  const read = readAnno2(stored.zip, options.anno2Limits, {
    masks: 'tiles',
    ...(region
      ? { region: { x: region.x - m, y: region.y - m, width: region.width + 2 * m, height: region.height + 2 * m } }
      : {}),
  });
  if (!read.ok) return skip(read.reason);
  const { items, masks } = read.anno2;
  return { items: clip(items, options), ...(masks ? { masks } : {}) };
}

/** The `#rrggbb` an annotation question's configuration starts with. */
export function questionColour(question: Pick<StudyQuestion, 'valuesAllowed'>): string {
  return /^\s*(#[0-9a-f]{6})\b/i.exec(question.valuesAllowed)?.[1] ?? DEFAULT_COLOUR;
}
