import { services } from '../../common/services.js';
import { apiHandler } from '../../http/api-handler.js';
import { HttpError } from '../../http/errors.js';
import { json, success } from '../../http/replies.js';
import { userMetadata } from './anno2-request.js';

/**
 * POST /Api/ConvertScoreValueToAnno2 (scoreValueId: the `id` of a Scores row, metadata) →
 * {"success":true,"annoUUID"}, or {"success":false,"error":"…"}: this call names its failure `error` (reference
 * §1.4). Only answers of the token's studies are found.
 */
export const handler = apiHandler('ConvertScoreValueToAnno2', async ({ params, caller }) => {
  let scoreValueId: number;
  let metadata: unknown;
  try {
    scoreValueId = params.requiredInteger('scoreValueId');
    metadata = userMetadata(params);
  } catch (error) {
    if (error instanceof HttpError) return json({ success: false, error: error.message });
    throw error;
  }
  const converted = await services().anno2.convertScoreValue(caller, scoreValueId, metadata);
  if (!converted.ok) return json({ success: false, error: converted.reason });
  return success({ annoUUID: converted.value });
});
