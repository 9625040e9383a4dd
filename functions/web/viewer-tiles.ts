import type { Caller } from '../auth/caller.js';
import { services } from '../common/services.js';
import type { CorePosition } from '../domain/tma/tma-positions.js';
import { corePositions } from '../domain/tma/tma-positions.js';
import { withPixelErrors } from '../pixels/pixel-errors.js';
import { osdTileSize } from '../slides/metadata.js';
import type { StudyContents, StudyImage } from '../studies/study-model.js';

/** What a page needs to show a slide: the DeepZoom source for OpenSeadragon and the tile cookie to set. */
export interface SlideTiles {
  /** `/i/{imageId}/{urlPart}/i_files/` */
  filesUrl: string;
  /** Set-Cookie for the tile credential, scoped to this image's tile path. */
  cookie: string;
  width: number;
  height: number;
  tileSize: number;
  mppX: number;
  mppY: number;
  bounds: { x: number; y: number; width: number; height: number };
  /** A DeepZoom tile that holds the whole slide (at most one tile across): the thumbnail. */
  thumbnailUrl: string;
}

/** DeepZoom's top level: the level-0 size; level k halves it (maxLevel - k) times, rounding up. */
export function deepZoomMaxLevel(width: number, height: number): number {
  return Math.ceil(Math.log2(Math.max(width, height, 1)));
}

/** The most detailed DeepZoom level that fits in one tile. */
export function singleTileLevel(width: number, height: number, tileSize: number): number {
  const max = deepZoomMaxLevel(width, height);
  let level = max;
  while (level > 0 && Math.ceil(Math.max(width, height) / 2 ** (max - level)) > tileSize) level--;
  return level;
}

export async function slideTiles(caller: Caller, image: StudyImage, secure: boolean): Promise<SlideTiles> {
  const credential = await withPixelErrors(() => services().pixels.tileCredential(caller, image));
  const { reader } = await withPixelErrors(() => services().pixels.readerFor(image));
  const { index } = reader;
  const width = index.levels[0]?.width ?? 0;
  const height = index.levels[0]?.height ?? 0;
  const tileSize = osdTileSize(index);
  const base = `/i/${image.id}/${credential.urlPart}/`;
  const expires = new Date(credential.expiresOn).toUTCString();
  return {
    filesUrl: `${base}i_files/`,
    cookie: `t=${credential.cookiePart}; Path=${base}; HttpOnly; SameSite=Lax; Expires=${expires}${secure ? '; Secure' : ''}`,
    width,
    height,
    tileSize,
    mppX: index.mppX ?? 0,
    mppY: index.mppY ?? 0,
    bounds: index.bounds ?? { x: 0, y: 0, width, height },
    thumbnailUrl: `${base}i_files/${singleTileLevel(width, height, tileSize)}/0_0.jpeg`,
  };
}

/** The cores of the image's TMA map, placed as QuPath sees them (functions/domain/tma/tma-positions.ts). */
export function tmaCores(contents: StudyContents, image: StudyImage, tiles: SlideTiles): CorePosition[] {
  const map = image.tmaMap ? contents.maps.find((m) => m.name === image.tmaMap) : undefined;
  if (!map) return [];
  return corePositions(
    map.map,
    { bounds: tiles.bounds, mppX: tiles.mppX, mppY: tiles.mppY, rotation: image.rotation },
    { coreDiameterUm: map.coreDiameterUm },
  );
}
