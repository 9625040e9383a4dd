import { HttpError, isLogicalError } from '../http/errors.js';
import { type ApiReply, json } from '../http/replies.js';

/**
 * QuPath's large-annotation calls read a refusal's reason from `error` ("Creating anno2 record failed: …") and
 * only when the reply is 200, so logical refusals answer 200 `{"success":false,"error","log"}`; a bad or expired
 * link keeps its 403 or 503 (QuPath's "expired").
 */
export async function withLinkRefusals(work: () => Promise<ApiReply>): Promise<ApiReply> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof HttpError && isLogicalError(error)) {
      return json({ success: false, error: error.message, log: error.message });
    }
    throw error;
  }
}
