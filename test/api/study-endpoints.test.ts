import { beforeAll, describe, expect, it } from 'vitest';
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

let studyId: number;
let name: string;
let imageIds: number[];

beforeAll(async () => {
  name = uniqueStudyName('endpoints');
  studyId = await createStudy(name, {
    [`study.${name}.emails`]: 'reader@example.org;cangetresults\nscorer@example.org\n',
    [`study.${name}.scores`]: 'Grade\tDropDown\tLow;;High\nTumor\tAnnoShapes\t#ff0000\nNotes\tFreeText\n',
    [`study.${name}.config`]: 'label: Endpoint study\norgans: breast\nstainings: HE, Ki67\n',
    [`${name}/one.tiff`]: fixture('slidescore-test-image.tiff'),
    [`${name}/two.svs`]: fixture('openslide-small.svs'),
  });
  imageIds = (await getJson<Image[]>('/Api/Images', { studyid: studyId })).map((i) => i.id).sort((a, b) => a - b);
});

describe('study listings', () => {
  it('Studies carries the config settings; keys that do not apply are absent', async () => {
    const study = (await getJson<Record<string, unknown>[]>('/Api/Studies', {})).find((s) => s.id === studyId);
    expect(study).toMatchObject({
      id: studyId,
      name,
      label: 'Endpoint study',
      organs: ['breast'],
      stainings: ['HE', 'Ki67'],
    });
    expect(study).not.toHaveProperty('folder');
  });

  it('Images leave caseID, caseName and tmaMap out when there are none', async () => {
    const images = await getJson<Image[]>('/Api/Images', { studyId });
    expect(images).toHaveLength(2);
    for (const image of images) {
      expect(image).not.toHaveProperty('caseID');
      expect(image).not.toHaveProperty('caseName');
      expect(image).not.toHaveProperty('tmaMap');
    }
    expect(images.map((i) => i.fileName).sort()).toEqual(['one.tiff', 'two.svs']);
  });

  it('Cases is an empty array for a study without cases', async () => {
    expect(await getJson('/Api/Cases', { studyid: studyId })).toEqual([]);
  });

  it('GetConfig gives the object graph, with scores carrying name and valuesAllowed', async () => {
    const reply = await getJson<{ success: boolean; config: { scores: Question[]; users: unknown[]; name: string } }>(
      '/Api/GetConfig',
      { studyid: studyId },
    );
    expect(reply.success).toBe(true);
    expect(reply.config.name).toBe(name);
    expect(reply.config.scores.find((q) => q.name === 'Tumor')?.valuesAllowed.split(';')[0]).toBe('#ff0000');
    expect(reply.config.users).toEqual([
      { email: 'reader@example.org', rights: ['cangetresults'] },
      { email: 'scorer@example.org', rights: ['canscore'] },
    ]);
  });

  it('accepts the study ID in any spelling, in the query string or a POST form', async () => {
    for (const key of ['studyid', 'studyId', 'StudyID']) {
      expect((await call('GET', '/Api/Images', { query: { [key]: studyId } })).status).toBe(200);
      expect((await call('POST', '/Api/Images', { form: { [key]: studyId } })).status).toBe(200);
    }
  });
});

describe('study scope and capabilities', () => {
  it('answers 403 for a study outside the token; an image or case outside it reads as unknown', async () => {
    const other = await createToken({ capabilities: 'CanGetConfig,CanManageStudies', studies: '987654' });
    for (const [path, form] of [
      ['/Api/Images', { studyid: studyId }],
      ['/Api/Questions', { studyId }],
      ['/Api/GetConfig', { studyid: studyId }],
    ] as const) {
      expect((await call('GET', path, { token: other, form })).status, path).toBe(403);
    }
    for (const path of ['/Api/GetSlidePath', '/Api/GetSlideDescription']) {
      const hidden = await call('GET', path, { token: other, form: { imageId: imageIds[0] as number } });
      expect(hidden.status, path).toBe(200);
      expect(hidden.json(), path).toEqual({ success: false, log: `No image ${imageIds[0]}` });
    }
    expect((await call('GET', '/Api/Images', { form: { studyid: 987_654_321 } })).status).toBe(404);
    expect((await call('GET', '/Api/GetSlidePath', { form: { imageId: 987_654_321 } })).json()).toEqual({
      success: false,
      log: 'No image 987654321',
    });
    expect((await call('GET', '/Api/GetCaseDescription', { form: { caseId: 987_654_321 } })).json()).toEqual({
      success: false,
      log: 'No case 987654321',
    });
  });

  it('hides studies outside the token from Studies', async () => {
    const limited = await createToken({ studies: String(studyId) });
    expect((await getJson<{ id: number }[]>('/Api/Studies', {}, limited)).map((s) => s.id)).toEqual([studyId]);
  });

  it('needs CanGetConfig for GetConfig and CanManageStudies for changes', async () => {
    const reader = await createToken({ capabilities: 'CanGetResults' });
    expect((await call('GET', '/Api/GetConfig', { token: reader, form: { studyid: studyId } })).status).toBe(403);
    expect(
      (
        await call('POST', '/Api/UpdateSlideName', {
          token: reader,
          form: { imageId: imageIds[0] as number, newName: 'x' },
        })
      ).status,
    ).toBe(403);
  });
});

describe('slides', () => {
  it('GetSlidePath, UpdateSlidePath (Windows separators too) and UpdateSlideName', async () => {
    const imageId = imageIds[0] as number;
    const before = await getJson<{ success: boolean; path: string }>('/Api/GetSlidePath', { imageId });
    expect(before).toEqual({ success: true, path: `${name}/one.tiff` });
    await uploadAll({ [`${name}/moved.tiff`]: fixture('slidescore-test-image.tiff') });
    const moved = await call('POST', '/Api/UpdateSlidePath', { form: { imageId, newPath: `${name}\\moved.tiff` } });
    expect(moved.json()).toEqual({ success: true });
    expect((await getJson<{ path: string }>('/Api/GetSlidePath', { imageId })).path).toBe(`${name}/moved.tiff`);
    const clash = await call('POST', '/Api/UpdateSlidePath', { form: { imageId, newPath: `${name}/two.svs` } });
    expect(clash.json()).toMatchObject({ success: false });
    const missing = await call('POST', '/Api/UpdateSlidePath', { form: { imageId, newPath: '../outside.svs' } });
    expect(missing.json()).toMatchObject({ success: false });
    expect((await call('POST', '/Api/UpdateSlideName', { form: { imageId, newName: 'Renamed' } })).json()).toEqual({
      success: true,
    });
    expect((await getJson<Image[]>('/Api/Images', { studyid: studyId })).find((i) => i.id === imageId)?.name).toBe(
      'Renamed',
    );
  });

  it('SetSlideDescription replies exactly {} and keeps only allowed HTML', async () => {
    const imageId = imageIds[1] as number;
    const html =
      '<p onclick="x()">Hi <b>there</b><script>alert(1)</script><a href="javascript:x">bad</a><a class="jsSquireAttachment jsSquireLink" href="/a/1/ab/f.pdf">att</a></p>';
    const reply = await call('POST', '/Api/SetSlideDescription', { form: { imageId, studyId, description: html } });
    expect(reply.status).toBe(200);
    expect(reply.text).toBe('{}');
    const stored = (await getJson<{ description: string }>('/Api/GetSlideDescription', { imageId })).description;
    expect(stored).toContain('<b>there</b>');
    expect(stored).not.toMatch(/script|onclick|javascript/);
    expect(stored).toContain('class="jsSquireAttachment jsSquireLink"');
    const wrongStudy = await call('POST', '/Api/SetSlideDescription', {
      form: { imageId, studyId: studyId + 100000, description: 'x' },
    });
    expect(wrongStudy.text).not.toBe('{}');
  });

  it('AddSlide adds an uploaded slide once and refuses what is not a slide', async () => {
    await uploadAll({
      [`${name}-extra/three.png`]: fixture('openslide-boxes.png'),
      [`${name}-extra/fake.svs`]: fixture('not-a-slide.svs'),
    });
    const added = await call('POST', '/Api/AddSlide', { form: { studyId, path: `${name}-extra/three.png` } });
    const body = added.json<{ success: boolean; id: number; isOOF: boolean }>();
    expect(body).toEqual({ success: true, id: expect.any(Number), isOOF: false });
    const again = await call('POST', '/Api/AddSlide', { form: { studyId, path: `${name}-extra/three.png` } });
    expect(again.json()).toEqual(body);
    const fake = await call('POST', '/Api/AddSlide', { form: { studyId, path: `${name}-extra/fake.svs` } });
    expect(fake.json()).toMatchObject({ success: false });
    expect((await call('POST', '/Api/AddSlide', { form: { studyId, path: 'no/such/file.svs' } })).json()).toMatchObject(
      { success: false },
    );
  });
});

describe('questions', () => {
  it('AddQuestion, UpdateQuestion (with reordering) and RemoveQuestion', async () => {
    const added = await call('POST', '/Api/AddQuestion', { form: { studyId, questionSpec: 'Mitoses;Integer' } });
    const { id } = added.json<{ success: boolean; id: number }>();
    expect(added.json()).toEqual({ success: true, id: expect.any(Number) });
    expect(
      (await call('POST', '/Api/AddQuestion', { form: { studyId, questionSpec: 'mitoses\tInteger' } })).json(),
    ).toMatchObject({ success: false });
    expect(
      (await call('POST', '/Api/AddQuestion', { form: { studyId, questionSpec: 'Bad\tNoSuchType' } })).json(),
    ).toMatchObject({ success: false });

    const updated = await call('POST', '/Api/UpdateQuestion', {
      form: { studyId, scoreId: id, order: 0, questionSpec: 'Mitotic count\tInteger' },
    });
    expect(updated.json()).toEqual({ success: true, id });
    let questions = await getJson<Question[]>('/Api/Questions', { studyId });
    expect(questions.map((q) => q.name)).toEqual(['Mitotic count', 'Grade', 'Tumor', 'Notes']);
    expect(questions.map((q) => q.order)).toEqual([0, 1, 2, 3]);

    expect((await call('POST', '/Api/RemoveQuestion', { form: { studyId, scoreId: id } })).json()).toEqual({
      success: true,
    });
    questions = await getJson<Question[]>('/Api/Questions', { studyId });
    expect(questions.map((q) => q.name)).toEqual(['Grade', 'Tumor', 'Notes']);
    expect((await call('POST', '/Api/RemoveQuestion', { form: { studyId, scoreId: id } })).json()).toMatchObject({
      success: false,
    });
  });
});

describe('TMA maps', () => {
  it('CreateTMAMap reads an uploaded map file; SetSlideTMAMap attaches it', async () => {
    await uploadAll({ [`${name}-maps.txt`]: 'controls: c\n\nA1\tA2\nB1\tc\n' });
    const created = await call('POST', '/Api/CreateTMAMap', { form: { studyId, tmaMapFileName: `${name}-maps.txt` } });
    expect(created.json()).toEqual({ success: true, mapName: `${name}-maps.txt` });
    const imageId = imageIds[1] as number;
    expect(
      (
        await call('POST', '/Api/SetSlideTMAMap', { form: { studyId, imageId, tmaMapName: `${name}-maps.txt` } })
      ).json(),
    ).toEqual({ success: true });
    expect((await getJson<Image[]>('/Api/Images', { studyid: studyId })).find((i) => i.id === imageId)?.tmaMap).toBe(
      `${name}-maps.txt`,
    );
    expect(
      (await call('POST', '/Api/SetSlideTMAMap', { form: { studyId, imageId, tmaMapName: 'nope' } })).json(),
    ).toMatchObject({ success: false });
  });
});

describe('cloning a study with GetConfigFiles', () => {
  it('gives study B the same images, questions, users, maps and settings as A', async () => {
    const a = uniqueStudyName('clone-a');
    const map = 'tmas: core.svs\ncontrols: ctrl\n\n1\tctrl\n2\t3\n';
    const aId = await createStudy(a, {
      [`study.${a}.emails`]: 'x@example.org;canscore,cangetresults\ny@example.org;viewonly\n',
      [`study.${a}.scores`]: 'Score\tPercentage\nKind\tClickFriendly\tA;;B\n',
      [`study.${a}.config`]: 'label: Clone me\ndiseases: DCIS\npublished: true\n',
      [`study.${a}.map1`]: map,
      [`${a}/core.svs`]: fixture('openslide-small.svs'),
      [`${a}/whole.tiff`]: fixture('slidescore-test-image.tiff'),
      [`${a}/list.images`]: 'whole.tiff;;90;Whole slide\n',
    });
    const { files } = await getJson<{ success: boolean; files: Record<string, string> }>('/Api/GetConfigFiles', {
      studyid: aId,
    });
    expect(Object.keys(files).sort()).toEqual([
      `study.${a}.config`,
      `study.${a}.emails`,
      `study.${a}.images`,
      `study.${a}.map1`,
      `study.${a}.scores`,
    ]);

    const b = uniqueStudyName('clone-b');
    await uploadAll(
      Object.fromEntries(
        Object.entries(files).map(([file, text]) => [file.replace(`study.${a}.`, `study.${b}.`), text]),
      ),
    );
    const result = await reimport(b);
    expect(result.success, result.log).toBe(true);

    const config = async (id: number) =>
      (await getJson<{ config: Record<string, unknown> }>('/Api/GetConfig', { studyid: id })).config as {
        images: { path: string; name: string; rotation: number; tmaMap?: string }[];
        scores: Question[];
        users: unknown[];
        tmaMaps: { grid: unknown }[];
        label: string;
        diseases: string[];
        published: boolean;
      };
    const [ca, cb] = [await config(aId), await config(result.id as number)];
    const images = (c: typeof ca) => c.images.map((i) => [i.path, i.name, i.rotation, Boolean(i.tmaMap)]).sort();
    expect(images(cb)).toEqual(images(ca));
    expect(cb.scores.map((q) => [q.name, q.typeName, q.valuesAllowed, q.order])).toEqual(
      ca.scores.map((q) => [q.name, q.typeName, q.valuesAllowed, q.order]),
    );
    expect(cb.users).toEqual(ca.users);
    expect(cb.tmaMaps.map((m) => m.grid)).toEqual(ca.tmaMaps.map((m) => m.grid));
    expect([cb.label, cb.diseases, cb.published]).toEqual([ca.label, ca.diseases, ca.published]);
  });

  it('leaves out files that would be empty, which the SDK cannot upload, and the clone still imports', async () => {
    const a = uniqueStudyName('clone-sparse');
    // No users, no settings: those files would be empty.
    const aId = await createStudy(a, {
      [`study.${a}.scores`]: 'Score\tPercentage\n',
      [`${a}/whole.tiff`]: fixture('slidescore-test-image.tiff'),
    });
    const { files } = await getJson<{ success: boolean; files: Record<string, string> }>('/Api/GetConfigFiles', {
      studyid: aId,
    });
    expect(Object.keys(files).sort()).toEqual([`study.${a}.images`, `study.${a}.scores`]);
    expect(Object.values(files).every((text) => text.length > 0)).toBe(true);
    const b = uniqueStudyName('clone-sparse-b');
    await uploadAll(
      Object.fromEntries(
        Object.entries(files).map(([file, text]) => [file.replace(`study.${a}.`, `study.${b}.`), text]),
      ),
    );
    const result = await reimport(b);
    expect(result.success, result.log).toBe(true);
  });
});
