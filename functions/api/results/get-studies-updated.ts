import { services } from '../../common/services.js';
import { parseSince } from '../../domain/results/updated-since.js';
import { apiHandler } from '../../http/api-handler.js';
import { badRequest } from '../../http/errors.js';
import { json } from '../../http/replies.js';

/**
 * GET /Api/GetStudiesUpdated?since=<ISO 8601 with a time zone> → `{"studyIDs":[…],"StudyIDs":[…]}`: the token's
 * studies whose answers changed at or after `since`. Both spellings, because Slide Score's docs write `StudyIDs`
 * while its serializer would write camelCase `studyIDs`, and clients read one or the other (reference §3.1).
 * A `since` without a zone, or unreadable, is a 400.
 */
export const handler = apiHandler('GetStudiesUpdated', async ({ params, caller }) => {
  const since = parseSince(params.get('since'));
  if (!since.ok) throw badRequest(since.reason);
  const { studyIds } = await services().scores.studiesUpdatedSince(since.since, caller.studyScope);
  return json({ studyIDs: studyIds, StudyIDs: studyIds });
});
