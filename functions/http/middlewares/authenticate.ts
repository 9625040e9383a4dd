import type middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { services } from '../../common/services.js';
import type { RouteDefinition } from '../../routes/manifest.js';
import { forbidden, unauthorized } from '../errors.js';
import type { ApiContext } from '../pipeline-types.js';

const REASONS = {
  malformed: 'The API token is malformed',
  invalid: 'The API token is not valid for this server',
  expired: 'The API token has expired',
  revoked: 'The API token has been given up',
  unknown: 'The API token is not valid for this server',
} as const;

/**
 * Checks the bearer token (401 when missing, malformed, forged, expired or revoked) and the route's capability
 * (403), then leaves the caller in `context.caller`. Study scope is checked by handlers, which know the IDs.
 */
export function authenticate(
  route: RouteDefinition,
): middy.MiddlewareObj<APIGatewayProxyEventV2, unknown, Error, ApiContext> {
  return {
    before: async (request) => {
      const token = bearerToken(request.event.headers?.authorization);
      if (!token) throw unauthorized('An API token is required: send "Authorization: Bearer <token>"');
      const result = await services().tokens.authenticate(token);
      if (!result.ok) throw unauthorized(REASONS[result.reason]);
      if (route.capability && !result.caller.can(route.capability)) {
        throw forbidden(`This API token lacks the ${route.capability} capability`);
      }
      request.context.caller = result.caller;
    },
  };
}

export function bearerToken(header: string | undefined): string | undefined {
  const match = /^\s*Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}
