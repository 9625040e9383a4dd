import { services } from '../../common/services.js';
import { apiHandler } from '../../http/api-handler.js';
import { success } from '../../http/replies.js';
import { caseFor } from '../../studies/study-access.js';

/**
 * POST /Api/RemoveCase (caseId) → {"success":true}. The case disappears from Cases, GetConfig and
 * GetConfigFiles, its slides are in no case any more, answers stay stored. Reimport brings it back (same ID)
 * while an image list still has its `case:` line, and puts the slides listed under it back in it.
 */
export const handler = apiHandler('RemoveCase', async ({ params, caller }) => {
  const found = await caseFor(caller, params.requiredInteger('caseId'));
  const { studies } = services();
  const contents = await studies.loadContents(found.studyId);
  for (const image of contents?.images ?? []) {
    if (image.caseId !== found.id) continue;
    const { caseId: _old, ...rest } = image;
    await studies.updateImage(rest);
  }
  await studies.updateCase({ ...found, removed: true });
  return success();
});
