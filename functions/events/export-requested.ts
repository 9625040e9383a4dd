import type { Context, S3Event } from 'aws-lambda';
import { log } from '../common/log.js';
import { services } from '../common/services.js';
import { EXPORT_JOBS_PREFIX } from '../scores/export-settings.js';

/** Time kept back from the function's timeout to record the failure of an export past its time. */
const STOP_MARGIN_MS = 10_000;

/**
 * The background Scores export (ExportScores): runs when the Scores call records a job under `exports/jobs/`
 * (an S3 ObjectCreated notification in the cloud, s3rver's event in `npm start`), writes the export to
 * `exports/scores/…` or records why it could not, for the waiting URL to find.
 */
export async function handler(event: S3Event, context: Context): Promise<void> {
  for (const record of event.Records) {
    const key = decodeURIComponent(record.s3.object.key.replaceAll('+', ' '));
    if (!key.startsWith(EXPORT_JOBS_PREFIX) || !key.endsWith('.json')) continue;
    const jobId = key.slice(EXPORT_JOBS_PREFIX.length, -'.json'.length);
    const deadline = Date.now() + context.getRemainingTimeInMillis() - STOP_MARGIN_MS;
    await services().scores.runBackgroundExport(jobId, deadline);
    log.info('background export done', { jobId });
  }
}
