import type { S3Event } from 'aws-lambda';
import { log } from '../common/log.js';
import { isRetryable } from '../common/retryable.js';
import { services } from '../common/services.js';
import { classifyRootFileName } from '../domain/study-config/file-names.js';
import { runSlideCommittedPipeline } from '../pixels/slide-committed.js';
import { COMMITTED_FILES_PREFIX } from '../routes/manifest.js';

/**
 * Runs when FinishUpload commits a file (an S3 ObjectCreated notification on `files/<path>`; in `npm start`,
 * s3rver's event). A `study.<name>.*` file committed to the upload root reimports study `<name>` when that
 * study exists; its log is kept with the study (GetImportLogs). New studies are still created by Reimport.
 * Any other file that is a slide goes through the slide-committed pipeline (functions/pixels/slide-committed.ts).
 *
 * An import that throws is never silent: the reason goes into the study's import log. A failure that retrying
 * can cure (throttling, a service error) is thrown again, so the invocation is retried (Lambda retries an
 * asynchronous event twice, then sends it to the dead-letter queue; `npm start` retries the same way).
 */
export async function handler(event: S3Event): Promise<void> {
  for (const record of event.Records) {
    const key = decodeURIComponent(record.s3.object.key.replaceAll('+', ' '));
    const path = key.slice(COMMITTED_FILES_PREFIX.length);
    const name = path.includes('/') ? undefined : classifyRootFileName(path);
    if (!name) {
      await runSlideCommittedPipeline(path);
      continue;
    }
    const { studies, reimporter } = services();
    const study = await studies.findStudy(name.studyName);
    if (!study) {
      log.info('config file for a study that does not exist yet; no automatic import', { path });
      continue;
    }
    try {
      const result = await reimporter.reimport(study.name, { trigger: 'upload' });
      log.info('automatic import', { path, studyId: study.id, success: result.success });
    } catch (error) {
      const retry = isRetryable(error);
      log.error('automatic import failed', { path, studyId: study.id, retry, error: error as Error });
      await studies
        .appendImportLog({
          studyId: study.id,
          at: new Date().toISOString(),
          trigger: 'upload',
          success: false,
          log: failureLog(path, error, retry),
        })
        .catch((logError: Error) => log.error('import log not written', { studyId: study.id, error: logError }));
      if (retry) throw error;
    }
  }
}

function failureLog(path: string, error: unknown, retry: boolean): string {
  const reason = error instanceof Error ? error.message : String(error);
  return [
    `Automatic import after ${path} was uploaded failed: ${reason}`,
    retry
      ? 'This looks temporary; the import will be tried again.'
      : 'The import stopped there. Fix the file and upload it again, or call Reimport.',
  ].join('\n');
}
