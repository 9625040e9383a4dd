import { services } from '../../common/services.js';
import { apiHandler } from '../../http/api-handler.js';
import { success } from '../../http/replies.js';

/** POST /Api/CreateOrphanAnno2 → {"success":true,"uploadToken","annoUUID"}: an anno2 no answer refers to yet. */
export const handler = apiHandler('CreateOrphanAnno2', async ({ caller }) => {
  const target = services().anno2.orphanTarget();
  const uploadToken = await services().uploads.requestAnno2Upload(caller, target);
  return success({ uploadToken, annoUUID: target.uuid });
});
