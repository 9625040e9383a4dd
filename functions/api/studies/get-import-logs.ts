import { services } from '../../common/services.js';
import { apiHandler } from '../../http/api-handler.js';
import { success } from '../../http/replies.js';
import { studyFor } from '../../studies/study-access.js';

/**
 * GET /Api/GetImportLogs?studyId=N[&count=20] → {"success":true,"logs":[{at, trigger, success, log}]}, newest
 * first: Reimport calls (`trigger: "api"`) and automatic imports after a config file was uploaded (`"upload"`).
 */
export const handler = apiHandler('GetImportLogs', async ({ params, caller }) => {
  const study = await studyFor(caller, params.requiredInteger('studyId'));
  const count = Math.min(Math.max(params.integer('count') ?? 20, 1), 100);
  const logs = await services().studies.listImportLogs(study.id, count);
  return success({ logs: logs.map(({ at, trigger, success, log }) => ({ at, trigger, success, log })) });
});
