import { services } from '../../common/services.js';
import { apiHandler } from '../../http/api-handler.js';
import { HttpError, notFound } from '../../http/errors.js';
import type { ApiReply } from '../../http/replies.js';
import { exportTimingFromEnvironment } from '../../scores/export-settings.js';

const timing = exportTimingFromEnvironment();
/** Time kept back from the function's timeout to reply. */
const STOP_MARGIN_MS = 2000;
const POLL_MS = 250;

/** The waiting URL of a background export, relative so it resolves against whatever host the client called. */
export const waitingUrl = (jobId: string) => `/Api/Scores/Export/${jobId}`;

/**
 * 303 to the waiting URL. Python requests (the SDK) ignores Retry-After and follows at once, at most 30 times,
 * so the waiting URL itself holds each call up to 20 s: 30 hops give an export 10 minutes.
 */
export function waitingReply(jobId: string): ApiReply {
  return {
    statusCode: 303,
    headers: { location: waitingUrl(jobId), 'retry-after': '1', 'cache-control': 'no-store' },
    body: '',
  };
}

/**
 * GET /Api/Scores/Export/{jobId} → waits for the background export: 302 to its download URL once it is written
 * (the embedded runtime streams it itself), the refusal it ended with if it failed, or after the wait another
 * 303 to itself. A job of a study the token does not hold is answered like a job that does not exist.
 */
export const handler = apiHandler('ScoresExport', async ({ event, caller, remainingMs }) => {
  const jobId = event.pathParameters?.jobId ?? '';
  const results = services().scores;
  const job = await results.exportJob(jobId);
  if (!job || !caller.mayAccessStudy(job.studyId)) throw notFound(`No export ${jobId}`);
  const until = Date.now() + Math.max(0, Math.min(timing.waitMs, remainingMs() - STOP_MARGIN_MS));
  for (;;) {
    const state = await results.exportState(job);
    if (state.state === 'ready') {
      return { statusCode: 302, headers: { location: state.url, 'cache-control': 'no-store' }, body: '' };
    }
    if (state.state === 'failed') throw new HttpError(state.status, state.reason);
    if (Date.now() + POLL_MS >= until) return waitingReply(job.id);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
});
