import { services } from '../../common/services.js';
import { imageNameOf } from '../../domain/slides/slide-format.js';
import { resolveUploadPath } from '../../domain/study-config/upload-path.js';
import { apiHandler } from '../../http/api-handler.js';
import { failure, success } from '../../http/replies.js';
import { isImageOutOfFocus } from '../../pixels/slide-focus.js';
import { checkSlidePath } from '../../studies/slide-files.js';
import { assertMayReference, studyFor } from '../../studies/study-access.js';

/**
 * POST /Api/AddSlide (studyId, path: an upload path such as `MyStudy/slide.svs`) →
 * {"success":true,"id":<imageId>,"isOOF":<bool>}. Adding a path the study already has returns its image (and
 * brings it back when DeleteSlide removed it). `isOOF` is the focus check of IsSlideOutOfFocus, measured now
 * when the slide-committed pipeline has not measured the file yet; a slide it cannot measure is not flagged.
 */
export const handler = apiHandler('AddSlide', async ({ params, caller }) => {
  const study = await studyFor(caller, params.requiredInteger('studyId'));
  const resolved = resolveUploadPath('', params.requiredField('path', 'fileName'));
  if (!resolved.ok) return failure(resolved.reason);
  await assertMayReference(caller, [resolved.path]);
  const { studies, files } = services();
  const existing = await studies.findImageByPath(study.id, resolved.path);
  if (existing && !existing.removed) return success({ id: existing.id, isOOF: await isImageOutOfFocus(existing) });
  if (existing) {
    const { removed: _removed, ...restored } = existing;
    await studies.updateImage(restored);
    return success({ id: existing.id, isOOF: await isImageOutOfFocus(restored) });
  }
  const slide = await checkSlidePath(files, resolved.path);
  if (!slide.ok) return failure(slide.reason);
  const [added] = await studies.addImages(study.id, [
    {
      name: imageNameOf(resolved.path),
      path: resolved.path,
      fileSize: slide.file.size,
      format: slide.format,
      rotation: 0,
      addedOn: new Date().toISOString(),
    },
  ]);
  // Added by a concurrent call in between: answer with that image.
  const image = added ?? (await studies.findImageByPath(study.id, resolved.path));
  return success({ id: image?.id, isOOF: image ? await isImageOutOfFocus(image) : false });
});
