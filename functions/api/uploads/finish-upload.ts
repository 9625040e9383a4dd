import { services } from '../../common/services.js';
import { apiHandler } from '../../http/api-handler.js';
import { jsonString } from '../../http/replies.js';

/**
 * POST /Api/FinishUpload (id: the tus file id, token: the upload token) → exactly `"OK"` once the path is
 * committed, and `"OK"` again if it is called twice; any other reply is a JSON string saying why.
 */
export const handler = apiHandler('FinishUpload', async ({ params, caller }) => {
  const result = await services().uploads.finishUpload(
    caller,
    params.required('id').trim(),
    params.required('token').trim(),
  );
  return result.ok ? jsonString('OK') : jsonString(result.reason, result.status);
});
