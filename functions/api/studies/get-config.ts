import { apiHandler } from '../../http/api-handler.js';
import { success } from '../../http/replies.js';
import { contentsFor } from '../../studies/study-access.js';
import { configView } from '../../studies/study-views.js';

/** GET /Api/GetConfig?studyid=N → {"success":true,"config":{…the whole study…}}; `config.scores` are the questions. */
export const handler = apiHandler('GetConfig', async ({ params, caller }) =>
  success({ config: configView(await contentsFor(caller, params.requiredInteger('studyid'))) }),
);
