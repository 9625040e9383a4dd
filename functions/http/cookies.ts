import type { APIGatewayProxyEventV2 } from 'aws-lambda';

/**
 * A cookie of the request. API Gateway's payload 2.0 moves the Cookie header into `event.cookies`; the
 * embedded runtime does the same. The first cookie of that name wins.
 */
export function cookieOf(event: APIGatewayProxyEventV2, name: string): string | undefined {
  const pairs = event.cookies ?? (event.headers?.cookie ?? '').split(/;\s*/);
  for (const pair of pairs) {
    const equals = pair.indexOf('=');
    if (equals > 0 && pair.slice(0, equals).trim() === name) return safeDecode(pair.slice(equals + 1).trim());
  }
  return undefined;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
