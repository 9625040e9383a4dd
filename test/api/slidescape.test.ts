import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, type Reply } from '../support/http-client.js';
import { createStudy, fixture, getJson, type ImageRow, uniqueStudyName } from '../support/studies.js';

/**
 * Slidescape's Slide Score backend (amspath/slidescape, src/core/slide_score.c), replayed: GET calls with
 * `imageId` in the query string and `Accept: application/json`, fields read from the reply's top level and its
 * `metadata` object in either case, DeepZoom tiles at `maxLevel − round(log2(downsample))` with cookie `t`,
 * and its QuPath-link mode (metadata URL, then `raw/` tiles clamped at the level's edge).
 */
let studyId: number;
let imageId: number;

interface SlidescapeMetadata {
  tileWidth: number;
  tileHeight: number;
  osdTileSize: number;
  levelCount: number;
  level0Width: number;
  level0Height: number;
  downsamples: number[];
  fileName: string;
}

/** debug_slide_score_api_handle_response: scalars of the top level and of `metadata`, camel or Pascal case. */
function slidescapeParse(text: string): { success: boolean; metadata: SlidescapeMetadata } {
  const root = JSON.parse(text) as Record<string, unknown>;
  const fields = new Map<string, unknown>();
  const take = (object: Record<string, unknown>) => {
    for (const [key, value] of Object.entries(object)) if (!fields.has(key)) fields.set(key, value);
  };
  take(root);
  if (root.metadata && typeof root.metadata === 'object') take(root.metadata as Record<string, unknown>);
  const pick = (camel: string) => {
    const value = fields.get(camel) ?? fields.get(camel.charAt(0).toUpperCase() + camel.slice(1));
    return value;
  };
  // atoi/atof on the scalar's text: a null would read as 0.
  const num = (camel: string) => Number(pick(camel) ?? 0);
  return {
    success: root.success === true,
    metadata: {
      tileWidth: num('level0TileWidth'),
      tileHeight: num('level0TileHeight'),
      osdTileSize: Number(fields.get('osdTileSize') ?? fields.get('OSDTileSize') ?? 0),
      levelCount: num('levelCount'),
      level0Width: num('level0Width'),
      level0Height: num('level0Height'),
      downsamples: (pick('downsamples') as number[]) ?? [],
      fileName: String(pick('fileName') ?? ''),
    },
  };
}

const ceilLog2 = (value: number) => {
  let [result, v] = [0, 1];
  while (v < value && result < 62) {
    v *= 2;
    result++;
  }
  return result;
};

/** Slidescape's API request: GET, parameters in the query string, Accept JSON, the bearer token. */
const slidescapeApi = (name: string, id: number) =>
  call('GET', `/Api/${name}?imageId=${id}`, {
    headers: { accept: 'application/json', 'cache-control': 'max-age=0', connection: 'close' },
  });

const jpegSize = async (reply: Reply) => {
  expect([reply.status, reply.body.subarray(0, 3).toString('hex')]).toEqual([200, 'ffd8ff']);
  const { width, height } = await sharp(reply.body).metadata();
  return [width, height];
};

beforeAll(async () => {
  const name = uniqueStudyName('slidescape');
  studyId = await createStudy(name, {
    [`study.${name}.emails`]: 'reader@example.org\n',
    [`${name}/pyramid.tiff`]: fixture('slidescore-test-image.tiff'),
  });
  imageId = ((await getJson<ImageRow[]>('/Api/Images', { studyid: studyId }))[0] as ImageRow).id;
});

describe('Slidescape', () => {
  it('opens an image: GetImageMetadata, GetTileServer, then a tile of every native level', async () => {
    const metadataReply = await slidescapeApi('GetImageMetadata', imageId);
    expect(metadataReply.status).toBe(200);
    const { success, metadata } = slidescapeParse(metadataReply.text);
    expect(success).toBe(true);
    expect(metadata).toEqual({
      tileWidth: 128,
      tileHeight: 128,
      osdTileSize: 128,
      levelCount: 3,
      level0Width: 501,
      level0Height: 465,
      downsamples: [1, expect.closeTo(2.004, 2), expect.closeTo(4.008, 2)],
      fileName: 'pyramid.tiff',
    });
    const server = (await slidescapeApi('GetTileServer', imageId)).json<{ cookiePart: string; urlPart: string }>();
    expect(server.cookiePart && server.urlPart).toBeTruthy();
    const maxLevel = ceilLog2(Math.max(metadata.level0Width, metadata.level0Height));
    for (const downsample of metadata.downsamples) {
      const level = maxLevel - Math.floor(Math.log2(downsample) + 0.5);
      const tile = await call('GET', `/i/${imageId}/${server.urlPart}/i_files/${level}/0_0.jpeg`, {
        token: null,
        headers: { cookie: `t=${server.cookiePart}` },
      });
      const [width, height] = await jpegSize(tile);
      expect(width).toBeLessThanOrEqual(metadata.osdTileSize);
      expect(height).toBeLessThanOrEqual(metadata.osdTileSize);
    }
  });

  it('opens a QuPath link: the metadata URL, then raw tiles clamped at each level’s edge', async () => {
    const links = (
      await call('GET', '/Api/GetQupathTokensForStudy', { query: { studyId, email: 'reader@example.org' } })
    ).json<{ url: string }[]>();
    const url = new URL((links[0] as { url: string }).url);
    const base = url.pathname.slice(0, url.pathname.indexOf('SlideScoreMetadata.json'));
    const reply = await call('GET', url.pathname, { token: null });
    const { metadata } = slidescapeParse(reply.text);
    expect(metadata.level0Width).toBe(501);
    // slide_score_build_qupath_tile_path: level-0 origin, size clamped to the level.
    const levelSizes = [
      [501, 465],
      [250, 232],
      [125, 116],
    ];
    for (const [level, downsample] of metadata.downsamples.entries()) {
      const [levelWidth, levelHeight] = levelSizes[level] as [number, number];
      const tw = metadata.tileWidth;
      const [tileX, tileY] = [Math.floor((levelWidth - 1) / tw), Math.floor((levelHeight - 1) / tw)]; // the corner tile
      const sourceX = Math.floor(tileX * tw * downsample + 0.5);
      const sourceY = Math.floor(tileY * tw * downsample + 0.5);
      const width = Math.min(Math.max(levelWidth - tileX * tw, 0), tw);
      const height = Math.min(Math.max(levelHeight - tileY * tw, 0), tw);
      const tile = await call('GET', `${base}raw/${level}/${sourceX}_${sourceY}/${width}_${height}.jpeg`, {
        token: null,
      });
      expect(await jpegSize(tile)).toEqual([width, height]);
    }
  });
});
