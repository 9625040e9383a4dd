import { services } from '../../common/services.js';
import { apiHandler } from '../../http/api-handler.js';
import { HttpError } from '../../http/errors.js';
import { jsonString } from '../../http/replies.js';

/**
 * POST /Api/FinishUpload (id: the tus file id, token: the upload token) → exactly `"OK"` once the path is
 * committed, and `"OK"` again if it is called twice; a logical refusal is a JSON string saying why.
 */
export const handler = apiHandler('FinishUpload', async ({ params, caller }) => {
  const result = await services().uploads.finishUpload(
    caller,
    params.required('id').trim(),
    params.required('token').trim(),
  );
  if (!result.ok) throw new HttpError(result.status, result.reason);
  return jsonString('OK');
});
