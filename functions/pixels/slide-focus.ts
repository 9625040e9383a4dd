import { log } from '../common/log.js';
import { services } from '../common/services.js';
import { type FocusMeasure, isOutOfFocus } from '../slides/focus-measure.js';
import type { StudyImage } from '../studies/study-model.js';
import { ImageFileMissing } from './pixel-service.js';

/** How many images' stored measures Images reads at once. */
const LOOKUPS_AT_ONCE = 16;

/** The focus measure of an image's slide: stored by the pipeline, else measured now (and stored). */
export async function focusOf(image: StudyImage): Promise<FocusMeasure> {
  const { files, focus } = services();
  const file = await files.stat(image.path);
  if (!file) throw new ImageFileMissing(image);
  return focus.measure(file);
}

/** AddSlide's `isOOF`: measured now when the pipeline has not yet; a slide that cannot be measured is not flagged. */
export async function isImageOutOfFocus(image: StudyImage): Promise<boolean> {
  try {
    return isOutOfFocus(await focusOf(image));
  } catch (error) {
    log.warn('focus not measured', { path: image.path, reason: (error as Error).message });
    return false;
  }
}

/**
 * Images' `isOOF`: from stored measures only (a listing never reads pixels); false for a slide not measured
 * yet. Returns the flagged image IDs.
 */
export async function storedOutOfFocus(images: readonly StudyImage[]): Promise<Set<number>> {
  const { files, focus } = services();
  const flagged = new Set<number>();
  let next = 0;
  const worker = async () => {
    while (next < images.length) {
      const image = images[next++] as StudyImage;
      const file = await files.stat(image.path);
      const measure = file && (await focus.stored(file.uploadId));
      if (measure && isOutOfFocus(measure)) flagged.add(image.id);
    }
  };
  await Promise.all(Array.from({ length: Math.min(LOOKUPS_AT_ONCE, images.length) }, worker));
  return flagged;
}
