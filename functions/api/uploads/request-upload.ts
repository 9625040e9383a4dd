import { services } from '../../common/services.js';
import { apiHandler } from '../../http/api-handler.js';
import { HttpError } from '../../http/errors.js';
import { json } from '../../http/replies.js';

/**
 * POST /Api/RequestUpload (filename, folder, optional studyId) → {"token":"…"}. A logical refusal is a bare
 * JSON string saying why (clients test whether the body starts with `"`); a path that belongs to a study the
 * token does not hold is 403.
 */
export const handler = apiHandler('RequestUpload', async ({ params, caller }) => {
  const result = await services().uploads.requestUpload(caller, {
    filename: params.get('filename') ?? '',
    folder: params.get('folder') ?? '',
    studyId: params.integer('studyId'),
  });
  if (!result.ok) throw new HttpError(result.status, result.reason);
  return json({ token: result.token });
});
