import { log } from '../common/log.js';
import { isRetryable } from '../common/retryable.js';
import { services } from '../common/services.js';
import { slideFormatOf } from '../domain/slides/slide-format.js';
import { SlideOpenError } from '../slides/index.js';

/**
 * The slide-committed pipeline: the steps run once for every committed file that is a slide, in the S3-event
 * function that also runs automatic imports. Its first step is the slide index (and, for untiled images, the
 * derived tiled pyramid), so that the first tile of a fresh slide costs two reads. Its second renders the
 * overview and keeps the label and macro images (SlideRenditions), for screenshots; its third is the focus
 * measure (FocusStore, docs/administration.md). A file that is not a slide is left alone; one that cannot be
 * opened is logged (its pixel calls will name the reason); a passing storage fault is thrown to be retried.
 */
export async function runSlideCommittedPipeline(path: string): Promise<void> {
  const { files, slides, renditions } = services();
  const file = await files.stat(path);
  if (!file?.head || !slideFormatOf(Buffer.from(file.head, 'base64'))) return;
  const started = Date.now();
  try {
    const stored = await slides.prepare(file, { derive: true });
    log.info('slide indexed', {
      path,
      levels: stored.index.levels.length,
      derived: stored.derived,
      ms: Date.now() - started,
    });
    const rendered = await renditions.render(stored.uploadId, await slides.readerFor(file));
    log.info('slide rendered', { path, rendered, ms: Date.now() - started });
    const focusStarted = Date.now();
    const focus = await services().focus.measure(file);
    log.info('slide focus measured', {
      path,
      laplacianVariance: focus.laplacianVariance,
      tissuePixels: focus.tissuePixels,
      ms: Date.now() - focusStarted,
    });
  } catch (error) {
    if (error instanceof SlideOpenError) {
      log.warn('slide not indexed', { path, reason: error.message });
      return;
    }
    if (isRetryable(error)) throw error;
    log.error('slide pipeline failed', { path, error: error as Error });
  }
}
