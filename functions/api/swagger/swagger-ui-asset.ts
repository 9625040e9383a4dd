import { publicHandler } from '../../http/api-handler.js';
import { notFound } from '../../http/errors.js';
import { raw } from '../../http/replies.js';
import {
  INITIALIZER,
  INITIALIZER_SCRIPT,
  readSwaggerUiFile,
  SWAGGER_UI_FILES,
} from '../../openapi/swagger-ui-assets.js';

const CACHING = { 'cache-control': 'public, max-age=86400', 'x-content-type-options': 'nosniff' };

/** GET /swagger/assets/{file}: only the files on the allow-list, so the path can never leave the package. */
export const handler = publicHandler('SwaggerUiAsset', async ({ event }) => {
  const file = event.pathParameters?.file ?? '';
  if (file === INITIALIZER) return raw(INITIALIZER_SCRIPT, 'application/javascript; charset=utf-8', CACHING);
  const contentType = Object.hasOwn(SWAGGER_UI_FILES, file) ? SWAGGER_UI_FILES[file] : undefined;
  if (!contentType) throw notFound(`No such file: ${file}`);
  return raw(await readSwaggerUiFile(file), contentType, CACHING);
});
