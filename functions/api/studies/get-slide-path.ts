import { apiHandler } from '../../http/api-handler.js';
import { success } from '../../http/replies.js';
import { imageFor } from '../../studies/study-access.js';

/** GET /Api/GetSlidePath?imageId=N → {"success":true,"path":"<folder>/<file>"} (relative to the upload root, `/`). */
export const handler = apiHandler('GetSlidePath', async ({ params, caller }) =>
  success({ path: (await imageFor(caller, params.requiredInteger('imageId'))).path }),
);
