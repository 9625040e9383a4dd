import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoClient } from '../../functions/storage/aws-clients.js';
import { DynamoStudyRepository } from '../../functions/storage/dynamo-study-repository.js';
import { getResults, sdkResult } from '../support/sdk-results.js';
import { type ServerProcess, send, serverConfig, startServer, stopServer } from '../support/server-process.js';

const ROWS = 300;

let dataDir: string;
let server: ServerProcess;
let studyId: number;
let imageId: number;

// Its own `npm start`, with limits low enough that a 300-row study is exported in the background, and a wait
// short enough that the client is sent round the waiting URL more than once.
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'slidescore-export-'));
  server = await startServer(dataDir, { SCORES_INLINE_MAX_BYTES: '2000', SCORES_WAIT_SECONDS: '0.05' });
  const db = createDynamoClient(await serverConfig(dataDir));
  const studies = new DynamoStudyRepository(db, 'studies');
  const { study } = await studies.createStudy('export', { organs: [], diseases: [], stainings: [] });
  const [image] = await studies.addImages(study.id, [
    {
      name: 'a.svs',
      path: 'export/a.svs',
      fileSize: 1,
      format: 'tiff',
      rotation: 0,
      addedOn: new Date().toISOString(),
    },
  ]);
  await studies.addQuestions(study.id, [{ name: 'Q', type: 'FreeText', valuesAllowed: '', order: 0 }]);
  db.destroy();
  studyId = study.id;
  imageId = image?.id as number;
  const rows = Array.from({ length: ROWS }, (_, i) => `${imageId}\ta.svs\tuser${i}@lab.example\tQ\tanswer ${i}`);
  const upload = await send(server, 'POST', '/Api/UploadResults', {
    studyid: studyId,
    results: `\n${rows.join('\n')}`,
  });
  expect(upload.text).toBe('{"success":true}');
}, 120_000);

afterAll(async () => {
  if (server) await stopServer(server);
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('Scores exported in the background (a small inline limit forces it)', () => {
  it("serves the SDK's get_results through redirects: 303 to a waiting URL, then the export", async () => {
    const { hops, text } = await getResults(server.url, server.adminToken, studyId);
    expect(hops.length).toBeGreaterThanOrEqual(1);
    expect(hops.length).toBeLessThanOrEqual(30);
    const [first] = hops;
    expect(first).toMatchObject({ status: 303, retryAfter: '1' });
    expect(first?.location).toMatch(/^\/Api\/Scores\/Export\/[0-9a-f-]{36}$/);
    // Every later hop is the waiting URL sending the client round again; npm start streams the export itself.
    for (const hop of hops.slice(1)) expect(hop).toMatchObject({ status: 303, location: first?.location });
    const results = (JSON.parse(text) as Record<string, unknown>[]).map(sdkResult);
    expect(results).toHaveLength(ROWS);
    expect(new Set(results.map((r) => r.user)).size).toBe(ROWS);
    expect(results.every((r) => r.imageId === imageId && r.question === 'Q')).toBe(true);
  });

  it('does the same for TSV', async () => {
    const { hops, text, contentType } = await getResults(server.url, server.adminToken, studyId, {}, '*/*');
    expect(hops[0]?.status).toBe(303);
    expect(contentType).toBe('text/tab-separated-values; charset=utf-8');
    const lines = text.split('\n');
    expect(lines[0]).toBe('ImageID\tImage Name\tBy\tQuestion\tAnswer');
    expect(lines).toHaveLength(ROWS + 2);
  });

  it('answers a small filtered export inline, without redirects', async () => {
    const { hops, text } = await getResults(server.url, server.adminToken, studyId, { email: 'user7@lab.example' });
    expect(hops).toEqual([]);
    expect(JSON.parse(text).map((item: { answer: string }) => item.answer)).toEqual(['answer 7']);
  });

  it('refuses a waiting URL that names no export with 404', async () => {
    const reply = await send(server, 'GET', '/Api/Scores/Export/00000000-0000-0000-0000-000000000000');
    expect(reply.status).toBe(404);
  });
});
