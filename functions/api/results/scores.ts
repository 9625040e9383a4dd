import { services } from '../../common/services.js';
import { apiHandler } from '../../http/api-handler.js';
import { forbidden, HttpError, notFound } from '../../http/errors.js';
import { headerOf } from '../../http/middlewares/parse-parameters.js';
import { raw } from '../../http/replies.js';

/** Time kept back from the function's timeout to stop the export cleanly (abort the upload) and reply. */
const STOP_MARGIN_MS = 3000;

/**
 * GET or POST /Api/Scores (studyid; optional question, email, imageid, caseid) → the study's answers: a JSON
 * array when `Accept` contains application/json (every Python client), else TSV. A large export is answered
 * with 302 to a short-lived download URL (see functions/scores/export-delivery.ts).
 */
export const handler = apiHandler('Scores', async ({ params, caller, event, remainingMs }) => {
  const deadline = Date.now() + remainingMs() - STOP_MARGIN_MS;
  const studyId = params.requiredInteger('studyid');
  if (!caller.mayAccessStudy(studyId)) throw forbidden(`This API token has no access to study ${studyId}`);
  const format = (headerOf(event, 'accept') ?? '').toLowerCase().includes('application/json') ? 'json' : 'tsv';
  const filter = {
    question: params.get('question'),
    email: params.get('email'),
    imageId: params.integer('imageid'),
    caseId: params.integer('caseid'),
  };
  const result = await services().scores.exportScores(studyId, filter, format, deadline);
  if (!result.ok && result.reason === 'no study') throw notFound(`No study ${studyId}`);
  if (!result.ok) {
    // A clear refusal rather than the function timeout's bare 500: the answers are there, the download too big.
    throw new HttpError(
      504,
      `The download of study ${studyId} did not finish in the time a call may take (it had read ` +
        `${result.answersRead.toLocaleString('en-US')} answers). Download it in parts with the question, email, ` +
        'imageid or caseid filters.',
    );
  }
  if (result.kind === 'inline') return raw(result.body, result.contentType);
  return { statusCode: 302, headers: { location: result.url, 'cache-control': 'no-store' } };
});
