import { createHash, type Hash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, unlink } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand, HeadBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { UPLOADS_PREFIX } from '../functions/common/config.js';
import { LOCAL_BUCKET, localConfig, RUNTIME_FILE } from '../functions/local/local-config.js';
import { createS3Client } from '../functions/storage/aws-clients.js';
import { median } from './support/load.js';
import { childPids, commandOf, listeningPorts, memoryOf, RssSampler, resetPeak } from './support/process-stats.js';
import { startServer, stopServer } from './support/server-process.js';

/** What the official Python SDK sends per PATCH. */
const CHUNK = 10_000_000;
const MIB = 1024 * 1024;
const SIZES = [
  { label: '256 MiB', bytes: 256 * MIB, rounds: 3 },
  { label: '1 GiB', bytes: 1024 * MIB, rounds: 3 },
];
/** A small upload through the whole path before measuring (JIT, connections, first DynamoDB reads). */
const WARM_UP_BYTES = 3 * CHUNK;
const SAMPLE_MS = 50;

/**
 * A file uploaded the SDK's way (RequestUpload, tus creation, 10,000,000-byte PATCHes, FinishUpload) into the
 * embedded store of `npm start`, beside two floors written in the same run: the same bytes written with an fs
 * write stream into the tus directory (same chunks), and a PutObject of the same bytes straight to the
 * runtime's s3rver (what FinishUpload's move does at the least). Every upload's object is read back and its
 * sha256 checked. A fresh server per size, so its peak RSS (VmHWM, reset per phase through clear_refs, and
 * VmRSS sampled every 50 ms) belongs to that size alone.
 */
export async function run(): Promise<void> {
  const results: SizeResult[] = [];
  for (const size of SIZES) results.push(await measureSize(size));
  print(results);
}

interface SizeResult {
  label: string;
  bytes: number;
  rounds: number;
  servingPid: number;
  tsxPid: number;
  tusMs: number[];
  finishMs: number[];
  fileMs: number[];
  putMs: number[];
  idleRss: number;
  afterRss: number;
  peak: { tus: PhasePeak; finish: PhasePeak; put: PhasePeak };
  hwmReset: boolean;
}

interface PhasePeak {
  hwm: number;
  sampled: number;
}

async function measureSize(size: (typeof SIZES)[number]): Promise<SizeResult> {
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-upload-'));
  const server = await startServer(dataDir);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const s3Holder: { client?: ReturnType<typeof createS3Client> } = {};
  try {
    const tsxPid = server.child.pid as number;
    const runtime = JSON.parse(await readFile(join(dataDir, RUNTIME_FILE), 'utf8')) as {
      pid: number;
      dynamodbEndpoint: string;
    };
    const servingPid = findServingProcess(tsxPid, runtime.pid);
    const s3 = await s3ClientOf(dataDir, runtime.dynamodbEndpoint, servingPid, Number(new URL(server.url).port));
    s3Holder.client = s3;
    const ctx: Ctx = { url: server.url, adminToken: server.adminToken, agent, s3, dataDir };

    await uploadOnce(ctx, WARM_UP_BYTES);
    await writeFileFloor(ctx, WARM_UP_BYTES);
    await putObjectFloor(ctx, WARM_UP_BYTES);

    const idleRss = memoryOf(servingPid).rss;
    const phase = async <T>(work: () => Promise<T>, into: PhasePeak): Promise<T> => {
      resetPeak(servingPid);
      const sampler = new RssSampler(servingPid, SAMPLE_MS).start();
      const value = await work();
      into.sampled = Math.max(into.sampled, sampler.stop());
      into.hwm = Math.max(into.hwm, memoryOf(servingPid).hwm);
      return value;
    };
    const peak = {
      tus: { hwm: 0, sampled: 0 },
      finish: { hwm: 0, sampled: 0 },
      put: { hwm: 0, sampled: 0 },
    };
    const hwmReset = resetPeak(servingPid);
    const result: SizeResult = {
      label: size.label,
      bytes: size.bytes,
      rounds: size.rounds,
      servingPid,
      tsxPid,
      tusMs: [],
      finishMs: [],
      fileMs: [],
      putMs: [],
      idleRss,
      afterRss: 0,
      peak,
      hwmReset,
    };
    for (let round = 0; round < size.rounds; round += 1) {
      const file = await writeFileFloor(ctx, size.bytes);
      result.fileMs.push(file.ms);

      const upload = await phase(() => tusTransfer(ctx, size.bytes), peak.tus);
      result.tusMs.push(upload.ms);
      const finishMs = await phase(() => finishUpload(ctx, upload.id, upload.uploadToken), peak.finish);
      result.finishMs.push(finishMs);
      const stored = await sha256OfObject(s3, `${UPLOADS_PREFIX}${upload.id}`);
      if (stored.digest !== upload.digest || stored.bytes !== size.bytes) {
        throw new Error(`uploads/${upload.id}: ${stored.bytes} bytes, sha256 ${stored.digest}; sent ${upload.digest}`);
      }
      if (file.digest !== upload.digest) throw new Error('the floor wrote other bytes than the upload');
      await s3.send(new DeleteObjectCommand({ Bucket: LOCAL_BUCKET, Key: `${UPLOADS_PREFIX}${upload.id}` }));

      const put = await phase(() => putObjectFloor(ctx, size.bytes), peak.put);
      if (put.digest !== upload.digest) throw new Error('the PutObject floor sent other bytes than the upload');
      result.putMs.push(put.ms);
    }
    result.afterRss = memoryOf(servingPid).rss;
    return result;
  } finally {
    s3Holder.client?.destroy();
    agent.destroy();
    await stopServer(server.child);
    await rm(dataDir, { recursive: true, force: true });
  }
}

interface Ctx {
  url: string;
  adminToken: string;
  agent: Agent;
  s3: ReturnType<typeof createS3Client>;
  dataDir: string;
}

/**
 * The `node` process that serves HTTP: the child of the spawned `tsx` whose pid the runtime wrote to
 * runtime.json (both must agree, so we never measure the launcher).
 */
function findServingProcess(tsxPid: number, runtimePid: number): number {
  const nodeChildren = childPids(tsxPid).filter((pid) => commandOf(pid) === 'node');
  if (!nodeChildren.includes(runtimePid)) {
    throw new Error(`runtime.json names pid ${runtimePid}, but tsx (${tsxPid}) has node children ${nodeChildren}`);
  }
  return runtimePid;
}

/**
 * runtime.json names DynamoDB Local's endpoint but not s3rver's; s3rver listens inside the serving process,
 * on the one port besides the HTTP port that answers as the bucket.
 */
async function s3ClientOf(dataDir: string, dynamodb: string, pid: number, httpPort: number) {
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

/** A deterministic pseudo-random chunk (xorshift32); each chunk sent is a copy with its index in front. */
const BASE_CHUNK = (() => {
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

/** The bytes of a `size`-byte file, chunk by chunk, hashed as they are handed out. Never all in memory. */
function* chunks(size: number, hash: Hash): Generator<Buffer> {
  for (let offset = 0, index = 0n; offset < size; offset += CHUNK, index += 1n) {
    const chunk = Buffer.allocUnsafe(Math.min(CHUNK, size - offset));
    BASE_CHUNK.copy(chunk, 0, 0, chunk.length);
    if (chunk.length >= 8) chunk.writeBigUInt64BE(index, 0);
    hash.update(chunk);
    yield chunk;
  }
}

interface HttpReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

function send(
  ctx: Ctx,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: Buffer,
): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, ctx.url),
      { method, agent: ctx.agent, headers: { ...headers, 'content-length': String(body?.length ?? 0) } },
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
    req.end(body);
  });
}

function form(ctx: Ctx, path: string, fields: Record<string, string>): Promise<HttpReply> {
  return send(
    ctx,
    'POST',
    path,
    {
      authorization: `Bearer ${ctx.adminToken}`,
      accept: 'application/json',
      'content-type': 'application/x-www-form-urlencoded',
    },
    Buffer.from(new URLSearchParams(fields).toString()),
  );
}

const b64 = (value: string) => Buffer.from(value, 'utf8').toString('base64');

let uploadCount = 0;

/** RequestUpload (not timed), then tus creation and PATCHes (timed). */
async function tusTransfer(
  ctx: Ctx,
  size: number,
): Promise<{ id: string; uploadToken: string; ms: number; digest: string }> {
  uploadCount += 1;
  const requested = await form(ctx, '/Api/RequestUpload', {
    filename: `bench-${uploadCount}.bin`,
    folder: 'bench',
  });
  const uploadToken = (JSON.parse(requested.text) as { token?: string }).token;
  if (!uploadToken) throw new Error(`RequestUpload: ${requested.status} ${requested.text}`);

  const t0 = performance.now();
  const created = await send(ctx, 'POST', '/files/', {
    'tus-resumable': '1.0.0',
    'upload-length': String(size),
    'upload-metadata': `uploadtoken ${b64(uploadToken)},apitoken ${b64(ctx.adminToken)}`,
  });
  if (created.status !== 201) throw new Error(`tus creation: ${created.status} ${created.text}`);
  const location = String(created.headers.location);
  const id = location.slice(location.lastIndexOf('/') + 1);
  const hash = createHash('sha256');
  let offset = 0;
  for (const chunk of chunks(size, hash)) {
    const reply = await send(
      ctx,
      'PATCH',
      `/files/${id}`,
      {
        'tus-resumable': '1.0.0',
        'upload-offset': String(offset),
        'content-type': 'application/offset+octet-stream',
      },
      chunk,
    );
    offset += chunk.length;
    if (reply.status !== 204 || reply.headers['upload-offset'] !== String(offset)) {
      throw new Error(`PATCH to ${offset}: ${reply.status} offset ${reply.headers['upload-offset']} ${reply.text}`);
    }
  }
  return { id, uploadToken, ms: performance.now() - t0, digest: hash.digest('hex') };
}

async function finishUpload(ctx: Ctx, id: string, uploadToken: string): Promise<number> {
  const t0 = performance.now();
  const reply = await form(ctx, '/Api/FinishUpload', { id, token: uploadToken });
  const ms = performance.now() - t0;
  if (reply.status !== 200 || reply.text !== '"OK"') throw new Error(`FinishUpload: ${reply.status} ${reply.text}`);
  return ms;
}

async function uploadOnce(ctx: Ctx, size: number): Promise<void> {
  const upload = await tusTransfer(ctx, size);
  await finishUpload(ctx, upload.id, upload.uploadToken);
  const stored = await sha256OfObject(ctx.s3, `${UPLOADS_PREFIX}${upload.id}`);
  if (stored.digest !== upload.digest) throw new Error('warm-up upload stored other bytes');
  await ctx.s3.send(new DeleteObjectCommand({ Bucket: LOCAL_BUCKET, Key: `${UPLOADS_PREFIX}${upload.id}` }));
}

/** Floor of the file store: the same chunks through an fs write stream into the tus directory. */
async function writeFileFloor(ctx: Ctx, size: number): Promise<{ ms: number; digest: string }> {
  const directory = join(ctx.dataDir, 'tus');
  await mkdir(directory, { recursive: true });
  const path = join(directory, 'bench-floor.bin');
  const hash = createHash('sha256');
  const t0 = performance.now();
  const stream = createWriteStream(path);
  const closed = new Promise<void>((resolve, reject) => {
    stream.on('close', resolve);
    stream.on('error', reject);
  });
  for (const chunk of chunks(size, hash)) {
    await new Promise<void>((resolve, reject) => stream.write(chunk, (error) => (error ? reject(error) : resolve())));
  }
  stream.end();
  await closed;
  const ms = performance.now() - t0;
  await unlink(path);
  return { ms, digest: hash.digest('hex') };
}

/** Floor of FinishUpload's move: a PutObject of the same bytes (a stream, as the move sends) to s3rver. */
async function putObjectFloor(ctx: Ctx, size: number): Promise<{ ms: number; digest: string }> {
  const hash = createHash('sha256');
  const key = 'bench/put-floor.bin';
  const t0 = performance.now();
  await ctx.s3.send(
    new PutObjectCommand({
      Bucket: LOCAL_BUCKET,
      Key: key,
      Body: Readable.from(chunks(size, hash), { objectMode: false }),
      ContentLength: size,
    }),
  );
  const ms = performance.now() - t0;
  await ctx.s3.send(new DeleteObjectCommand({ Bucket: LOCAL_BUCKET, Key: key }));
  return { ms, digest: hash.digest('hex') };
}

async function sha256OfObject(s3: Ctx['s3'], key: string): Promise<{ digest: string; bytes: number }> {
  const object = await s3.send(new GetObjectCommand({ Bucket: LOCAL_BUCKET, Key: key }));
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of object.Body as Readable) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { digest: hash.digest('hex'), bytes };
}

function print(results: SizeResult[]): void {
  const mbps = (bytes: number, ms: number) => `${(bytes / 1e6 / (ms / 1000)).toFixed(0)} MB/s`;
  const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const mib = (bytes: number) => `${(bytes / MIB).toFixed(0)} MiB`;
  const cell = (text: string) => text.padStart(22);
  const line = (name: string, cells: string[]) => console.log(`  ${name.padEnd(34)}${cells.map(cell).join('')}`);
  const each = (f: (r: SizeResult) => string) => results.map(f);
  const rate = (r: SizeResult, ms: number) => `${mbps(r.bytes, ms)} (${secs(ms)})`;

  const rounds = results.map((r) => r.rounds).join('/');
  console.log(
    `Upload through tus (${CHUNK.toLocaleString('en')}-byte PATCHes, one connection) into npm start's store, median of ${rounds} rounds; MB = 10^6 bytes; sha256 of every stored object checked`,
  );
  line(
    '',
    each((r) => r.label),
  );
  line(
    'tus transfer (creation + PATCHes)',
    each((r) => rate(r, median(r.tusMs))),
  );
  line(
    'FinishUpload (move into s3rver)',
    each((r) => secs(median(r.finishMs))),
  );
  line(
    'tus + FinishUpload',
    each((r) => rate(r, median(r.tusMs.map((ms, i) => ms + (r.finishMs[i] as number))))),
  );
  line(
    'floor: fs write into tus dir',
    each((r) => rate(r, median(r.fileMs))),
  );
  line(
    'floor: PutObject to s3rver',
    each((r) => rate(r, median(r.putMs))),
  );
  line(
    'ratio tus / fs write (throughput)',
    each((r) => `×${(median(r.fileMs) / median(r.tusMs)).toFixed(2)}`),
  );
  line(
    'ratio tus+finish / fs write',
    each((r) => `×${(median(r.fileMs) / median(r.tusMs.map((ms, i) => ms + (r.finishMs[i] as number)))).toFixed(2)}`),
  );
  line(
    'ratio FinishUpload / PutObject (time)',
    each((r) => `×${(median(r.finishMs) / median(r.putMs)).toFixed(2)}`),
  );

  const first = results[0] as SizeResult;
  console.log(
    `Server peak RSS: the node process serving HTTP (tus, API handlers and s3rver in one process; DynamoDB Local's Java not counted), a fresh server per size; VmHWM ${first.hwmReset ? 'reset before each phase' : 'NOT resettable here: since start'}, [max VmRSS sampled every ${SAMPLE_MS} ms]`,
  );
  line(
    'serving pid (child of tsx pid)',
    each((r) => `${r.servingPid} (${r.tsxPid})`),
  );
  line(
    'RSS idle, after warm-up',
    each((r) => mib(r.idleRss)),
  );
  const peak = (p: PhasePeak) => `${mib(p.hwm)} [${mib(p.sampled)}]`;
  line(
    'peak during tus transfer',
    each((r) => peak(r.peak.tus)),
  );
  line(
    'peak during FinishUpload',
    each((r) => peak(r.peak.finish)),
  );
  line(
    'peak during PutObject floor',
    each((r) => peak(r.peak.put)),
  );
  line(
    'RSS after the rounds',
    each((r) => mib(r.afterRss)),
  );
  if (results.length >= 2) {
    const last = results[results.length - 1] as SizeResult;
    const growth = (f: (r: SizeResult) => number) => {
      const mb = (f(last) - f(first)) / MIB;
      return `${mb >= 0 ? '+' : ''}${mb.toFixed(0)} MiB`;
    };
    console.log(
      `  peak growth ${first.label} → ${last.label} (×${(last.bytes / first.bytes).toFixed(0)} bytes): tus ${growth((r) => r.peak.tus.hwm)}, FinishUpload ${growth((r) => r.peak.finish.hwm)}; benchmark process maxRSS ${mib(process.resourceUsage().maxRSS * 1024)}`,
    );
  }
}
