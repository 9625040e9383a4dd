import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { constants, createBrotliCompress } from 'node:zlib';
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createToken } from '../support/http-client.js';
import { scoresJson, uploadResults } from '../support/results-client.js';
import { testStores } from '../support/stores.js';
import { type FixtureStudy, studyFixtures } from '../support/study-fixtures.js';
import { createUpload, finishUpload, sendAll } from '../support/tus-client.js';

/**
 * Anno2 over HTTP as the SDK does it: CreateAnno2 (form body), the zip by tus with the returned upload token
 * (`upload_using_token`), FinishUpload; then Scores shows the answer `[{"type":"anno2","annoUUID":"…"}]`.
 */
const fixtures = studyFixtures();
const stores = testStores();
afterAll(() => {
  fixtures.close();
  stores.close();
});

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'anno2');
const zipFixture = (name: string) => readFileSync(join(FIXTURES, name));
const USER = 'pytest@example.com';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const anno2Answer = (uuid: string) => `[{"type":"anno2","annoUUID":"${uuid}"}]`;

let study: FixtureStudy;
let other: FixtureStudy;
let image: number;

beforeAll(async () => {
  const questions = [
    { name: 'points', type: 'AnnoPoints' as const, valuesAllowed: '#e6194b' },
    { name: 'polygons', type: 'AnnoShapes' as const, valuesAllowed: '#3cb44b' },
    { name: 'heatmap', type: 'AnnoShapes' as const, valuesAllowed: '#3cb44b' },
    { name: 'notes', type: 'FreeText' as const },
  ];
  study = await fixtures.create({ images: ['slide.svs'], questions });
  other = await fixtures.create({ images: ['elsewhere.svs'], questions });
  image = study.image('slide.svs').id;
});

interface CreateReply {
  success: boolean;
  uploadToken?: string;
  annoUUID?: string;
  log?: string;
}

async function createAnno2(form: Record<string, string | number>, token?: string): Promise<CreateReply> {
  const reply = await call('POST', '/Api/CreateAnno2', { form, token });
  expect(reply.status).toBe(200);
  return reply.json<CreateReply>();
}

/** The SDK's upload_using_token: tus with the upload token, then FinishUpload; returns FinishUpload's body. */
async function uploadUsingToken(zip: Buffer, uploadToken: string, apiToken?: string): Promise<string> {
  const id = await createUpload(zip.length, uploadToken, apiToken);
  await sendAll(id, zip);
  return finishUpload(id, uploadToken, apiToken);
}

async function storedZip(uuid: string): Promise<Buffer> {
  const object = await stores.s3.send(new GetObjectCommand({ Bucket: stores.config.bucket, Key: `anno2/${uuid}.zip` }));
  return Buffer.from(await (object.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
}

async function isStored(uuid: string): Promise<boolean> {
  try {
    await stores.s3.send(new HeadObjectCommand({ Bucket: stores.config.bucket, Key: `anno2/${uuid}.zip` }));
    return true;
  } catch {
    return false;
  }
}

/** A zip as the SDK's Encoder writes it, with entries of our choosing. */
function zipOf(entries: Record<string, Uint8Array | string>): Buffer {
  const files = Object.fromEntries(
    Object.entries(entries).map(([name, value]) => [name, typeof value === 'string' ? strToU8(value) : value]),
  );
  return Buffer.from(zipSync(files, { level: 0 }));
}

const SYSTEM_POINTS = JSON.stringify({ version: '0.2.0', type: 'points', numItems: 3 });

/** 300 MB of spaces, brotli-compressed to about 60 KB: expands past the server's budget. */
async function brotliBomb(): Promise<Buffer> {
  const compress = createBrotliCompress({ params: { [constants.BROTLI_PARAM_QUALITY]: 1 } });
  const parts: Buffer[] = [];
  compress.on('data', (d: Buffer) => parts.push(d));
  const ended = new Promise((resolve) => compress.on('end', resolve));
  const chunk = Buffer.alloc(1 << 20, 0x20);
  for (let i = 0; i < 300; i++) {
    if (!compress.write(chunk)) await new Promise((resolve) => compress.once('drain', resolve));
  }
  compress.end();
  await ended;
  return Buffer.concat(parts);
}

describe('CreateAnno2, tus and FinishUpload', () => {
  it('keeps the zip and saves the answer that Scores shows as [{"type":"anno2","annoUUID":…}]', async () => {
    const created = await createAnno2({ studyid: study.id, imageId: image, question: 'points', email: USER });
    expect(created).toEqual({ success: true, uploadToken: expect.any(String), annoUUID: expect.stringMatching(UUID) });
    const uuid = created.annoUUID as string;
    const zip = zipFixture('points.zip');
    expect(await uploadUsingToken(zip, created.uploadToken as string)).toBe('"OK"');

    expect(await storedZip(uuid)).toEqual(zip);
    const scores = await scoresJson(study.id, { question: 'points' });
    expect(scores).toEqual([expect.objectContaining({ imageID: image, user: USER, question: 'points' })]);
    expect(scores[0]?.answer).toBe(anno2Answer(uuid));
  });

  it('takes the question by scoreId, and polygons and heatmap zips for AnnoShapes questions', async () => {
    const polygons = study.questions.find((q) => q.name === 'polygons')?.id as number;
    for (const [fixture, form] of [
      ['polygons.zip', { studyId: study.id, imageId: image, scoreId: polygons, email: USER }],
      ['heatmap.zip', { studyId: study.id, imageId: image, question: 'heatmap', email: 'second@example.com' }],
    ] as const) {
      const created = await createAnno2(form);
      expect(created.success).toBe(true);
      expect(await uploadUsingToken(zipFixture(fixture), created.uploadToken as string)).toBe('"OK"');
      const scores = await scoresJson(study.id, { email: form.email, imageid: image });
      expect(scores.map((s) => s.answer)).toContain(anno2Answer(created.annoUUID as string));
    }
  });

  it('answers "OK" again when FinishUpload is repeated', async () => {
    const created = await createAnno2({ studyId: study.id, imageId: image, question: 'points', email: 'again@x.org' });
    const token = created.uploadToken as string;
    const zip = zipFixture('points.zip');
    const id = await createUpload(zip.length, token);
    await sendAll(id, zip);
    expect(await finishUpload(id, token)).toBe('"OK"');
    expect(await finishUpload(id, token)).toBe('"OK"');
  });

  it('refuses a file that is not a zip, naming the reason, and saves nothing', async () => {
    const created = await createAnno2({ studyId: study.id, imageId: image, question: 'points', email: 'bad@x.org' });
    const reply = await uploadUsingToken(Buffer.from('this is not a zip file at all'), created.uploadToken as string);
    expect(JSON.parse(reply)).toBe('The anno2 zip was refused: not a zip file');
    expect(await isStored(created.annoUUID as string)).toBe(false);
    expect(await scoresJson(study.id, { email: 'bad@x.org' })).toEqual([]);
  });

  it('refuses a zip without the expected entries', async () => {
    const created = await createAnno2({ studyId: study.id, imageId: image, question: 'points', email: 'bad@x.org' });
    const missing = zipOf({ 'readme.txt': 'hello' });
    expect(JSON.parse(await uploadUsingToken(missing, created.uploadToken as string))).toBe(
      'The anno2 zip was refused: the zip has no system_metadata.json',
    );
    const noPoints = zipOf({ 'system_metadata.json': SYSTEM_POINTS });
    const second = await createAnno2({ studyId: study.id, imageId: image, question: 'points', email: 'bad@x.org' });
    expect(JSON.parse(await uploadUsingToken(noPoints, second.uploadToken as string))).toMatch(
      /needs anno1_points\.json\.br or masks\.tar\.gz/,
    );
    expect(await scoresJson(study.id, { email: 'bad@x.org' })).toEqual([]);
  });

  it('refuses a zip bomb before expanding it', async () => {
    const created = await createAnno2({ studyId: study.id, imageId: image, question: 'points', email: 'bomb@x.org' });
    const bomb = zipOf({ 'system_metadata.json': SYSTEM_POINTS, 'anno1_points.json.br': await brotliBomb() });
    expect(bomb.length).toBeLessThan(200_000);
    const reply = JSON.parse(await uploadUsingToken(bomb, created.uploadToken as string)) as string;
    expect(reply).toMatch(/^The anno2 zip was refused: .*zip bomb/);
    expect(await isStored(created.annoUUID as string)).toBe(false);

    // A zip whose directory claims an entry of 2 GB is refused from the directory alone.
    const claimed = zipOf({ 'system_metadata.json': SYSTEM_POINTS, 'anno1_points.json.br': 'x' });
    const central = claimed.lastIndexOf(Buffer.from('PK\x01\x02', 'latin1'));
    claimed.writeUInt32LE(0x7fffffff, central + 24); // uncompressed size of the last directory entry
    const second = await createAnno2({ studyId: study.id, imageId: image, question: 'points', email: 'bomb@x.org' });
    expect(JSON.parse(await uploadUsingToken(claimed, second.uploadToken as string))).toMatch(/zip bomb/);
    expect(await scoresJson(study.id, { email: 'bomb@x.org' })).toEqual([]);
  });

  it('refuses entries with path tricks', async () => {
    for (const name of ['../evil.json', '/etc/passwd', 'a\\b.json']) {
      const created = await createAnno2({ studyId: study.id, imageId: image, question: 'points', email: 'path@x.org' });
      const zip = zipOf({ 'system_metadata.json': SYSTEM_POINTS, [name]: '{}' });
      const reply = JSON.parse(await uploadUsingToken(zip, created.uploadToken as string)) as string;
      expect(reply, name).toMatch(/has an unsafe path/);
      expect(await isStored(created.annoUUID as string)).toBe(false);
    }
    expect(await scoresJson(study.id, { email: 'path@x.org' })).toEqual([]);
  });

  it('refuses an image of another study, an unknown question and a non-annotation question', async () => {
    const elsewhere = other.image('elsewhere.svs').id;
    const cases: [Record<string, string | number>, RegExp][] = [
      [{ studyId: study.id, imageId: elsewhere, question: 'points', email: USER }, /No image \d+ in study \d+/],
      [{ studyId: study.id, imageId: image, question: 'nope', email: USER }, /no question "nope"/],
      [{ studyId: study.id, imageId: image, question: 'notes', email: USER }, /FreeText; anno2 answers belong/],
      [{ studyId: study.id, imageId: image, email: USER }, /Missing parameter scoreId or question/],
    ];
    for (const [form, log] of cases) {
      const reply = await createAnno2(form);
      expect(reply.success).toBe(false);
      expect(reply.log).toMatch(log);
    }
  });

  it('needs CanUploadScores and the study', async () => {
    const form = { studyId: study.id, imageId: image, question: 'points', email: USER };
    const readOnly = await createToken({ capabilities: 'CanGetResults', studies: String(study.id) });
    expect((await call('POST', '/Api/CreateAnno2', { form, token: readOnly })).status).toBe(403);
    const elsewhere = await createToken({ capabilities: 'CanUploadScores,CanUpload', studies: String(other.id) });
    const refused = await call('POST', '/Api/CreateAnno2', { form, token: elsewhere });
    expect(refused.status).toBe(403);
    expect(refused.json()).toEqual({ success: false, log: `This API token has no access to study ${study.id}` });

    // A token of the study uploads its own anno2; another token cannot use its upload token.
    const scoped = await createToken({ capabilities: 'CanUploadScores,CanUpload', studies: String(study.id) });
    const created = await createAnno2({ ...form, email: 'scoped@x.org' }, scoped);
    expect(created.success).toBe(true);
    await expect(createUpload(10, created.uploadToken as string)).rejects.toThrow(/403/);
    expect(await uploadUsingToken(zipFixture('points.zip'), created.uploadToken as string, scoped)).toBe('"OK"');
  });
});

describe('CreateOrphanAnno2', () => {
  it('keeps the zip under its UUID without saving an answer', async () => {
    const before = (await scoresJson(study.id)).length;
    const reply = await call('POST', '/Api/CreateOrphanAnno2', { form: {} });
    const created = reply.json<CreateReply>();
    expect(created).toEqual({ success: true, uploadToken: expect.any(String), annoUUID: expect.stringMatching(UUID) });
    const zip = zipFixture('mask.zip');
    expect(await uploadUsingToken(zip, created.uploadToken as string)).toBe('"OK"');
    expect(await storedZip(created.annoUUID as string)).toEqual(zip);
    expect((await scoresJson(study.id)).length).toBe(before);
  });

  it('refuses a bad zip', async () => {
    const created = (await call('POST', '/Api/CreateOrphanAnno2', { form: {} })).json<CreateReply>();
    const reply = await uploadUsingToken(
      zipOf({ 'system_metadata.json': '{"version":"2.0.0"}' }),
      created.uploadToken as string,
    );
    expect(JSON.parse(reply)).toMatch(/^The anno2 zip was refused: anno2 version 2\.0\.0 is not supported/);
    expect(await isStored(created.annoUUID as string)).toBe(false);
  });
});

describe('ConvertAnnotationToAnno2 and ConvertScoreValueToAnno2', () => {
  const POLYGON =
    '[{"type":"polygon","points":[{"x":132,"y":110},{"x":298,"y":107},{"x":300,"y":253},{"x":125,"y":259}]}]';
  const POINTS = '[{"x":10,"y":10},{"x":15,"y":15},{"x":20,"y":20}]';

  it("converts a user's JSON answer into a zip; the answer then refers to it", async () => {
    const target = await fixtures.create({
      images: ['a.svs'],
      questions: [{ name: 'Tumor', type: 'AnnoShapes', valuesAllowed: '#ff0000' }],
    });
    const a = target.image('a.svs').id;
    expect((await uploadResults(target.id, [`${a}\ta.svs\tconv@x.org\tTumor\t${POLYGON}`])).text).toBe(
      '{"success":true}',
    );
    const reply = await call('POST', '/Api/ConvertAnnotationToAnno2', {
      form: { studyId: target.id, imageId: a, question: 'Tumor', email: 'conv@x.org', metadata: '{"source":"test"}' },
    });
    const body = reply.json<{ success: boolean; annoUUID: string }>();
    expect(body).toEqual({ success: true, annoUUID: expect.stringMatching(UUID) });
    const files = unzipSync(new Uint8Array(await storedZip(body.annoUUID)));
    expect(JSON.parse(new TextDecoder().decode(files['system_metadata.json']))).toMatchObject({ type: 'polygons' });
    expect(JSON.parse(new TextDecoder().decode(files['user_metadata.json']))).toEqual({ source: 'test' });
    expect((await scoresJson(target.id))[0]?.answer).toBe(anno2Answer(body.annoUUID));

    // Converting again: the answer already is an anno2.
    const again = await call('POST', '/Api/ConvertAnnotationToAnno2', {
      form: { studyId: target.id, imageId: a, question: 'Tumor', email: 'conv@x.org', metadata: '{}' },
    });
    expect(again.json()).toEqual({ success: false, log: `The answer already is anno2 ${body.annoUUID}` });
    const none = await call('POST', '/Api/ConvertAnnotationToAnno2', {
      form: { studyId: target.id, imageId: a, question: 'Tumor', email: 'nobody@x.org', metadata: '{}' },
    });
    expect(none.json()).toEqual({ success: false, log: `nobody@x.org has no answer to "Tumor" on image ${a}` });
  });

  it('converts by score-value id; failures are in "error"', async () => {
    const target = await fixtures.create({
      images: ['a.svs'],
      questions: [{ name: 'Cells', type: 'AnnoPoints', valuesAllowed: '#ff0000' }],
    });
    const a = target.image('a.svs').id;
    await uploadResults(target.id, [`${a}\ta.svs\tsv@x.org\tCells\t${POINTS}`]);
    const [row] = await scoresJson(target.id);
    const token = await createToken({ capabilities: 'CanUploadScores,CanGetResults', studies: String(target.id) });
    const reply = await call('POST', '/Api/ConvertScoreValueToAnno2', {
      form: { scoreValueId: row?.id as number, metadata: '{}' },
      token,
    });
    const body = reply.json<{ success: boolean; annoUUID: string }>();
    expect(body).toEqual({ success: true, annoUUID: expect.stringMatching(UUID) });
    const files = unzipSync(new Uint8Array(await storedZip(body.annoUUID)));
    expect(Object.keys(files).sort()).toEqual(['anno1_points.json.br', 'system_metadata.json', 'user_metadata.json']);
    const [after] = await scoresJson(target.id);
    expect(after).toMatchObject({ id: row?.id, answer: anno2Answer(body.annoUUID) });

    // Another study's token does not find it; an unknown id and bad metadata are refused in "error".
    const elsewhere = await createToken({ capabilities: 'CanUploadScores', studies: String(other.id) });
    const hidden = await call('POST', '/Api/ConvertScoreValueToAnno2', {
      form: { scoreValueId: row?.id as number, metadata: '{}' },
      token: elsewhere,
    });
    const unknown = `No score value ${row?.id} of an AnnoPoints or AnnoShapes question`;
    expect(hidden.json()).toEqual({ success: false, error: unknown, log: unknown });
    const badMetadata = await call('POST', '/Api/ConvertScoreValueToAnno2', {
      form: { scoreValueId: row?.id as number, metadata: '{not json' },
      token,
    });
    const bad = 'Parameter metadata must be JSON, such as {}';
    expect(badMetadata.json()).toEqual({ success: false, error: bad, log: bad });
  });
});
