/**
 * How a large reply leaves the server. A Lambda function may return at most 6 MB, so an export is answered
 * inline while it stays under a threshold, and otherwise written to object storage (with bounded memory:
 * multipart, a few parts in flight) and answered with a redirect to a short-lived URL. The embedded runtime
 * serves such a redirect to its own object store by streaming the object (functions/local/s3-redirect-proxy.ts).
 */
export interface ExportStore {
  /**
   * Writes an object from a stream of pieces without holding it whole. When `signal` aborts (the stream failed),
   * it stops at once and keeps nothing.
   */
  put(key: string, contentType: string, body: AsyncIterable<Buffer>, signal: AbortSignal): Promise<void>;
  /** A URL that lets whoever holds it GET the object, for `seconds`. */
  downloadUrl(key: string, seconds: number): Promise<string>;
}

export interface DeliveryOptions {
  /** Absent: an export past `inlineMaxBytes` is not written anywhere; reading stops and it is `too big`. */
  store?: ExportStore;
  key: string;
  contentType: string;
  /** The largest reply sent inline, in bytes as the function returns it (see {@link returnedBytes}). */
  inlineMaxBytes: number;
  urlSeconds: number;
}

export type Delivery =
  | { kind: 'inline'; body: string }
  | { kind: 'stored'; url: string; key: string }
  | { kind: 'too big' };

/**
 * Reads pieces until they pass `inlineMaxBytes`: if the export ends first, it is returned inline; otherwise the
 * pieces read so far and the rest of the stream go to the store, and the reply is its download URL.
 */
export async function deliver(pieces: AsyncIterable<string>, options: DeliveryOptions): Promise<Delivery> {
  const iterator = pieces[Symbol.asyncIterator]();
  const held: string[] = [];
  let bytes = 0;
  for (;;) {
    const next = await iterator.next();
    if (next.done) return { kind: 'inline', body: held.join('') };
    held.push(next.value);
    bytes += returnedBytes(next.value);
    if (bytes > options.inlineMaxBytes) break;
  }
  const store = options.store;
  if (!store) {
    await iterator.return?.();
    return { kind: 'too big' };
  }
  const abort = new AbortController();
  let failure: { error: unknown } | undefined;
  async function* body(): AsyncGenerator<Buffer> {
    try {
      // Hand the held pieces over one by one, letting go of each, so they are not kept for the whole upload.
      while (held.length > 0) yield Buffer.from(held.shift() as string);
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield Buffer.from(next.value);
    } catch (error) {
      // The export failed (its deadline passed): stop the upload rather than wait for the store to notice.
      failure = { error };
      abort.abort();
      throw error;
    }
  }
  try {
    await store.put(options.key, options.contentType, body(), abort.signal);
  } catch (error) {
    // The export's own failure, not what the store made of it (an aborted upload).
    throw failure ? failure.error : error;
  }
  return { kind: 'stored', key: options.key, url: await store.downloadUrl(options.key, options.urlSeconds) };
}

/**
 * Bytes a piece of text takes in a Lambda response, where the body is a JSON string: quotes, backslashes and
 * control characters (TABs of TSV) are escaped, so a JSON export of annotations can grow by half or more.
 */
export function returnedBytes(piece: string): number {
  return Buffer.byteLength(JSON.stringify(piece)) - 2;
}
