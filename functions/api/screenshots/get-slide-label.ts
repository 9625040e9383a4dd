import { services } from '../../common/services.js';
import { apiHandler } from '../../http/api-handler.js';
import { badRequest, notFound } from '../../http/errors.js';
import { raw } from '../../http/replies.js';
import { withPixelErrors } from '../../pixels/pixel-errors.js';
import { ASSOCIATED_NAMES, type AssociatedName } from '../../pixels/slide-renditions.js';
import { imageFor } from '../../studies/study-access.js';

/**
 * GET /Api/GetSlideLabel (imageId, kind = label | macro) → the slide's label or macro image as JPEG, as the
 * pipeline extracted it on upload. Labels can carry patient identifiers: the route needs CanDownloadSlides.
 */
export const handler = apiHandler('GetSlideLabel', async ({ params, caller }) => {
  const image = await imageFor(caller, params.requiredInteger('imageId'));
  const kind = (params.get('kind')?.trim().toLowerCase() || 'label') as AssociatedName;
  if (!ASSOCIATED_NAMES.includes(kind)) throw badRequest(`kind must be ${ASSOCIATED_NAMES.join(' or ')}`);
  return withPixelErrors(async () => {
    const { reader, uploadId } = await services().pixels.readerFor(image);
    if (!reader.associatedImageNames().includes(kind)) throw notFound(`Image ${image.id} has no ${kind} image`);
    let jpeg = await services().renditions.associated(uploadId, kind);
    if (!jpeg) {
      // The pipeline has not run yet (or the slide predates it): render now and keep.
      await services().renditions.render(uploadId, reader);
      jpeg = await services().renditions.associated(uploadId, kind);
    }
    if (!jpeg) throw notFound(`Image ${image.id} has no ${kind} image`);
    return raw(jpeg, 'image/jpeg', { 'cache-control': 'private, max-age=3600' });
  });
});
