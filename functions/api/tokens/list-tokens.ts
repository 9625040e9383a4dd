import { services } from '../../common/services.js';
import { apiHandler } from '../../http/api-handler.js';
import { success } from '../../http/replies.js';

/**
 * GET /Admin/Tokens → {"success":true,"tokens":[{id,name,capabilities,studies,expiresOn,createdOn,revokedOn?}]}. A
 * token limited to some studies sees only tokens limited to studies it holds too.
 */
export const handler = apiHandler('ListTokens', async ({ caller }) =>
  success({ tokens: await services().tokens.list(caller) }),
);
