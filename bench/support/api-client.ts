import { Agent, request } from 'node:http';

/** A reply read whole. */
export interface ApiReply {
  status: number;
  body: Buffer;
  text: string;
}

/**
 * Calls an embedded runtime the way Slide Score clients do (bearer token, form bodies, tus uploads), over one
 * keep-alive agent so timed requests do not pay for a TCP handshake each.
 */
export class ApiClient {
  readonly agent = new Agent({ keepAlive: true, maxSockets: 4 });

  constructor(
    readonly baseUrl: string,
    readonly token: string,
  ) {}

  call(
    method: string,
    path: string,
    options: { form?: Record<string, string | number>; headers?: Record<string, string>; body?: Buffer } = {},
  ): Promise<ApiReply> {
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    if (!('cookie' in headers)) headers.authorization = `Bearer ${this.token}`;
    let body = options.body;
    if (options.form) {
      const pairs = Object.entries(options.form).map(([k, v]): [string, string] => [k, String(v)]);
      body = Buffer.from(new URLSearchParams(pairs).toString());
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    if (body) headers['content-length'] = String(body.length);
    return new Promise((resolve, reject) => {
      const req = request(new URL(path, this.baseUrl), { method, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const buffer = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, body: buffer, text: buffer.toString('utf8') });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  /** RequestUpload → tus creation → 10,000,000-byte PATCHes → FinishUpload, as the SDK's upload_file. */
  async upload(folder: string, filename: string, bytes: Buffer): Promise<string> {
    const requested = await this.call('POST', '/Api/RequestUpload', { form: { folder, filename } });
    const uploadToken = (JSON.parse(requested.text) as { token?: string }).token;
    if (!uploadToken) throw new Error(`RequestUpload failed: ${requested.text}`);
    const metadata = Object.entries({ uploadtoken: uploadToken, apitoken: this.token })
      .map(([k, v]) => `${k} ${Buffer.from(v).toString('base64')}`)
      .join(',');
    const tus = { 'tus-resumable': '1.0.0' };
    const created = await this.tusRequest('POST', '/files/', {
      ...tus,
      'upload-length': String(bytes.length),
      'upload-metadata': metadata,
    });
    if (created.status !== 201 || !created.location) throw new Error(`tus creation failed: ${created.status}`);
    const id = created.location.slice(created.location.lastIndexOf('/') + 1);
    for (let offset = 0; offset < bytes.length; offset += 10_000_000) {
      const chunk = bytes.subarray(offset, offset + 10_000_000);
      const patched = await this.tusRequest(
        'PATCH',
        `/files/${id}`,
        { ...tus, 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream' },
        chunk,
      );
      if (patched.status !== 204) throw new Error(`PATCH at ${offset} failed: ${patched.status}`);
    }
    return (await this.call('POST', '/Api/FinishUpload', { form: { id, token: uploadToken } })).text;
  }

  close(): void {
    this.agent.destroy();
  }

  private tusRequest(
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: Buffer,
  ): Promise<{ status: number; location?: string }> {
    if (body) headers['content-length'] = String(body.length);
    return new Promise((resolve, reject) => {
      const req = request(new URL(path, this.baseUrl), { method, headers, agent: this.agent }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location }));
      });
      req.on('error', reject);
      req.end(body);
    });
  }
}
