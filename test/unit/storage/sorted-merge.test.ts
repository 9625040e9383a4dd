import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeSortedPages, readAhead } from '../../../functions/storage/sorted-merge.js';

async function* pagesOf<T>(items: readonly T[], size: number): AsyncGenerator<T[]> {
  for (let start = 0; start < items.length; start += size) {
    await Promise.resolve();
    yield items.slice(start, start + size);
  }
  yield []; // an empty last page, as DynamoDB sometimes returns
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

describe('mergeSortedPages', () => {
  it('merges sorted streams of pages into one sorted stream holding every item', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(fc.string({ maxLength: 4 }), { maxLength: 30 }), { maxLength: 8 }),
        fc.integer({ min: 1, max: 7 }),
        async (streams, pageSize) => {
          const sorted = streams.map((s) => [...s].sort());
          const merged = await collect(
            mergeSortedPages(
              sorted.map((s) => pagesOf(s, pageSize)),
              (x) => x,
            ),
          );
          expect(merged).toEqual(sorted.flat().sort());
        },
      ),
    );
  });
});

describe('readAhead', () => {
  it('yields the same pages, fetching the next one while the current is used', async () => {
    let fetched = 0;
    async function* source() {
      for (let i = 0; i < 5; i++) {
        fetched = i + 1;
        yield i;
      }
    }
    const seen: [number, number][] = [];
    for await (const page of readAhead(source())) {
      await new Promise((resolve) => setTimeout(resolve, 1));
      seen.push([page, fetched]);
    }
    expect(seen.map(([page]) => page)).toEqual([0, 1, 2, 3, 4]);
    // While page n was in use, page n + 1 had already been asked for.
    expect(seen.slice(0, 4).every(([page, count]) => count === page + 2)).toBe(true);
  });

  it('passes on a failure of the source', async () => {
    async function* failing() {
      yield 1;
      throw new Error('boom');
    }
    await expect(collect(readAhead(failing()))).rejects.toThrow('boom');
  });
});
