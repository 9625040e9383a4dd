import { services } from '../../common/services.js';
import { apiHandler } from '../../http/api-handler.js';
import { notFound } from '../../http/errors.js';
import { headerOf } from '../../http/middlewares/parse-parameters.js';
import { raw } from '../../http/replies.js';
import { exportTimingFromEnvironment } from '../../scores/export-settings.js';
import { assertStudyAccess } from '../../studies/study-access.js';
import { waitingReply } from './scores-export.js';

/** Time kept back from the function's timeout to stop the inline attempt cleanly and reply. */
const STOP_MARGIN_MS = 3000;
const timing = exportTimingFromEnvironment();

/**
 * GET or POST /Api/Scores (studyid; optional question, email, imageid, caseid) → the study's answers: a JSON
 * array when `Accept` contains application/json (every Python client), else TSV. An export too large to return
 * (over 5 MB) or too slow for one call (over 20 s) is handed to the background ExportScores function, and the
 * reply is a 303 to a waiting URL that redirects to the finished export (see scores-export.ts): unmodified
 * clients follow redirects and get the same bytes.
 */
export const handler = apiHandler('Scores', async ({ params, caller, event, remainingMs }) => {
  const deadline = Date.now() + Math.min(timing.syncMs, remainingMs() - STOP_MARGIN_MS);
  const studyId = params.requiredInteger('studyid');
  assertStudyAccess(caller, studyId);
  const format = (headerOf(event, 'accept') ?? '').toLowerCase().includes('application/json') ? 'json' : 'tsv';
  const filter = {
    question: params.get('question'),
    email: params.get('email'),
    imageId: params.integer('imageid'),
    caseId: params.integer('caseid'),
  };
  const results = services().scores;
  const result = await results.exportScores(studyId, filter, format, deadline, { to: 'inline' });
  if (!result.ok && result.reason === 'no study') throw notFound(`No study ${studyId}`);
  if (result.ok && result.kind === 'inline') return raw(result.body, result.contentType);
  // Too big or too slow for this call: the whole export again, in the background, without either limit.
  const job = await results.startBackgroundExport(studyId, filter, format);
  return waitingReply(job.id);
});
