import { once } from 'node:events';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer, type Server as HttpServer, request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { FileStore } from '@tus/file-store';
import { Server } from '@tus/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoLocker } from '../../functions/tus/dynamo-locker.js';
import { testStores } from '../support/stores.js';

const HALF = 64 * 1024;
const stores = testStores();
const table = stores.config.tables.tokens;

/** One tus process: its own @tus/server and lock client, over the folder and DynamoDB both share. */
async function tusProcess(directory: string): Promise<{ url: string; server: HttpServer }> {
  const tus = new Server({
    path: '/files',
    datastore: new FileStore({ directory }),
    locker: new DynamoLocker(stores.dynamo, table, { pollMs: 50, leaseMs: 2_000 }),
    lockDrainTimeout: 100,
  });
  const server = createServer((req, res) => void tus.handle(req, res));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

function send(url: string, method: string, headers: Record<string, string>, body?: Buffer) {
  const req = httpRequest(url, { method, headers: { 'tus-resumable': '1.0.0', ...headers } });
  const reply = new Promise<IncomingMessage>((resolve, reject) => {
    req.on('response', (res) => {
      res.resume();
      resolve(res);
    });
    req.on('error', reject);
  });
  if (body) req.end(body);
  return { req, reply };
}

describe('two tus processes over one upload folder', () => {
  let folder: string;
  let a: Awaited<ReturnType<typeof tusProcess>>;
  let b: Awaited<ReturnType<typeof tusProcess>>;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'slidescore-tus-lock-'));
    [a, b] = await Promise.all([tusProcess(folder), tusProcess(folder)]);
  });
  afterAll(async () => {
    for (const p of [a, b]) p?.server.closeAllConnections();
    await Promise.all([a, b].map((p) => p && new Promise((resolve) => p.server.close(resolve))));
    await rm(folder, { recursive: true, force: true });
  });

  it('serve an upload one request at a time: a stale PATCH on one is cancelled before the other writes', async () => {
    const created = await send(`${a.url}/files`, 'POST', { 'upload-length': String(2 * HALF) }, Buffer.alloc(0)).reply;
    expect(created.statusCode).toBe(201);
    const id = String(created.headers.location).split('/').pop() as string;

    // A PATCH on process A sends the first half, then stalls (a client whose connection hangs).
    const stale = send(`${a.url}/files/${id}`, 'PATCH', {
      'content-type': 'application/offset+octet-stream',
      'upload-offset': '0',
    });
    stale.req.on('error', () => {}); // cancelled by the server: expected
    stale.reply.catch(() => {});
    stale.req.write(Buffer.alloc(HALF, 'a'));
    for (let i = 0; i < 200 && (await stat(join(folder, id)).catch(() => undefined))?.size !== HALF; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }

    // The client resumes on process B from what was stored.
    const resumed = await send(
      `${b.url}/files/${id}`,
      'PATCH',
      { 'content-type': 'application/offset+octet-stream', 'upload-offset': String(HALF) },
      Buffer.alloc(HALF, 'b'),
    ).reply;
    expect(resumed.statusCode).toBe(204);
    expect(resumed.headers['upload-offset']).toBe(String(2 * HALF));

    // Whatever the stale request still carries must not land in the file.
    if (!stale.req.destroyed) stale.req.end(Buffer.alloc(HALF, 'X'));
    await stale.reply.catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const stored = await readFile(join(folder, id));
    expect(stored.equals(Buffer.concat([Buffer.alloc(HALF, 'a'), Buffer.alloc(HALF, 'b')]))).toBe(true);
  });

  it('takes over the lock of a holder that died once its lease runs out', async () => {
    const id = `crashed-${Date.now()}`;
    const leaseUntil = Date.now() + 500;
    // What a task killed while holding the lock leaves behind: nobody renews it any more.
    await stores.dynamo.send(
      new PutCommand({
        TableName: table,
        Item: { pk: `UPLOADLOCK#${id}`, sk: 'LOCK', holder: 'dead', leaseUntil, expiresAt: 0 },
      }),
    );
    const lock = new DynamoLocker(stores.dynamo, table, { pollMs: 50 }).newLock(id);
    await lock.lock(new AbortController().signal, () => {});
    expect(Date.now()).toBeGreaterThanOrEqual(leaseUntil);
    await lock.unlock();
  });

  it('gives up after its timeout while a live holder keeps the lock', async () => {
    const id = `held-${Date.now()}`;
    const locker = new DynamoLocker(stores.dynamo, table, { pollMs: 50, acquireTimeoutMs: 300 });
    const holder = locker.newLock(id);
    await holder.lock(new AbortController().signal, () => {}); // ignores release requests
    await expect(locker.newLock(id).lock(new AbortController().signal, () => {})).rejects.toMatchObject({
      status_code: 500,
    });
    await holder.unlock();
  });
});
