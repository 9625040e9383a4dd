import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { localConfig, RUNTIME_FILE } from '../functions/local/local-config.js';
import { createDynamoClient } from '../functions/storage/aws-clients.js';
import { fmt, type LoadResult, load, median, percentile } from './support/load.js';
import { startServer, stopServer } from './support/server-process.js';

const TOTAL = 2000;
const CONCURRENCY = 16;
const ROUNDS = 3;

/**
 * p50/p99 of GET /Api/Studies (token check with a DynamoDB read, the middy pipeline, the API Gateway adapter)
 * against a bare Node http server answering the same JSON, in alternating rounds; medians of the rounds.
 * A second baseline is the floor under the server: the DynamoDB reads the endpoint itself makes, sent straight
 * to the server's DynamoDB Local at the same concurrency: a consistent GetItem of the token's record, then a
 * consistent Query of the study list.
 */
export async function run(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-latency-'));
  const server = await startServer(dataDir);
  const bare = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json; charset=utf-8');
    res.end('[]');
  });
  await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
  const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/Api/Studies`;
  const ours = { p50: [] as number[], p99: [] as number[], rps: [] as number[] };
  const base = { p50: [] as number[], p99: [] as number[], rps: [] as number[] };
  const floor = { p50: [] as number[], p99: [] as number[], rps: [] as number[] };
  const runtime = JSON.parse(await readFile(join(dataDir, RUNTIME_FILE), 'utf8'));
  const dynamo = createDynamoClient(localConfig(dataDir, { dynamodb: runtime.dynamodbEndpoint }));
  const tokenId = JSON.parse(Buffer.from(server.adminToken.split('.')[1] as string, 'base64url').toString()).jti;
  const endpointReads = async () => {
    await dynamo.send(
      new GetCommand({ TableName: 'tokens', Key: { pk: `TOKEN#${tokenId}`, sk: 'TOKEN' }, ConsistentRead: true }),
    );
    await dynamo.send(
      new QueryCommand({
        TableName: 'studies',
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'STUDIES' },
        ConsistentRead: true,
      }),
    );
  };
  try {
    const headers = { authorization: `Bearer ${server.adminToken}`, accept: 'application/json' };
    await load(`${server.url}/Api/Studies`, { total: 200, concurrency: CONCURRENCY, headers }); // warm-up
    for (let round = 0; round < ROUNDS; round += 1) {
      const a = await load(`${server.url}/Api/Studies`, { total: TOTAL, concurrency: CONCURRENCY, headers });
      const b = await load(bareUrl, { total: TOTAL, concurrency: CONCURRENCY, headers });
      const c = await loadCalls(endpointReads, TOTAL, CONCURRENCY);
      floor.p50.push(c.p50);
      floor.p99.push(c.p99);
      floor.rps.push(c.requests / c.seconds);
      if (a.failures > 0) throw new Error(`${a.failures} requests to the server failed`);
      ours.p50.push(a.p50);
      ours.p99.push(a.p99);
      ours.rps.push(a.requests / a.seconds);
      base.p50.push(b.p50);
      base.p99.push(b.p99);
      base.rps.push(b.requests / b.seconds);
    }
  } finally {
    dynamo.destroy();
    await stopServer(server.child);
    bare.close();
    await rm(dataDir, { recursive: true, force: true });
  }
  const row = (name: string, r: typeof ours) =>
    `  ${name.padEnd(28)} p50 ${fmt(median(r.p50)).padStart(6)} ms   p99 ${fmt(median(r.p99)).padStart(6)} ms   ${median(r.rps).toFixed(0).padStart(6)} req/s`;
  console.log(`GET /Api/Studies, ${TOTAL} requests at concurrency ${CONCURRENCY}, median of ${ROUNDS} rounds`);
  console.log(row('server (npm start)', ours));
  console.log(row('baseline: bare node http', base));
  console.log(row('floor: GetItem + Query', floor));
  console.log(
    `  ratio server/baseline: p50 ×${(median(ours.p50) / median(base.p50)).toFixed(1)}, p99 ×${(median(ours.p99) / median(base.p99)).toFixed(1)}, throughput ×${(median(ours.rps) / median(base.rps)).toFixed(2)}`,
  );
  console.log(
    `  ratio server/DynamoDB floor: p50 ×${(median(ours.p50) / median(floor.p50)).toFixed(2)}, throughput ×${(median(ours.rps) / median(floor.rps)).toFixed(2)}`,
  );
}

async function loadCalls(call: () => Promise<unknown>, total: number, concurrency: number): Promise<LoadResult> {
  const latencies: number[] = [];
  let sent = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (sent < total) {
        sent += 1;
        const t0 = performance.now();
        await call();
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { requests: total, failures: 0, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), seconds };
}
