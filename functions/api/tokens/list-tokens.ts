import { services } from '../../common/services.js';
import { apiHandler } from '../../http/api-handler.js';
import { success } from '../../http/replies.js';

/** GET /Admin/Tokens → {"success":true,"tokens":[{id,name,capabilities,studies,expiresOn,createdOn,revokedOn?}]}. */
export const handler = apiHandler('ListTokens', async () => success({ tokens: await services().tokens.list() }));
