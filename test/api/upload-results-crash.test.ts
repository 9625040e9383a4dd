import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import type { ScoreJson } from '../../functions/domain/results/results-format.js';
import { createDynamoClient } from '../../functions/storage/aws-clients.js';
import { DynamoStudyRepository } from '../../functions/storage/dynamo-study-repository.js';
import { SCORE_SHARDS } from '../../functions/storage/score-keys.js';
import {
  killServer,
  type ServerProcess,
  send,
  serverConfig,
  startServer,
  stopServer,
} from '../support/server-process.js';

const ROWS = 20_000;
const IMAGES = 10;

const folders: string[] = [];
const servers: ServerProcess[] = [];
afterAll(async () => {
  for (const server of servers) {
    if (server.child.exitCode === null && server.child.signalCode === null) await stopServer(server);
  }
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
});

/** Items in the study's answer partitions, visible to readers or not. */
async function rawItems(dataDir: string, studyId: number): Promise<number> {
  const db = createDynamoClient(await serverConfig(dataDir));
  let count = 0;
  for (let shard = 0; shard < SCORE_SHARDS; shard++) {
    const { Count } = await db.send(
      new QueryCommand({
        TableName: 'scores',
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `SCORES#${studyId}#${shard}` },
        Select: 'COUNT',
      }),
    );
    count += Count ?? 0;
  }
  db.destroy();
  return count;
}

describe('UploadResults across a crash of npm start', () => {
  it('kill -9 during a 20,000-row upload, restart on the same data folder: Scores has 0 or 20,000 rows', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'slidescore-crash-'));
    folders.push(dataDir);
    const first = await startServer(dataDir);
    servers.push(first);

    // The study, written straight into the server's DynamoDB Local (as test/support/study-fixtures.ts does).
    const db = createDynamoClient(await serverConfig(dataDir));
    const studies = new DynamoStudyRepository(db, 'studies');
    const { study } = await studies.createStudy('crash', { organs: [], diseases: [], stainings: [] });
    const images = await studies.addImages(
      study.id,
      Array.from({ length: IMAGES }, (_, i) => ({
        name: `s${i}.svs`,
        path: `crash/s${i}.svs`,
        fileSize: 1000,
        format: 'tiff' as const,
        rotation: 0 as const,
        addedOn: new Date().toISOString(),
      })),
    );
    await studies.addQuestions(study.id, [{ name: 'Q', type: 'FreeText', valuesAllowed: '', order: 0 }]);
    db.destroy();

    const rows = Array.from({ length: ROWS }, (_, i) => {
      const image = images[i % IMAGES];
      return `${image?.id}\t${image?.name}\tuser${Math.floor(i / IMAGES)}@lab.example\tQ\tanswer ${i}`;
    });
    const since = new Date(Date.now() - 1000).toISOString();
    const upload = send(first, 'POST', '/Api/UploadResults', { studyid: study.id, results: `\n${rows.join('\n')}` });
    upload.catch(() => {}); // the connection dies with the server
    // Kill it as soon as the upload has written something, well before it can have finished.
    const deadline = Date.now() + 30_000;
    while ((await rawItems(dataDir, study.id)) === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await killServer(first, dataDir);

    const second = await startServer(dataDir);
    servers.push(second);
    const written = await rawItems(dataDir, study.id);
    expect(written).toBeGreaterThan(0); // the crash did come part way through the writes
    const scores = await send(second, 'GET', '/Api/Scores', { studyid: study.id });
    expect(scores.status).toBe(200);
    const count = JSON.parse(scores.text).length as number;
    expect([0, ROWS]).toContain(count);
    if (count === 0) {
      // Nothing of it counts as an update either.
      const updated = await send(second, 'GET', '/Api/GetStudiesUpdated', { since });
      expect(JSON.parse(updated.text).studyIDs).not.toContain(study.id);
    } else {
      expect(new Set((JSON.parse(scores.text) as ScoreJson[]).map((s) => s.answer)).size).toBe(ROWS);
    }
    expect(await stopServer(second)).toBe(0);
  }, 120_000);
});
