import { services } from '../../common/services.js';
import { apiHandler } from '../../http/api-handler.js';
import { failure, success } from '../../http/replies.js';
import { assertMayReference, studyFor } from '../../studies/study-access.js';
import { UPDATABLE_SETTINGS, type UpdatableSetting, updatedSettings } from '../../studies/study-admin.js';

/**
 * POST /Api/UpdateStudy (studyId; any of label, folder, description, organs, diseases, stainings) →
 * {"success":true}. Values are checked as `.config` lines; an empty value clears; lists are replaced. The name
 * cannot change. A later Reimport still applies what the `.config` file says (it never removes list items).
 */
export const handler = apiHandler('UpdateStudy', async ({ params, caller }) => {
  const study = await studyFor(caller, params.requiredInteger('studyId'));
  if (params.has('name') || params.has('newName')) return failure('A study name cannot be changed');
  const given = new Map<UpdatableSetting, string>();
  for (const key of UPDATABLE_SETTINGS) {
    const value = params.get(key);
    if (value !== undefined) given.set(key, value);
  }
  if (given.size === 0) return failure(`Nothing to update: give any of ${UPDATABLE_SETTINGS.join(', ')}`);
  const result = updatedSettings(study.settings, given);
  if (!result.ok) return failure(result.log);
  if (result.settings.folder !== undefined && result.settings.folder !== study.settings.folder) {
    await assertMayReference(caller, [`${result.settings.folder}/x`]);
  }
  await services().studies.updateStudy({ ...study, settings: result.settings, updatedOn: new Date().toISOString() });
  return success();
});
