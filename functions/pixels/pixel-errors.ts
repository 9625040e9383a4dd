import { badRequest, HttpError, notFound } from '../http/errors.js';
import { OutOfRangeError, SlideOpenError, TileReadError } from '../slides/index.js';
import { ImageFileMissing } from './pixel-service.js';
import { SlideNotReady } from './slide-store.js';

/**
 * The reader's errors as replies (the reply table of docs/api.md): an unreadable file or tile is a logical
 * error naming the file (400, or 200 success:false on GetImageMetadata); outside the slide is 404; a slide
 * whose pyramid is still being made is 503 with Retry-After. Anything else stays a server fault.
 */
export async function withPixelErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw asHttpError(error);
  }
}

export function asHttpError(error: unknown): unknown {
  if (error instanceof SlideOpenError || error instanceof TileReadError) return badRequest(error.message);
  if (error instanceof OutOfRangeError || error instanceof ImageFileMissing) return notFound(error.message);
  if (error instanceof SlideNotReady) return new HttpError(503, error.message, { 'retry-after': '10' });
  return error;
}
