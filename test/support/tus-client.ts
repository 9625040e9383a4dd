import { request as httpRequest } from 'node:http';
import { inject } from 'vitest';
import { call } from './http-client.js';

export interface TusReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** One raw tus request (the protocol as tuspy speaks it), for tests that need to see every header. */
export function tus(
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: Buffer,
): Promise<TusReply> {
  const url = new URL(path, inject('baseUrl'));
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method,
        headers: { 'tus-resumable': '1.0.0', ...(body ? { 'content-length': String(body.length) } : {}), ...headers },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => {
          text += c.toString();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** tus Upload-Metadata: comma-separated `key base64(value)` pairs. */
export function metadata(values: Record<string, string>): string {
  return Object.entries(values)
    .map(([key, value]) => `${key} ${Buffer.from(value, 'utf8').toString('base64')}`)
    .join(',');
}

export async function requestUpload(
  form: { filename: string; folder: string; studyId?: number },
  token?: string,
): Promise<string> {
  const reply = await call('POST', '/Api/RequestUpload', { form, token });
  const body = reply.json<{ token?: string }>();
  if (!body.token) throw new Error(`RequestUpload failed: ${reply.text}`);
  return body.token;
}

/** Creates an upload (POST /files/) the way tuspy does; returns the file id (last segment of Location). */
export async function createUpload(
  size: number,
  uploadToken: string,
  apiToken: string = inject('adminToken'),
): Promise<string> {
  const reply = await tus('POST', '/files/', {
    'upload-length': String(size),
    'upload-metadata': metadata({ uploadtoken: uploadToken, apitoken: apiToken }),
  });
  if (reply.status !== 201) throw new Error(`tus creation failed: ${reply.status} ${reply.text}`);
  const location = String(reply.headers.location);
  return location.slice(location.lastIndexOf('/') + 1);
}

export function patch(id: string, offset: number, chunk: Buffer): Promise<TusReply> {
  return tus(
    'PATCH',
    `/files/${id}`,
    { 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream' },
    chunk,
  );
}

/** Sends the bytes in 10,000,000-byte chunks, as the official SDK does. */
export async function sendAll(id: string, bytes: Buffer, chunkSize = 10_000_000): Promise<void> {
  for (let offset = 0; offset < bytes.length; offset += chunkSize) {
    const reply = await patch(id, offset, bytes.subarray(offset, offset + chunkSize));
    if (reply.status !== 204) throw new Error(`PATCH at ${offset} failed: ${reply.status} ${reply.text}`);
  }
}

export async function finishUpload(id: string, uploadToken: string, apiToken?: string): Promise<string> {
  return (await call('POST', '/Api/FinishUpload', { form: { id, token: uploadToken }, token: apiToken })).text;
}

/** RequestUpload → tus → FinishUpload: the SDK's upload_file. Returns FinishUpload's body. */
export async function uploadFile(folder: string, filename: string, bytes: Buffer, apiToken?: string): Promise<string> {
  const uploadToken = await requestUpload({ folder, filename }, apiToken);
  const id = await createUpload(bytes.length, uploadToken, apiToken);
  if (bytes.length > 0) await sendAll(id, bytes);
  return finishUpload(id, uploadToken, apiToken);
}
