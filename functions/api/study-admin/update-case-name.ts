import { services } from '../../common/services.js';
import { apiHandler } from '../../http/api-handler.js';
import { failure, success } from '../../http/replies.js';
import { caseFor } from '../../studies/study-access.js';

/**
 * POST /Api/UpdateCaseName (caseId, newName) → {"success":true}. The new name must be free in the study
 * (ignoring case). An image list still naming the old name makes Reimport add a case of that name again.
 */
export const handler = apiHandler('UpdateCaseName', async ({ params, caller }) => {
  const found = await caseFor(caller, params.requiredInteger('caseId'));
  const newName = params.requiredField('newName', 'name');
  const saved = await services().studies.updateCase({ ...found, name: newName }, found.name);
  return saved ? success() : failure(`The study already has a case named ${newName}`);
});
