import { services } from '../../common/services.js';
import { apiHandler } from '../../http/api-handler.js';
import { success } from '../../http/replies.js';
import { withPixelErrors } from '../../pixels/pixel-errors.js';
import { imageMetadata } from '../../slides/index.js';
import { imageFor } from '../../studies/study-access.js';

/**
 * GET /Api/GetImageMetadata?imageId=N → {"success":true,"metadata":{…}} (reference §3.6): numbers are never
 * null (0 when the file does not say), `fileName` is the uploaded file's name.
 */
export const handler = apiHandler('GetImageMetadata', async ({ params, caller }) => {
  const image = await imageFor(caller, params.requiredInteger('imageId'));
  const { reader } = await withPixelErrors(() => services().pixels.readerFor(image));
  return success({
    metadata: imageMetadata(reader.index, image.path.slice(image.path.lastIndexOf('/') + 1), image.resolution),
  });
});
