import { NOT_FOUND_ROUTE, ROUTES, type RouteDefinition } from '../routes/manifest.js';

/**
 * The OpenAPI 3 document of the whole API, generated from the route manifest so that it lists every route.
 * Parameters are documented as query parameters for GET and form fields for POST; the server accepts either
 * place on both methods.
 */
export function openApiDocument(routes: readonly RouteDefinition[] = ROUTES): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const operations: Record<string, unknown> = paths[route.path] ?? {};
    paths[route.path] = operations;
    for (const method of route.methods) {
      operations[method.toLowerCase()] = operationOf(route, method, route.methods.length > 1);
    }
  }
  return {
    openapi: '3.0.3',
    info: {
      title: 'Slide Score API (serverless implementation)',
      version: '1',
      description:
        'Slide Score-compatible API. Send `Authorization: Bearer <token>`. Parameters may be sent in the query ' +
        'string or as an application/x-www-form-urlencoded (or multipart) body on GET and POST alike; names are ' +
        'matched without regard to case. Paths are matched without regard to case too.',
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: {
        Failure: {
          type: 'object',
          properties: { success: { type: 'boolean', enum: [false] }, log: { type: 'string' } },
        },
      },
    },
    paths,
    'x-not-found-handler': NOT_FOUND_ROUTE.id,
  };
}

function operationOf(route: RouteDefinition, method: string, several: boolean): Record<string, unknown> {
  const pathParameters = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  const fields = route.params ?? [];
  const failure = {
    description: '',
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Failure' } } },
  };
  const operation: Record<string, unknown> = {
    operationId: several ? `${route.id}_${method}` : route.id,
    summary: route.summary,
    tags: [route.path.split('/')[1] ?? ''],
    parameters: [
      ...pathParameters,
      ...(method === 'GET'
        ? fields.map((p) => ({
            name: p.name,
            in: 'query',
            required: p.required ?? false,
            description: p.description,
            schema: { type: 'string' },
          }))
        : []),
    ],
    responses: {
      200: {
        description: 'OK',
        content: { [route.produces ?? 'application/json']: {} },
      },
      ...(route.auth === 'token'
        ? {
            401: { ...failure, description: 'Missing, malformed, forged, expired or revoked token' },
            403: {
              ...failure,
              description: route.capability
                ? `The token lacks ${route.capability} or the study`
                : 'The token lacks the study',
            },
          }
        : {}),
    },
  };
  if (route.auth === 'token') operation.security = [{ bearer: [] }];
  if (route.capability) operation['x-capability'] = route.capability;
  if (method === 'POST' && fields.length > 0) {
    operation.requestBody = {
      content: {
        'application/x-www-form-urlencoded': {
          schema: {
            type: 'object',
            properties: Object.fromEntries(fields.map((p) => [p.name, { type: 'string', description: p.description }])),
            required: fields.filter((p) => p.required).map((p) => p.name),
          },
        },
      },
    };
  }
  return operation;
}
