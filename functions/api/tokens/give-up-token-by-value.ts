import { services } from '../../common/services.js';
import { publicHandler } from '../../http/api-handler.js';
import { unauthorized } from '../../http/errors.js';
import { success } from '../../http/replies.js';

/**
 * POST /Admin/GiveupToken with the token as the `token` form field (the Slide Score docs' form). The token is
 * its own credential, so no Authorization header is needed; a text that is not one of our tokens → 401.
 */
export const handler = publicHandler('AdminGiveupToken', async ({ params }) => {
  const revoked = await services().tokens.revokeToken(params.required('token').trim());
  if (!revoked) throw unauthorized('The token is not valid for this server');
  return success();
});
