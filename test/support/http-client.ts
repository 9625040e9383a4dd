import { request as httpRequest } from 'node:http';
import { inject } from 'vitest';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  text: string;
  json<T = unknown>(): T;
}

export interface CallOptions {
  /** Sent as an application/x-www-form-urlencoded body, on GET too (as the official Python SDK does). */
  form?: Record<string, string | number | boolean>;
  query?: Record<string, string | number | boolean>;
  headers?: Record<string, string>;
  body?: Buffer | string;
  token?: string | null;
  /** Another server than the embedded runtime (the container bundle). */
  baseUrl?: string;
}

/**
 * Calls the embedded runtime the way Slide Score clients do. Node's fetch refuses a body on GET, so this uses
 * node:http directly. `Accept: application/json` is sent by default, like the Python clients.
 */
export function call(method: string, path: string, options: CallOptions = {}): Promise<Reply> {
  const url = new URL(path, options.baseUrl ?? inject('baseUrl'));
  for (const [name, value] of Object.entries(options.query ?? {})) url.searchParams.append(name, String(value));
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  const token = options.token === undefined ? inject('adminToken') : options.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  let body: Buffer | undefined;
  if (options.form) {
    body = Buffer.from(new URLSearchParams(stringValues(options.form)).toString());
    headers['content-type'] = 'application/x-www-form-urlencoded';
  } else if (options.body !== undefined) {
    body = Buffer.isBuffer(options.body) ? options.body : Buffer.from(options.body);
  }
  if (body) headers['content-length'] = String(body.length);
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const buffer = Buffer.concat(chunks);
        const text = buffer.toString('utf8');
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: buffer,
          text,
          json: <T>() => JSON.parse(text) as T,
        });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

function stringValues(form: Record<string, string | number | boolean>): Record<string, string> {
  return Object.fromEntries(Object.entries(form).map(([k, v]) => [k, String(v)]));
}

/** Creates a token through the API (as the admin) and returns it. */
export async function createToken(fields: {
  name?: string;
  capabilities?: string;
  studies?: string;
  expiresOn?: string;
}): Promise<string> {
  const reply = await call('POST', '/Admin/CreateToken', { form: { name: 'test token', ...fields } });
  const body = reply.json<{ success: boolean; token?: string; log?: string }>();
  if (!body.success || !body.token) throw new Error(`CreateToken failed: ${reply.text}`);
  return body.token;
}
