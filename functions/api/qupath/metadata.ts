import { services } from '../../common/services.js';
import { publicHandler } from '../../http/api-handler.js';
import { json } from '../../http/replies.js';
import { withPixelErrors } from '../../pixels/pixel-errors.js';
import { slideLinkRequest } from '../../pixels/slide-link-request.js';
import { imageMetadata } from '../../slides/index.js';
import { pascalCaseMetadata } from '../../slides/qupath-metadata.js';

/**
 * GET /i/{imageId}/{token}/SlideScoreMetadata.json → GetImageMetadata's values with PascalCase keys (what
 * QuPath's SlideScoreImageServer reads; numbers never null). 503 when the link expired, as QuPath expects.
 */
export const handler = publicHandler('QupathMetadata', async ({ event }) => {
  const { image } = await slideLinkRequest(event);
  const { reader } = await withPixelErrors(() => services().pixels.readerFor(image));
  const metadata = imageMetadata(reader.index, image.path.slice(image.path.lastIndexOf('/') + 1), image.resolution);
  return json(pascalCaseMetadata(metadata));
});
