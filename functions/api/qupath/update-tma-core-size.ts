import { services } from '../../common/services.js';
import { apiHandler } from '../../http/api-handler.js';
import { badRequest, notFound } from '../../http/errors.js';
import { success } from '../../http/replies.js';
import { contentsFor } from '../../studies/study-access.js';

/** The largest core diameter taken, in µm (10 cm: anything larger is a typo). */
const MAX_CORE_DIAMETER_UM = 100_000;

/**
 * POST /Api/UpdateTMACoreSize (studyId, imageId or tmaMapName, coreDiameterUm) → {"success":true}: the core
 * diameter of a TMA map, which TMAPositions.json and the viewer use. It wins over the map file's
 * `core-diameter` and is kept by Reimport; 0 removes it.
 */
export const handler = apiHandler('UpdateTMACoreSize', async ({ params, caller }) => {
  const studyId = params.requiredInteger('studyId');
  const imageId = params.integer('imageId');
  const mapName = params.get('tmaMapName')?.trim();
  const sizeText = params.required('coreDiameterUm').trim();
  const size = Number(sizeText);
  if (!/^\d+(\.\d+)?$/.test(sizeText) || size > MAX_CORE_DIAMETER_UM) {
    throw badRequest(`coreDiameterUm must be a number of µm from 0 to ${MAX_CORE_DIAMETER_UM}, not "${sizeText}"`);
  }
  if ((imageId === undefined) === (mapName === undefined || mapName === '')) {
    throw badRequest('Give either imageId or tmaMapName');
  }
  const contents = await contentsFor(caller, studyId);
  let name = mapName;
  if (imageId !== undefined) {
    const image = contents.images.find((i) => i.id === imageId && !i.removed);
    if (!image) throw notFound(`No image ${imageId} in study ${studyId}`);
    if (!image.tmaMap) throw badRequest(`Image ${imageId} has no TMA map`);
    name = image.tmaMap;
  }
  const map = contents.maps.find((m) => m.name === name);
  if (!map) throw notFound(`No TMA map "${name}" in study ${studyId}`);
  const { coreDiameterUm: _, ...rest } = map;
  await services().studies.putMaps(studyId, [size > 0 ? { ...rest, coreDiameterUm: size } : rest]);
  return success();
});
