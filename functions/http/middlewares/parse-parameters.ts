import type middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import busboy from 'busboy';
import { LARGE_BODY_MB } from '../../routes/route-definition.js';
import { badRequest } from '../errors.js';
import { formPairs } from '../form-body.js';
import { Parameters } from '../parameters.js';
import type { ApiContext } from '../pipeline-types.js';

/**
 * The most a multipart field may hold. Each route's own body limit (`maxBodyMb`) is enforced before the body
 * reaches here, by Lambda in the cloud and by the route server of npm start and the container.
 */
const MAX_FIELD_BYTES = LARGE_BODY_MB * 1024 * 1024;

/** Reads the query string and a form body (urlencoded or multipart) into `context.params`, on every method. */
export function parseParameters(): middy.MiddlewareObj<APIGatewayProxyEventV2, unknown, Error, ApiContext> {
  return {
    before: async (request) => {
      request.context.params = await parametersOf(request.event);
    },
  };
}

export async function parametersOf(event: APIGatewayProxyEventV2): Promise<Parameters> {
  const params = new Parameters();
  for (const [name, value] of new URLSearchParams(event.rawQueryString ?? '')) params.add(name, value);
  if (!event.body) return params;

  const contentType = headerOf(event, 'content-type') ?? '';
  const mediaType = contentType.split(';')[0]?.trim().toLowerCase();
  if (mediaType === 'application/x-www-form-urlencoded') {
    // A body of 100 MB must not be copied more than needed: a text body is parsed as it came.
    const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
    for (const [name, value] of formPairs(text)) params.add(name, value);
  } else if (mediaType === 'multipart/form-data') {
    await readMultipart(Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8'), contentType, params);
  }
  // Other bodies (JSON, octet-stream) carry no parameters; handlers that take raw bodies read the event.
  return params;
}

export function headerOf(event: APIGatewayProxyEventV2, name: string): string | undefined {
  // Payload format 2.0 lower-cases header names; the embedded runtime does the same.
  return event.headers?.[name];
}

function readMultipart(body: Buffer, contentType: string, params: Parameters): Promise<void> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: { 'content-type': contentType },
        limits: { fieldSize: MAX_FIELD_BYTES, fileSize: MAX_FIELD_BYTES },
      });
    } catch (error) {
      reject(badRequest(`Unreadable multipart body: ${(error as Error).message}`));
      return;
    }
    parser.on('field', (name, value) => params.add(name, value));
    parser.on('file', (field, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () =>
        params.files.push({
          field,
          filename: info.filename ?? '',
          contentType: info.mimeType,
          data: Buffer.concat(chunks),
        }),
      );
    });
    parser.on('error', (error: Error) => reject(badRequest(`Unreadable multipart body: ${error.message}`)));
    parser.on('close', () => resolve());
    parser.end(body);
  });
}
