import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { startDynamoDbLocal } from '../functions/local/dynamodb-local.js';
import { localConfig } from '../functions/local/local-config.js';
import { startS3Local } from '../functions/local/s3-local.js';
import { createDynamoClient, createS3Client } from '../functions/storage/aws-clients.js';
import { DynamoFileIndex } from '../functions/storage/dynamo-file-index.js';
import { DynamoStudyRepository } from '../functions/storage/dynamo-study-repository.js';
import { ensureTables } from '../functions/storage/ensure-tables.js';
import { UploadedFiles } from '../functions/storage/uploaded-files.js';
import { Reimporter } from '../functions/studies/reimport.js';
import { countRequests } from './support/request-counter.js';

const IMAGES = 2000;
const QUESTIONS = 50;
const STUDY = 'BenchStudy';

/**
 * Reimport of a study with 2,000 images (the same small TIFF at 2,000 paths) and 50 questions: the first
 * import, and a second one that adds nothing; DynamoDB and S3 requests per image. Beside it, in the same run,
 * the time to merely list those 2,000 files through the file index: the floor any import pays.
 * DynamoDB Local runs in memory and s3rver on a temp folder, in this process's reach, so requests can be counted.
 */
export async function run(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-reimport-'));
  const dynamo = await startDynamoDbLocal();
  const s3Local = await startS3Local({ directory: join(dataDir, 's3'), bucket: 'slidescore', onEvent: () => {} });
  const config = localConfig(dataDir, { dynamodb: dynamo.endpoint, s3: s3Local.endpoint });
  const db = createDynamoClient(config);
  const s3 = createS3Client(config);
  try {
    await ensureTables(db, config.tables);
    const index = new DynamoFileIndex(db, config.tables.files);
    await seed(index, s3, config.bucket);

    const dbRequests = countRequests(db);
    const s3Requests = countRequests(s3);
    const files = new UploadedFiles(index, s3, config.bucket);
    const reimporter = new Reimporter(files, new DynamoStudyRepository(db, config.tables.studies));

    const listing: number[] = [];
    for (let round = 0; round < 3; round += 1) {
      const t0 = performance.now();
      let count = 0;
      for await (const _file of files.list(STUDY)) count += 1;
      listing.push(performance.now() - t0);
      if (count !== IMAGES) throw new Error(`listed ${count} files`);
    }
    const listRequests = dbRequests.total() / 3;
    dbRequests.reset();

    const passes: { ms: number; db: number; s3: number; ops: Record<string, number> }[] = [];
    for (const _pass of ['first', 'second']) {
      dbRequests.reset();
      s3Requests.reset();
      const t0 = performance.now();
      const result = await reimporter.reimport(STUDY);
      const ms = performance.now() - t0;
      if (!result.success) throw new Error(result.log);
      passes.push({ ms, db: dbRequests.total(), s3: s3Requests.total(), ops: dbRequests.byOperation() });
    }
    const [first, second] = passes as [(typeof passes)[0], (typeof passes)[0]];
    const floor = [...listing].sort((a, b) => a - b)[1] as number;
    const line = (label: string, p: typeof first) =>
      `  ${label.padEnd(34)} ${(p.ms / 1000).toFixed(2).padStart(6)} s   ×${(p.ms / floor).toFixed(1).padStart(5)} the listing   DynamoDB ${(p.db / IMAGES).toFixed(3)}/image (${p.db})   S3 ${(p.s3 / IMAGES).toFixed(2)}/image`;
    console.log(`Reimport of ${IMAGES} images and ${QUESTIONS} questions (DynamoDB Local in memory, s3rver)`);
    console.log(
      `  baseline: list ${IMAGES} files via index   ${(floor / 1000).toFixed(2).padStart(6)} s   DynamoDB ${listRequests} requests`,
    );
    console.log(line('first import (adds everything)', first));
    console.log(line('second import (adds nothing)', second));
    console.log(`  DynamoDB requests, first import:  ${JSON.stringify(first.ops)}`);
    console.log(`  DynamoDB requests, second import: ${JSON.stringify(second.ops)}`);
  } finally {
    db.destroy();
    s3.destroy();
    await s3Local.stop();
    await dynamo.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** One TIFF object in the bucket, committed to the index at 2,000 paths; the study's config files. */
async function seed(index: DynamoFileIndex, s3: ReturnType<typeof createS3Client>, bucket: string): Promise<void> {
  const tiff = readFileSync(new URL('../test/fixtures/slides/slidescore-test-image.tiff', import.meta.url));
  const put = async (key: string, body: Buffer) =>
    s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
  await put('uploads/bench-slide', tiff);
  const scores = Array.from(
    { length: QUESTIONS },
    (_, i) => `Question ${i + 1}\t${i % 2 ? 'Percentage' : 'DropDown\tLow;;Medium;;High'}`,
  ).join('\n');
  const emails = 'a@example.org;canscore\nb@example.org;cangetresults\n';
  await put('uploads/bench-scores', Buffer.from(scores));
  await put('uploads/bench-emails', Buffer.from(emails));
  const at = new Date().toISOString();
  // What FinishUpload records: where the bytes are, and the file's first 64 bytes.
  const heads: Record<string, string> = {
    'uploads/bench-slide': tiff.subarray(0, 64).toString('base64'),
    'uploads/bench-scores': Buffer.from(scores).subarray(0, 64).toString('base64'),
    'uploads/bench-emails': Buffer.from(emails).subarray(0, 64).toString('base64'),
  };
  const commit = (folder: string, filename: string, key: string, size: number) =>
    index.commit({
      folder,
      filename,
      path: folder ? `${folder}/${filename}` : filename,
      key,
      size,
      uploadId: key,
      committedOn: at,
      committedBy: 'bench',
      head: heads[key],
    });
  await commit('', `study.${STUDY}.scores`, 'uploads/bench-scores', Buffer.byteLength(scores));
  await commit('', `study.${STUDY}.emails`, 'uploads/bench-emails', Buffer.byteLength(emails));
  const names = Array.from({ length: IMAGES }, (_, i) => `slide-${String(i).padStart(4, '0')}.tiff`);
  for (let start = 0; start < names.length; start += 32) {
    await Promise.all(
      names.slice(start, start + 32).map((name) => commit(STUDY, name, 'uploads/bench-slide', tiff.length)),
    );
  }
}
