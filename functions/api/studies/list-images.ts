import { apiHandler } from '../../http/api-handler.js';
import { json } from '../../http/replies.js';
import { contentsFor } from '../../studies/study-access.js';
import { imageView, visibleImages } from '../../studies/study-views.js';

/** GET /Api/Images?studyid=N → [{id, name, fileName, fileSize, studyID, caseID?, caseName?, tmaMap?, rotation, …}]. */
export const handler = apiHandler('Images', async ({ params, caller }) => {
  const contents = await contentsFor(caller, params.requiredInteger('studyid'));
  const caseNames = new Map(contents.cases.map((c) => [c.id, c.name]));
  return json(
    visibleImages(contents).map((i) => imageView(i, i.caseId !== undefined ? caseNames.get(i.caseId) : undefined)),
  );
});
