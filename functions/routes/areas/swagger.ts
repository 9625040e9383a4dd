import type { RouteDefinition } from '../route-definition.js';
import { SMALL } from '../route-definition.js';

/** Swagger: the OpenAPI document and its UI. */
export const SWAGGER_ROUTES = [
  {
    id: 'OpenApiDocument',
    methods: ['GET'],
    path: '/swagger/v1/swagger.json',
    handler: 'functions/api/swagger/openapi-document.ts',
    reply: 'data',
    auth: 'public',
    ...SMALL,
    // Built from the whole manifest on a cold start; ten seconds were seen to run out on a loaded machine.
    timeoutSeconds: 29,
    summary: 'This OpenAPI 3 document.',
  },
  {
    id: 'SwaggerUi',
    methods: ['GET'],
    path: '/swagger',
    handler: 'functions/api/swagger/swagger-ui-page.ts',
    reply: 'data',
    auth: 'public',
    ...SMALL,
    summary: 'Swagger UI for this API.',
    produces: 'text/html',
  },
  {
    id: 'SwaggerUiAsset',
    methods: ['GET'],
    path: '/swagger/assets/{file}',
    handler: 'functions/api/swagger/swagger-ui-asset.ts',
    reply: 'data',
    auth: 'public',
    ...SMALL,
    summary: 'Script, style and icon files of the Swagger UI, served by this server (no CDN).',
    assets: 'swagger-ui',
    produces: 'application/javascript',
  },
] as const satisfies readonly RouteDefinition[];
