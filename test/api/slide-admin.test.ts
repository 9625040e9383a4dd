import { GetObjectCommand } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { focusKey } from '../../functions/pixels/focus-store.js';
import { OUT_OF_FOCUS_THRESHOLD } from '../../functions/slides/focus-measure.js';
import { bufferRangeSource, indexSlide, SlideReader } from '../../functions/slides/index.js';
import { call, createToken } from '../support/http-client.js';
import { scoresJson, uploadResults } from '../support/results-client.js';
import { testStores } from '../support/stores.js';
import {
  createStudy,
  fixture,
  getJson,
  type ImageRow,
  reimport,
  uniqueStudyName,
  uploadAll,
} from '../support/studies.js';

/** CMU-1-Small-Region with a σ = 2 Gaussian blur, as a tiled deflate TIFF of one level (like the original). */
async function blurredCmu(): Promise<Buffer> {
  const source = bufferRangeSource(fixture('CMU-1-Small-Region.svs'), 'CMU-1-Small-Region.svs');
  const reader = new SlideReader(await indexSlide(source), source);
  const level = reader.index.levels[0] as { width: number; height: number };
  const region = await reader.renderRegion(0, 0, 0, level.width, level.height);
  return sharp(region.data, { raw: { width: level.width, height: level.height, channels: 3 } })
    .blur(2)
    .tiff({ tile: true, tileWidth: 256, tileHeight: 256, compression: 'deflate' })
    .toBuffer();
}

let studyId: number;
let name: string;
let images: Map<string, number>;
let otherStudyImage: number;

beforeAll(async () => {
  name = uniqueStudyName('slide-admin');
  studyId = await createStudy(name, {
    [`study.${name}.emails`]: 'scorer@example.org\n',
    [`study.${name}.scores`]: 'Notes\tFreeText\n',
    [`study.${name}.images`]: `${name}/cmu.svs\n${name}/small.tiff\n`,
    [`${name}/cmu.svs`]: fixture('CMU-1-Small-Region.svs'),
    [`${name}/small.tiff`]: fixture('slidescore-test-image.tiff'),
  });
  await uploadAll({ [`${name}-extra/blurred.tiff`]: await blurredCmu() });
  images = new Map(
    (await getJson<ImageRow[]>('/Api/Images', { studyid: studyId })).map((i) => [i.fileName ?? i.name, i.id]),
  );
  const other = uniqueStudyName('slide-admin-other');
  const otherId = await createStudy(other, { [`${other}/x.tiff`]: fixture('slidescore-test-image.tiff') });
  otherStudyImage = (await getJson<ImageRow[]>('/Api/Images', { studyid: otherId }))[0]?.id as number;
}, 120_000);

const image = (fileName: string) => images.get(fileName) as number;

describe('IsSlideOutOfFocus', () => {
  it('CMU-1-Small-Region is in focus; a σ=2 blurred copy is out of focus, in AddSlide and Images too', async () => {
    const sharpReply = await call('POST', '/Api/IsSlideOutOfFocus', { form: { studyId, imageId: image('cmu.svs') } });
    expect(sharpReply.json()).toEqual({ success: true, isOOF: false });

    const added = await call('POST', '/Api/AddSlide', { form: { studyId, path: `${name}-extra/blurred.tiff` } });
    const body = added.json<{ success: boolean; id: number; isOOF: boolean }>();
    expect(body).toEqual({ success: true, id: expect.any(Number), isOOF: true });
    images.set('blurred.tiff', body.id);
    // The lower-case spelling the older SDK calls use.
    const blurred = await call('POST', '/Api/IsSlideOutOfFocus', { form: { studyid: studyId, imageid: body.id } });
    expect(blurred.json()).toEqual({ success: true, isOOF: true });

    const rows = await getJson<Array<ImageRow & { isOOF: boolean }>>('/Api/Images', { studyid: studyId });
    expect(Object.fromEntries(rows.map((r) => [r.fileName, r.isOOF]))).toEqual({
      'cmu.svs': false,
      'small.tiff': false,
      'blurred.tiff': true,
    });
  });

  it('GetSlideDetails shows the measure: about 1900 sharp, about 45 blurred, threshold 100', async () => {
    const details = async (id: number) =>
      (await getJson<{ details: { focus: Record<string, unknown> } }>('/Api/GetSlideDetails', { imageId: id })).details
        .focus;
    const sharpFocus = await details(image('cmu.svs'));
    const blurredFocus = await details(image('blurred.tiff'));
    expect(sharpFocus).toMatchObject({
      measure: 'laplacian-variance-v1',
      threshold: OUT_OF_FOCUS_THRESHOLD,
      isOOF: false,
    });
    expect(blurredFocus).toMatchObject({ isOOF: true });
    expect(sharpFocus.laplacianVariance as number).toBeGreaterThan(1000);
    expect(blurredFocus.laplacianVariance as number).toBeLessThan(OUT_OF_FOCUS_THRESHOLD);
    expect(sharpFocus.tissuePixels as number).toBeGreaterThan(1_000_000);
  });
});

describe('the slide-committed pipeline', () => {
  it('measures focus after the slide index, with no API call, and stores it under focus/laplacian-variance-v1/', async () => {
    const path = `${name}-pipeline/cmu-copy.svs`;
    await uploadAll({ [path]: fixture('CMU-1-Small-Region.svs') });
    const stores = testStores();
    try {
      const file = await stores.files.stat(path);
      expect(file).toBeDefined();
      const key = focusKey(file?.uploadId as string);
      expect(key).toMatch(/^focus\/laplacian-variance-v1\/.+\.json$/);
      let stored: { laplacianVariance: number; version: string } | undefined;
      for (let attempt = 0; attempt < 100 && !stored; attempt += 1) {
        try {
          const object = await stores.s3.send(new GetObjectCommand({ Bucket: stores.config.bucket, Key: key }));
          stored = JSON.parse(await (object.Body as { transformToString(): Promise<string> }).transformToString());
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      }
      expect(stored?.version).toBe('laplacian-variance-v1');
      expect(stored?.laplacianVariance).toBeGreaterThan(OUT_OF_FOCUS_THRESHOLD);
    } finally {
      stores.close();
    }
  });
});

describe('GetSlideDetails', () => {
  it('gives everything known of one slide', async () => {
    const reply = await call('GET', '/Api/GetSlideDetails', { form: { imageid: image('cmu.svs') } });
    const { details } = reply.json<{ success: boolean; details: Record<string, unknown> }>();
    expect(reply.json()).toMatchObject({ success: true });
    expect(details).toMatchObject({
      id: image('cmu.svs'),
      name: 'cmu',
      path: `${name}/cmu.svs`,
      fileName: 'cmu.svs',
      studyId,
      studyName: name,
      caseId: null,
      caseName: null,
      tmaMap: null,
      rotation: 0,
      format: expect.any(String),
      vendor: 'aperio',
      width: 2220,
      height: 2967,
      mppSource: 'file',
      associatedImages: expect.arrayContaining(['thumbnail']),
    });
    expect(details.levels).toEqual([expect.objectContaining({ width: 2220, height: 2967, downsample: 1 })]);
    expect(details.mppX).toBeCloseTo(0.499, 3);
  });
});

describe('SetSlideResolution', () => {
  it('overrides the mpp in GetImageMetadata and GetSlideDetails; 0 and 0 remove the override', async () => {
    const imageId = image('small.tiff');
    const metadata = async () =>
      (await getJson<{ metadata: { mppX: number; mppY: number } }>('/Api/GetImageMetadata', { imageId })).metadata;
    const before = await metadata();
    const set = await call('POST', '/Api/SetSlideResolution', { form: { imageId, mppX: '0.25', mppY: 0.26 } });
    expect(set.json()).toEqual({ success: true });
    expect(await metadata()).toMatchObject({ mppX: 0.25, mppY: 0.26 });
    const details = (await getJson<{ details: Record<string, unknown> }>('/Api/GetSlideDetails', { imageId })).details;
    expect(details).toMatchObject({ mppX: 0.25, mppY: 0.26, mppSource: 'SetSlideResolution' });
    // Reimport keeps it.
    expect((await reimport(name)).success).toBe(true);
    expect(await metadata()).toMatchObject({ mppX: 0.25, mppY: 0.26 });
    for (const bad of [
      { mppX: 'abc', mppY: 1 },
      { mppX: -1, mppY: 1 },
      { mppX: 0, mppY: 1 },
      { mppX: 5000, mppY: 1 },
    ]) {
      const refused = await call('POST', '/Api/SetSlideResolution', { form: { imageId, ...bad } });
      expect(refused.status).toBe(200);
      expect(refused.json(), JSON.stringify(bad)).toMatchObject({ success: false, log: expect.any(String) });
    }
    expect((await call('POST', '/Api/SetSlideResolution', { form: { imageId, mppX: 0, mppY: 0 } })).json()).toEqual({
      success: true,
    });
    expect(await metadata()).toEqual(before);
  });
});

describe('DeleteSlide', () => {
  it('removes the image (file and answers kept, answers out of Scores); Reimport brings it back with its answers', async () => {
    const imageId = image('small.tiff');
    expect((await uploadResults(studyId, [`${imageId}\tsmall\tscorer@example.org\tNotes\tkept`])).json()).toEqual({
      success: true,
    });
    expect((await scoresJson(studyId)).some((s) => s.imageID === imageId)).toBe(true);

    expect((await call('POST', '/Api/DeleteSlide', { form: { imageId, studyId } })).json()).toEqual({ success: true });
    const ids = (await getJson<ImageRow[]>('/Api/Images', { studyid: studyId })).map((i) => i.id);
    expect(ids).not.toContain(imageId);
    expect((await call('GET', '/Api/GetSlidePath', { form: { imageId } })).json()).toEqual({
      success: false,
      log: `No image ${imageId}`,
    });
    expect((await scoresJson(studyId)).some((s) => s.imageID === imageId)).toBe(false);
    const again = await call('POST', '/Api/DeleteSlide', { form: { imageId } });
    expect(again.json()).toEqual({ success: false, log: `No image ${imageId}` });
    // The file stays: the upload path is still there for AddSlide / Reimport.
    const stat = await call('POST', '/Api/IsSlideOutOfFocus', { form: { studyId, imageId: image('cmu.svs') } });
    expect(stat.json()).toMatchObject({ success: true });

    // The .images file still names it: Reimport brings it back, same ID, answers back in Scores.
    const reimported = await reimport(name);
    expect(reimported.success).toBe(true);
    expect((await getJson<ImageRow[]>('/Api/Images', { studyid: studyId })).map((i) => i.id)).toContain(imageId);
    expect((await scoresJson(studyId)).find((s) => s.imageID === imageId)?.answer).toBe('kept');
  });

  it('a slide the .images file does not name stays removed after Reimport; AddSlide brings it back', async () => {
    const imageId = image('blurred.tiff');
    expect((await call('POST', '/Api/DeleteSlide', { form: { imageid: imageId } })).json()).toEqual({
      success: true,
    });
    expect((await reimport(name)).success).toBe(true);
    expect((await getJson<ImageRow[]>('/Api/Images', { studyid: studyId })).map((i) => i.id)).not.toContain(imageId);
    const added = await call('POST', '/Api/AddSlide', { form: { studyId, path: `${name}-extra/blurred.tiff` } });
    expect(added.json()).toEqual({ success: true, id: imageId, isOOF: true });
  });
});

describe('refusals (docs/api.md, "Replies and refusals")', () => {
  const calls = () =>
    [
      ['POST', '/Api/DeleteSlide', { imageId: image('cmu.svs') }, 'CanManageStudies'],
      ['POST', '/Api/SetSlideResolution', { imageId: image('cmu.svs'), mppX: 1, mppY: 1 }, 'CanManageStudies'],
      ['GET', '/Api/GetSlideDetails', { imageId: image('cmu.svs') }, 'CanGetConfig'],
      ['POST', '/Api/IsSlideOutOfFocus', { studyId, imageId: image('cmu.svs') }, 'CanGetPixels'],
    ] as const;

  it('401 without a token', async () => {
    for (const [method, path, form] of calls()) {
      const reply = await call(method, path, { form, token: null });
      expect(reply.status, path).toBe(401);
      expect(reply.json(), path).toMatchObject({ success: false });
    }
  });

  it('403 without the capability', async () => {
    const weak = await createToken({ capabilities: 'CanUpload' });
    for (const [method, path, form, capability] of calls()) {
      const reply = await call(method, path, { form, token: weak });
      expect(reply.status, path).toBe(403);
      expect(reply.json(), path).toEqual({
        success: false,
        log: `This API token lacks the ${capability} capability`,
      });
    }
  });

  it('an image of a study outside the token reads as an unknown image; a named study outside it is 403', async () => {
    const limited = await createToken({
      capabilities: 'CanManageStudies,CanGetConfig,CanGetPixels',
      studies: String(studyId),
    });
    for (const [method, path, form] of calls()) {
      const hidden = await call(method, path, { form: { ...form, imageId: otherStudyImage }, token: limited });
      const unknown = await call(method, path, { form: { ...form, imageId: 987_654_321 }, token: limited });
      expect(hidden.status, path).toBe(200);
      const inStudy = 'studyId' in form ? ` in study ${studyId}` : '';
      expect(hidden.json(), path).toEqual({ success: false, log: `No image ${otherStudyImage}${inStudy}` });
      expect(unknown.json(), path).toEqual({ success: false, log: `No image 987654321${inStudy}` });
      const named = await call(method, path, {
        form: { ...form, imageId: otherStudyImage, studyId: studyId + 1 },
        token: limited,
      });
      expect(named.status, path).toBe(403);
      expect(named.json(), path).toEqual({
        success: false,
        log: `This API token has no access to study ${studyId + 1}`,
      });
    }
  });

  it('an image of another study than the studyId named reads as unknown; a missing imageId is a logical error', async () => {
    for (const [method, path, form] of calls()) {
      const wrong = await call(method, path, { form: { ...form, imageId: otherStudyImage, studyId } });
      expect(wrong.json(), path).toEqual({ success: false, log: `No image ${otherStudyImage} in study ${studyId}` });
      const { imageId: _id, ...withoutImage } = form as Record<string, number>;
      const missing = await call(method, path, { form: withoutImage });
      expect(missing.status, path).toBe(200);
      expect(missing.json(), path).toEqual({ success: false, log: 'Missing parameter imageId' });
    }
  });
});
