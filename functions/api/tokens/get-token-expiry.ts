import { apiHandler } from '../../http/api-handler.js';
import { success } from '../../http/replies.js';

/** GET /Api/GetTokenExpiry → {"success":true,"expiresOn":"2027-12-31T23:59:59.000Z"}. */
export const handler = apiHandler('GetTokenExpiry', async ({ caller }) =>
  success({ expiresOn: caller.claims.expiresOn.toISOString() }),
);
