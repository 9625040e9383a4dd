import { services } from '../../common/services.js';
import { apiHandler } from '../../http/api-handler.js';
import { forbidden } from '../../http/errors.js';
import { json } from '../../http/replies.js';

/**
 * POST /Api/Reimport (studyName, optional ignoreImageErrors) → {"success":true,"id":N,"log":"…"} or
 * {"success":false,"log":"…"}. A token limited to some studies may reimport those, but not create a study.
 */
export const handler = apiHandler('Reimport', async ({ params, caller }) => {
  const studyName = params.requiredField('studyName', 'name');
  const existing = await services().studies.findStudy(studyName);
  // One body whether or not the study exists: a limited token can neither probe names nor create a study.
  if (existing ? !caller.mayAccessStudy(existing.id) : caller.studyScope !== 'all') {
    throw forbidden(`This API token has no access to a study named ${studyName} (it is limited to other studies)`);
  }
  const result = await services().reimporter.reimport(studyName, {
    ignoreImageErrors: params.boolean('ignoreImageErrors'),
    trigger: 'api',
  });
  return json(
    result.success ? { success: true, id: result.studyId, log: result.log } : { success: false, log: result.log },
  );
});
