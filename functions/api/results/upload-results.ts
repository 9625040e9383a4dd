import { services } from '../../common/services.js';
import { apiHandler } from '../../http/api-handler.js';
import { badRequest, notFound } from '../../http/errors.js';
import { failure, success } from '../../http/replies.js';
import { assertStudyAccess } from '../../studies/study-access.js';

/**
 * POST /Api/UploadResults (studyid, results: TSV whose first line is a header) → `{"success":true}`;
 * `{"success":true,"log":"…"}` when rows were saved with a note (an Image Name other than the image's); or
 * `{"success":false,"log":"…"}` naming every bad line, in which case nothing was saved.
 */
export const handler = apiHandler('UploadResults', async ({ params, caller }) => {
  const studyId = params.requiredInteger('studyid');
  assertStudyAccess(caller, studyId);
  const results = params.get('results');
  // An empty text is a body with no rows (nothing to save); a missing one is a mistake worth telling.
  if (results === undefined) throw badRequest('Missing parameter results');
  const outcome = await services().scores.upload(studyId, results);
  if (outcome.ok) return outcome.log === undefined ? success() : success({ log: outcome.log });
  if (outcome.reason === 'no study') throw notFound(`No study ${studyId}`);
  return failure(outcome.log);
});
