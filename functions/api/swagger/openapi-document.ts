import { publicHandler } from '../../http/api-handler.js';
import { json } from '../../http/replies.js';
import { openApiDocument } from '../../openapi/openapi-document.js';

const document = openApiDocument();

/** GET /swagger/v1/swagger.json → the OpenAPI 3 document generated from the route manifest. */
export const handler = publicHandler('OpenApiDocument', async () => json(document));
