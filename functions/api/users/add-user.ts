import { services } from '../../common/services.js';
import { apiHandler } from '../../http/api-handler.js';
import { failure, success } from '../../http/replies.js';
import { contentsFor } from '../../studies/study-access.js';
import { readUser } from '../../users/study-members.js';

/**
 * POST /Api/AddUser (studyId, email, rights) → {"success":true}. Gives the user exactly these rights in the
 * study (a `.emails` rights list: canscore, canedit, cangetresults, viewonly; none means canscore), adding them
 * or bringing them back after RemoveUser. Reimport never removes a user and only ever adds rights.
 */
export const handler = apiHandler('AddUser', async ({ params, caller }) => {
  const contents = await contentsFor(caller, params.requiredInteger('studyId'));
  const user = readUser(params.requiredField('email', 'email'), params.get('rights') ?? '');
  if (typeof user === 'string') return failure(user);
  const stored = contents.members.find((m) => m.email.toLowerCase() === user.email.toLowerCase());
  await services().studies.putMembers(contents.study.id, [{ email: stored?.email ?? user.email, rights: user.rights }]);
  return success();
});
