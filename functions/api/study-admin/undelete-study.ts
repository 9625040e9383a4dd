import { services } from '../../common/services.js';
import { apiHandler } from '../../http/api-handler.js';
import { notFound } from '../../http/errors.js';
import { success } from '../../http/replies.js';
import { assertStudyAccess } from '../../studies/study-access.js';

/** POST /Api/UndeleteStudy (studyId) → {"success":true}: the deleted study is back as it was. */
export const handler = apiHandler('UndeleteStudy', async ({ params, caller }) => {
  const studyId = params.requiredInteger('studyId');
  assertStudyAccess(caller, studyId);
  const study = await services().studies.getStudy(studyId, { includeDeleted: true });
  if (!study) throw notFound(`No study ${studyId}`);
  if (study.deleted) {
    const { deleted: _deleted, ...kept } = study;
    await services().studies.updateStudy({ ...kept, updatedOn: new Date().toISOString() });
  }
  return success();
});
