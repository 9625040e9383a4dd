import { describe, expect, it } from 'vitest';
import { call, createToken } from '../support/http-client.js';
import {
  createStudy,
  fixture,
  getJson,
  type ImageRow as Image,
  type QuestionRow as Question,
  reimport,
  uniqueStudyName,
  uploadAll,
} from '../support/studies.js';

const SCORES =
  'Test question\tFreeText\nOptions question\tClickFriendlyPollOnly\tOption1;;Option2;;Option3\nTest anno\tAnnoShapes\t#e6194b\n';

describe('Reimport', () => {
  it('creates a study from .emails, .scores and the slides in its folder, as the SDK tests do', async () => {
    const name = uniqueStudyName('sdk-flow');
    await uploadAll({
      [`study.${name}.emails`]: '\npytest@example.com;canscore,canedit,cangetresults\n',
      [`study.${name}.scores`]: SCORES,
      [`${name}/test-image.TiFF`]: fixture('slidescore-test-image.tiff'),
      [`${name}/small.svs`]: fixture('openslide-small.svs'),
      [`${name}/notes.txt`]: 'not a slide, not claiming to be one',
    });
    const first = await reimport(name);
    expect(first.success, first.log).toBe(true);
    expect(first.log).toContain(`Created study ${name}`);
    expect(first.log).toContain('Added image test-image');
    expect(first.log).toMatch(/notes\.txt line 1: warning: not a slide; skipped/);

    const studies = await getJson<{ id: number; name: string }[]>('/Api/Studies', {});
    expect(studies).toContainEqual(expect.objectContaining({ id: first.id, name }));
    const images = await getJson<Image[]>('/Api/Images', { studyid: first.id as number });
    expect(images.map((i) => i.name).sort()).toEqual(['small', 'test-image']);
    expect(images.find((i) => i.name === 'test-image')).toMatchObject({ fileSize: 98_776, studyID: first.id });
    const questions = await getJson<Question[]>('/Api/Questions', { studyId: first.id as number });
    expect(questions.map((q) => [q.name, q.typeName, q.valuesAllowed, q.order])).toEqual([
      ['Test question', 'FreeText', '', 0],
      ['Options question', 'ClickFriendlyPollOnly', 'Option1;;Option2;;Option3', 1],
      ['Test anno', 'AnnoShapes', '#e6194b', 2],
    ]);

    const second = await reimport(name);
    expect(second.success).toBe(true);
    expect(second.id).toBe(first.id);
    expect(second.log).toContain('Image test-image already there');
    expect(second.log).toContain('Question Test question already there');
    expect(second.log).not.toContain('Added');
    expect(await getJson<Image[]>('/Api/Images', { studyid: first.id as number })).toHaveLength(2);
  });

  it('reads .images lines: the docs example names the image "Nice Image"', async () => {
    const name = uniqueStudyName('images-list');
    const other = uniqueStudyName('otherfolder');
    await uploadAll({
      [`${other}/011938r082.tif`]: fixture('slidescore-test-image.tiff'),
      [`${other}/turned.svs`]: fixture('openslide-small.svs'),
      [`${name}/list.images`]: `../${other}/011938r082.tif;;Nice Image\n../${other}/turned.svs;;90;Turned\n`,
    });
    const result = await reimport(name);
    expect(result.success, result.log).toBe(true);
    const images = await getJson<Image[]>('/Api/Images', { studyid: result.id as number });
    expect(images.map((i) => [i.name, i.rotation]).sort()).toEqual([
      ['Nice Image', 0],
      ['Turned', 90],
    ]);
    const path = await getJson<{ path: string }>('/Api/GetSlidePath', { imageId: images[0]?.id as number });
    expect(path.path.startsWith(`${other}/`)).toBe(true);
  });

  it('fails on an unreadable slide and changes nothing, unless ignoreImageErrors', async () => {
    const name = uniqueStudyName('bad-slide');
    await uploadAll({
      [`study.${name}.scores`]: SCORES,
      [`${name}/good.tiff`]: fixture('slidescore-test-image.tiff'),
      [`${name}/fake.svs`]: fixture('not-a-slide.svs'),
    });
    const refused = await reimport(name);
    expect(refused).toMatchObject({ success: false });
    expect(refused.id).toBeUndefined();
    expect(refused.log).toContain(`${name}/fake.svs: not a slide this server can read`);
    expect(refused.log).toContain('nothing was changed');
    const studies = await getJson<{ name: string }[]>('/Api/Studies', {});
    expect(studies.some((s) => s.name === name)).toBe(false);

    const forced = await reimport(name, { ignoreImageErrors: true });
    expect(forced.success, forced.log).toBe(true);
    expect(forced.log).toContain('slide skipped (ignoreImageErrors)');
    expect((await getJson<Image[]>('/Api/Images', { studyid: forced.id as number })).map((i) => i.name)).toEqual([
      'good',
    ]);
  });

  it('builds the TMA map of the seed docs: 4 rows × 6 columns, controls and empty cores', async () => {
    const name = uniqueStudyName('tma');
    const map = [
      'tmas: 1.svs',
      'controls: ctrl',
      'ignore: 0, empty',
      'force: true',
      '',
      '1\t1\t1\tctrl\tctrl\tctrl',
      '2\t2\t2\t3\t3\t3',
      '0\t0\t0\t4\t4\t4',
      '5\t5\t5\tempty\tempty\tempty',
      '',
    ].join('\n');
    await uploadAll({ [`${name}/1.svs`]: fixture('openslide-small.svs'), [`study.${name}.map1`]: map });
    const result = await reimport(name);
    expect(result.success, result.log).toBe(true);
    const config = await getJson<{
      config: { tmaMaps: { name: string; grid: ({ sampleId: string; isControl: boolean } | null)[][] }[] };
    }>('/Api/GetConfig', { studyid: result.id as number });
    const grid = config.config.tmaMaps[0]?.grid ?? [];
    expect(grid).toHaveLength(4);
    expect(grid.every((row) => row.length === 6)).toBe(true);
    expect(grid[0]?.[3]).toMatchObject({ sampleId: 'ctrl', isControl: true });
    expect(grid[2]?.[0]).toBeNull();
    expect(grid[3]?.[5]).toBeNull();
    expect(grid[3]?.[0]).toMatchObject({ sampleId: '5', isControl: false });
    const images = await getJson<Image[]>('/Api/Images', { studyid: result.id as number });
    expect(images[0]?.tmaMap).toBe(`study.${name}.map1`);
  });

  it('creates no duplicates when two Reimports of one study run at the same moment', async () => {
    const name = uniqueStudyName('race');
    await uploadAll({
      [`study.${name}.scores`]: SCORES,
      [`${name}/a.tiff`]: fixture('slidescore-test-image.tiff'),
      [`${name}/b.svs`]: fixture('openslide-small.svs'),
    });
    const results = await Promise.all([reimport(name), reimport(name), reimport(name)]);
    expect(results.every((r) => r.success)).toBe(true);
    const ids = new Set(results.map((r) => r.id));
    expect(ids.size).toBe(1);
    const studyid = results[0]?.id as number;
    expect(await getJson<Image[]>('/Api/Images', { studyid })).toHaveLength(2);
    expect(await getJson<Question[]>('/Api/Questions', { studyId: studyid })).toHaveLength(3);
    const studies = await getJson<{ name: string }[]>('/Api/Studies', {});
    expect(studies.filter((s) => s.name === name)).toHaveLength(1);
  });

  it('reimports automatically when a config file of an existing study is uploaded', async () => {
    const name = uniqueStudyName('auto');
    const id = await createStudy(name, {
      [`study.${name}.scores`]: 'First\tFreeText\n',
      [`${name}/a.svs`]: fixture('openslide-small.svs'),
    });
    await uploadAll({ [`study.${name}.scores`]: 'First\tFreeText\nSecond\tInteger\n' });
    let names: string[] = [];
    for (let attempt = 0; attempt < 100 && !names.includes('Second'); attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      names = (await getJson<Question[]>('/Api/Questions', { studyId: id })).map((q) => q.name);
    }
    expect(names).toEqual(['First', 'Second']);
    const logs = await getJson<{ logs: { trigger: string; success: boolean; log: string }[] }>('/Api/GetImportLogs', {
      studyId: id,
    });
    expect(logs.logs[0]).toMatchObject({ trigger: 'upload', success: true });
    expect(logs.logs[0]?.log).toContain('Added question Second');
  });

  it('refuses a study name that is not one, and a study with no files', async () => {
    expect(await reimport('bad name!')).toMatchObject({ success: false });
    const empty = await reimport(uniqueStudyName('nothing'));
    expect(empty.success).toBe(false);
    expect(empty.log).toContain('No study files found');
  });

  it('needs CanManageStudies, and a limited token cannot create a study', async () => {
    const reader = await createToken({ capabilities: 'CanGetResults' });
    expect((await call('POST', '/Api/Reimport', { token: reader, form: { studyName: 'x' } })).status).toBe(403);
    const limited = await createToken({ capabilities: 'CanManageStudies', studies: '999999' });
    expect(
      (await call('POST', '/Api/Reimport', { token: limited, form: { studyName: uniqueStudyName('new') } })).status,
    ).toBe(403);
  });
});
