import { services } from '../../common/services.js';
import { apiHandler } from '../../http/api-handler.js';
import { success } from '../../http/replies.js';

/** POST /Api/GiveUpToken → {"success":true}: the bearer token stops working at once. */
export const handler = apiHandler('GiveUpToken', async ({ caller }) => {
  await services().tokens.revokeById(caller.tokenId);
  return success();
});
