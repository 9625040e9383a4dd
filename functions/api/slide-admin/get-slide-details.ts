import { services } from '../../common/services.js';
import { apiHandler } from '../../http/api-handler.js';
import { success } from '../../http/replies.js';
import { withPixelErrors } from '../../pixels/pixel-errors.js';
import { focusOf } from '../../pixels/slide-focus.js';
import { isOutOfFocus, OUT_OF_FOCUS_THRESHOLD } from '../../slides/focus-measure.js';
import { imageFor } from '../../studies/study-access.js';

/**
 * GET /Api/GetSlideDetails (imageId; studyId optional) → {"success":true,"details":{…}}: everything the server
 * knows of one slide, from the study (name, path, case, TMA map, rotation, description, resolution override)
 * and from the file (size, levels, resolution, vendor, associated images, focus measure). Fields are listed in
 * docs/administration.md.
 */
export const handler = apiHandler('GetSlideDetails', async ({ params, caller }) => {
  const image = await imageFor(caller, params.requiredInteger('imageId'), params.integer('studyId'));
  const { studies, pixels } = services();
  const [study, found] = await Promise.all([
    studies.getStudy(image.studyId),
    image.caseId === undefined ? undefined : studies.getCase(image.caseId),
  ]);
  const { reader } = await withPixelErrors(() => pixels.readerFor(image));
  const { index } = reader;
  const focus = await withPixelErrors(() => focusOf(image));
  const base = index.levels[0];
  const fileMpp = index.mppX !== undefined && index.mppY !== undefined;
  return success({
    details: {
      id: image.id,
      name: image.name,
      path: image.path,
      fileName: image.path.slice(image.path.lastIndexOf('/') + 1),
      fileSize: image.fileSize,
      format: image.format,
      vendor: index.vendor,
      studyId: image.studyId,
      studyName: study?.name,
      caseId: image.caseId ?? null,
      caseName: found?.name ?? null,
      tmaMap: image.tmaMap ?? null,
      rotation: image.rotation,
      addedOn: image.addedOn,
      description: image.description ?? '',
      width: base?.width ?? 0,
      height: base?.height ?? 0,
      levels: index.levels.map((l) => ({
        width: l.width,
        height: l.height,
        downsample: l.downsample,
        tileWidth: l.tileWidth,
        tileHeight: l.tileHeight,
      })),
      mppX: image.resolution?.mppX ?? index.mppX ?? 0,
      mppY: image.resolution?.mppY ?? index.mppY ?? 0,
      mppSource: image.resolution ? 'SetSlideResolution' : fileMpp ? 'file' : 'unknown',
      fileMppX: index.mppX ?? null,
      fileMppY: index.mppY ?? null,
      objectivePower: index.objectivePower ?? null,
      backgroundColor: index.backgroundColor === undefined ? null : `#${index.backgroundColor}`,
      bounds: index.bounds ?? null,
      associatedImages: Object.keys(index.associated),
      focus: {
        measure: focus.version,
        laplacianVariance: focus.laplacianVariance,
        tissuePixels: focus.tissuePixels,
        level: focus.level,
        threshold: OUT_OF_FOCUS_THRESHOLD,
        isOOF: isOutOfFocus(focus),
        measuredOn: focus.measuredOn,
      },
    },
  });
});
