import { apiHandler } from '../../http/api-handler.js';
import { json } from '../../http/replies.js';
import { storedOutOfFocus } from '../../pixels/slide-focus.js';
import { contentsFor } from '../../studies/study-access.js';
import { imageView, visibleImages } from '../../studies/study-views.js';

/**
 * GET /Api/Images?studyid=N → [{id, name, fileName, fileSize, studyID, caseID?, caseName?, tmaMap?, rotation, …,
 * isOOF}]. `isOOF` comes from stored focus measures only (false while a slide is not measured yet).
 */
export const handler = apiHandler('Images', async ({ params, caller }) => {
  const contents = await contentsFor(caller, params.requiredInteger('studyid'));
  const caseNames = new Map(contents.cases.map((c) => [c.id, c.name]));
  const images = visibleImages(contents);
  const flagged = await storedOutOfFocus(images);
  return json(
    images.map((i) => ({
      ...imageView(i, i.caseId !== undefined ? caseNames.get(i.caseId) : undefined),
      isOOF: flagged.has(i.id),
    })),
  );
});
