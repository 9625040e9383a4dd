import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, unlink } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { UPLOADS_PREFIX } from '../functions/common/config.js';
import { LOCAL_BUCKET, localConfig, RUNTIME_FILE } from '../functions/local/local-config.js';
import { routeById } from '../functions/routes/manifest.js';
import { createS3Client } from '../functions/storage/aws-clients.js';
import { median, percentile } from './support/load.js';
import {
  childPids,
  commandOf,
  cpuOf,
  listeningPorts,
  memoryOf,
  RssSampler,
  resetPeak,
} from './support/process-stats.js';
import { startServer, stopServer } from './support/server-process.js';

/** What the official Python SDK sends per PATCH. */
const CHUNK = 10_000_000;
const MIB = 1024 * 1024;
const SIZES = [
  { label: '256 MiB', bytes: 256 * MIB, rounds: 5 },
  { label: '1 GiB', bytes: 1024 * MIB, rounds: 3 },
];
/** A small upload through the whole path before measuring (JIT, connections, first DynamoDB reads). */
const WARM_UP_BYTES = 3 * CHUNK;
const HEAD_REQUESTS = 30;
const SAMPLE_MS = 50;

/**
 * A file uploaded the SDK's way (RequestUpload, tus creation, 10,000,000-byte PATCHes on one keep-alive
 * connection, FinishUpload) into the embedded store of `npm start`, beside two floors written in the same
 * run: the same bytes through an fs write stream into the tus directory (same chunks), and a PutObject of the
 * same bytes straight to the runtime's s3rver (the least FinishUpload's move can cost, and the straight way
 * into the store the upload ends in). Rounds alternate which goes first; ratios are taken within a round.
 * Every stored object is read back and its sha256 checked.
 *
 * The bytes are a fixed pseudo-random 10,000,000-byte block sent as an 8-byte chunk number plus the block's
 * remaining bytes, so no chunk is copied and nothing is held beyond the one block. The expected sha256 is
 * computed from the same generator before the timing: hashing on the send path would add ~1.2 s of the
 * benchmark's CPU per GiB to the upload and to the floors alike and squeeze every ratio towards 1.
 *
 * Memory is that of the process serving HTTP (the `node` child of `tsx`, which also hosts tus and s3rver), on
 * a fresh server per size: VmHWM reset before each phase (clear_refs), and VmRSS sampled every 50 ms.
 */
export async function run(): Promise<void> {
  const results: SizeResult[] = [];
  for (const size of SIZES) results.push(await measureSize(size));
  print(results);
}

interface PhasePeak {
  hwm: number;
  sampled: number;
}

/** CPU seconds: the serving process (and its system part), DynamoDB Local's Java, this benchmark process. */
interface PhaseCpu {
  server: number;
  serverSystem: number;
  dynamo: number;
  client: number;
}

interface SizeResult {
  label: string;
  bytes: number;
  rounds: number;
  servingPid: number;
  tsxPid: number;
  hwmResettable: boolean;
  tusMs: number[];
  finishMs: number[];
  fileMs: number[];
  putMs: number[];
  patches: number;
  headP50: number;
  /** CPU used in each phase, per round. */
  cpu: { tus: PhaseCpu[]; finish: PhaseCpu[]; put: PhaseCpu[] };
  idleRss: number;
  afterRss: number;
  peak: { tus: PhasePeak; finish: PhasePeak; put: PhasePeak };
}

interface Ctx {
  url: string;
  adminToken: string;
  agent: Agent;
  s3: S3Client;
  dataDir: string;
}

async function measureSize(size: (typeof SIZES)[number]): Promise<SizeResult> {
  const expected = expectedSha256(size.bytes);
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-upload-'));
  const server = await startServer(dataDir);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  let s3: S3Client | undefined;
  try {
    const tsxPid = server.child.pid as number;
    const runtime = JSON.parse(await readFile(join(dataDir, RUNTIME_FILE), 'utf8')) as {
      pid: number;
      dynamodbEndpoint: string;
    };
    const pid = findServingProcess(tsxPid, runtime.pid);
    const javaPid = descendants(pid).find((child) => commandOf(child) === 'java');
    s3 = await s3ClientOf(dataDir, runtime.dynamodbEndpoint, pid, Number(new URL(server.url).port));
    const ctx: Ctx = { url: server.url, adminToken: server.adminToken, agent, s3, dataDir };

    // Warm-up through every path; the unfinished warm-up upload also serves to time HEAD (auth + lookup).
    const warm = await tusTransfer(ctx, WARM_UP_BYTES);
    const heads: number[] = [];
    for (let i = 0; i < HEAD_REQUESTS; i += 1) heads.push(await headLatency(ctx, warm.id));
    await finishUpload(ctx, warm.id, warm.uploadToken);
    await verifyAndDelete(s3, warm.id, WARM_UP_BYTES, expectedSha256(WARM_UP_BYTES));
    await writeFileFloor(ctx, WARM_UP_BYTES);
    await putObjectFloor(ctx, WARM_UP_BYTES);

    const result: SizeResult = {
      label: size.label,
      bytes: size.bytes,
      rounds: size.rounds,
      servingPid: pid,
      tsxPid,
      hwmResettable: resetPeak(pid),
      tusMs: [],
      finishMs: [],
      fileMs: [],
      putMs: [],
      patches: Math.ceil(size.bytes / CHUNK),
      headP50: percentile(
        heads.sort((a, b) => a - b),
        0.5,
      ),
      cpu: { tus: [], finish: [], put: [] },
      idleRss: memoryOf(pid).rss,
      afterRss: 0,
      peak: { tus: { hwm: 0, sampled: 0 }, finish: { hwm: 0, sampled: 0 }, put: { hwm: 0, sampled: 0 } },
    };
    const dynamoCpu = () => (javaPid === undefined ? Number.NaN : total(cpuOf(javaPid)));
    /** Runs one timed phase, recording the server's peak RSS and the CPU every process used. */
    const phase = async <T>(work: () => Promise<T>, peak: PhasePeak, cpu: PhaseCpu[]): Promise<T> => {
      resetPeak(pid);
      const sampler = new RssSampler(pid, SAMPLE_MS).start();
      const [server, dynamo, client] = [cpuOf(pid), dynamoCpu(), process.cpuUsage()];
      const value = await work();
      const [serverAfter, clientUsed] = [cpuOf(pid), process.cpuUsage(client)];
      cpu.push({
        server: total(serverAfter) - total(server),
        serverSystem: serverAfter.system - server.system,
        dynamo: dynamoCpu() - dynamo,
        client: (clientUsed.user + clientUsed.system) / 1e6,
      });
      peak.sampled = Math.max(peak.sampled, sampler.stop());
      peak.hwm = Math.max(peak.hwm, memoryOf(pid).hwm);
      return value;
    };
    const floors = async () => {
      result.fileMs.push(await writeFileFloor(ctx, size.bytes));
      result.putMs.push(await phase(() => putObjectFloor(ctx, size.bytes), result.peak.put, result.cpu.put));
    };
    for (let round = 0; round < size.rounds; round += 1) {
      if (round % 2 === 0) await floors();
      const upload = await phase(() => tusTransfer(ctx, size.bytes), result.peak.tus, result.cpu.tus);
      result.tusMs.push(upload.ms);
      result.finishMs.push(
        await phase(() => finishUpload(ctx, upload.id, upload.uploadToken), result.peak.finish, result.cpu.finish),
      );
      await verifyAndDelete(s3, upload.id, size.bytes, expected);
      if (round % 2 === 1) await floors();
    }
    result.afterRss = memoryOf(pid).rss;
    return result;
  } finally {
    s3?.destroy();
    agent.destroy();
    await stopServer(server.child);
    await rm(dataDir, { recursive: true, force: true });
  }
}

const total = (cpu: { user: number; system: number }) => cpu.user + cpu.system;

/** Every process below `pid` (DynamoDB Local's Java runs under a small shell). */
function descendants(pid: number): number[] {
  return childPids(pid).flatMap((child) => [child, ...descendants(child)]);
}

/**
 * The `node` process that serves HTTP: the child of the spawned `tsx` whose pid the runtime wrote to
 * runtime.json (both must agree, so the launcher is never what gets measured).
 */
function findServingProcess(tsxPid: number, runtimePid: number): number {
  const nodeChildren = childPids(tsxPid).filter((pid) => commandOf(pid) === 'node');
  if (!nodeChildren.includes(runtimePid)) {
    throw new Error(`runtime.json names pid ${runtimePid}, but tsx (${tsxPid}) has node children ${nodeChildren}`);
  }
  return runtimePid;
}

/**
 * runtime.json names DynamoDB Local's endpoint but not s3rver's. s3rver listens inside the serving process:
 * the port of that process, besides the HTTP one, that answers as the bucket.
 */
async function s3ClientOf(dataDir: string, dynamodb: string, pid: number, httpPort: number): Promise<S3Client> {
  for (const port of listeningPorts(pid).filter((p) => p !== httpPort)) {
    const client = createS3Client(localConfig(dataDir, { dynamodb, s3: `http://127.0.0.1:${port}` }));
    const found = await client.send(new HeadBucketCommand({ Bucket: LOCAL_BUCKET })).then(
      () => true,
      () => false,
    );
    if (found) return client;
    client.destroy();
  }
  throw new Error(`no port of pid ${pid} answers as s3rver`);
}

/** A fixed pseudo-random block (xorshift32), never modified. */
const BLOCK = (() => {
  const words = new Uint32Array(CHUNK / 4);
  let x = 0x9e3779b9;
  for (let i = 0; i < words.length; i += 1) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x >>> 0;
  }
  return Buffer.from(words.buffer);
})();
const HEADER_BYTES = 8;

/**
 * The file's chunks: chunk n is its number (8 bytes, big-endian) and the block's bytes after the first 8, cut
 * short at the end of the file. Two buffers per chunk, neither copied.
 */
function* chunks(size: number): Generator<{ offset: number; length: number; parts: [Buffer, Buffer] }> {
  for (let offset = 0, n = 0n; offset < size; offset += CHUNK, n += 1n) {
    const length = Math.min(CHUNK, size - offset);
    const header = Buffer.alloc(HEADER_BYTES);
    header.writeBigUInt64BE(n);
    const headerLength = Math.min(HEADER_BYTES, length);
    yield { offset, length, parts: [header.subarray(0, headerLength), BLOCK.subarray(headerLength, length)] };
  }
}

function expectedSha256(size: number): string {
  const hash = createHash('sha256');
  for (const { parts } of chunks(size)) for (const part of parts) hash.update(part);
  return hash.digest('hex');
}

interface HttpReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

function send(ctx: Ctx, method: string, path: string, headers: Record<string, string>, body: Buffer[] = []) {
  const length = body.reduce((sum, part) => sum + part.length, 0);
  return new Promise<HttpReply>((resolve, reject) => {
    const req = request(
      new URL(path, ctx.url),
      { method, agent: ctx.agent, headers: { ...headers, 'content-length': String(length) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          text += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    for (const part of body) req.write(part);
    req.end();
  });
}

function postForm(ctx: Ctx, path: string, fields: Record<string, string>): Promise<HttpReply> {
  const headers = {
    authorization: `Bearer ${ctx.adminToken}`,
    accept: 'application/json',
    'content-type': 'application/x-www-form-urlencoded',
  };
  return send(ctx, 'POST', path, headers, [Buffer.from(new URLSearchParams(fields).toString())]);
}

const base64 = (value: string) => Buffer.from(value, 'utf8').toString('base64');
let uploads = 0;

/** RequestUpload (not timed), then tus creation and every PATCH (timed). */
async function tusTransfer(ctx: Ctx, size: number): Promise<{ id: string; uploadToken: string; ms: number }> {
  uploads += 1;
  const requested = await postForm(ctx, '/Api/RequestUpload', { filename: `bench-${uploads}.bin`, folder: 'bench' });
  const uploadToken = (JSON.parse(requested.text) as { token?: string }).token;
  if (!uploadToken) throw new Error(`RequestUpload: ${requested.status} ${requested.text}`);

  const t0 = performance.now();
  const created = await send(ctx, 'POST', '/files/', {
    'tus-resumable': '1.0.0',
    'upload-length': String(size),
    'upload-metadata': `uploadtoken ${base64(uploadToken)},apitoken ${base64(ctx.adminToken)}`,
  });
  if (created.status !== 201) throw new Error(`tus creation: ${created.status} ${created.text}`);
  const location = String(created.headers.location);
  const id = location.slice(location.lastIndexOf('/') + 1);
  for (const { offset, length, parts } of chunks(size)) {
    const headers = {
      'tus-resumable': '1.0.0',
      'upload-offset': String(offset),
      'content-type': 'application/offset+octet-stream',
    };
    const reply = await send(ctx, 'PATCH', `/files/${id}`, headers, parts);
    if (reply.status !== 204 || reply.headers['upload-offset'] !== String(offset + length)) {
      throw new Error(`PATCH at ${offset}: ${reply.status}, offset ${reply.headers['upload-offset']} ${reply.text}`);
    }
  }
  return { id, uploadToken, ms: performance.now() - t0 };
}

async function headLatency(ctx: Ctx, id: string): Promise<number> {
  const t0 = performance.now();
  const reply = await send(ctx, 'HEAD', `/files/${id}`, { 'tus-resumable': '1.0.0' });
  if (reply.status !== 200) throw new Error(`HEAD: ${reply.status}`);
  return performance.now() - t0;
}

async function finishUpload(ctx: Ctx, id: string, uploadToken: string): Promise<number> {
  const t0 = performance.now();
  const reply = await postForm(ctx, '/Api/FinishUpload', { id, token: uploadToken });
  const ms = performance.now() - t0;
  if (reply.status !== 200 || reply.text !== '"OK"') throw new Error(`FinishUpload: ${reply.status} ${reply.text}`);
  return ms;
}

/** Streams `uploads/<id>` back from s3rver and checks its length and sha256, then deletes it. */
async function verifyAndDelete(s3: S3Client, id: string, size: number, sha256: string): Promise<void> {
  const key = `${UPLOADS_PREFIX}${id}`;
  const object = await s3.send(new GetObjectCommand({ Bucket: LOCAL_BUCKET, Key: key }));
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of object.Body as Readable) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  const digest = hash.digest('hex');
  if (bytes !== size || digest !== sha256) {
    throw new Error(`${key}: ${bytes} bytes with sha256 ${digest}; sent ${size} bytes with sha256 ${sha256}`);
  }
  await s3.send(new DeleteObjectCommand({ Bucket: LOCAL_BUCKET, Key: key }));
}

/** Floor of the file store: the same chunks through an fs write stream into the tus directory. */
async function writeFileFloor(ctx: Ctx, size: number): Promise<number> {
  const directory = join(ctx.dataDir, 'tus');
  await mkdir(directory, { recursive: true });
  const path = join(directory, 'bench-floor.bin');
  const t0 = performance.now();
  const stream = createWriteStream(path);
  const closed = new Promise<void>((resolve, reject) => {
    stream.on('close', resolve);
    stream.on('error', reject);
  });
  for (const { parts } of chunks(size)) {
    for (const part of parts) {
      await new Promise<void>((resolve, reject) => stream.write(part, (error) => (error ? reject(error) : resolve())));
    }
  }
  stream.end();
  await closed;
  const ms = performance.now() - t0;
  await unlink(path);
  return ms;
}

/** Floor of FinishUpload's move: a PutObject of the same bytes, as a stream, straight to s3rver. */
async function putObjectFloor(ctx: Ctx, size: number): Promise<number> {
  const key = 'bench/put-floor.bin';
  const body = Readable.from(
    (function* () {
      for (const { parts } of chunks(size)) yield* parts;
    })(),
  );
  const t0 = performance.now();
  await ctx.s3.send(new PutObjectCommand({ Bucket: LOCAL_BUCKET, Key: key, Body: body, ContentLength: size }));
  const ms = performance.now() - t0;
  await ctx.s3.send(new DeleteObjectCommand({ Bucket: LOCAL_BUCKET, Key: key }));
  return ms;
}

function print(results: SizeResult[]): void {
  const rate = (bytes: number, ms: number) => `${(bytes / 1e6 / (ms / 1000)).toFixed(0)} MB/s`;
  const secs = (s: number) => `${s.toFixed(2)} s`;
  const mib = (bytes: number) => `${(bytes / MIB).toFixed(0)} MiB`;
  const row = (name: string, cell: (r: SizeResult) => string) =>
    console.log(`  ${name.padEnd(44)}${results.map((r) => cell(r).padStart(26)).join('')}`);
  const timed = (r: SizeResult, ms: number[]) => `${rate(r.bytes, median(ms))} (${secs(median(ms) / 1000)})`;
  /** Median of the per-round ratios a[i] / b[i] (each pair measured side by side), with their range. */
  const paired = (a: number[], b: number[]) => {
    const ratios = a.map((value, i) => value / (b[i] as number));
    return `×${median(ratios).toFixed(2)} (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})`;
  };
  const both = (r: SizeResult) => r.tusMs.map((ms, i) => ms + (r.finishMs[i] as number));
  const cpu = (phases: PhaseCpu[], wallMs: number[], part: keyof PhaseCpu) => {
    const seconds = median(phases.map((p) => p[part]));
    const share = `${((100 * seconds) / (median(wallMs) / 1000)).toFixed(0)}%`;
    const system = part === 'server' ? `, sys ${secs(median(phases.map((p) => p.serverSystem)))}` : '';
    return `${secs(seconds)} (${share}${system})`;
  };

  const rounds = results.map((r) => r.rounds).join('/');
  console.log(
    `Upload through tus (${CHUNK.toLocaleString('en')}-byte PATCHes, one connection) into npm start's store, median of ${rounds} rounds (ratios: of each round's pair, range in brackets); MB = 10^6 bytes; every stored object's sha256 checked`,
  );
  row('', (r) => r.label);
  row('tus transfer (creation + PATCHes)', (r) => timed(r, r.tusMs));
  row('FinishUpload (move into s3rver)', (r) => timed(r, r.finishMs));
  row('tus + FinishUpload', (r) => timed(r, both(r)));
  row('floor: fs write into the tus directory', (r) => timed(r, r.fileMs));
  row('floor: PutObject straight to s3rver', (r) => timed(r, r.putMs));
  row('ratio tus+FinishUpload / PutObject (thr.)', (r) => paired(r.putMs, both(r)));
  row('ratio tus transfer / fs write (throughput)', (r) => paired(r.fileMs, r.tusMs));
  row('ratio FinishUpload / PutObject (time)', (r) => paired(r.finishMs, r.putMs));
  const last = results[results.length - 1] as SizeResult;
  const finishSeconds = routeById('FinishUpload').timeoutSeconds;
  console.log(
    `  FinishUpload runs under its route's ${finishSeconds} s timeout; at the ${last.label} rate the largest file it can move is ≈ ${((last.bytes / 1e9) * ((finishSeconds * 1000) / median(last.finishMs))).toFixed(1)} GB`,
  );

  console.log('Where the time goes: CPU seconds (user+sys) used in each phase, and their share of its wall time');
  row('server, tus transfer', (r) => cpu(r.cpu.tus, r.tusMs, 'server'));
  row('DynamoDB Local, tus transfer', (r) => cpu(r.cpu.tus, r.tusMs, 'dynamo'));
  row('benchmark, tus transfer', (r) => cpu(r.cpu.tus, r.tusMs, 'client'));
  row(
    'per-request cost: HEAD p50 × PATCHes',
    (r) => `${r.headP50.toFixed(1)} ms × ${r.patches} = ${secs((r.headP50 * r.patches) / 1000)}`,
  );
  row('server, FinishUpload', (r) => cpu(r.cpu.finish, r.finishMs, 'server'));
  row('server (s3rver), PutObject floor', (r) => cpu(r.cpu.put, r.putMs, 'server'));
  row('benchmark, PutObject floor', (r) => cpu(r.cpu.put, r.putMs, 'client'));

  const first = results[0] as SizeResult;
  console.log(
    `Server RSS: the node process serving HTTP, tus, the API and s3rver (DynamoDB Local's Java not counted), fresh per size; peak = VmHWM ${first.hwmResettable ? 'reset before each phase' : '(not resettable here: since start)'} [max VmRSS sampled every ${SAMPLE_MS} ms]`,
  );
  row('serving pid (child of tsx pid)', (r) => `${r.servingPid} (${r.tsxPid})`);
  row('RSS idle, after warm-up', (r) => mib(r.idleRss));
  const peak = (p: PhasePeak) => `${mib(p.hwm)} [${mib(p.sampled)}]`;
  row('peak during tus transfer', (r) => peak(r.peak.tus));
  row('peak during FinishUpload', (r) => peak(r.peak.finish));
  row('peak during PutObject floor', (r) => peak(r.peak.put));
  row('RSS after the rounds', (r) => mib(r.afterRss));
  if (last !== first) {
    const growth = (f: (r: SizeResult) => number) => {
      const change = (f(last) - f(first)) / MIB;
      return `${change >= 0 ? '+' : ''}${change.toFixed(0)} MiB`;
    };
    console.log(
      `  peak growth ${first.label} → ${last.label} (×${(last.bytes / first.bytes).toFixed(0)} the bytes): tus ${growth((r) => r.peak.tus.hwm)}, FinishUpload ${growth((r) => r.peak.finish.hwm)}; the benchmark process's own peak RSS ${mib(process.resourceUsage().maxRSS * 1024)}`,
    );
  }
}
