import { services } from '../../common/services.js';
import { apiHandler } from '../../http/api-handler.js';
import { json, jsonString } from '../../http/replies.js';

/**
 * POST /Api/RequestUpload (filename, folder, optional studyId) → {"token":"…"}. A refusal is a bare JSON
 * string saying why: clients test whether the body starts with `"`.
 */
export const handler = apiHandler('RequestUpload', async ({ params, caller }) => {
  const result = await services().uploads.requestUpload(caller, {
    filename: params.get('filename') ?? '',
    folder: params.get('folder') ?? '',
    studyId: params.integer('studyId'),
  });
  return result.ok ? json({ token: result.token }) : jsonString(result.reason, result.status);
});
