import { apiHandler } from '../../http/api-handler.js';
import { success } from '../../http/replies.js';
import { imageFor } from '../../studies/study-access.js';

/** GET /Api/GetSlideDescription?imageId=N → {"success":true,"description":"<html>"} (empty when none). */
export const handler = apiHandler('GetSlideDescription', async ({ params, caller }) =>
  success({ description: (await imageFor(caller, params.requiredInteger('imageId'))).description ?? '' }),
);
