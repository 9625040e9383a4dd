import { services } from '../../common/services.js';
import { apiHandler } from '../../http/api-handler.js';
import { success } from '../../http/replies.js';
import { studyFor } from '../../studies/study-access.js';

/**
 * POST /Api/SetIsArchived (studyId, isArchived) → {"success":true}. An archived study is read only: answer
 * writes (UploadResults, the viewer, QuPath, annotation imports) are refused; Studies shows `archived`.
 */
export const handler = apiHandler('SetIsArchived', async ({ params, caller }) => {
  const study = await studyFor(caller, params.requiredInteger('studyId'));
  params.required('isArchived');
  const archived = params.boolean('isArchived');
  await services().studies.updateStudy({ ...study, archived, updatedOn: new Date().toISOString() });
  return success();
});
