import { beforeAll, describe, expect, it } from 'vitest';
import { call, createToken, type Reply } from '../support/http-client.js';
import { scoresJson, uploadResults } from '../support/results-client.js';
import {
  createStudy,
  fixture,
  getJson,
  type ImageRow,
  reimport,
  uniqueStudyName,
  uploadAll,
} from '../support/studies.js';

/** Study administration (docs/studies.md "Administration"), called as the Python SDK calls: POST form bodies. */
const post = (path: string, form: Record<string, string | number | boolean>, token?: string): Promise<Reply> =>
  call('POST', path, { form, token });

type StudyRow = Record<string, unknown> & { id: number };
const listed = async (id: number) => (await getJson<StudyRow[]>('/Api/Studies', {})).find((s) => s.id === id);

describe('CreateStudy', () => {
  it('creates an empty study that a later Reimport of its name adds to', async () => {
    const name = uniqueStudyName('created');
    const reply = await post('/Api/CreateStudy', { name });
    expect(reply.status).toBe(200);
    const body = reply.json<{ success: boolean; studyId: number }>();
    expect(body.success).toBe(true);
    expect(await listed(body.studyId)).toMatchObject({ id: body.studyId, name, archived: false, organs: [] });
    expect(await getJson('/Api/Images', { studyid: body.studyId })).toEqual([]);

    await uploadAll({ [`${name}/one.tiff`]: fixture('slidescore-test-image.tiff') });
    const imported = await reimport(name);
    expect(imported).toMatchObject({ success: true, id: body.studyId });
    expect(await getJson<ImageRow[]>('/Api/Images', { studyId: body.studyId })).toHaveLength(1);
  });

  it('refuses a name that is taken (ignoring case) or is no study name', async () => {
    const name = uniqueStudyName('taken');
    expect((await post('/Api/CreateStudy', { name })).json()).toMatchObject({ success: true });
    const again = await post('/Api/CreateStudy', { name: name.toUpperCase() });
    expect([again.status, again.json()]).toEqual([
      200,
      { success: false, log: `A study named ${name} exists already (names stay taken, also when deleted)` },
    ]);
    const bad = await post('/Api/CreateStudy', { name: 'no spaces allowed' });
    expect([bad.status, bad.text]).toEqual([
      200,
      '{"success":false,"log":"\\"no spaces allowed\\" is not a study name: use letters, digits, _ and -"}',
    ]);
  });

  it('refuses a token limited to some studies with 403, and a missing name', async () => {
    const limited = await createToken({ capabilities: 'CanManageStudies', studies: '1' });
    const refused = await post('/Api/CreateStudy', { name: uniqueStudyName('limited') }, limited);
    expect([refused.status, refused.text]).toEqual([
      403,
      '{"success":false,"log":"This API token is limited to some studies and cannot create one"}',
    ]);
    const missing = await post('/Api/CreateStudy', {});
    expect([missing.status, missing.text]).toEqual([200, '{"success":false,"log":"Missing parameter name"}']);
  });
});

describe('UpdateStudy', () => {
  it('sets .config settings, replaces lists, clears with an empty value, and never renames', async () => {
    const name = uniqueStudyName('update');
    const id = await createStudy(name, {
      [`study.${name}.config`]: 'label: Before\norgans: breast\n',
      [`study.${name}.emails`]: 'x@example.org\n',
    });
    const reply = await post('/Api/UpdateStudy', {
      studyid: id,
      label: 'After',
      description: 'A study',
      organs: 'lung, colon',
      stainings: 'HE',
    });
    expect(reply.json()).toEqual({ success: true });
    expect(await listed(id)).toMatchObject({
      name,
      label: 'After',
      description: 'A study',
      organs: ['lung', 'colon'],
      stainings: ['HE'],
    });
    expect((await post('/Api/UpdateStudy', { studyId: id, label: '' })).json()).toEqual({ success: true });
    expect(await listed(id)).not.toHaveProperty('label');

    expect((await post('/Api/UpdateStudy', { studyId: id, name: 'other' })).json()).toEqual({
      success: false,
      log: 'A study name cannot be changed',
    });
    expect((await post('/Api/UpdateStudy', { studyId: id })).json()).toEqual({
      success: false,
      log: 'Nothing to update: give any of label, folder, description, organs, diseases, stainings',
    });
    const badFolder = await post('/Api/UpdateStudy', { studyId: id, folder: '../outside' });
    expect(badFolder.json<{ success: boolean; log: string }>()).toMatchObject({ success: false });
    expect(badFolder.json<{ log: string }>().log).toMatch(/^folder: folder refused/);
  });
});

describe('DeleteStudy and UndeleteStudy', () => {
  let name: string;
  let id: number;
  let imageId: number;

  beforeAll(async () => {
    name = uniqueStudyName('deleted');
    id = await createStudy(name, {
      [`study.${name}.emails`]: 'x@example.org\n',
      [`study.${name}.scores`]: 'Grade\tDropDown\tLow;;High\n',
      [`${name}/one.tiff`]: fixture('slidescore-test-image.tiff'),
    });
    imageId = ((await getJson<ImageRow[]>('/Api/Images', { studyid: id }))[0] as ImageRow).id;
    expect((await uploadResults(id, [`${imageId}\tone\tx@example.org\tGrade\tLow`])).json()).toEqual({
      success: true,
    });
    expect((await post('/Api/DeleteStudy', { studyId: id })).json()).toEqual({ success: true });
  });

  it('answers like an unknown study everywhere while deleted', async () => {
    expect(await listed(id)).toBeUndefined();
    expect((await call('GET', '/Api/GetConfig', { form: { studyid: id } })).json()).toEqual({
      success: false,
      log: `No study ${id}`,
    });
    const images = await call('GET', '/Api/Images', { form: { studyid: id } });
    expect([images.status, images.json()]).toEqual([404, { success: false, log: `No study ${id}` }]);
    expect((await call('GET', '/Api/GetSlidePath', { form: { imageId } })).json()).toEqual({
      success: false,
      log: `No image ${imageId}`,
    });
    expect((await post('/Api/DeleteStudy', { studyId: id })).json()).toEqual({
      success: false,
      log: `No study ${id}`,
    });
  });

  it('keeps the name taken and refuses Reimport with a log line', async () => {
    expect((await post('/Api/CreateStudy', { name })).json()).toMatchObject({ success: false });
    const refused = await reimport(name);
    expect(refused.success).toBe(false);
    expect(refused.log).toBe(
      `Study ${name} (id ${id}) is deleted: import refused. Call UndeleteStudy first; nothing was changed.`,
    );
    expect(await listed(id)).toBeUndefined();
  });

  it('UndeleteStudy brings everything back: images and answers', async () => {
    expect((await post('/Api/UndeleteStudy', { studyid: id })).json()).toEqual({ success: true });
    expect(await listed(id)).toMatchObject({ id, name });
    expect(await getJson<ImageRow[]>('/Api/Images', { studyid: id })).toHaveLength(1);
    expect((await scoresJson(id)).map((s) => s.answer)).toEqual(['Low']);
    expect((await reimport(name)).success).toBe(true);
    // Undeleting a study that is not deleted is harmless; an unknown one is not found.
    expect((await post('/Api/UndeleteStudy', { studyid: id })).json()).toEqual({ success: true });
    expect((await post('/Api/UndeleteStudy', { studyid: 987_654_321 })).json()).toEqual({
      success: false,
      log: 'No study 987654321',
    });
  });
});

describe('automatic import of a deleted study', () => {
  it('is refused with a line in the import log, read once the study is undeleted', async () => {
    const name = uniqueStudyName('deleted-auto');
    const id = await createStudy(name, {
      [`study.${name}.emails`]: 'x@example.org\n',
      [`study.${name}.scores`]: 'First\tFreeText\n',
    });
    expect((await post('/Api/DeleteStudy', { studyId: id })).json()).toEqual({ success: true });
    await uploadAll({ [`study.${name}.scores`]: 'First\tFreeText\nSecond\tFreeText\n' });
    // The automatic import runs on the upload's event, a moment later; nothing of a deleted study can be read,
    // so give it time before undeleting (an import after the undelete would go through).
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect((await post('/Api/UndeleteStudy', { studyId: id })).json()).toEqual({ success: true });
    const logs = await getJson<{ logs: { trigger: string; success: boolean; log: string }[] }>('/Api/GetImportLogs', {
      studyId: id,
    });
    const refusal = logs.logs.find((l) => l.trigger === 'upload');
    expect(refusal).toEqual({
      at: expect.any(String),
      trigger: 'upload',
      success: false,
      log: `Study ${name} (id ${id}) is deleted: import refused. Call UndeleteStudy first; nothing was changed.`,
    });
    expect((await getJson<{ name: string }[]>('/Api/Questions', { studyId: id })).map((q) => q.name)).toEqual([
      'First',
    ]);
  });
});

describe('paths of a deleted study', () => {
  it('still belong to it: a token limited to another study cannot add its slides', async () => {
    const mine = uniqueStudyName('paths-mine');
    const theirs = uniqueStudyName('paths-deleted');
    const mineId = await createStudy(mine, { [`study.${mine}.emails`]: 'x@example.org\n' });
    const theirsId = await createStudy(theirs, {
      [`study.${theirs}.emails`]: 'x@example.org\n',
      [`${theirs}/one.tiff`]: fixture('slidescore-test-image.tiff'),
    });
    expect((await post('/Api/DeleteStudy', { studyId: theirsId })).json()).toEqual({ success: true });
    const limited = await createToken({ capabilities: 'CanManageStudies', studies: String(mineId) });
    const add = await post('/Api/AddSlide', { studyId: mineId, path: `${theirs}/one.tiff` }, limited);
    expect([add.status, add.json()]).toEqual([
      403,
      { success: false, log: `${theirs}/one.tiff belongs to a study this API token does not hold` },
    ]);
  });
});

describe('Publish and Unpublish', () => {
  it('win over published: in .config until that file changes', async () => {
    const name = uniqueStudyName('publish');
    const id = await createStudy(name, {
      [`study.${name}.config`]: 'published: true\n',
      [`study.${name}.emails`]: 'x@example.org\n',
    });
    expect(await listed(id)).toMatchObject({ published: true });
    expect((await post('/Api/Unpublish', { studyId: id })).json()).toEqual({ success: true });
    expect(await listed(id)).toMatchObject({ published: false });

    const kept = await reimport(name);
    expect(kept.log).toContain('published: kept as set by Publish/Unpublish (false)');
    expect(await listed(id)).toMatchObject({ published: false });

    await uploadAll({ [`study.${name}.config`]: 'published: true\nlabel: New file\n' });
    const changed = await reimport(name);
    expect(changed.log).toContain('The .config file changed since Publish/Unpublish: its published: wins');
    expect(await listed(id)).toMatchObject({ published: true, label: 'New file' });

    expect((await post('/Api/Unpublish', { studyId: id })).json()).toEqual({ success: true });
    expect((await post('/Api/Publish', { studyid: id })).json()).toEqual({ success: true });
    expect(await listed(id)).toMatchObject({ published: true });
  });

  it('work on a study without a .config file, which a later one then overrides', async () => {
    const name = uniqueStudyName('publish-nofile');
    const id = await createStudy(name, { [`study.${name}.emails`]: 'x@example.org\n' });
    expect((await post('/Api/Publish', { studyId: id })).json()).toEqual({ success: true });
    await reimport(name);
    expect(await listed(id)).toMatchObject({ published: true });
    await uploadAll({ [`study.${name}.config`]: 'published: false\n' });
    await reimport(name);
    expect(await listed(id)).toMatchObject({ published: false });
  });
});

describe('SetIsArchived', () => {
  it('makes the study read only for answers, and shows archived in Studies', async () => {
    const name = uniqueStudyName('archived');
    const id = await createStudy(name, {
      [`study.${name}.emails`]: 'x@example.org\n',
      [`study.${name}.scores`]: 'Notes\tFreeText\n',
      [`${name}/one.tiff`]: fixture('slidescore-test-image.tiff'),
    });
    const imageId = ((await getJson<ImageRow[]>('/Api/Images', { studyid: id }))[0] as ImageRow).id;
    expect((await post('/Api/SetIsArchived', { studyId: id, isArchived: 'True' })).json()).toEqual({
      success: true,
    });
    expect(await listed(id)).toMatchObject({ archived: true });
    const refused = await uploadResults(id, [`${imageId}\tone\tx@example.org\tNotes\thello`]);
    expect(refused.json()).toEqual({
      success: false,
      log: `Study ${id} is archived: answers cannot be changed (SetIsArchived with isArchived=false first)`,
    });
    expect(await scoresJson(id)).toEqual([]);
    // Reading stays possible.
    expect((await call('GET', '/Api/GetConfig', { form: { studyid: id } })).json()).toMatchObject({ success: true });

    expect((await post('/Api/SetIsArchived', { studyId: id, isArchived: false })).json()).toEqual({ success: true });
    expect(await listed(id)).toMatchObject({ archived: false });
    expect((await uploadResults(id, [`${imageId}\tone\tx@example.org\tNotes\thello`])).json()).toEqual({
      success: true,
    });
  });

  it('needs isArchived, as true or false', async () => {
    const name = uniqueStudyName('archived-param');
    const id = await createStudy(name, { [`study.${name}.emails`]: 'x@example.org\n' });
    expect((await post('/Api/SetIsArchived', { studyId: id })).text).toBe(
      '{"success":false,"log":"Missing parameter isArchived"}',
    );
    expect((await post('/Api/SetIsArchived', { studyId: id, isArchived: 'maybe' })).text).toBe(
      '{"success":false,"log":"Parameter isArchived must be true or false, not \\"maybe\\""}',
    );
  });
});

describe('refusals of the study administration calls', () => {
  const STUDY_CALLS = ['UpdateStudy', 'DeleteStudy', 'UndeleteStudy', 'Publish', 'Unpublish', 'SetIsArchived'];
  let held: number;
  let other: number;
  let limited: string;

  beforeAll(async () => {
    const a = uniqueStudyName('admin-held');
    const b = uniqueStudyName('admin-other');
    held = await createStudy(a, { [`study.${a}.emails`]: 'x@example.org\n' });
    other = await createStudy(b, { [`study.${b}.emails`]: 'x@example.org\n' });
    limited = await createToken({ capabilities: 'CanManageStudies', studies: String(held) });
  });

  it('answers 403 naming the capability without CanManageStudies', async () => {
    const reader = await createToken({ capabilities: 'CanGetConfig' });
    for (const id of ['CreateStudy', ...STUDY_CALLS]) {
      const reply = await post(`/Api/${id}`, { studyId: held, name: 'x', isArchived: true }, reader);
      expect([reply.status, reply.text], id).toEqual([
        403,
        '{"success":false,"log":"This API token lacks the CanManageStudies capability"}',
      ]);
    }
  });

  it('answers 403 with one body for a study outside the token, whether or not it exists', async () => {
    for (const id of STUDY_CALLS) {
      for (const studyId of [other, 987_654_321]) {
        const reply = await post(`/Api/${id}`, { studyId, label: 'x', isArchived: true }, limited);
        expect([reply.status, reply.text], id).toEqual([
          403,
          `{"success":false,"log":"This API token has no access to study ${studyId}"}`,
        ]);
      }
    }
    // The held study is fine for the limited token.
    expect((await post('/Api/Publish', { studyId: held }, limited)).json()).toEqual({ success: true });
  });

  it('answers 200 success:false for a missing, malformed or unknown study ID', async () => {
    for (const id of STUDY_CALLS) {
      const missing = await post(`/Api/${id}`, { isArchived: true, label: 'x' });
      expect([missing.status, missing.text], id).toEqual([200, '{"success":false,"log":"Missing parameter studyId"}']);
      const malformed = await post(`/Api/${id}`, { studyId: 'x', isArchived: true, label: 'x' });
      expect([malformed.status, malformed.text], id).toEqual([
        200,
        '{"success":false,"log":"Parameter studyId must be a whole number, not \\"x\\""}',
      ]);
      const unknown = await post(`/Api/${id}`, { studyId: 987_654_321, isArchived: true, label: 'x' });
      expect([unknown.status, unknown.text], id).toEqual([200, '{"success":false,"log":"No study 987654321"}']);
    }
  });
});
