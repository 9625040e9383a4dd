import { services } from '../../common/services.js';
import { corePositions, qupathTmaPositions, type SlideGeometry } from '../../domain/tma/tma-positions.js';
import { publicHandler } from '../../http/api-handler.js';
import { json } from '../../http/replies.js';
import { withPixelErrors } from '../../pixels/pixel-errors.js';
import { slideLinkRequest } from '../../pixels/slide-link-request.js';

/**
 * GET /i/{imageId}/{token}/TMAPositions.json → {"coreRadiusUM","rotate","cores":[{row,col,name,x,y}]}: every
 * position of the slide's TMA map in row-major order, placed by functions/domain/tma/tma-positions.ts (an even
 * grid over the slide unless the map's layout or UpdateTMACoreSize says otherwise). No map: no cores.
 */
export const handler = publicHandler('QupathTmaPositions', async ({ event }) => {
  const { image, studyId } = await slideLinkRequest(event);
  const maps = (await services().studies.loadContents(studyId))?.maps ?? [];
  const map = image.tmaMap ? maps.find((m) => m.name === image.tmaMap) : undefined;
  if (!map) return json({ coreRadiusUM: 0, rotate: image.rotation, cores: [] });
  const { reader } = await withPixelErrors(() => services().pixels.readerFor(image));
  const { index } = reader;
  const width = index.levels[0]?.width ?? 0;
  const height = index.levels[0]?.height ?? 0;
  const slide: SlideGeometry = {
    bounds: index.bounds ?? { x: 0, y: 0, width, height },
    mppX: image.resolution?.mppX ?? index.mppX ?? 0,
    mppY: image.resolution?.mppY ?? index.mppY ?? 0,
    rotation: image.rotation,
  };
  const positions = corePositions(map.map, slide, { coreDiameterUm: map.coreDiameterUm });
  return json(qupathTmaPositions(positions, { ...slide, width, height }));
});
