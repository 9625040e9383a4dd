import { services } from '../../common/services.js';
import { apiHandler } from '../../http/api-handler.js';
import { json } from '../../http/replies.js';
import { withPixelErrors } from '../../pixels/pixel-errors.js';
import { imageFor } from '../../studies/study-access.js';

/**
 * GET /Api/GetTileServer?imageId=N → {"cookiePart":"…","urlPart":"…","expiresOn":"…"}, no envelope: a tile
 * credential for this image only, that expires within a day and never after the calling token.
 */
export const handler = apiHandler('GetTileServer', async ({ params, caller }) => {
  const image = await imageFor(caller, params.requiredInteger('imageId'));
  return json(await withPixelErrors(() => services().pixels.tileCredential(caller, image)));
});
