import { services } from '../../common/services.js';
import { apiHandler } from '../../http/api-handler.js';
import { success } from '../../http/replies.js';
import { studyFor } from '../../studies/study-access.js';

/**
 * POST /Api/DeleteStudy (studyId) → {"success":true}. A soft delete: until UndeleteStudy the study answers like
 * an unknown one everywhere; nothing under it is removed, its name stays taken, and Reimport or an automatic
 * import of it is refused (with a line in its import log). Unlike other removals, Reimport does not undo it.
 */
export const handler = apiHandler('DeleteStudy', async ({ params, caller }) => {
  const study = await studyFor(caller, params.requiredInteger('studyId'));
  await services().studies.updateStudy({ ...study, deleted: true, updatedOn: new Date().toISOString() });
  return success();
});
