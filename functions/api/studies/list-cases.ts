import { apiHandler } from '../../http/api-handler.js';
import { json } from '../../http/replies.js';
import { contentsFor } from '../../studies/study-access.js';
import { visibleCases } from '../../studies/study-views.js';

/** GET /Api/Cases?studyid=N → [{id, name}]. */
export const handler = apiHandler('Cases', async ({ params, caller }) => {
  const contents = await contentsFor(caller, params.requiredInteger('studyid'));
  return json(visibleCases(contents).map((c) => ({ id: c.id, name: c.name })));
});
