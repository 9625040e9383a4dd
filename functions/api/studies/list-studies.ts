import { services } from '../../common/services.js';
import { apiHandler } from '../../http/api-handler.js';
import { json } from '../../http/replies.js';
import { studyView } from '../../studies/study-views.js';

/** GET /Api/Studies → a bare JSON array of the studies the token may see: id, name, and the config's settings. */
export const handler = apiHandler('Studies', async ({ caller }) => {
  const studies = await services().studies.listStudies();
  return json(studies.filter((s) => caller.mayAccessStudy(s.id)).map(studyView));
});
