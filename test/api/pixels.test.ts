import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, createToken, type Reply } from '../support/http-client.js';
import { createStudy, FIXTURES, fixture, getJson, type ImageRow, uniqueStudyName } from '../support/studies.js';

/** The pixel endpoints over HTTP, as the SDK, Slidescape and OpenSeadragon call them (docs/pixels.md). */
const reference = JSON.parse(
  readFileSync(join(FIXTURES, 'reference', 'CMU-1-Small-Region.svs', 'properties.json'), 'utf8'),
) as { dimensions: [number, number]; 'mpp-x': string; 'mpp-y': string; 'objective-power': string };

let studyId: number;
let cmu: number;
let small: number;
let plain: number;
let otherStudyImage: number;
let corrupt: number;
let unopenable: number;

interface TileServer {
  cookiePart: string;
  urlPart: string;
  expiresOn: string;
}

beforeAll(async () => {
  const name = uniqueStudyName('pixels');
  studyId = await createStudy(name, {
    [`study.${name}.emails`]: 'x@example.org\n',
    [`${name}/CMU-1-Small-Region.svs`]: fixture('CMU-1-Small-Region.svs'),
    [`${name}/small.tiff`]: fixture('slidescore-test-image.tiff'),
    [`${name}/plain.jpg`]: fixture('plain-1280x960.jpg'),
    [`${name}/corrupt-tiles.svs`]: fixture('corrupt-tiles.svs'),
    [`${name}/unopenable.tiff`]: fixture('openslide-unopenable.tiff'),
  });
  const images = await getJson<ImageRow[]>('/Api/Images', { studyid: studyId });
  const id = (file: string) => (images.find((i) => i.fileName === file) as ImageRow).id;
  [cmu, small, plain] = [id('CMU-1-Small-Region.svs'), id('small.tiff'), id('plain.jpg')];
  [corrupt, unopenable] = [id('corrupt-tiles.svs'), id('unopenable.tiff')];
  const other = uniqueStudyName('pixels-other');
  const otherId = await createStudy(other, {
    [`study.${other}.emails`]: 'x@example.org\n',
    [`${other}/small.tiff`]: fixture('slidescore-test-image.tiff'),
  });
  otherStudyImage = ((await getJson<ImageRow[]>('/Api/Images', { studyid: otherId }))[0] as ImageRow).id;
});

const tileServer = async (imageId: number, token?: string) =>
  (await call('GET', '/Api/GetTileServer', { query: { imageId }, token })).json<TileServer>();
const tile = (imageId: number, server: TileServer, path: string, cookie: string | null = server.cookiePart) =>
  call('GET', `/i/${imageId}/${server.urlPart}/${path}`, {
    token: null,
    headers: cookie === null ? {} : { cookie: `t=${cookie}` },
  });
const isJpeg = (reply: Reply) => reply.body[0] === 0xff && reply.body[1] === 0xd8 && reply.body[2] === 0xff;

describe('GetImageMetadata', () => {
  it('answers every key with OpenSlide’s values, numbers never null', async () => {
    for (const key of ['imageid', 'imageId']) {
      const reply = await call('GET', '/Api/GetImageMetadata', { form: { [key]: cmu } });
      const body = reply.json<{ success: boolean; metadata: Record<string, unknown> }>();
      expect(body.success).toBe(true);
      expect(body.metadata).toMatchObject({
        level0Width: reference.dimensions[0],
        level0Height: reference.dimensions[1],
        level0TileWidth: 240,
        level0TileHeight: 240,
        osdTileSize: 240,
        mppX: Number(reference['mpp-x']),
        mppY: Number(reference['mpp-y']),
        objectivePower: Number(reference['objective-power']),
        levelCount: 1,
        levelWidths: [2220],
        levelHeights: [2967],
        downsamples: [1],
        fileName: 'CMU-1-Small-Region.svs',
      });
    }
  });

  it('answers an untiled image once its pyramid is derived, and hides other studies’ images', async () => {
    let metadata: Record<string, unknown> | undefined;
    for (let attempt = 0; attempt < 50 && !metadata; attempt++) {
      const body = (await call('GET', '/Api/GetImageMetadata', { form: { imageId: plain } })).json<{
        success: boolean;
        metadata?: Record<string, unknown>;
      }>();
      if (body.success) metadata = body.metadata;
      else await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(metadata).toMatchObject({ level0Width: 1280, level0Height: 960, osdTileSize: 256, mppX: 0 });
    const limited = await createToken({ capabilities: 'CanGetPixels', studies: String(studyId) });
    const hidden = await call('GET', '/Api/GetImageMetadata', { form: { imageId: otherStudyImage }, token: limited });
    expect(hidden.text).toBe(`{"success":false,"log":"No image ${otherStudyImage}"}`);
  });
});

describe('GetTileServer and DeepZoom tiles', () => {
  it('gives a credential whose tiles are JPEGs at both URL forms, with caching headers', async () => {
    const server = await tileServer(cmu);
    expect(Object.keys(server).sort()).toEqual(['cookiePart', 'expiresOn', 'urlPart']);
    expect(server.expiresOn).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    // maxLevel = ceil(log2(2967)) = 12: full resolution, 10 × 13 tiles of 240.
    for (const files of ['i_files', '_files']) {
      const reply = await tile(cmu, server, `${files}/12/0_0.jpeg`);
      expect(reply.status).toBe(200);
      expect(isJpeg(reply)).toBe(true);
      expect(reply.headers['cache-control']).toMatch(/^private, max-age=\d+$/);
      expect(reply.headers.etag).toBeDefined();
    }
    const edge = await sharp((await tile(cmu, server, 'i_files/12/9_12.jpeg')).body).metadata();
    expect([edge.width, edge.height]).toEqual([2220 - 9 * 240, 2967 - 12 * 240]);
    const top = await sharp((await tile(cmu, server, 'i_files/0/0_0.jpeg')).body).metadata();
    expect([top.width, top.height]).toEqual([1, 1]);
    const same = await call('GET', '/Api/GetTile', { form: { imageId: cmu, level: 12, x: 0, y: 0 } });
    expect(same.body.equals((await tile(cmu, server, 'i_files/12/0_0.jpeg')).body)).toBe(true);
    const dzi = await tile(cmu, server, 'i.dzi');
    expect(dzi.text).toContain('TileSize="240"');
    expect(dzi.text).toContain('<Size Width="2220" Height="2967"/>');
  });

  it('refuses tiles out of range, without the cookie, for another image, and 503 once expired', async () => {
    const server = await tileServer(cmu);
    expect((await tile(cmu, server, 'i_files/12/10_13.jpeg')).status).toBe(404);
    expect((await tile(cmu, server, 'i_files/13/0_0.jpeg')).status).toBe(404);
    expect((await tile(cmu, server, 'i_files/12/0_0.jpeg', null)).status).toBe(403);
    expect((await tile(cmu, server, 'i_files/12/0_0.jpeg', 'wrong')).status).toBe(403);
    expect((await tile(small, server, 'i_files/8/0_0.jpeg')).status).toBe(403);
    const shortLived = await createToken({
      capabilities: 'CanGetPixels',
      expiresOn: new Date(Date.now() + 2500).toISOString(),
    });
    const expiring = await tileServer(cmu, shortLived);
    expect(Date.parse(expiring.expiresOn)).toBeLessThanOrEqual(Date.now() + 2500);
    expect((await tile(cmu, expiring, 'i_files/12/0_0.jpeg')).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect((await tile(cmu, expiring, 'i_files/12/0_0.jpeg')).status).toBe(503);
  });

  it('refuses GetTileServer for an image of another study as for one that does not exist', async () => {
    const limited = await createToken({ capabilities: 'CanGetPixels', studies: String(studyId) });
    const hidden = await call('GET', '/Api/GetTileServer', { query: { imageId: otherStudyImage }, token: limited });
    const absent = await call('GET', '/Api/GetTileServer', { query: { imageId: 987_654_321 }, token: limited });
    expect([hidden.status, absent.status]).toEqual([404, 404]);
    expect(hidden.text.replace(String(otherStudyImage), 'N')).toBe(absent.text.replace('987654321', 'N'));
  });
});

describe('bad slides', () => {
  it('names the file when it cannot be opened', async () => {
    const body = (await call('GET', '/Api/GetImageMetadata', { form: { imageId: unopenable } })).json<{
      success: boolean;
      log: string;
    }>();
    expect(body.success).toBe(false);
    expect(body.log).toMatch(/unopenable\.tiff.*compression/);
    expect((await call('GET', '/Api/GetTileServer', { query: { imageId: unopenable } })).status).toBe(400);
  });

  it('shows a corrupt tile as background in DeepZoom and refuses it in GetRawTile', async () => {
    const server = await tileServer(corrupt);
    // Level-0 tiles 104–154 are corrupt: tile 104 is column 8, row 4 of a 24-column grid (6000 px, 256 tiles).
    const reply = await tile(corrupt, server, 'i_files/13/8_4.jpeg');
    expect(reply.status).toBe(200);
    expect(reply.headers['cache-control']).toBe('no-store');
    const { data } = await sharp(reply.body).raw().toBuffer({ resolveWithObject: true });
    expect(data[0]).toBeGreaterThan(240);
    const form = { studyid: studyId, imageId: corrupt, level: 0, x: 8 * 256, y: 4 * 256, width: 64, height: 64 };
    const raw = await call('GET', '/Api/GetRawTile', { form });
    expect(raw.status).toBe(400);
    expect(raw.json<{ log: string }>().log).toMatch(/corrupt-tiles\.svs: level 0 tile 104/);
  });
});

describe('GetRawTile', () => {
  it('answers exactly width × height with a JFIF header, background outside the slide', async () => {
    const form = { studyid: studyId, imageId: cmu, level: 0, x: 50, y: 50, width: 250, height: 250, jpegQuality: 9 };
    const reply = await call('GET', '/Api/GetRawTile', { form });
    expect(reply.status).toBe(200);
    expect(reply.body.subarray(0, 20).includes(Buffer.from('JFIF'))).toBe(true);
    expect(await sharp(reply.body).metadata()).toMatchObject({ width: 250, height: 250 });
    const outside = await call('GET', '/Api/GetRawTile', { form: { ...form, x: 2100, y: 2900, jpegQuality: 90 } });
    const { data, info } = await sharp(outside.body).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([250, 250]);
    const corner = (info.width * (info.height - 1) + info.width - 1) * info.channels;
    expect(data[corner]).toBeGreaterThan(240); // white background beyond the slide's corner
  });

  it('refuses bad levels and sizes with 400 and a JSON reason', async () => {
    const form = { studyid: studyId, imageId: cmu, level: 5, x: 0, y: 0, width: 10, height: 10, jpegQuality: 80 };
    const badLevel = await call('GET', '/Api/GetRawTile', { form });
    expect([badLevel.status, badLevel.json()]).toEqual([
      400,
      { success: false, log: "level must be 0 to 0 (the slide's native levels)" },
    ]);
    expect((await call('GET', '/Api/GetRawTile', { form: { ...form, level: 0, width: 100_000 } })).status).toBe(400);
  });
});

describe('DownloadSlide', () => {
  it('sends the original bytes under their name, and byte ranges', async () => {
    const original = fixture('CMU-1-Small-Region.svs');
    const reply = await call('GET', '/Api/DownloadSlide', { form: { studyid: studyId, imageid: cmu } });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-disposition']).toContain('attachment; filename="CMU-1-Small-Region.svs"');
    expect(reply.body.equals(original)).toBe(true);
    const part = await call('GET', '/Api/DownloadSlide', {
      form: { studyid: studyId, imageid: cmu },
      headers: { range: 'bytes=100-199' },
    });
    expect(part.status).toBe(206);
    expect(part.body.equals(original.subarray(100, 200))).toBe(true);
  });

  it('needs CanDownloadSlides', async () => {
    const reader = await createToken({ capabilities: 'CanGetPixels' });
    const reply = await call('GET', '/Api/DownloadSlide', { form: { studyid: studyId, imageid: cmu }, token: reader });
    expect(reply.status).toBe(403);
  });
});
