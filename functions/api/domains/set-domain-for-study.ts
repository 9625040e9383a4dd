import { services } from '../../common/services.js';
import { apiHandler } from '../../http/api-handler.js';
import { badRequest } from '../../http/errors.js';
import { success } from '../../http/replies.js';
import { studyFor } from '../../studies/study-access.js';

/** POST /Api/SetDomainForStudy (studyId, domainName; empty to remove) → {"success":true}. */
export const handler = apiHandler('SetDomainForStudy', async ({ params, caller }) => {
  const study = await studyFor(caller, params.requiredInteger('studyId'));
  const name = (params.get('domainName') ?? params.get('domain') ?? '').trim();
  if (name === '') {
    await services().domains.setDomainOfStudy(study.id, undefined);
    return success();
  }
  const domain = await services().domains.get(name);
  if (!domain) throw badRequest(`No domain "${name.slice(0, 300)}": make it with UpsertDomain first`);
  await services().domains.setDomainOfStudy(study.id, domain.name);
  return success();
});
