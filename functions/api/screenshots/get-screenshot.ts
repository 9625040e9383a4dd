import { ANNO2_UPLOAD_LIMITS } from '../../anno2/anno2-service.js';
import { services } from '../../common/services.js';
import { planScreenshot } from '../../domain/screenshots/screenshot-plan.js';
import { apiHandler } from '../../http/api-handler.js';
import { badRequest, forbidden, notFound } from '../../http/errors.js';
import { raw } from '../../http/replies.js';
import { withPixelErrors } from '../../pixels/pixel-errors.js';
import { annotationLayers } from '../../pixels/screenshot-annotations.js';
import { renderScreenshot } from '../../pixels/screenshot-renderer.js';
import { imageFor } from '../../studies/study-access.js';

/**
 * GET /Api/GetScreenshot (imageid, level, x, y, width, height, withAnnotationForUser, question, showScalebar)
 * → JPEG (reference §8, docs/annotations.md "Screenshots"). `level` is on the DeepZoom scale and clamped; the
 * region is in level-0 pixels (default the whole slide). Drawing answers needs CanGetResults as well.
 */
export const handler = apiHandler('GetScreenshot', async ({ params, caller }) => {
  const image = await imageFor(caller, params.requiredInteger('imageId'));
  const user = params.get('withAnnotationForUser')?.trim() || undefined;
  const questionName = params.get('question')?.trim() || undefined;
  if (user && !caller.can('CanGetResults')) {
    throw forbidden('This API token lacks the CanGetResults capability (needed by withAnnotationForUser)');
  }
  const scaleBar = params.boolean('showScalebar', true);
  const request = {
    level: params.integer('level'),
    x: params.integer('x'),
    y: params.integer('y'),
    width: params.integer('width'),
    height: params.integer('height'),
  };
  return withPixelErrors(async () => {
    const { reader, uploadId } = await services().pixels.readerFor(image);
    const level0 = reader.level(0);
    const planned = planScreenshot(level0.width, level0.height, request);
    if (!planned.ok) throw badRequest(planned.reason);
    let layers: Awaited<ReturnType<typeof annotationLayers>> = { ok: true, layers: [] };
    if (user) {
      const contents = await services().studies.loadContents(image.studyId);
      if (!contents) throw notFound(`No image ${image.id}`);
      const { plan } = planned;
      const anno2 = services().anno2;
      layers = await annotationLayers(services().scores, image, contents.questions, user, questionName, {
        region: { x: plan.x, y: plan.y, width: plan.width, height: plan.height },
        // A point's disc and an outline reach a few output pixels beyond their coordinates.
        margin: 8 / plan.scale,
        anno2Zip: (uuid) => anno2.zip(uuid),
        anno2Limits: ANNO2_UPLOAD_LIMITS,
      });
      if (!layers.ok) throw badRequest(layers.reason);
    }
    const overview = planned.plan.wholeSlide ? await services().renditions.overview(uploadId) : undefined;
    const shot = await renderScreenshot(reader, planned.plan, {
      layers: layers.layers,
      scaleBar,
      overview,
      ...(image.resolution ? { mppX: image.resolution.mppX } : {}),
    });
    if (shot.errors[0]) throw shot.errors[0];
    return raw(shot.jpeg, 'image/jpeg', {
      'cache-control': 'private, no-cache',
      // Where the pixels came from: `overview` or `level <native level>` (for tests and troubleshooting).
      'x-screenshot-source': shot.source === 'overview' ? 'overview' : `level ${shot.source.level}`,
    });
  });
});
