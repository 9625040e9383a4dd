import { apiHandler } from '../../http/api-handler.js';
import { success } from '../../http/replies.js';
import { caseFor } from '../../studies/study-access.js';

/** GET /Api/GetCaseDescription?caseId=N → {"success":true,"description":"<html>"} (empty when none). */
export const handler = apiHandler('GetCaseDescription', async ({ params, caller }) =>
  success({ description: (await caseFor(caller, params.requiredInteger('caseId'))).description ?? '' }),
);
