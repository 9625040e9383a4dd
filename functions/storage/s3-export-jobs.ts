import {
  GetObjectCommand,
  HeadObjectCommand,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { ExportStore } from '../scores/export-delivery.js';
import type { ExportJob, ExportJobState, ExportJobStore } from '../scores/export-jobs.js';
import { EXPORT_JOBS_PREFIX, EXPORTS_PREFIX } from '../scores/export-settings.js';

/**
 * Export jobs as objects in the bucket, all under `exports/` (expired after a day):
 *   exports/jobs/<id>.json                     the job; its ObjectCreated event starts the ExportScores function
 *   exports/scores/<studyId>/<id>.<format>     the export, complete once it exists (a multipart upload appears whole)
 *   exports/failed/<id>.json                   why the job failed, if it did
 * No table item: the waiting URL asks S3 whether the export exists, which is exactly "is it ready".
 */
export class S3ExportJobs implements ExportJobStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly exports: ExportStore,
  ) {}

  async start(job: ExportJob): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: `${EXPORT_JOBS_PREFIX}${job.id}.json`,
        Body: JSON.stringify(job),
        ContentType: 'application/json',
      }),
    );
  }

  async job(id: string): Promise<ExportJob | undefined> {
    if (!/^[0-9a-f-]{36}$/.test(id)) return undefined;
    const text = await this.read(`${EXPORT_JOBS_PREFIX}${id}.json`);
    return text === undefined ? undefined : (JSON.parse(text) as ExportJob);
  }

  resultKey(job: ExportJob): string {
    return `${EXPORTS_PREFIX}scores/${job.studyId}/${job.id}.${job.format}`;
  }

  async fail(job: ExportJob, status: number, reason: string): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: `${EXPORTS_PREFIX}failed/${job.id}.json`,
        Body: JSON.stringify({ status, reason }),
        ContentType: 'application/json',
      }),
    );
  }

  async state(job: ExportJob, urlSeconds: number): Promise<ExportJobState> {
    const key = this.resultKey(job);
    if (await this.exists(key)) return { state: 'ready', url: await this.exports.downloadUrl(key, urlSeconds) };
    const failure = await this.read(`${EXPORTS_PREFIX}failed/${job.id}.json`);
    if (failure === undefined) return { state: 'running' };
    return { state: 'failed', ...(JSON.parse(failure) as { status: number; reason: string }) };
  }

  private async exists(key: string): Promise<boolean> {
    try {
      await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return true;
    } catch (error) {
      if (error instanceof NotFound || (error as { name?: string }).name === 'NotFound') return false;
      throw error;
    }
  }

  private async read(key: string): Promise<string | undefined> {
    try {
      const { Body } = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return await Body?.transformToString('utf8');
    } catch (error) {
      if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return undefined;
      throw error;
    }
  }
}
