import { parseExpiry } from '../../auth/token-request.js';
import { services } from '../../common/services.js';
import { isEmailAddress } from '../../domain/study-config/emails-file.js';
import { studyLinkOrigin } from '../../domains/study-links.js';
import { apiHandler } from '../../http/api-handler.js';
import { badRequest } from '../../http/errors.js';
import { success } from '../../http/replies.js';
import { requestOrigin } from '../../pixels/slide-link-request.js';
import { query } from '../../web/html.js';

/**
 * POST /Api/GenerateLoginLink (username = email, expiresOn) → {"success":true,"link":"…"} (reference §3.8). The
 * email must be a user of a study the calling token reaches; the link's session reaches only those studies.
 */
export const handler = apiHandler('GenerateLoginLink', async ({ params, caller, event }) => {
  const email = params.required('username').trim();
  if (!isEmailAddress(email)) throw badRequest(`"${email.slice(0, 100)}" is not an email address`);
  const given = params.required('expiresOn');
  const expiresOn = parseExpiry(given, new Date());
  if (!expiresOn)
    throw badRequest(`Unreadable expiry date "${given.slice(0, 40)}": use YYYY-MM-DD or an ISO 8601 date and time`);
  const lower = email.toLowerCase();
  const studies = await services().studies.listStudies();
  const listing: number[] = [];
  for (const study of studies.filter((s) => caller.mayAccessStudy(s.id))) {
    const contents = await services().studies.loadContents(study.id);
    if (contents?.members.some((m) => !m.removed && m.email.toLowerCase() === lower)) listing.push(study.id);
  }
  if (listing.length === 0) throw badRequest(`${email} is not a user of any study this API token can reach`);
  const link = await services().viewerSessions.createLink(caller, email, expiresOn);
  if (!link.ok) throw badRequest(link.reason);
  // On the studies' domain when they share one (docs/studies.md, "Domains"), else where the request came.
  const origins = new Set(await Promise.all(listing.map((id) => studyLinkOrigin(event, id))));
  const origin = origins.size === 1 ? ([...origins][0] as string) : requestOrigin(event);
  return success({ link: `${origin}/Account/LoginWithLink${query({ token: link.token })}` });
});
