import { services } from '../../common/services.js';
import { parseDomainAddress } from '../../domain/domains/domain-host.js';
import { fieldProblem } from '../../domain/limits/field-limits.js';
import { apiHandler } from '../../http/api-handler.js';
import { badRequest, forbidden } from '../../http/errors.js';
import { success } from '../../http/replies.js';

/**
 * POST /Api/UpsertDomain (name, host, description) → {"success":true,"created":bool}. Domains span studies, so
 * only a token for all studies may make or change one.
 */
export const handler = apiHandler('UpsertDomain', async ({ params, caller }) => {
  if (caller.studyScope !== 'all') throw forbidden('Only an API token for all studies may make or change a domain');
  const name = params.required('name').trim();
  const nameProblem = name === '' ? 'name: the name is empty' : fieldProblem('name', name, 'name');
  if (nameProblem) throw badRequest(nameProblem);
  const address = parseDomainAddress(params.required('host'));
  if (!address.ok) throw badRequest(address.reason);
  const description = params.get('description');
  if (description !== undefined) {
    const problem = fieldProblem('freeText', description, 'description');
    if (problem) throw badRequest(problem);
  }
  const created = await services().domains.upsert({
    name,
    host: address.host,
    scheme: address.scheme,
    ...(description ? { description } : {}),
    updatedOn: new Date().toISOString(),
  });
  return success({ created });
});
