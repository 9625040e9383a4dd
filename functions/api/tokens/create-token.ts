import { readTokenRequest } from '../../auth/token-request.js';
import { TokenRefused } from '../../auth/token-service.js';
import { services } from '../../common/services.js';
import { apiHandler } from '../../http/api-handler.js';
import { failure, success } from '../../http/replies.js';

/** POST /Admin/CreateToken → {"success":true,"token":"…"}; a refused request → {"success":false,"log":"…"}. */
export const handler = apiHandler('CreateToken', async ({ params, caller }) => {
  const read = readTokenRequest(
    {
      name: params.requiredField('name', 'name'),
      expiresOn: params.get('expiresOn'),
      capabilities: params.get('capabilities'),
      studies: params.get('studies'),
    },
    new Date(),
  );
  if (!read.ok) return failure(read.reason);
  try {
    const { token, record } = await services().tokens.create(read.request, caller);
    return success({ token, id: record.id, expiresOn: record.expiresOn });
  } catch (error) {
    if (error instanceof TokenRefused) return failure(error.message);
    throw error;
  }
});
