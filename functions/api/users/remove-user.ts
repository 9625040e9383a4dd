import { services } from '../../common/services.js';
import { apiHandler } from '../../http/api-handler.js';
import { failure, success } from '../../http/replies.js';
import { contentsFor } from '../../studies/study-access.js';

/**
 * POST /Api/RemoveUser (studyId, email) → {"success":true}. The user loses access to the study; their answers
 * stay. Reimport brings them back while the study's `.emails` file still names them (the seed's rule).
 */
export const handler = apiHandler('RemoveUser', async ({ params, caller }) => {
  const contents = await contentsFor(caller, params.requiredInteger('studyId'));
  const email = params.requiredField('email', 'email').trim();
  const member = contents.members.find((m) => !m.removed && m.email.toLowerCase() === email.toLowerCase());
  if (!member) return failure(`No user ${email} in study ${contents.study.id}`);
  await services().studies.putMembers(contents.study.id, [{ ...member, removed: true }]);
  return success();
});
