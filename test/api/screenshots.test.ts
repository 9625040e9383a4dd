import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renditionKey } from '../../functions/pixels/slide-renditions.js';
import { call, createToken, type Reply } from '../support/http-client.js';
import { uploadResults } from '../support/results-client.js';
import { testStores } from '../support/stores.js';
import { createStudy, FIXTURES, fixture, getJson, type ImageRow, uniqueStudyName } from '../support/studies.js';

/** GetScreenshot and GetSlideLabel over HTTP, with form bodies on GET as the Python SDK sends them. */
const SCORER = 'pathologist@example.org';
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
    [`study.${name}.scores`]: 'Tumour\tAnnoShapes\t#00ff00\nCells\tAnnoPoints\t#0000ff\nGrade\tDropDown\tLow;;High\n',
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
