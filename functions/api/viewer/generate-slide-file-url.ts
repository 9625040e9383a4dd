import { services } from '../../common/services.js';
import { isEmailAddress } from '../../domain/study-config/emails-file.js';
import { apiHandler } from '../../http/api-handler.js';
import { badRequest } from '../../http/errors.js';
import { success } from '../../http/replies.js';
import { assertMayReference } from '../../studies/study-access.js';
import { query } from '../../web/html.js';
import { slideFileSource } from '../../web/slide-files.js';

/**
 * POST /Api/GenerateSlideFileURL (filename, user) → {"success":true,"link":"/SlideFile?token=…"} (reference §3.6):
 * a server-relative link to a viewer page of one file outside any study. `filename` is an upload path the
 * token may name (a study-limited token: no other study's file), or in `npm start` a file under a directory
 * of SLIDE_FILE_DIRS; `user` is the email the link is for.
 */
export const handler = apiHandler('GenerateSlideFileURL', async ({ params, caller }) => {
  const file = slideFileSource(params.required('filename'));
  if (!file.ok) throw badRequest(file.reason);
  const user = (params.get('user') ?? '').trim();
  if (user !== '' && !isEmailAddress(user)) throw badRequest(`"${user.slice(0, 100)}" is not an email address`);
  if (file.source === 'upload') await assertMayReference(caller, [file.path]);
  const link = await services().slideFileLinks.create(caller, { path: file.path, source: file.source, user });
  if (!link.ok) throw badRequest(link.reason);
  return success({ link: `/SlideFile${query({ token: link.token })}` });
});
