import { beforeAll, describe, expect, it } from 'vitest';
import { call, createToken } from '../support/http-client.js';
import {
  createStudy,
  fixture,
  getJson,
  type ImageRow,
  reimport,
  uniqueStudyName,
  uploadAll,
} from '../support/studies.js';
import { uploadFile } from '../support/tus-client.js';

/** docs/tokens.md, "Study ownership of paths": a token limited to study A cannot write or pull in B's files. */
let a: string;
let b: string;
let idA: number;
let idB: number;
let tokenA: string;
let tokenAB: string;
const bFolder = () => `${b}-files`;

beforeAll(async () => {
  a = uniqueStudyName('own-a');
  b = uniqueStudyName('own-b');
  idA = await createStudy(a, {
    [`study.${a}.emails`]: 'x@example.org\n',
    [`${a}/mine.tiff`]: fixture('slidescore-test-image.tiff'),
  });
  idB = await createStudy(b, {
    [`study.${b}.emails`]: 'x@example.org\n',
    [`study.${b}.config`]: `folder: ${bFolder()}\n`,
    [`${bFolder()}/theirs.tiff`]: fixture('slidescore-test-image.tiff'),
    [`${bFolder()}/map.tmamap`]: 'x\n',
  });
  const capabilities = 'CanUpload,CanCreateFolders,CanManageStudies,CanGetConfig';
  tokenA = await createToken({ capabilities, studies: String(idA) });
  tokenAB = await createToken({ capabilities, studies: `${idA},${idB}` });
});

const requestUpload = (token: string, folder: string, filename: string) =>
  call('POST', '/Api/RequestUpload', { token, form: { folder, filename } });

describe('study ownership of paths', () => {
  it('lets a limited token write only what its studies own, decided from folder and file name', async () => {
    expect((await requestUpload(tokenA, a, 'new.tiff')).json()).toMatchObject({ token: expect.any(String) });
    expect((await requestUpload(tokenA, '', `study.${a}.scores`)).json()).toMatchObject({ token: expect.any(String) });
    for (const [folder, filename] of [
      [bFolder(), 'theirs.tiff'],
      ['', `study.${b}.scores`],
      ['', `study.${b.toUpperCase()}.images`],
      ['', `study.${uniqueStudyName('unmade')}.emails`],
      ['nobodys-folder', 'x.tiff'],
    ] as const) {
      const reply = await requestUpload(tokenA, folder, filename);
      expect(reply.status, `${folder}/${filename}`).toBe(403);
    }
    expect((await requestUpload(tokenAB, bFolder(), 'theirs.tiff')).status).toBe(200);
  });

  it('refuses a list file naming another study’s files at FinishUpload, and keeps the old one', async () => {
    await uploadAll({ [`study.${a}.images`]: `${a}/mine.tiff\n` });
    for (const [name, text] of [
      [`study.${a}.images`, `${a}/mine.tiff\n${bFolder()}/theirs.tiff\n`],
      [`study.${a}.config`, `folder: ${bFolder()}\n`],
      [`sneaky.images`, `../${bFolder()}/theirs.tiff\n`],
    ] as const) {
      const folder = name.startsWith('study.') ? '' : a;
      const reply = await uploadFile(folder, name, Buffer.from(text), tokenA);
      // 403 (a study the token lacks), with the JSON refusal body of the reply table.
      expect(JSON.parse(reply), name).toEqual({
        success: false,
        log: expect.stringMatching(/belongs to a study this API token does not hold$/),
      });
    }
    const result = await reimport(a);
    expect(result.success).toBe(true);
    const images = await getJson<ImageRow[]>('/Api/Images', { studyid: idA });
    expect(images.map((i) => i.fileName)).toEqual(['mine.tiff']);
  });

  it('refuses AddSlide, UpdateSlidePath and CreateTMAMap naming another study’s file, unless the token holds it', async () => {
    const theirs = `${bFolder()}/theirs.tiff`;
    const add = await call('POST', '/Api/AddSlide', { token: tokenA, form: { studyId: idA, path: theirs } });
    expect([add.status, add.json()]).toEqual([
      403,
      { success: false, log: `${theirs} belongs to a study this API token does not hold` },
    ]);
    const image = ((await getJson<ImageRow[]>('/Api/Images', { studyid: idA })) as ImageRow[])[0] as ImageRow;
    const move = await call('POST', '/Api/UpdateSlidePath', {
      token: tokenA,
      form: { imageId: image.id, newPath: theirs },
    });
    expect(move.status).toBe(403);
    const map = await call('POST', '/Api/CreateTMAMap', {
      token: tokenA,
      form: { studyId: idA, tmaMapFileName: `${bFolder()}/map.tmamap` },
    });
    expect(map.status).toBe(403);
    // Cloning between studies: a token holding both may.
    const cloned = await call('POST', '/Api/AddSlide', { token: tokenAB, form: { studyId: idA, path: theirs } });
    expect(cloned.json()).toMatchObject({ success: true, id: expect.any(Number) });
  });
});

describe('credentials never outlive or outreach their maker', () => {
  it('refuses a later explicit expiry and cuts the default to the maker', async () => {
    const maker = await createToken({ capabilities: 'CanManageTokens', studies: String(idA), expiresOn: '2030-01-01' });
    const later = await call('POST', '/Admin/CreateToken', {
      token: maker,
      form: { name: 'x', expiresOn: '2031-01-01' },
    });
    expect(later.json()).toEqual({
      success: false,
      log: 'The token cannot expire after the API token that makes it (2030-01-01T23:59:59.000Z)',
    });
    const byDefault = await call('POST', '/Admin/CreateToken', {
      token: maker,
      form: { name: 'x', studies: String(idA) },
    });
    const created = byDefault.json<{ success: boolean; expiresOn: string }>();
    expect(created.success).toBe(true);
    expect(Date.parse(created.expiresOn)).toBeLessThanOrEqual(Date.parse('2030-01-01T23:59:59Z'));
  });

  it('shows a limited caller only tokens within its studies, never all-studies tokens', async () => {
    const lister = await createToken({ capabilities: 'CanManageTokens', studies: String(idA) });
    const reply = await call('GET', '/Admin/Tokens', { token: lister });
    const tokens = reply.json<{ tokens: { studies: 'all' | number[] }[] }>().tokens;
    expect(tokens.length).toBeGreaterThan(0);
    for (const token of tokens) {
      expect(token.studies).not.toBe('all');
      expect((token.studies as number[]).every((id) => id === idA)).toBe(true);
    }
    const all = (await call('GET', '/Admin/Tokens', {})).json<{ tokens: { studies: unknown }[] }>().tokens;
    expect(all.some((t) => t.studies === 'all')).toBe(true);
  });
});
