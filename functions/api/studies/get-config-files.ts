import { apiHandler } from '../../http/api-handler.js';
import { success } from '../../http/replies.js';
import { studyConfigFiles } from '../../studies/config-files-export.js';
import { contentsFor } from '../../studies/study-access.js';

/** GET /Api/GetConfigFiles?studyid=N → {"success":true,"files":{"study.<name>.emails":"…", …}}. */
export const handler = apiHandler('GetConfigFiles', async ({ params, caller }) =>
  success({ files: studyConfigFiles(await contentsFor(caller, params.requiredInteger('studyid'))) }),
);
