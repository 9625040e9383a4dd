import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { Caller } from '../../functions/auth/caller.js';
import { SlideTokenService } from '../../functions/auth/slide-tokens.js';
import { TokenService } from '../../functions/auth/token-service.js';
import { DynamoTokenStore } from '../../functions/storage/dynamo-token-store.js';
import { call, createToken } from '../support/http-client.js';
import { QupathSlide } from '../support/qupath-client.js';
import { testStores } from '../support/stores.js';
import { createStudy, FIXTURES, fixture, getJson, type ImageRow, uniqueStudyName } from '../support/studies.js';

/**
 * QuPath's Slide Score extension against this server (docs/clients.md): per-slide links from
 * GetQupathTokensForStudy, then the extension's own requests, replayed by test/support/qupath-client.ts.
 */
const SCORER = 'scorer@example.org';
const ROWS = 4;
const COLS = 6;

let name: string;
let studyId: number;
let slideId: number;
let tmaId: number;
let links: Map<number, string>;

interface Link {
  imageID: number;
  imageName: string;
  url: string;
}

/** A 4×6 map: sample IDs S<row><col>, and one empty position (row 3, column 0). */
function mapFile(): string {
  const rows = Array.from({ length: ROWS }, (_, r) =>
    Array.from({ length: COLS }, (_, c) => (r === 3 && c === 0 ? 'none' : `S${r}${c}`)).join('\t'),
  );
  return `ignore: none\n\n${rows.join('\n')}\n`;
}

const qupathLinks = async (form: Record<string, string | number>, token?: string) =>
  call('GET', '/Api/GetQupathTokensForStudy', { form, token });

beforeAll(async () => {
  name = uniqueStudyName('qupath');
  studyId = await createStudy(name, {
    [`study.${name}.emails`]: `${SCORER};canscore\nviewer@example.org;viewonly\n`,
    [`study.${name}.scores`]: 'Tumour\tAnnoShapes\t#00ff00\nGrade\tDropDown\tLow;;High\n',
    [`study.${name}.images`]: `${name}/slide.tiff\n${name}/tma.svs;${name}/tma-map.txt;90;TMA block\n`,
    [`${name}/slide.tiff`]: fixture('slidescore-test-image.tiff'),
    [`${name}/tma.svs`]: fixture('CMU-1-Small-Region.svs'),
    [`${name}/tma-map.txt`]: mapFile(),
  });
  const images = await getJson<ImageRow[]>('/Api/Images', { studyid: studyId });
  slideId = (images.find((i) => i.fileName === 'slide.tiff') as ImageRow).id;
  tmaId = (images.find((i) => i.fileName === 'tma.svs') as ImageRow).id;
  const reply = await qupathLinks({ studyId, email: SCORER });
  expect(reply.status).toBe(200);
  links = new Map(reply.json<Link[]>().map((l) => [l.imageID, l.url]));
});

describe('GetQupathTokensForStudy', () => {
  it('answers one link per slide, {server}/i/{imageId}/{token}/SlideScoreMetadata.json', async () => {
    const reply = await qupathLinks({ studyId, email: 'SCORER@example.org' });
    const list = reply.json<Link[]>();
    expect(list.map((l) => [l.imageID, l.imageName])).toEqual([
      [slideId, 'slide'],
      [tmaId, 'TMA block'],
    ]);
    for (const link of list) {
      expect(link.url).toMatch(
        new RegExp(`^${inject('baseUrl').replace(/\/$/, '')}/i/${link.imageID}/[\\w.-]+/SlideScoreMetadata\\.json$`),
      );
    }
  });

  it('lists each token in /Admin/Tokens, one image and one user, expiring within a year', async () => {
    const tokens = (await call('GET', '/Admin/Tokens')).json<{
      tokens: { name: string; expiresOn: string; studies: number[]; slide?: { imageId: number; email: string } }[];
    }>().tokens;
    const mine = tokens.filter((t) => t.slide?.imageId === tmaId);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine[0]).toMatchObject({ studies: [studyId], slide: { imageId: tmaId, email: SCORER } });
    expect(Date.parse(mine[0]?.expiresOn ?? '')).toBeLessThanOrEqual(Date.now() + 366 * 86_400_000);
  });

  it('refuses, in the data form: missing parameters and non-scorers 400, capabilities and studies 403', async () => {
    const missing = await qupathLinks({ studyId });
    expect([missing.status, missing.json()]).toEqual([400, { success: false, log: 'Missing parameter email' }]);
    const viewer = await qupathLinks({ studyId, email: 'viewer@example.org' });
    expect(viewer.status).toBe(400);
    expect(viewer.json<{ log: string }>().log).toMatch(/no user of study .* who may score/);
    const pixelsOnly = await createToken({ capabilities: 'CanGetPixels,CanGetResults' });
    const lacking = await qupathLinks({ studyId, email: SCORER }, pixelsOnly);
    expect([lacking.status, lacking.json()]).toEqual([
      403,
      { success: false, log: 'This API token lacks the CanUploadScores capability' },
    ]);
    const other = await createToken({ capabilities: 'CanGetPixels,CanGetResults,CanUploadScores', studies: '999999' });
    expect((await qupathLinks({ studyId, email: SCORER }, other)).status).toBe(403);
  });
});

describe('the extension, replayed', () => {
  it('opens a slide and reads a region at each level, exactly w×h with background outside', async () => {
    const slide = new QupathSlide(links.get(slideId) as string);
    const image = await slide.open();
    expect(image).toMatchObject({ width: 501, height: 465, name: 'slide.tiff', tileWidth: 128, tileHeight: 128 });
    expect(image.levels).toEqual([
      { width: 501, height: 465 },
      { width: 250, height: 232 },
      { width: 125, height: 116 },
    ]);
    const reference = join(FIXTURES, 'reference', 'slidescore-test-image.tiff');
    for (const [level, x, y, png] of [
      [0, 100, 132, 'region_L0_100_132_300x200.png'],
      [1, 0, 0, undefined],
      [2, 0, 0, 'region_L2_0_0_300x200.png'],
    ] as const) {
      const tile = await slide.readTile(level, x, y, 300, 200);
      expect([tile.width, tile.height, tile.contentType]).toEqual([300, 200, 'image/jpeg']);
      if (png) {
        // OpenSlide's RGBA region: compare where it is opaque (outside the slide it is transparent, ours background).
        const expected = await sharp(await readFile(join(reference, png)))
          .ensureAlpha()
          .raw()
          .toBuffer();
        let [total, count] = [0, 0];
        for (let p = 0; p < 300 * 200; p++) {
          if (expected[p * 4 + 3] !== 255) continue;
          for (let k = 0; k < 3; k++)
            total += Math.abs((expected[p * 4 + k] as number) - (tile.data[p * 3 + k] as number));
          count += 3;
        }
        expect(count).toBeGreaterThan(0);
        expect(total / count).toBeLessThan(6); // JPEG of the same pixels
      }
    }
    // A tile past the slide's edge (QuPath asks for whole tiles) is still exactly the size asked, background outside.
    const edge = await slide.readTile(2, 256, 256, 128, 128);
    expect([edge.width, edge.height]).toEqual([128, 128]);
    expect(edge.data[(128 * 127 + 127) * edge.channels]).toBeGreaterThan(240);
  });

  it('imports the TMA cores of a 4×6 map on a slide rotated by 90°, then uploads a TMA answer', async () => {
    const slide = new QupathSlide(links.get(tmaId) as string);
    const image = await slide.open();
    const grid = await slide.importTmas();
    if (!grid) throw new Error('no TMA grid');
    // Turned by 90°: QuPath's grid has the map's 4 rows as columns and its 6 columns as rows.
    expect([grid.width, grid.height]).toEqual([ROWS, COLS]);
    for (let r = 0; r < grid.height; r++) {
      for (let c = 0; c < grid.width; c++) {
        const core = grid.core(r, c);
        const [mapRow, mapCol] = [c, COLS - 1 - r];
        expect(core.name).toBe(mapRow === 3 && mapCol === 0 ? '' : `S${mapRow}${mapCol}`);
        expect(core.missing).toBe(mapRow === 3 && mapCol === 0);
        if (core.missing) continue;
        // The grid QuPath builds is the grid on the slide: columns left to right, rows top to bottom, inside it.
        const [cellW, cellH] = [image.width / ROWS, image.height / COLS];
        expect(Math.abs(core.x - (c + 0.5) * cellW)).toBeLessThanOrEqual(1);
        expect(Math.abs(core.y - (r + 0.5) * cellH)).toBeLessThanOrEqual(1);
      }
    }
    // A polygon inside QuPath's core at grid row 0, column 1 is map row 1, column 5 (S15).
    const core = grid.core(0, 1);
    const polygon = [
      { x: core.x - 5, y: core.y - 5 },
      { x: core.x + 5, y: core.y - 5 },
      { x: core.x, y: core.y + 5 },
    ];
    const posted = await slide.submitAnnotations([{ kind: 'polygon', points: polygon }], 'Tumour', grid);
    expect(posted.status).toBe(200);
    const scores = await getJson<
      {
        imageID: number;
        tmaRow: number;
        tmaCol: number;
        tmaSampleID: string;
        user: string;
        question: string;
        answer: string;
      }[]
    >('/Api/Scores', { studyId, imageId: tmaId, question: 'Tumour' });
    expect(scores).toHaveLength(1);
    expect(scores[0]).toMatchObject({ tmaRow: 1, tmaCol: 5, tmaSampleID: 'S15', user: SCORER });
    expect(JSON.parse(scores[0]?.answer ?? '')).toEqual([{ type: 'polygon', points: polygon }]);
  });

  it('uploads a polygon for the whole slide, finds it in Scores and imports it back', async () => {
    const slide = new QupathSlide(links.get(slideId) as string);
    await slide.open();
    expect(await slide.getAnnotationShapeQuestions()).toEqual(['Tumour']);
    expect(await slide.getAnnotationQuestions()).toEqual(['Tumour']);
    const polygon = [
      { x: 10, y: 10 },
      { x: 200, y: 15 },
      { x: 120, y: 300 },
    ];
    const reply = await slide.submitAnnotations([{ kind: 'polygon', points: polygon }], 'Tumour');
    expect([reply.status, reply.json()]).toEqual([200, { success: true, saved: 1 }]);
    const scores = await getJson<
      { imageID: number; user: string; question: string; answer: string; tmaRow?: number }[]
    >('/Api/Scores', { studyId, imageId: slideId });
    expect(scores.map((s) => [s.imageID, s.user, s.question, s.tmaRow])).toEqual([
      [slideId, SCORER, 'Tumour', undefined],
    ]);
    // A plain answer too, as submitSlideAnswer posts it.
    expect((await slide.postAnnotation('Grade', 'High')).status).toBe(200);
    const imported = await slide.importAnswers('Tumour', SCORER);
    expect(imported).toHaveLength(1);
    expect(imported[0]?.answer.color).toBe(0x00ff00);
    expect(imported[0]?.annotations).toEqual([{ type: 'polygon', points: polygon }]);
    expect((await slide.getAnswers('Grade'))[0]).toMatchObject({ email: SCORER, value: 'High' });
  });
});

describe('large annotations (over 100,000 characters)', () => {
  it('go through CreateAnno2, tus and FinishAnno2Upload, and arrive as an ordinary answer', async () => {
    const slide = new QupathSlide(links.get(slideId) as string);
    await slide.open();
    // 2,000 triangles: about 180 kB of JSON, so the extension takes its large-annotation path.
    const rois = Array.from({ length: 2000 }, (_, i) => ({
      kind: 'polygon' as const,
      points: [
        { x: 10 + i, y: 10 },
        { x: 200 + i, y: 15 },
        { x: 120 + i, y: 300 },
      ],
    }));
    const reply = await slide.submitAnnotations(rois, 'Tumour');
    expect(reply.json()).toEqual({ success: true });
    const scores = await getJson<{ user: string; answer: string }[]>('/Api/Scores', {
      studyId,
      imageId: slideId,
      question: 'Tumour',
    });
    expect(scores.map((s) => s.user)).toEqual([SCORER]);
    expect(JSON.parse(scores[0]?.answer ?? '')).toHaveLength(2000);
  });

  it('refuses in a form the extension reads: 200 with the reason in error', async () => {
    const slide = new QupathSlide(links.get(slideId) as string);
    await expect(slide.postLargeAnnotation('Grade', '[]')).rejects.toThrow(
      'Creating anno2 record failed: "Grade" is no annotation question',
    );
    await expect(slide.postLargeAnnotation('Tumour', 'not json')).rejects.toThrow(/^Completing anno2 record failed: /);
    // A link's upload token cannot be finished through another link, nor through FinishUpload.
    const url = links.get(slideId) as string;
    const created = await call('POST', url.replace('SlideScoreMetadata', 'CreateAnno2'), {
      token: null,
      form: { question: 'Tumour' },
    });
    const { uploadToken } = created.json<{ uploadToken: string }>();
    const other = links.get(tmaId) as string;
    const foreign = await call('POST', other.replace('SlideScoreMetadata', 'FinishAnno2Upload'), {
      token: null,
      form: { uploadToken, uploadId: 'a'.repeat(32) },
    });
    expect([foreign.status, foreign.json()]).toEqual([
      403,
      { success: false, log: 'The upload token was issued to another link' },
    ]);
    const viaApi = await call('POST', '/Api/FinishUpload', { form: { id: 'a'.repeat(32), token: uploadToken } });
    expect(viaApi.status).toBe(403); // the link's upload token is no API token's
  });
});

describe('per-slide URL refusals', () => {
  it('refuses a link for another image, a forged link and a bad region with 403, 403 and 404', async () => {
    const url = links.get(slideId) as string;
    const token = url.split('/').at(-2) as string;
    const foreign = await call('GET', `/i/${tmaId}/${token}/SlideScoreMetadata.json`, { token: null });
    expect([foreign.status, foreign.json()]).toEqual([
      403,
      { success: false, log: `This link is not for image ${tmaId}` },
    ]);
    const forged = await call('GET', `/i/${slideId}/${token.slice(0, -2)}xx/Questions.json`, { token: null });
    expect(forged.status).toBe(403);
    const badRegion = await call('GET', `/i/${slideId}/${token}/raw/0/a_b/10_10.jpeg`, { token: null });
    expect(badRegion.status).toBe(404);
    const badLevel = await call('GET', `/i/${slideId}/${token}/raw/9/0_0/10_10.jpeg`, { token: null });
    expect(badLevel.status).toBe(400);
  });

  it('refuses bad answers with 400 and the reason, saving nothing', async () => {
    const slide = new QupathSlide(links.get(tmaId) as string);
    const unknown = await slide.postAnnotation('Nope', '[]');
    expect([unknown.status, unknown.json()]).toEqual([
      400,
      { success: false, log: 'The study has no question "Nope"' },
    ]);
    const badShape = await slide.postAnnotation('Tumour', '[{"type":"polygon","points":"x"}]');
    expect(badShape.status).toBe(400);
    const noCore = await slide.postAnnotation('Tumour', 'TMAs:\n3,0\n[{"x":1,"y":2}]');
    expect(noCore.json()).toEqual({
      success: false,
      log: `The TMA map ${name}/tma-map.txt has no core at row 3, column 0`,
    });
    const plain = new QupathSlide(links.get(slideId) as string);
    expect((await plain.postAnnotation('Tumour', 'TMAs:\n0,0\n[]')).status).toBe(400);
  });

  it('answers 503 for an expired link, and for one whose maker was given up', async () => {
    // An expired link cannot be asked for: make one with this deployment's key, a year and more ago.
    const stores = testStores();
    try {
      const key = new TextEncoder().encode((await readFile(`${inject('dataDir')}/signing-key`, 'utf8')).trim());
      const store = new DynamoTokenStore(stores.dynamo, stores.config.tables.tokens);
      const past = () => new Date(Date.now() - 400 * 86_400_000);
      const service = new SlideTokenService({
        store,
        tokens: new TokenService(store, async () => key, 'slidescore-local', past),
        signingKey: async () => key,
        now: past,
      });
      const maker = new Caller({
        id: 'test-maker',
        name: 'x',
        capabilities: [],
        studies: 'all',
        expiresOn: new Date(Date.now() + 86_400_000),
      });
      const { token } = await service.create(maker, { studyId, imageId: slideId, imageName: 'slide', email: SCORER });
      const expired = new QupathSlide(
        `${inject('baseUrl').replace(/\/$/, '')}/i/${slideId}/${token}/SlideScoreMetadata.json`,
      );
      await expect(expired.open()).rejects.toThrow('503');
    } finally {
      stores.close();
    }
    const maker = await createToken({ capabilities: 'CanGetPixels,CanGetResults,CanUploadScores' });
    const list = (await qupathLinks({ studyId, email: SCORER }, maker)).json<Link[]>();
    expect((await call('POST', '/Api/GiveUpToken', { token: maker })).status).toBe(200);
    const reply = await call('GET', (list[0] as Link).url, { token: null });
    expect(reply.status).toBe(503);
  });

  it('serves /Studies/RenewProject as a page', async () => {
    const reply = await call('GET', '/Studies/RenewProject', { token: null, headers: { accept: 'text/html' } });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toContain('text/html');
    expect(reply.text).toContain('GetQupathTokensForStudy');
  });
});

describe('UpdateTMACoreSize', () => {
  it('sets the core diameter TMAPositions.json reports, and 0 takes it back', async () => {
    const slide = new QupathSlide(links.get(tmaId) as string);
    const before = await slide.getTmaPositions();
    // By default 80% of the smaller cell of the even grid (2220 / 4 and 2967 / 6 pixels of 0.499 µm).
    const mpp = 0.499;
    expect(before.coreRadiusUM).toBeCloseTo(0.8 * (2967 / 6) * mpp, 0);
    expect(before.rotate).toBe(90);
    expect(before.cores.map((c) => [c.row, c.col])).toEqual(
      Array.from({ length: ROWS * COLS }, (_, i) => [Math.floor(i / COLS), i % COLS]),
    );
    const set = await call('POST', '/Api/UpdateTMACoreSize', {
      form: { studyId, imageId: tmaId, coreDiameterUm: 600 },
    });
    expect(set.json()).toEqual({ success: true });
    expect((await slide.getTmaPositions()).coreRadiusUM).toBe(600);
    await slide.open();
    expect((await slide.importTmas())?.core(0, 0).diameter).toBe(Math.trunc(600 / mpp));
    const byName = await call('POST', '/Api/UpdateTMACoreSize', {
      form: { studyId, tmaMapName: `${name}/tma-map.txt`, coreDiameterUm: 0 },
    });
    expect(byName.json()).toEqual({ success: true });
    expect((await slide.getTmaPositions()).coreRadiusUM).toBe(before.coreRadiusUM);
  });

  it('refuses in the success form: 200 with success false', async () => {
    const forms: Record<string, string | number>[] = [
      { studyId, coreDiameterUm: 5 },
      { studyId, imageId: tmaId, coreDiameterUm: 'big' },
      { studyId, imageId: slideId, coreDiameterUm: 5 },
      { studyId, tmaMapName: 'nope', coreDiameterUm: 5 },
    ];
    for (const form of forms) {
      const reply = await call('POST', '/Api/UpdateTMACoreSize', { form });
      expect(reply.status).toBe(200);
      expect(reply.json<{ success: boolean }>().success).toBe(false);
    }
    const reader = await createToken({ capabilities: 'CanGetPixels' });
    const refused = await call('POST', '/Api/UpdateTMACoreSize', {
      form: { studyId, imageId: tmaId, coreDiameterUm: 5 },
      token: reader,
    });
    expect(refused.status).toBe(403);
  });
});
