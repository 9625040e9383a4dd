import { publicHandler } from '../../http/api-handler.js';
import { raw } from '../../http/replies.js';
import { SWAGGER_UI_PAGE } from '../../openapi/swagger-ui-assets.js';

const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
};

/** GET /swagger → the Swagger UI page; every script and style it loads is served by /swagger/assets/. */
export const handler = publicHandler('SwaggerUi', async () =>
  raw(SWAGGER_UI_PAGE, 'text/html; charset=utf-8', SECURITY_HEADERS),
);
