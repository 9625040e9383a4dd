import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { type IncomingMessage, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchWriteCommand, type DynamoDBDocumentClient, paginateQuery } from '@aws-sdk/lib-dynamodb';
import { localConfig, RUNTIME_FILE } from '../functions/local/local-config.js';
import type { NewAnswer } from '../functions/scores/score-repository.js';
import { createDynamoClient } from '../functions/storage/aws-clients.js';
import { DynamoScoreRepository } from '../functions/storage/dynamo-score-repository.js';
import { DynamoStudyRepository } from '../functions/storage/dynamo-study-repository.js';
import { answerPartition, SCORE_SHARDS } from '../functions/storage/score-keys.js';
import { memoryOf, RssSampler } from './support/process-stats.js';

/**
 * Results at scale, against the embedded runtime (DynamoDB Local in memory, s3rver, the real handlers):
 * - a study is seeded with answers straight through the score repository (BatchWrite), first SMALL, then LARGE;
 * - at each size, the floor: a raw Query of the same items through the SDK (eight shard partitions in parallel,
 *   strongly consistent, as the export reads them), measured before and after the exports (the faster counts);
 * - Scores as JSON and TSV over HTTP (the whole path: handler, export store, the runtime streaming the object),
 *   with the server's peak RSS (npm start gives Scores 10 minutes; the cloud's 29 s is for DynamoDB's speed);
 * - the same export through ResultsService in a process of its own, without the deadline, into a sink that
 *   counts bytes: time, CPU time and peak RSS at any size; and once with the heap capped, to show the memory
 *   the export needs is bounded by design rather than by a lenient garbage collector;
 * - GetStudiesUpdated: items read (from the repository) and its latency over HTTP;
 * - UploadResults: 50,000 rows in calls of 10,000, then the same again (nothing changes), beside a raw
 *   BatchWrite of as many items.
 * RESULTS_SCALE_ANSWERS sets LARGE (default 1,000,000), for quicker runs; RESULTS_SCALE_SERVER_HEAP_MB caps the
 * server's heap.
 */
const LARGE = Number(process.env.RESULTS_SCALE_ANSWERS ?? 1_000_000);
const SMALL = Math.min(200_000, Math.floor(LARGE / 5));
const IMAGES = 2000;
const QUESTIONS = 10;
const UPLOAD_ROWS = 50_000;
const UPLOAD_CALL_ROWS = 10_000;
const SEED_CHUNK = 20_000;
const CAPPED_HEAP_MB = 64;

interface Runtime {
  child: ChildProcess;
  url: string;
  token: string;
  db: DynamoDBDocumentClient;
  dynamodbEndpoint: string;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

export async function run(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-results-'));
  const runtime = await startRuntime(dataDir);
  try {
    const studies = new DynamoStudyRepository(runtime.db, 'studies');
    const scores = new DynamoScoreRepository(runtime.db, 'scores');
    const study = await createStudy(studies, 'bench-results', IMAGES);
    const since = new Date(Date.now() - 1000);
    const summary: string[] = [];
    console.log(
      `Study of ${IMAGES} slides × ${QUESTIONS} questions, small answers; ${SMALL / (IMAGES * QUESTIONS)} then ${LARGE / (IMAGES * QUESTIONS)} users`,
    );
    let seeded = 0;
    const seedStarted = performance.now();
    for (const size of [SMALL, LARGE]) {
      for (; seeded < size; seeded += SEED_CHUNK) {
        await scores.bulkLoad(study.id, answersFor(study, seeded, Math.min(size, seeded + SEED_CHUNK)));
      }
      const seedSeconds = (performance.now() - seedStarted) / 1000;
      console.log(
        `\n${size.toLocaleString('en-US')} answers (seeded through the repository at ${(seeded / seedSeconds).toFixed(0)} answers/s)`,
      );
      const raw = await rawQuery(runtime.db, study.id);
      const idle = memoryOf(runtime.child.pid as number).rss;
      const http = {
        json: await exportOver(runtime, study.id, 'json'),
        tsv: await exportOver(runtime, study.id, 'tsv'),
      };
      const sink = {
        json: await exportToSink(runtime, study.id, 'json'),
        tsv: await exportToSink(runtime, study.id, 'tsv'),
      };
      const capped = size === LARGE ? await exportToSink(runtime, study.id, 'json', CAPPED_HEAP_MB) : undefined;
      const raw2 = await rawQuery(runtime.db, study.id);
      const floor = Math.min(raw.seconds, raw2.seconds);
      for (const e of [raw, raw2, ...Object.values(sink), ...(capped ? [capped] : [])]) {
        if (e.rows !== size) throw new Error(`expected ${size} rows, read ${e.rows}`);
      }
      for (const e of Object.values(http)) {
        if (e.status === 200 && e.rows !== size) throw new Error(`expected ${size} rows over HTTP, read ${e.rows}`);
      }
      const line = (name: string, e: Measured, extra: string) =>
        `  ${name.padEnd(37)} ${e.seconds.toFixed(1).padStart(5)} s ${(e.rows / e.seconds).toFixed(0).padStart(6)} rows/s  ×${(e.seconds / floor).toFixed(2)} raw  ${extra}`;
      console.log(line('raw Query (8 shards in parallel)', { ...raw, seconds: floor }, ''));
      for (const [format, e] of Object.entries(http)) {
        const outcome =
          e.status === 200
            ? `${mb(e.bytes).padStart(6)}, server peak RSS ${mb(e.peakRss)} (idle ${mb(idle)})`
            : `HTTP ${e.status} after ${e.rows.toLocaleString('en-US')} rows: ${e.message}`;
        console.log(line(`Scores ${format.toUpperCase()} over HTTP (npm start)`, e, outcome));
      }
      for (const [format, e] of Object.entries(sink)) {
        console.log(
          line(
            `Scores ${format.toUpperCase()}, service → counting sink`,
            e,
            `${mb(e.bytes).padStart(6)}, peak RSS ${mb(e.peakRss)}, CPU ${e.cpuSeconds.toFixed(1)} s (${((e.cpuSeconds / e.rows) * 1e6).toFixed(1)} s per million)`,
          ),
        );
      }
      if (capped) {
        console.log(line(`  same JSON, heap capped at ${CAPPED_HEAP_MB} MB`, capped, `peak RSS ${mb(capped.peakRss)}`));
      }
      const updated = await studiesUpdated(runtime, scores, study.id, since);
      console.log(
        `  GetStudiesUpdated: items read ${updated.scoped} (token limited to this study), ${updated.all} (token with all studies); ${updated.ms.toFixed(1)} ms over HTTP`,
      );
      summary.push(
        `${size.toLocaleString('en-US').padStart(9)} answers: raw Query ${floor.toFixed(1)} s; export JSON ${sink.json.seconds.toFixed(1)} s ×${(sink.json.seconds / floor).toFixed(2)}, TSV ${sink.tsv.seconds.toFixed(1)} s ×${(sink.tsv.seconds / floor).toFixed(2)}; peak RSS JSON ${mb(sink.json.peakRss)}, TSV ${mb(sink.tsv.peakRss)}; GetStudiesUpdated reads ${updated.scoped} items`,
      );
    }
    const upload = await uploadRows(runtime, studies);
    console.log(
      `\nUploadResults: ${UPLOAD_ROWS.toLocaleString('en-US')} rows in calls of ${UPLOAD_CALL_ROWS.toLocaleString('en-US')}`,
    );
    console.log(
      `  new answers                 ${upload.fresh.toFixed(1).padStart(6)} s  ${(UPLOAD_ROWS / upload.fresh).toFixed(0)} rows/s  ×${(upload.fresh / upload.raw).toFixed(2)} of raw BatchWrite`,
    );
    console.log(
      `  same rows again (no change) ${upload.again.toFixed(1).padStart(6)} s  ${(UPLOAD_ROWS / upload.again).toFixed(0)} rows/s  ×${(upload.again / upload.raw).toFixed(2)} of raw BatchWrite`,
    );
    console.log(
      `  baseline: raw BatchWrite    ${upload.raw.toFixed(1).padStart(6)} s  ${(UPLOAD_ROWS / upload.raw).toFixed(0)} items/s (25 per request, 16 in flight)`,
    );
    console.log('\nSummary (exports through the service, no deadline)');
    for (const line of summary) console.log(`  ${line}`);
  } finally {
    runtime.db.destroy();
    await stopRuntime(runtime.child);
    await rm(dataDir, { recursive: true, force: true });
  }
}

interface BenchStudy {
  id: number;
  images: { id: number; name: string }[];
  questions: { id: number; name: string }[];
}

async function createStudy(studies: DynamoStudyRepository, name: string, images: number): Promise<BenchStudy> {
  const { study } = await studies.createStudy(name, { organs: [], diseases: [], stainings: [] });
  const added = await studies.addImages(
    study.id,
    Array.from({ length: images }, (_, i) => ({
      name: `slide-${String(i).padStart(5, '0')}.svs`,
      path: `${name}/slide-${i}.svs`,
      fileSize: 1,
      format: 'tiff' as const,
      rotation: 0 as const,
      addedOn: new Date().toISOString(),
    })),
  );
  const questions = await studies.addQuestions(
    study.id,
    Array.from({ length: QUESTIONS }, (_, i) => ({
      name: `Q${i}`,
      type: 'FreeText' as const,
      valuesAllowed: '',
      order: i,
    })),
  );
  return { id: study.id, images: added, questions };
}

/** Answers number `from` to `to` of the study: every slide and question for one user, then the next user. */
function answersFor(study: BenchStudy, from: number, to: number): NewAnswer[] {
  const answers: NewAnswer[] = [];
  for (let i = from; i < to; i++) {
    answers.push({
      imageId: (study.images[i % IMAGES] as { id: number }).id,
      questionId: (study.questions[Math.floor(i / IMAGES) % QUESTIONS] as { id: number }).id,
      user: `reader${Math.floor(i / (IMAGES * QUESTIONS))}@lab.example`,
      answer: String(i % 101),
    });
  }
  return answers;
}

async function rawQuery(db: DynamoDBDocumentClient, studyId: number): Promise<Measured> {
  const started = performance.now();
  const counts = await Promise.all(
    Array.from({ length: SCORE_SHARDS }, async (_, shard) => {
      let items = 0;
      const pages = paginateQuery(
        { client: db },
        {
          TableName: 'scores',
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': answerPartition(studyId, shard) },
          ConsistentRead: true,
        },
      );
      for await (const page of pages) items += page.Items?.length ?? 0;
      return items;
    }),
  );
  return { rows: counts.reduce((a, b) => a + b, 0), seconds: (performance.now() - started) / 1000 };
}

interface Measured {
  rows: number;
  seconds: number;
}

interface Export extends Measured {
  status: number;
  bytes: number;
  peakRss: number;
  message?: string;
}

/** Downloads Scores as a client does (following a redirect if one comes), counting bytes and rows. */
async function exportOver(runtime: Runtime, studyId: number, format: 'json' | 'tsv'): Promise<Export> {
  const sampler = new RssSampler(runtime.child.pid as number, 20).start();
  const started = performance.now();
  const headers = { authorization: `Bearer ${runtime.token}`, accept: format === 'json' ? 'application/json' : '*/*' };
  let response = await get(`${runtime.url}/Api/Scores?studyid=${studyId}`, headers);
  // Large exports run in the background: follow the 303s to the waiting URL (as requests does) to the export.
  for (let hops = 0; response.statusCode === 303 && hops < 30; hops++) {
    response.resume();
    response = await get(new URL(String(response.headers.location), runtime.url).toString(), headers);
  }
  let bytes = 0;
  let rows = 0;
  let tail = '';
  let body = '';
  for await (const chunk of response as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (response.statusCode !== 200) body += chunk.toString();
    // Rows: JSON objects (each starts with {"id":), or TSV lines after the header.
    const text = tail + chunk.toString('latin1');
    rows += format === 'json' ? count(text, '{"id":') : count(text, '\n');
    tail = format === 'json' ? text.slice(-5) : '';
  }
  const seconds = (performance.now() - started) / 1000;
  const peakRss = sampler.stop();
  if (response.statusCode !== 200) {
    const log = (JSON.parse(body) as { log: string }).log;
    const read = Number(/had read ([\d,]+) answers/.exec(log)?.[1]?.replaceAll(',', '') ?? 0);
    return { status: response.statusCode ?? 0, seconds, bytes, rows: read, peakRss, message: log };
  }
  return { status: 200, seconds, bytes, rows: format === 'json' ? rows : rows - 1, peakRss };
}

interface SinkExport extends Measured {
  bytes: number;
  cpuSeconds: number;
  peakRss: number;
}

/** One export through ResultsService in a process of its own (bench/support/export-to-sink.ts), which reports its peak RSS. */
async function exportToSink(
  runtime: Runtime,
  studyId: number,
  format: 'json' | 'tsv',
  heapMb?: number,
): Promise<SinkExport> {
  const child = spawn(
    process.execPath,
    [
      ...(heapMb ? [`--max-old-space-size=${heapMb}`] : []),
      '--import',
      'tsx',
      'bench/support/export-to-sink.ts',
      runtime.dynamodbEndpoint,
      String(studyId),
      format,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`export-to-sink failed (${code}):\n${output.slice(-2000)}`);
  return JSON.parse(output.trim().split('\n').at(-1) as string);
}

function count(text: string, needle: string): number {
  let n = 0;
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length)) n++;
  return n;
}

async function studiesUpdated(runtime: Runtime, scores: DynamoScoreRepository, studyId: number, since: Date) {
  const scoped = await scores.studiesUpdatedSince(since, [studyId]);
  const all = await scores.studiesUpdatedSince(since, 'all');
  if (!scoped.studyIds.includes(studyId)) throw new Error('GetStudiesUpdated missed the study');
  const started = performance.now();
  const response = await get(`${runtime.url}/Api/GetStudiesUpdated?since=${encodeURIComponent(since.toISOString())}`, {
    authorization: `Bearer ${runtime.token}`,
    accept: 'application/json',
  });
  response.resume();
  await new Promise((resolve) => response.on('end', resolve));
  return { scoped: scoped.itemsRead, all: all.itemsRead, ms: performance.now() - started };
}

async function uploadRows(runtime: Runtime, studies: DynamoStudyRepository) {
  const study = await createStudy(studies, 'bench-upload', 5000);
  const rows = Array.from({ length: UPLOAD_ROWS }, (_, i) => {
    const image = study.images[i % 5000] as { id: number; name: string };
    const question = study.questions[Math.floor(i / 5000) % QUESTIONS] as { name: string };
    return `${image.id}\t${image.name}\treader@lab.example\t${question.name}\t${i % 101}`;
  });
  const send = async () => {
    const started = performance.now();
    for (let start = 0; start < rows.length; start += UPLOAD_CALL_ROWS) {
      const results = `\n${rows.slice(start, start + UPLOAD_CALL_ROWS).join('\n')}`;
      const reply = await post(
        `${runtime.url}/Api/UploadResults`,
        { studyid: String(study.id), results },
        runtime.token,
      );
      if (reply !== '{"success":true}') throw new Error(`UploadResults failed: ${reply.slice(0, 500)}`);
    }
    return (performance.now() - started) / 1000;
  };
  const fresh = await send();
  const again = await send();
  const raw = await rawBatchWrite(runtime.db, UPLOAD_ROWS);
  return { fresh, again, raw };
}

/** The floor under an upload: as many small items through BatchWrite, 25 per request, 16 requests in flight. */
async function rawBatchWrite(db: DynamoDBDocumentClient, items: number): Promise<number> {
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < items) {
        const first = next;
        next += 25;
        const requests = Array.from({ length: Math.min(25, items - first) }, (_, k) => ({
          PutRequest: {
            Item: { pk: `BENCH#${(first + k) % 8}`, sk: `item-${first + k}`, id: first + k, a: 'x', t: 'now' },
          },
        }));
        const { UnprocessedItems } = await db.send(new BatchWriteCommand({ RequestItems: { scores: requests } }));
        if (Object.keys(UnprocessedItems ?? {}).length > 0) throw new Error('unprocessed items in the baseline');
      }
    }),
  );
  return (performance.now() - started) / 1000;
}

async function startRuntime(dataDir: string): Promise<Runtime> {
  // `node --import tsx` rather than the tsx binary, so the pid sampled is the server's own process.
  // RESULTS_SCALE_SERVER_HEAP_MB caps the server's V8 heap: a peak RSS that stays put under the cap is garbage the
  // collector had not needed to reclaim, not memory the server needs.
  const heap = process.env.RESULTS_SCALE_SERVER_HEAP_MB;
  const child = spawn(
    process.execPath,
    [...(heap ? [`--max-old-space-size=${heap}`] : []), '--import', 'tsx', 'bench/support/in-memory-server.ts'],
    {
      env: { ...process.env, DATA_DIR: dataDir, POWERTOOLS_LOG_LEVEL: 'WARN' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const { url, token } = await new Promise<{ url: string; token: string }>((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /Listening on (http:\/\/\S+)/.exec(output)?.[1];
      const token = /Admin token: (\S+)/.exec(output)?.[1];
      if (url && token) resolve({ url, token });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
  const { dynamodbEndpoint } = JSON.parse(await readFile(join(dataDir, RUNTIME_FILE), 'utf8'));
  const db = createDynamoClient(localConfig(dataDir, { dynamodb: dynamodbEndpoint }));
  return { child, url, token, db, dynamodbEndpoint };
}

function stopRuntime(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

function get(url: string, headers: Record<string, string>): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, resolve).on('error', reject).end();
  });
}

function post(url: string, form: Record<string, string>, token: string): Promise<string> {
  const body = Buffer.from(new URLSearchParams(form).toString());
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': String(body.length),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve(Buffer.concat(chunks).toString()));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
