import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDynamoDbLocal } from '../functions/local/dynamodb-local.js';
import { median } from './support/load.js';
import { startServer, stopServer } from './support/server-process.js';

const ROUNDS = 3;

/**
 * Time from `npm start` (its command) to the first 200 of GET /Api/Studies, on a new data folder and on one
 * that exists, beside two baselines measured in the same run: a bare `node` process answering HTTP, and
 * DynamoDB Local alone (the floor: the server cannot answer before its database does).
 */
export async function run(): Promise<void> {
  const fresh: number[] = [];
  const again: number[] = [];
  const nodeOnly: number[] = [];
  const dynamoOnly: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const dataDir = await mkdtemp(join(tmpdir(), 'bench-start-'));
    try {
      fresh.push(await timeToFirst200(dataDir));
      again.push(await timeToFirst200(dataDir));
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
    nodeOnly.push(await bareNodeStart());
    const t0 = performance.now();
    const dynamo = await startDynamoDbLocal();
    dynamoOnly.push(performance.now() - t0);
    await dynamo.stop();
  }
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  console.log(`Start to first 200 of GET /Api/Studies, median of ${ROUNDS}`);
  console.log(`  npm start, new data folder        ${s(median(fresh))}`);
  console.log(`  npm start, existing data folder   ${s(median(again))}`);
  console.log(`  baseline: bare node http server   ${s(median(nodeOnly))}`);
  console.log(`  baseline: DynamoDB Local alone    ${s(median(dynamoOnly))}`);
  console.log(
    `  ratio npm start (existing) / DynamoDB Local alone ×${(median(again) / median(dynamoOnly)).toFixed(2)}; / bare node ×${(median(again) / median(nodeOnly)).toFixed(1)}`,
  );
}

async function timeToFirst200(dataDir: string): Promise<number> {
  const t0 = performance.now();
  const server = await startServer(dataDir);
  while ((await status(`${server.url}/Api/Studies`, server.adminToken)) !== 200) {
    await new Promise((r) => setTimeout(r, 10));
  }
  const elapsed = performance.now() - t0;
  await stopServer(server.child);
  return elapsed;
}

async function bareNodeStart(): Promise<number> {
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    [
      '-e',
      "require('http').createServer((q,s)=>s.end('[]')).listen(0,'127.0.0.1',function(){console.log(this.address().port)})",
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const port = await new Promise<number>((resolve) =>
    child.stdout?.once('data', (d: Buffer) => resolve(Number(d.toString()))),
  );
  while ((await status(`http://127.0.0.1:${port}/`, '')) !== 200) await new Promise((r) => setTimeout(r, 10));
  const elapsed = performance.now() - t0;
  child.kill();
  return elapsed;
}

function status(url: string, token: string): Promise<number> {
  return new Promise((resolve) => {
    request(url, { headers: { authorization: `Bearer ${token}` } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    })
      .on('error', () => resolve(0))
      .end();
  });
}
