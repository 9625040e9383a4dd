import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRuntime } from '../functions/local/runtime.js';
import { createDynamoClient } from '../functions/storage/aws-clients.js';
import { DynamoStudyRepository } from '../functions/storage/dynamo-study-repository.js';
import { startContainerProcess } from '../test/support/container-process.js';
import { memoryOf, RssSampler } from './support/process-stats.js';

/**
 * The large-body path: UploadResults sent to the container service (the cloud's route for bodies over
 * Lambda's 6 MB), against an embedded runtime's DynamoDB Local and s3rver.
 * - One call of ~95 MB (380 answers of 250 KB) against the baseline of the same rows in calls of under 4 MB
 *   (what fits through Lambda), to the same process, in the same run: time ratio.
 * - The container's peak RSS during each, over its idle RSS, against the body size: memory is bounded by the
 *   request (a few copies of the body while it is parsed), not by anything else.
 */
const ANSWER_BYTES = 250 * 1024;
const ROWS = 380;
const ROWS_PER_SMALL_CALL = 14; // 14 × 250 KB = 3.4 MB, under the 4 MB default limit
const MB = 1024 * 1024;

export async function run(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-large-bodies-'));
  const runtime = await startRuntime({ dataDir, port: 0, host: '127.0.0.1', inMemoryDatabase: true });
  const container = await startContainerProcess(runtime.config);
  try {
    const db = createDynamoClient(runtime.config);
    const studies = new DynamoStudyRepository(db, runtime.config.tables.studies);
    const { study } = await studies.createStudy('bench-large-bodies', { organs: [], diseases: [], stainings: [] });
    const [image] = await studies.addImages(study.id, [
      {
        name: 'big.svs',
        path: 'bench-large-bodies/big.svs',
        fileSize: 1000,
        format: 'tiff',
        rotation: 0,
        addedOn: new Date().toISOString(),
      },
    ]);
    await studies.addQuestions(study.id, [{ name: 'Notes', type: 'FreeText', valuesAllowed: '', order: 0 }]);
    const imageId = image?.id as number;
    const answer = 'x'.repeat(ANSWER_BYTES);
    const rows = (tag: string, from: number, to: number) =>
      Array.from({ length: to - from }, (_, i) => `${imageId}\tbig.svs\tu${from + i}@${tag}.nl\tNotes\t${answer}`);
    const post = (body: string) => postForm(container.url, runtime.adminToken, study.id, body);
    const pid = container.child.pid as number;

    await post(`\n${rows('warm', 0, ROWS_PER_SMALL_CALL).join('\n')}`); // first call loads code and clients
    const idle = memoryOf(pid).rss;

    const splitSampler = new RssSampler(pid).start();
    const splitStart = performance.now();
    for (let from = 0; from < ROWS; from += ROWS_PER_SMALL_CALL) {
      await post(`\n${rows('split', from, Math.min(ROWS, from + ROWS_PER_SMALL_CALL)).join('\n')}`);
    }
    const splitMs = performance.now() - splitStart;
    const splitPeak = splitSampler.stop();

    const body = `\n${rows('one', 0, ROWS).join('\n')}`;
    const oneSampler = new RssSampler(pid).start();
    const oneStart = performance.now();
    const bytes = await post(body);
    const oneMs = performance.now() - oneStart;
    const onePeak = oneSampler.stop();

    console.log(`UploadResults of ${ROWS} answers of ${ANSWER_BYTES / 1024} KB through the container service`);
    console.log(
      `  baseline: ${Math.ceil(ROWS / ROWS_PER_SMALL_CALL)} calls under 4 MB: ${(splitMs / 1000).toFixed(2)} s, peak RSS ${(splitPeak / MB).toFixed(0)} MB`,
    );
    console.log(
      `  one call of ${(bytes / MB).toFixed(1)} MB: ${(oneMs / 1000).toFixed(2)} s (×${(oneMs / splitMs).toFixed(2)} the baseline), ` +
        `peak RSS ${(onePeak / MB).toFixed(0)} MB`,
    );
    console.log(
      `  RSS over idle (${(idle / MB).toFixed(0)} MB): ${((onePeak - idle) / MB).toFixed(0)} MB for the one call = ` +
        `×${((onePeak - idle) / bytes).toFixed(2)} its body; ${((splitPeak - idle) / MB).toFixed(0)} MB for the split calls`,
    );
  } finally {
    await container.stop();
    await runtime.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** POSTs a results form as the SDK does and checks the reply; returns the bytes sent. */
function postForm(baseUrl: string, token: string, studyId: number, results: string): Promise<number> {
  const body = Buffer.from(new URLSearchParams({ studyid: String(studyId), results }).toString());
  return new Promise((resolve, reject) => {
    const req = request(
      new URL('/Api/UploadResults', baseUrl),
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': String(body.length),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          if (text === '{"success":true}') resolve(body.length);
          else reject(new Error(`UploadResults answered ${res.statusCode}: ${text.slice(0, 300)}`));
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
