import { publicHandler } from '../../http/api-handler.js';
import { notFound } from '../../http/errors.js';
import { raw } from '../../http/replies.js';
import { assetFile, readAsset } from '../../web/viewer-assets.js';

const CACHING = { 'cache-control': 'public, max-age=3600', 'x-content-type-options': 'nosniff' };

/** GET /viewer/assets/{file}: only files on the allow-list of functions/web/viewer-assets.ts. */
export const handler = publicHandler('ViewerAsset', async ({ event }) => {
  const name = event.pathParameters?.file ?? '';
  const asset = assetFile(name);
  if (!asset) throw notFound(`No such file: ${name}`);
  return raw(await readAsset(asset), asset.type, CACHING);
});
