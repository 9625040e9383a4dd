import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { ExportStore } from '../../../functions/scores/export-delivery.js';
import { ResultsService } from '../../../functions/scores/results-service.js';
import type { ScoreRepository, StoredAnswer } from '../../../functions/scores/score-repository.js';
import { sampleContents } from './study-contents.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A score store in memory whose answers arrive in pages, each after `pageMs`. */
function slowScores(pages: number, pageSize: number, pageMs: number): ScoreRepository {
  return {
    maxAnswerBytes: 1000,
    save: async () => ({ created: 0, changed: 0, unchanged: 0 }),
    summary: async () => ({ images: true, tma: false, cases: false }),
    studiesUpdatedSince: async () => ({ studyIds: [], itemsRead: 0 }),
    async *answers(): AsyncGenerator<StoredAnswer> {
      for (let page = 0; page < pages; page++) {
        await sleep(pageMs);
        for (let i = 0; i < pageSize; i++) {
          const id = page * pageSize + i;
          yield { id, imageId: 1, questionId: 100, user: `u${id}@x.nl`, answer: 'x'.repeat(100), lastModifiedOn: '' };
        }
      }
    },
  };
}

class RecordingStore implements ExportStore {
  outcome: 'none' | 'written' | 'failed' = 'none';
  async put(_key: string, _type: string, body: AsyncIterable<Buffer>): Promise<void> {
    try {
      for await (const _ of body);
      this.outcome = 'written';
    } catch (error) {
      this.outcome = 'failed';
      throw error;
    }
  }
  async downloadUrl(key: string): Promise<string> {
    return `https://example/${key}`;
  }
}

const studies = { loadContents: async () => sampleContents() };

describe('ResultsService.exportScores deadline', () => {
  it('stops waiting for a slow page at the deadline', async () => {
    const service = new ResultsService(slowScores(2, 10, 5_000), studies, new RecordingStore(), {
      inlineMaxBytes: 1_000_000,
      urlSeconds: 60,
    });
    const started = Date.now();
    const outcome = await service.exportScores(1, {}, 'json', Date.now() + 50);
    expect(outcome).toEqual({ ok: false, reason: 'too slow', answersRead: 0 });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('stops an export being written to the store, and the store sees the write fail', async () => {
    const store = new RecordingStore();
    const service = new ResultsService(slowScores(50, 200, 10), studies, store, {
      inlineMaxBytes: 1024,
      urlSeconds: 60,
    });
    const outcome = await service.exportScores(1, {}, 'json', Date.now() + 150);
    expect(outcome).toMatchObject({ ok: false, reason: 'too slow' });
    expect(store.outcome).toBe('failed');
  });

  it('finishes an export that beats its deadline', async () => {
    const service = new ResultsService(slowScores(3, 10, 1), studies, new RecordingStore(), {
      inlineMaxBytes: 1_000_000,
      urlSeconds: 60,
    });
    const outcome = await service.exportScores(1, {}, 'json', Date.now() + 5_000);
    expect(outcome).toMatchObject({ ok: true, kind: 'inline' });
    if (outcome.ok && outcome.kind === 'inline') expect(JSON.parse(outcome.body)).toHaveLength(30);
  });

  it('keeps no answer reachable once passed on, while the deadline is still ahead', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const answers = 200_000;
    const fast: ScoreRepository = {
      ...slowScores(0, 0, 0),
      async *answers() {
        for (let id = 0; id < answers; id++) {
          yield { id, imageId: 1, questionId: 100, user: `u${id}@x.nl`, answer: `answer ${id}`, lastModifiedOn: '' };
        }
      },
    };
    let grown = Number.NaN;
    const measuring: ExportStore = {
      async put(_key, _type, body) {
        let pieces = 0;
        for await (const _ of body) {
          // Three quarters through (about 150,000 answers passed on), with the deadline still ahead: none of
          // them should still be held.
          if (++pieces === 250) {
            gc();
            grown = process.memoryUsage().heapUsed - before;
          }
        }
      },
      downloadUrl: async () => '',
    };
    const service = new ResultsService(fast, studies, measuring, { inlineMaxBytes: 1024, urlSeconds: 60 });
    gc();
    const before = process.memoryUsage().heapUsed;
    const outcome = await service.exportScores(1, {}, 'json', Date.now() + 600_000);
    expect(outcome).toMatchObject({ ok: true, kind: 'stored' });
    // 200,000 answers held would be well over 50 MB.
    expect(grown).toBeLessThan(20 * 1024 * 1024);
  });
});
