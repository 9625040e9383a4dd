import { describe, expect, it } from 'vitest';
import { deliver, type ExportStore, returnedBytes } from '../../../functions/scores/export-delivery.js';

/** An object store in memory that also notes how far the export had been produced when writing began. */
class MemoryStore implements ExportStore {
  readonly objects = new Map<string, { type: string; body: string }>();
  producedWhenWriteBegan = -1;

  constructor(private readonly produced: () => number) {}

  async put(key: string, contentType: string, body: AsyncIterable<Buffer>): Promise<void> {
    const parts: Buffer[] = [];
    for await (const part of body) {
      if (this.producedWhenWriteBegan < 0) this.producedWhenWriteBegan = this.produced();
      parts.push(part);
    }
    this.objects.set(key, { type: contentType, body: Buffer.concat(parts).toString() });
  }

  async downloadUrl(key: string, seconds: number): Promise<string> {
    return `https://bucket.example/${key}?expires=${seconds}`;
  }
}

function counted(pieces: string[]) {
  let produced = 0;
  async function* stream() {
    for (const piece of pieces) {
      produced++;
      yield piece;
    }
  }
  return { stream: stream(), produced: () => produced };
}

const options = (store: ExportStore, inlineMaxBytes: number) => ({
  store,
  key: 'exports/x.json',
  contentType: 'application/json',
  inlineMaxBytes,
  urlSeconds: 900,
});

describe('deliver', () => {
  it('returns a small export inline', async () => {
    const { stream, produced } = counted(['[', '1,2', ']']);
    const store = new MemoryStore(produced);
    expect(await deliver(stream, options(store, 100))).toEqual({ kind: 'inline', body: '[1,2]' });
    expect(store.objects.size).toBe(0);
  });

  it('writes a large export to the store while still reading it, and returns its URL', async () => {
    const pieces = Array.from({ length: 100 }, (_, i) => `${'y'.repeat(99)}${i % 10}`);
    const { stream, produced } = counted(pieces);
    const store = new MemoryStore(produced);
    const delivery = await deliver(stream, options(store, 1000));
    expect(delivery).toEqual({
      kind: 'stored',
      key: 'exports/x.json',
      url: 'https://bucket.example/exports/x.json?expires=900',
    });
    expect(store.objects.get('exports/x.json')).toEqual({ type: 'application/json', body: pieces.join('') });
    // Writing began after the first 11 pieces (just past 1,000 bytes), long before the 100th was made.
    expect(store.producedWhenWriteBegan).toBe(11);
  });

  it('counts bytes as a Lambda returns the body: escaped', () => {
    expect(returnedBytes('abc')).toBe(3);
    expect(returnedBytes('a\tb"c\\')).toBe(9);
    expect(returnedBytes('é')).toBe(2);
  });

  it('aborts the store when the export fails part way, and reports the export failure, not the store one', async () => {
    let aborted = false;
    const store: ExportStore = {
      async put(_key, _type, body, signal) {
        signal.addEventListener('abort', () => {
          aborted = true;
        });
        try {
          for await (const _ of body);
        } catch {
          throw new Error('Upload aborted.');
        }
      },
      downloadUrl: async () => '',
    };
    async function* failing() {
      yield 'x'.repeat(2000);
      throw new Error('deadline');
    }
    await expect(deliver(failing(), options(store, 1000))).rejects.toThrow('deadline');
    expect(aborted).toBe(true);
  });
});
