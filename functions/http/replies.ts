import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/**
 * Reply builders for the four shapes Slide Score clients expect (reference §1.4): a JSON value (object or bare
 * array), a bare JSON string such as `"OK"`, the `{"success":…}` envelope, and raw bodies (TSV, XML, JPEG, HTML).
 */
export type ApiReply = APIGatewayProxyStructuredResultV2 & { statusCode: number };

const JSON_TYPE = 'application/json; charset=utf-8';

export function json(value: unknown, statusCode = 200): ApiReply {
  return { statusCode, headers: { 'content-type': JSON_TYPE }, body: JSON.stringify(value) };
}

/** A bare JSON string: the body starts with `"` (clients test exactly that). */
export function jsonString(text: string, statusCode = 200): ApiReply {
  return json(text, statusCode);
}

export function success(fields: Record<string, unknown> = {}): ApiReply {
  return json({ success: true, ...fields });
}

/** A logical failure: HTTP 200 with `success:false`, as Slide Score answers them. */
export function failure(log: string, statusCode = 200): ApiReply {
  return json({ success: false, log }, statusCode);
}

export function raw(body: string | Buffer, contentType: string, headers: Record<string, string> = {}): ApiReply {
  const binary = Buffer.isBuffer(body);
  return {
    statusCode: 200,
    headers: { 'content-type': contentType, ...headers },
    body: binary ? body.toString('base64') : body,
    isBase64Encoded: binary,
  };
}
