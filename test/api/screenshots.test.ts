import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renditionKey } from '../../functions/pixels/slide-renditions.js';
import { call, createToken, type Reply } from '../support/http-client.js';
import { uploadResults } from '../support/results-client.js';
import { testStores } from '../support/stores.js';
import { createStudy, FIXTURES, fixture, getJson, type ImageRow, uniqueStudyName } from '../support/studies.js';
import { createUpload, finishUpload, sendAll } from '../support/tus-client.js';

/** GetScreenshot and GetSlideLabel over HTTP, with form bodies on GET as the Python SDK sends them. */
const SCORER = 'pathologist@example.org';
/** Answers by anno2 zip (test/fixtures/anno2), each question's colour chosen to stand out on the white corner. */
const ANNO2_USER = 'qupath@example.org';
const ANNO2_QUESTIONS = [
  'A2 points\tAnnoPoints\t#ff00ff',
  'A2 shapes\tAnnoShapes\t#00ffff',
  'A2 mask\tAnnoPoints\t#0000ff',
  'A2 heatmap\tAnnoShapes\t#00ff00',
  'A2 broken\tAnnoShapes\t#ff0000',
  'A2 gone\tAnnoShapes\t#ff0000',
].join('\n');
const stores = testStores();
let name: string;
let studyId: number;
let cmu: number;
let large: number;
let otherStudyImage: number;

beforeAll(async () => {
  name = uniqueStudyName('shots');
  studyId = await createStudy(name, {
    [`study.${name}.emails`]: `${SCORER}\n`,
    [`study.${name}.scores`]: `Tumour\tAnnoShapes\t#00ff00\nCells\tAnnoPoints\t#0000ff\nGrade\tDropDown\tLow;;High\n${ANNO2_QUESTIONS}\n`,
    [`${name}/CMU-1-Small-Region.svs`]: fixture('CMU-1-Small-Region.svs'),
    [`${name}/large.tiff`]: fixture('large-image-yb10kx5k.zstd.tiff'),
  });
  const images = await getJson<ImageRow[]>('/Api/Images', { studyid: studyId });
  const id = (file: string) => (images.find((i) => i.fileName === file) as ImageRow).id;
  [cmu, large] = [id('CMU-1-Small-Region.svs'), id('large.tiff')];
  const square = [
    { x: 500, y: 500 },
    { x: 1500, y: 500 },
    { x: 1500, y: 1500 },
    { x: 500, y: 1500 },
  ];
  const reply = await uploadResults(studyId, [
    `${cmu}\tCMU-1-Small-Region\t${SCORER}\tTumour\t${JSON.stringify([{ type: 'polygon', points: square }])}`,
    `${cmu}\tCMU-1-Small-Region\t${SCORER}\tCells\t${JSON.stringify([{ x: 1800, y: 2400 }])}`,
  ]);
  expect(reply.json()).toEqual({ success: true });
  const other = uniqueStudyName('shots-other');
  const otherId = await createStudy(other, {
    [`study.${other}.emails`]: 'x@example.org\n',
    [`${other}/small.tiff`]: fixture('slidescore-test-image.tiff'),
  });
  otherStudyImage = ((await getJson<ImageRow[]>('/Api/Images', { studyid: otherId }))[0] as ImageRow).id;
});

afterAll(() => stores.close());

const screenshot = (form: Record<string, string | number>, token?: string) =>
  call('GET', '/Api/GetScreenshot', { form, token });

async function pixels(reply: Reply) {
  expect(reply.status, reply.text.slice(0, 200)).toBe(200);
  expect(reply.headers['content-type']).toBe('image/jpeg');
  const { data, info } = await sharp(reply.body).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

type Image = Awaited<ReturnType<typeof pixels>>;
const at = (image: Image, x: number, y: number) => {
  const i = (y * image.width + x) * 3;
  return [image.data[i], image.data[i + 1], image.data[i + 2]] as [number, number, number];
};
/** Some pixel within `r` of (x, y) satisfies `test`. */
const near = (image: Image, x: number, y: number, r: number, test: (rgb: [number, number, number]) => boolean) => {
  for (let dy = -r; dy <= r; dy++)
    for (let dx = -r; dx <= r; dx++) if (test(at(image, Math.round(x) + dx, Math.round(y) + dy))) return true;
  return false;
};
const green = ([r, g, b]: [number, number, number]) => g > 180 && r < 90 && b < 90;
const blue = ([r, g, b]: [number, number, number]) => b > 180 && r < 90 && g < 90;

describe('GetScreenshot', () => {
  it('renders the whole slide at a DeepZoom level as a JPEG of the right size', async () => {
    // CMU-1-Small-Region is 2220×2967: maxLevel = ceil(log2(2967)) = 12.
    for (const key of ['imageid', 'imageId']) {
      const reply = await screenshot({ [key]: cmu, level: 11, showScalebar: 'false' });
      expect(reply.body.length).toBeGreaterThan(1024);
      const image = await pixels(reply);
      expect([image.width, image.height]).toEqual([1110, 1484]);
    }
    const quarter = await pixels(await screenshot({ imageid: cmu, level: 10 }));
    expect([quarter.width, quarter.height]).toEqual([555, 742]);
  });

  it('clamps the level to the slide’s DeepZoom levels', async () => {
    const top = await pixels(await screenshot({ imageid: cmu, level: 40, showScalebar: 'false' }));
    expect([top.width, top.height]).toEqual([2220, 2967]);
    const bottom = await pixels(await screenshot({ imageid: cmu, level: -5 }));
    expect([bottom.width, bottom.height]).toEqual([1, 1]);
  });

  it('renders a region in level-0 pixels that matches OpenSlide’s read_region', async () => {
    const reply = await screenshot({
      imageid: cmu,
      level: 12,
      x: 960,
      y: 1383,
      width: 300,
      height: 200,
      showScalebar: 'false',
    });
    expect(reply.headers['x-screenshot-source']).toBe('level 0');
    const ours = await pixels(reply);
    expect([ours.width, ours.height]).toEqual([300, 200]);
    const reference = await sharp(
      join(FIXTURES, 'reference', 'CMU-1-Small-Region.svs', 'region_L0_960_1383_300x200.png'),
    )
      .removeAlpha()
      .raw()
      .toBuffer();
    let sum = 0;
    for (let i = 0; i < reference.length; i++) sum += Math.abs((reference[i] as number) - (ours.data[i] as number));
    expect(sum / reference.length).toBeLessThan(5); // JPEG (quality 90, 4:4:4) of a detailed tissue region; the pixels read are exact
    // The same region at half scale is half the size.
    const half = await pixels(
      await screenshot({ imageid: cmu, level: 11, x: 960, y: 1383, width: 300, height: 200, showScalebar: 'false' }),
    );
    expect([half.width, half.height]).toEqual([150, 100]);
  });

  it('draws the user’s answers in their questions’ colours', async () => {
    // Level 11: half scale. The polygon's left edge is at x = 250, the point at (900, 1200).
    const both = await pixels(
      await screenshot({ imageid: cmu, level: 11, withAnnotationForUser: SCORER, showScalebar: 'false' }),
    );
    expect(near(both, 250, 500, 2, green)).toBe(true);
    expect(near(both, 500, 250, 2, green)).toBe(true);
    expect(near(both, 900, 1200, 2, blue)).toBe(true);
    expect(near(both, 500, 500, 3, green)).toBe(false); // outlines, not filled
    const plain = await pixels(await screenshot({ imageid: cmu, level: 11, showScalebar: 'false' }));
    expect(near(plain, 250, 500, 2, green)).toBe(false);
    expect(near(plain, 900, 1200, 2, blue)).toBe(false);
    const onlyCells = await pixels(
      await screenshot({
        imageid: cmu,
        level: 11,
        withAnnotationForUser: SCORER,
        question: 'Cells',
        showScalebar: 'false',
      }),
    );
    expect(near(onlyCells, 900, 1200, 2, blue)).toBe(true);
    expect(near(onlyCells, 250, 500, 2, green)).toBe(false);
    // A region: coordinates stay level-0; the point at (1800, 2400) is at (100, 100) of a region from (1700, 2300).
    const region = await pixels(
      await screenshot({
        imageid: cmu,
        level: 12,
        x: 1700,
        y: 2300,
        width: 200,
        height: 200,
        withAnnotationForUser: SCORER,
        showScalebar: 'false',
      }),
    );
    expect(near(region, 100, 100, 1, blue)).toBe(true);
  });

  it('draws a scale bar in µm unless showScalebar is false', async () => {
    const count = (image: Image, test: (rgb: [number, number, number]) => boolean) => {
      let n = 0;
      for (let y = image.height - 80; y < image.height; y++)
        for (let x = 0; x < 250; x++) if (test(at(image, x, y))) n++;
      return n;
    };
    const dark = ([r, g, b]: [number, number, number]) => r < 40 && g < 40 && b < 40;
    const white = ([r, g, b]: [number, number, number]) => r > 245 && g > 245 && b > 245;
    const region = { imageid: cmu, level: 12, x: 800, y: 1200, width: 600, height: 400 };
    const withBar = await pixels(await screenshot(region));
    const without = await pixels(await screenshot({ ...region, showScalebar: 'false' }));
    // The bar (black) on its panel (white): 600 px wide at 0.499 µm/px → a 50 µm bar of 100 px, 6 px thick.
    expect(count(withBar, dark)).toBeGreaterThan(count(without, dark) + 500);
    expect(count(withBar, white)).toBeGreaterThan(count(without, white) + 2000);
  });

  it('serves small whole-slide shots without annotations from the overview rendered on upload', async () => {
    // The pipeline runs on the commit's S3 event: give it time on a busy machine.
    let reply = await screenshot({ imageid: cmu, level: 10, showScalebar: 'false' });
    for (let attempt = 0; attempt < 50 && reply.headers['x-screenshot-source'] !== 'overview'; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      reply = await screenshot({ imageid: cmu, level: 10, showScalebar: 'false' });
    }
    expect(reply.headers['x-screenshot-source']).toBe('overview');
    const fromOverview = await pixels(reply);
    const fromSlide = await pixels(
      await screenshot({ imageid: cmu, level: 12, x: 0, y: 0, width: 2220, height: 2966, showScalebar: 'false' }),
    );
    expect(fromSlide.width).toBe(2220);
    expect(fromOverview.width).toBe(555);
    const annotated = await screenshot({ imageid: cmu, level: 10, withAnnotationForUser: SCORER });
    expect(annotated.headers['x-screenshot-source']).toBe('overview');
    const big = await screenshot({ imageid: cmu, level: 12 });
    expect(big.headers['x-screenshot-source']).toBe('level 0');
  });

  it('refuses without the capabilities, for other studies’ images, bad questions and too large shots', async () => {
    const noPixels = await createToken({ capabilities: 'CanGetResults' });
    const refused = await screenshot({ imageid: cmu, level: 10 }, noPixels);
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('CanGetPixels');

    const pixelsOnly = await createToken({ capabilities: 'CanGetPixels', studies: String(studyId) });
    expect((await screenshot({ imageid: cmu, level: 10 }, pixelsOnly)).status).toBe(200);
    const noResults = await screenshot({ imageid: cmu, level: 10, withAnnotationForUser: SCORER }, pixelsOnly);
    expect(noResults.status).toBe(403);
    expect(noResults.text).toContain('CanGetResults');

    const hidden = await screenshot({ imageid: otherStudyImage, level: 10 }, pixelsOnly);
    expect(hidden.status).toBe(404);
    expect(hidden.text).toContain(`No image ${otherStudyImage}`);

    const unknown = await screenshot({ imageid: cmu, level: 10, withAnnotationForUser: SCORER, question: 'Nope' });
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain('No question Nope');
    const notAnnotation = await screenshot({
      imageid: cmu,
      level: 10,
      withAnnotationForUser: SCORER,
      question: 'Grade',
    });
    expect(notAnnotation.status).toBe(400);

    // 10000×5000 at full scale is 50 M pixels, over the 40 M allowed; one level down is fine.
    const tooLarge = await screenshot({ imageid: large, level: 14 });
    expect(tooLarge.status).toBe(400);
    expect(tooLarge.text).toContain('larger than');
    const fine = await pixels(await screenshot({ imageid: large, level: 13, showScalebar: 'false' }));
    expect([fine.width, fine.height]).toEqual([5000, 2500]);
    const outside = await screenshot({ imageid: cmu, x: 5000, y: 5000, width: 10, height: 10 });
    expect(outside.status).toBe(400);
  });
});

/** CreateAnno2 → tus → FinishUpload, as the SDK's upload_using_token; returns the UUID. */
async function uploadAnno2(question: string, zip: Buffer): Promise<string> {
  const created = await call('POST', '/Api/CreateAnno2', {
    form: { studyid: studyId, imageId: cmu, question, email: ANNO2_USER },
  });
  const { uploadToken, annoUUID } = created.json<{ uploadToken: string; annoUUID: string }>();
  const id = await createUpload(zip.length, uploadToken);
  await sendAll(id, zip);
  expect(await finishUpload(id, uploadToken)).toBe('"OK"');
  return annoUUID;
}

const anno2Zip = (file: string) => readFileSync(join(FIXTURES, '..', 'anno2', file));

describe('GetScreenshot with anno2 answers', () => {
  // The slide's top-left corner is white glass: 400 × 400 at full scale (level 12).
  const corner = { imageid: 0, level: 12, x: 0, y: 0, width: 400, height: 400, showScalebar: 'false' };
  let plain: Image;
  beforeAll(async () => {
    corner.imageid = cmu;
    await uploadAnno2('A2 points', anno2Zip('points.zip')); // (10, 10), (15, 15), (20, 20)
    await uploadAnno2('A2 shapes', anno2Zip('polygons.zip')); // polygon (132, 110)…(300, 253); brush 1000…1700, hole 1200…1400
    await uploadAnno2('A2 mask', anno2Zip('mask.zip')); // 96 × 96 at (200, 200), the middle 48 × 48 clear
    await uploadAnno2('A2 heatmap', anno2Zip('heatmap.zip')); // 4 × 4 cells of 16 px at (128, 32): 255 top left, 1 bottom right
    const broken = await uploadAnno2('A2 broken', anno2Zip('points.zip'));
    const gone = await uploadAnno2('A2 gone', anno2Zip('points.zip'));
    const key = (uuid: string) => ({ Bucket: stores.config.bucket, Key: `anno2/${uuid}.zip` });
    await stores.s3.send(new PutObjectCommand({ ...key(broken), Body: Buffer.from('PK not a zip at all') }));
    await stores.s3.send(new DeleteObjectCommand(key(gone)));
    plain = await pixels(await screenshot(corner));
  });

  const shot = async (question?: string, region: Record<string, string | number> = corner) =>
    pixels(
      await screenshot({
        ...region,
        withAnnotationForUser: ANNO2_USER,
        ...(question === undefined ? {} : { question }),
      }),
    );

  it('draws anno2 points and polygon outlines in the question’s colour', async () => {
    const magenta = ([r, g, b]: [number, number, number]) => r > 180 && b > 180 && g < 90;
    const cyan = ([r, g, b]: [number, number, number]) => g > 180 && b > 180 && r < 90;
    const points = await shot('A2 points');
    for (const p of [10, 15, 20]) expect(near(points, p, p, 1, magenta)).toBe(true);
    expect(near(points, 100, 100, 3, magenta)).toBe(false);
    const shapes = await shot('A2 shapes');
    expect(near(shapes, 215, 108, 2, cyan)).toBe(true); // the polygon's top edge
    expect(near(shapes, 131, 180, 3, cyan)).toBe(true); // its left edge
    expect(near(shapes, 215, 180, 3, cyan)).toBe(false); // outlined, not filled
    expect(near(plain, 215, 108, 2, cyan)).toBe(false);
  });

  it('fills an anno2 brush with its hole cut out', async () => {
    // Half scale over (900, 900)–(1800, 1800): the brush spans 1000…1700 (filled at 30 %), the hole 1200…1400.
    const region = { imageid: cmu, level: 11, x: 900, y: 900, width: 900, height: 900, showScalebar: 'false' };
    const drawn = await shot('A2 shapes', region);
    const bare = await pixels(await screenshot(region));
    const redDrop = (x: number, y: number) => (at(bare, x, y)[0] as number) - (at(drawn, x, y)[0] as number);
    // Cyan at 30 % takes about 30 % of the red away where filled; nothing in the hole or outside.
    expect(redDrop(100, 100)).toBeGreaterThan(25); // (1100, 1100)
    expect(redDrop(300, 200)).toBeGreaterThan(25); // (1500, 1300)
    expect(Math.abs(redDrop(200, 180))).toBeLessThan(12); // (1300, 1260): in the hole
    expect(Math.abs(redDrop(420, 420))).toBeLessThan(12); // (1740, 1740): outside
  });

  it('fills an anno2 mask’s bitmap, its clear middle left clear', async () => {
    const mask = await shot('A2 mask');
    const blueShift = (image: Image, x: number, y: number) => {
      const [r, , b] = at(image, x, y);
      return b - r;
    };
    for (const [x, y] of [
      [205, 205],
      [290, 250],
      [250, 290],
      [210, 260],
    ] as const) {
      expect(blueShift(mask, x, y)).toBeGreaterThan(80); // blue at 50 % over white: about (128, 128, 255)
      expect(blueShift(plain, x, y)).toBeLessThan(30);
    }
    expect(blueShift(mask, 248, 248)).toBeLessThan(30); // the clear middle (224…272)
    expect(blueShift(mask, 310, 310)).toBeLessThan(30); // outside
    expect(blueShift(mask, 195, 250)).toBeLessThan(30);
  });

  it('colours an anno2 heatmap blue → red by value', async () => {
    const heat = await shot('A2 heatmap');
    const [r1, g1, b1] = at(heat, 136, 40); // value 255: red at 50 %
    expect(r1 - b1).toBeGreaterThan(80);
    expect(r1 - g1).toBeGreaterThan(80);
    const [r2, , b2] = at(heat, 184, 88); // value 1: blue at 50 %
    expect(b2 - r2).toBeGreaterThan(80);
    const [r3, g3, b3] = at(heat, 200, 40); // beyond the heatmap
    expect(Math.max(r3, g3, b3) - Math.min(r3, g3, b3)).toBeLessThan(30);
  });

  it('skips an anno2 whose zip is damaged or missing, and draws the rest', async () => {
    const all = await shot();
    const magenta = ([r, g, b]: [number, number, number]) => r > 180 && b > 180 && g < 90;
    expect(near(all, 15, 15, 1, magenta)).toBe(true);
    expect(at(all, 205, 205)[2] - at(all, 205, 205)[0]).toBeGreaterThan(80);
    for (const question of ['A2 broken', 'A2 gone']) {
      const reply = await screenshot({ ...corner, withAnnotationForUser: ANNO2_USER, question });
      const image = await pixels(reply);
      let most = 0;
      for (let i = 0; i < image.data.length; i++)
        most = Math.max(most, Math.abs((image.data[i] as number) - (plain.data[i] as number)));
      expect(most, question).toBeLessThan(40); // nothing drawn: the plain shot, give or take JPEG
    }
  });
});

describe('Rendering on upload', () => {
  it('stores the overview, label and macro of a committed slide', async () => {
    const file = await stores.files.stat(`${name}/CMU-1-Small-Region.svs`);
    expect(file).toBeDefined();
    const uploadId = (file as { uploadId: string }).uploadId;
    const read = async (what: string) => {
      for (let attempt = 0; attempt < 50; attempt++) {
        try {
          const object = await stores.s3.send(
            new (await import('@aws-sdk/client-s3')).GetObjectCommand({
              Bucket: stores.config.bucket,
              Key: renditionKey(uploadId, what),
            }),
          );
          return Buffer.from(
            await (object.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
          );
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      }
      throw new Error(`no ${what} for ${uploadId}`);
    };
    const overview = await sharp(await read('overview')).metadata();
    expect([overview.width, overview.height]).toEqual([Math.round((2220 * 2048) / 2967), 2048]);
    const label = await sharp(await read('label')).metadata();
    expect([label.width, label.height]).toEqual([387, 463]);
    const macro = await sharp(await read('macro')).metadata();
    expect([macro.width, macro.height]).toEqual([1280, 431]);
  });
});

describe('GetSlideLabel', () => {
  it('gives the label and macro only to tokens with CanDownloadSlides', async () => {
    const downloader = await createToken({ capabilities: 'CanDownloadSlides', studies: String(studyId) });
    const label = await call('GET', '/Api/GetSlideLabel', { form: { imageId: cmu }, token: downloader });
    expect(label.status).toBe(200);
    expect(label.headers['content-type']).toBe('image/jpeg');
    expect((await sharp(label.body).metadata()).width).toBe(387);
    const macro = await call('GET', '/Api/GetSlideLabel', { form: { imageId: cmu, kind: 'macro' }, token: downloader });
    expect((await sharp(macro.body).metadata()).width).toBe(1280);
    const viewer = await createToken({ capabilities: 'CanGetPixels', studies: String(studyId) });
    const refused = await call('GET', '/Api/GetSlideLabel', { form: { imageId: cmu }, token: viewer });
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('CanDownloadSlides');
    const none = await call('GET', '/Api/GetSlideLabel', { form: { imageId: large }, token: downloader });
    expect(none.status).toBe(404);
    const bad = await call('GET', '/Api/GetSlideLabel', { form: { imageId: cmu, kind: 'thumbnail' } });
    expect(bad.status).toBe(400);
  });
});
