import { services } from '../../common/services.js';
import { resolveUploadPath } from '../../domain/study-config/upload-path.js';
import { apiHandler } from '../../http/api-handler.js';
import { failure, success } from '../../http/replies.js';
import { checkSlidePath } from '../../studies/slide-files.js';
import { assertMayReference, imageFor } from '../../studies/study-access.js';

/**
 * POST /Api/UpdateSlidePath (imageId, newPath) → {"success":true}. The path is relative to the upload root;
 * `\` is read as `/` (Windows clients). The new file must be an uploaded slide not already in the study.
 */
export const handler = apiHandler('UpdateSlidePath', async ({ params, caller }) => {
  const image = await imageFor(caller, params.requiredInteger('imageId'));
  const resolved = resolveUploadPath('', params.requiredField('newPath', 'fileName'));
  if (!resolved.ok) return failure(resolved.reason);
  await assertMayReference(caller, [resolved.path]);
  if (resolved.path === image.path) return success();
  const slide = await checkSlidePath(services().files, resolved.path);
  if (!slide.ok) return failure(slide.reason);
  const saved = await services().studies.updateImage(
    { ...image, path: resolved.path, fileSize: slide.file.size, format: slide.format },
    image.path,
  );
  return saved ? success() : failure(`The study already has an image at ${resolved.path}`);
});
