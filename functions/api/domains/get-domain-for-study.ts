import { services } from '../../common/services.js';
import { apiHandler } from '../../http/api-handler.js';
import { success } from '../../http/replies.js';
import { studyFor } from '../../studies/study-access.js';

/**
 * GET /Api/GetDomainForStudy (studyId) → {"success":true,"domain":{"name","host","url","description"}}, or
 * {"success":true} without `domain` when the study has none (links then use the address of the request).
 */
export const handler = apiHandler('GetDomainForStudy', async ({ params, caller }) => {
  const study = await studyFor(caller, params.requiredInteger('studyId'));
  const domain = await services().domains.domainOfStudy(study.id);
  if (!domain) return success();
  return success({
    domain: {
      name: domain.name,
      host: domain.host,
      url: `${domain.scheme}://${domain.host}`,
      ...(domain.description ? { description: domain.description } : {}),
    },
  });
});
