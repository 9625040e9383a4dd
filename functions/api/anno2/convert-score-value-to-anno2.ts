import { services } from '../../common/services.js';
import { apiHandler } from '../../http/api-handler.js';
import { HttpError } from '../../http/errors.js';
import { json, success } from '../../http/replies.js';
import { userMetadata } from './anno2-request.js';

/**
 * POST /Api/ConvertScoreValueToAnno2 (scoreValueId: the `id` of a Scores row, metadata) →
 * {"success":true,"annoUUID"}, or {"success":false,"error":"…","log":"…"}: this call names its failure `error`
 * (reference §1.4, as the SDK examples read it); `log` carries the same reason for clients that read every
 * `success` reply alike (docs/api.md). Only answers of the token's studies are found.
 */
const refusal = (reason: string) => json({ success: false, error: reason, log: reason });

export const handler = apiHandler('ConvertScoreValueToAnno2', async ({ params, caller }) => {
  let scoreValueId: number;
  let metadata: unknown;
  try {
    scoreValueId = params.requiredInteger('scoreValueId');
    metadata = userMetadata(params);
  } catch (error) {
    if (error instanceof HttpError) return refusal(error.message);
    throw error;
  }
  const converted = await services().anno2.convertScoreValue(caller, scoreValueId, metadata);
  if (!converted.ok) return refusal(converted.reason);
  return success({ annoUUID: converted.value });
});
