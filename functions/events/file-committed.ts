import type { S3Event } from 'aws-lambda';
import { log } from '../common/log.js';
import { services } from '../common/services.js';
import { classifyRootFileName } from '../domain/study-config/file-names.js';
import { COMMITTED_FILES_PREFIX } from '../routes/manifest.js';

/**
 * Runs when FinishUpload commits a file (an S3 ObjectCreated notification on `files/<path>`; in `npm start`,
 * s3rver's event). A `study.<name>.*` file committed to the upload root reimports study `<name>` when that
 * study exists; its log is kept with the study (GetImportLogs). New studies are still created by Reimport.
 */
export async function handler(event: S3Event): Promise<void> {
  for (const record of event.Records) {
    const key = decodeURIComponent(record.s3.object.key.replaceAll('+', ' '));
    const path = key.slice(COMMITTED_FILES_PREFIX.length);
    const name = path.includes('/') ? undefined : classifyRootFileName(path);
    if (!name) continue;
    const { studies, reimporter } = services();
    const study = await studies.findStudy(name.studyName);
    if (!study) {
      log.info('config file for a study that does not exist yet; no automatic import', { path });
      continue;
    }
    const result = await reimporter.reimport(study.name, { trigger: 'upload' });
    log.info('automatic import', { path, studyId: study.id, success: result.success });
  }
}
