import sharp from 'sharp';
import { services } from '../../common/services.js';
import { raw } from '../../http/replies.js';
import { withPixelErrors } from '../../pixels/pixel-errors.js';
import { overHttps, pageHandler, redirect } from '../../web/page-handler.js';
import { imageOf, studyForUser } from '../../web/viewer-access.js';
import { slideTiles } from '../../web/viewer-tiles.js';

/** The longest side of a slide-list thumbnail made from the overview. */
export const THUMBNAIL_SIDE = 256;
const CACHE = 'private, max-age=3600';

/**
 * GET /Studies/Thumbnail?studyId=&imageId= (a signed-in person who sees the study): the slide's thumbnail for
 * the slide list. The overview rendered on upload (functions/pixels/slide-renditions.ts), scaled to
 * THUMBNAIL_SIDE, when it exists; else a redirect to the slide's one-tile DeepZoom level, with the tile
 * credential's cookie. Never the label or macro image.
 */
export const handler = pageHandler('SlideThumbnail', async ({ params, session, event }) => {
  const access = await studyForUser(session, params.requiredInteger('studyId'));
  const image = imageOf(access, params.requiredInteger('imageId'));
  const { renditions } = services();
  const file = await services().files.stat(image.path);
  const overview = file ? await renditions.overview(file.uploadId) : undefined;
  if (overview) {
    const jpeg = await sharp(overview.jpeg)
      .resize(THUMBNAIL_SIDE, THUMBNAIL_SIDE, { fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality: 80 })
      .toBuffer();
    return raw(jpeg, 'image/jpeg', { 'cache-control': CACHE, 'x-thumbnail-source': 'overview' });
  }
  const caller = services().viewerSessions.pixelCaller(session, [access.contents.study.id]);
  const tiles = await withPixelErrors(() => slideTiles(caller, image, overHttps(event)));
  return redirect(tiles.thumbnailUrl, [tiles.cookie]);
});
