import { request } from 'node:http';

export interface Hop {
  url: string;
  status: number;
  location?: string;
  retryAfter?: string;
}

/**
 * The official SDK's `get_results` as Python requests performs it: GET /Api/Scores with the parameters as a
 * form body and `Accept: application/json`, following redirects the way requests does (at most 30; a 302 or
 * 303 becomes a GET without body; Authorization is kept only while the host stays the same; Retry-After is
 * ignored), then `raise_for_status()` and `json()`, and the SDK's own reading of each item.
 */
export async function getResults(
  baseUrl: string,
  token: string,
  studyId: number,
  filters: Record<string, string | number> = {},
  accept = 'application/json',
): Promise<{ hops: Hop[]; status: number; text: string; contentType?: string }> {
  let url = new URL('/Api/Scores', baseUrl);
  let body: string | undefined = new URLSearchParams(
    Object.entries({ studyid: studyId, ...filters }).map(([k, v]): [string, string] => [k, String(v)]),
  ).toString();
  let authorization: string | undefined = `Bearer ${token}`;
  const hops: Hop[] = [];
  for (let redirects = 0; ; redirects++) {
    const reply = await get(url, body, authorization, accept);
    const location = reply.headers.location;
    if (reply.status >= 300 && reply.status < 400 && typeof location === 'string') {
      hops.push({
        url: url.toString(),
        status: reply.status,
        location,
        retryAfter: reply.headers['retry-after'] as string,
      });
      if (redirects >= 30) throw new Error('TooManyRedirects: Exceeded 30 redirects.');
      const next = new URL(location, url);
      if (next.host !== url.host) authorization = undefined;
      if (reply.status !== 307 && reply.status !== 308) body = undefined;
      url = next;
      continue;
    }
    if (reply.status !== 200) throw new Error(`HTTPError ${reply.status}: ${reply.text}`);
    return { hops, status: reply.status, text: reply.text, contentType: reply.headers['content-type'] as string };
  }
}

/** What `SlideScoreResult(dict)` of the SDK reads from each item; throws where the SDK would. */
export function sdkResult(item: Record<string, unknown>) {
  const id = Number.parseInt(String(item.id), 10);
  if (!Number.isInteger(id)) throw new Error(`int(dict['id']) fails on ${JSON.stringify(item.id)}`);
  for (const key of ['imageID', 'imageName', 'user', 'question', 'answer']) {
    if (!(key in item)) throw new Error(`KeyError: ${key}`);
  }
  return {
    id,
    imageId: item.imageID,
    imageName: item.imageName,
    user: item.user,
    question: item.question,
    answer: item.answer,
  };
}

function get(
  url: URL,
  body: string | undefined,
  authorization: string | undefined,
  accept: string,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  const headers: Record<string, string> = { accept };
  if (authorization) headers.authorization = authorization;
  if (body !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    headers['content-length'] = String(Buffer.byteLength(body));
  }
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}
