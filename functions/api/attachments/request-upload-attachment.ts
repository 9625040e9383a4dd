import { services } from '../../common/services.js';
import { apiHandler } from '../../http/api-handler.js';
import { badRequest } from '../../http/errors.js';
import { success } from '../../http/replies.js';
import { studyFor } from '../../studies/study-access.js';

/**
 * POST /Api/RequestUploadAttachment (studyId, filename; moduleId accepted) → {"success":true,"token","folder",
 * "filename","attId"}. The client then uploads with the temporary token (RequestUpload of folder and filename,
 * tus, FinishUpload) and links `{server}/a/{attId}/{filename before the first "-"}/{its own filename}`.
 * Teaching modules do not exist here, so a `moduleId` without `studyId` is refused.
 */
export const handler = apiHandler('RequestUploadAttachment', async ({ params, caller }) => {
  const studyId = params.integer('studyId');
  if (studyId === undefined) {
    throw badRequest(
      params.get('moduleId') !== undefined
        ? 'Teaching modules are not supported by this server: give the studyId of a study'
        : 'Missing parameter studyId',
    );
  }
  await studyFor(caller, studyId);
  const result = await services().attachments.request(caller, studyId, params.required('filename'));
  if (!result.ok) throw badRequest(result.reason);
  return success({ ...result.upload });
});
