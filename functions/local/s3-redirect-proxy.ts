import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import type { AppConfig } from '../common/config.js';
import { log } from '../common/log.js';
import { writeLambdaResult } from '../http/lambda-adapter.js';
import { json } from '../http/replies.js';
import { EXPORTS_PREFIX } from '../scores/export-settings.js';
import { createS3Client } from '../storage/aws-clients.js';

const FORWARDED_HEADERS = [
  'content-type',
  'content-length',
  'content-disposition',
  'content-encoding',
  'content-range',
  'accept-ranges',
  'etag',
  'last-modified',
];

/**
 * In the cloud a large reply (a Scores export) is a 302 to a presigned S3 URL. In the embedded runtime that URL
 * points at s3rver on 127.0.0.1, useless to a client on another machine, so the runtime answers such a redirect
 * itself: it streams the object to the client (never holding it), with status 200. Exports are read once, so
 * an export object is deleted once served; the cloud's bucket expires them after a day instead.
 */
export class LocalRedirectProxy {
  private readonly s3;
  private readonly origin: string;

  constructor(
    s3Endpoint: string,
    private readonly config: AppConfig,
  ) {
    this.origin = new URL(s3Endpoint).origin;
    this.s3 = createS3Client(config);
  }

  /** The URL to serve when the handler's result is a redirect into our own object store. */
  objectUrl(result: APIGatewayProxyResultV2): string | undefined {
    if (typeof result !== 'object' || result === null || !('statusCode' in result)) return undefined;
    if (result.statusCode !== 302 && result.statusCode !== 307) return undefined;
    const location = result.headers?.location ?? result.headers?.Location;
    if (typeof location !== 'string') return undefined;
    try {
      return new URL(location).origin === this.origin ? location : undefined;
    } catch {
      return undefined;
    }
  }

  /** Streams the object; a `Range` header is passed on (slide downloads resume), giving 206 or 416 as S3 would. */
  async serve(url: string, response: ServerResponse, requestId: string, range?: string): Promise<void> {
    const upstream = await get(url, range);
    if (upstream.statusCode === 416) {
      upstream.resume();
      writeLambdaResult(
        response,
        json({ success: false, log: 'The requested range is not in the file' }, 416),
        requestId,
      );
      return;
    }
    if (upstream.statusCode !== 200 && upstream.statusCode !== 206) {
      upstream.resume();
      log.error('redirect target unreadable', { requestId, status: upstream.statusCode });
      writeLambdaResult(response, json({ success: false, log: 'The file could not be read back' }, 502), requestId);
      return;
    }
    response.statusCode = upstream.statusCode;
    for (const name of FORWARDED_HEADERS) {
      const value = upstream.headers[name];
      if (value !== undefined) response.setHeader(name, value);
    }
    response.setHeader('x-request-id', requestId);
    try {
      await pipeline(upstream, response);
    } finally {
      await this.deleteExport(url).catch((error: Error) => log.warn('export not deleted', { requestId, error }));
    }
  }

  close(): void {
    this.s3.destroy();
  }

  private async deleteExport(url: string): Promise<void> {
    // Path-style URL: /<bucket>/<key>, each segment URL-encoded.
    const [bucket, ...key] = new URL(url).pathname.slice(1).split('/').map(decodeURIComponent);
    const Key = key.join('/');
    if (bucket !== this.config.bucket || !Key.startsWith(EXPORTS_PREFIX)) return;
    await this.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key }));
  }
}

function get(url: string, range?: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    httpRequest(url, { method: 'GET', headers: range ? { range } : {} }, resolve)
      .on('error', reject)
      .end();
  });
}
