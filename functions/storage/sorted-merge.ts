/**
 * Merges streams of pages, each stream sorted by `keyOf`, into one sorted stream. Only the current page of
 * each stream is held (plus what the streams read ahead), so memory does not grow with the total.
 * Keys are compared as JavaScript strings, which matches DynamoDB's byte order for the ASCII keys it is used on.
 */
export async function* mergeSortedPages<T>(
  streams: readonly AsyncIterable<readonly T[]>[],
  keyOf: (item: T) => string,
): AsyncGenerator<T> {
  const cursors = streams.map((stream) => ({ pages: stream[Symbol.asyncIterator](), page: [] as readonly T[], at: 0 }));
  const live = new Set<(typeof cursors)[number]>();
  // Fill every cursor's first page in parallel: the streams' first requests then overlap.
  await Promise.all(
    cursors.map(async (cursor) => {
      if (await refill(cursor)) live.add(cursor);
    }),
  );
  while (live.size > 0) {
    let best: (typeof cursors)[number] | undefined;
    let bestKey = '';
    for (const cursor of live) {
      const key = keyOf(cursor.page[cursor.at] as T);
      if (best === undefined || key < bestKey) {
        best = cursor;
        bestKey = key;
      }
    }
    const chosen = best as (typeof cursors)[number];
    yield chosen.page[chosen.at] as T;
    chosen.at += 1;
    if (chosen.at >= chosen.page.length && !(await refill(chosen))) live.delete(chosen);
  }
}

/** Moves a cursor to its stream's next non-empty page; false when the stream is done. */
async function refill<T>(cursor: { pages: AsyncIterator<readonly T[]>; page: readonly T[]; at: number }) {
  for (;;) {
    const next = await cursor.pages.next();
    if (next.done) return false;
    if (next.value.length > 0) {
      cursor.page = next.value;
      cursor.at = 0;
      return true;
    }
  }
}

/**
 * Reads one page ahead: while the consumer works on a page, the next one is already being fetched, so a
 * stream of queries runs at the speed of the slower of the two rather than their sum.
 */
export async function* readAhead<T>(pages: AsyncIterable<T>): AsyncGenerator<T> {
  const iterator = pages[Symbol.asyncIterator]();
  let pending = iterator.next();
  for (;;) {
    const current = await pending;
    if (current.done) return;
    pending = iterator.next();
    // A failure of the prefetch surfaces when it is awaited; until then keep it from counting as unhandled.
    pending.catch(() => {});
    yield current.value;
  }
}
