import { beforeAll, describe, expect, it } from 'vitest';
import { call, createToken, type Reply } from '../support/http-client.js';
import { scoresJson, scoresTsv, uploadResults } from '../support/results-client.js';
import {
  createStudy,
  fixture,
  getJson,
  type ImageRow,
  reimport,
  uniqueStudyName,
  uploadAll,
} from '../support/studies.js';

/** Cases: the API calls and `case:` lines in image lists (docs/config-files.md, docs/studies.md). */
const post = (path: string, form: Record<string, string | number | boolean>, token?: string): Promise<Reply> =>
  call('POST', path, { form, token });

interface CaseRow {
  id: number;
  name: string;
}
const cases = (studyId: number) => getJson<CaseRow[]>('/Api/Cases', { studyid: studyId });
const images = (studyId: number) => getJson<ImageRow[]>('/Api/Images', { studyid: studyId });
type ImageWithCase = ImageRow & { caseName?: string };

async function addCase(studyId: number, name: string, description?: string): Promise<number> {
  const reply = await post('/Api/AddCase', { studyId, name, ...(description ? { description } : {}) });
  const body = reply.json<{ success: boolean; caseId: number }>();
  expect(body.success, reply.text).toBe(true);
  return body.caseId;
}

describe('cases through the API', () => {
  let name: string;
  let studyId: number;
  let imageId: number;
  let caseId: number;

  beforeAll(async () => {
    name = uniqueStudyName('cases-api');
    studyId = await createStudy(name, {
      [`study.${name}.emails`]: 'x@example.org\n',
      [`study.${name}.scores`]: 'Grade\tDropDown\tLow;;High\n',
      [`${name}/one.tiff`]: fixture('slidescore-test-image.tiff'),
    });
    imageId = ((await images(studyId))[0] as ImageRow).id;
  });

  it('AddCase adds a case that Cases, GetCaseDescription and GetConfig show', async () => {
    caseId = await addCase(studyId, 'Patient 7', '<b>Seen</b><script>x</script>');
    expect(await cases(studyId)).toEqual([{ id: caseId, name: 'Patient 7' }]);
    expect((await call('GET', '/Api/GetCaseDescription', { form: { caseId } })).json()).toEqual({
      success: true,
      description: '<b>Seen</b>',
    });
    const duplicate = await post('/Api/AddCase', { studyId, name: 'patient 7' });
    expect([duplicate.status, duplicate.json()]).toEqual([
      200,
      { success: false, log: 'The study already has a case named Patient 7' },
    ]);
  });

  it('SetImageCase puts a slide in the case: Images, GetConfig, UploadResults and Scores use it', async () => {
    expect((await post('/Api/SetImageCase', { imageId, caseId })).json()).toEqual({ success: true });
    expect((await images(studyId))[0]).toMatchObject({ id: imageId, caseID: caseId, caseName: 'Patient 7' });
    const config = (await call('GET', '/Api/GetConfig', { form: { studyid: studyId } })).json<{
      config: { cases: unknown[]; images: ImageWithCase[] };
    }>().config;
    expect(config.cases).toEqual([{ id: caseId, name: 'Patient 7', description: '<b>Seen</b>' }]);
    expect(config.images[0]).toMatchObject({ caseID: caseId, caseName: 'Patient 7' });

    const uploaded = await uploadResults(studyId, [`Patient 7\t${imageId}\tone\tx@example.org\tGrade\tHigh`]);
    expect(uploaded.json()).toEqual({ success: true });
    expect(await scoresJson(studyId)).toMatchObject([{ imageID: imageId, caseName: 'Patient 7', answer: 'High' }]);
    const tsv = await scoresTsv(studyId);
    const [header, row] = tsv.text.trim().split('\n');
    expect(header?.split('\t')[0]).toBe('CaseName');
    expect(row?.split('\t').slice(0, 2)).toEqual(['Patient 7', String(imageId)]);
  });

  it('UpdateCaseName renames; a name in use is refused', async () => {
    const other = await addCase(studyId, 'Patient 8');
    expect((await post('/Api/UpdateCaseName', { caseId, newName: 'Patient 8' })).json()).toEqual({
      success: false,
      log: 'The study already has a case named Patient 8',
    });
    expect((await post('/Api/UpdateCaseName', { caseId, newName: 'Patient Seven' })).json()).toEqual({
      success: true,
    });
    expect((await cases(studyId)).map((c) => c.name).sort()).toEqual(['Patient 8', 'Patient Seven']);
    expect((await scoresJson(studyId))[0]).toMatchObject({ caseName: 'Patient Seven' });
    expect((await post('/Api/RemoveCase', { caseId: other })).json()).toEqual({ success: true });
  });

  it('SetImageCase with caseId 0 takes the slide out of its case', async () => {
    expect((await post('/Api/SetImageCase', { imageId, caseId: 0 })).json()).toEqual({ success: true });
    expect((await images(studyId))[0]).not.toHaveProperty('caseID');
    expect((await post('/Api/SetImageCase', { imageId, caseId })).json()).toEqual({ success: true });
  });

  it('RemoveCase hides the case and frees its slides; answers stay; AddCase of the name brings it back', async () => {
    expect((await post('/Api/RemoveCase', { caseId })).json()).toEqual({ success: true });
    expect((await cases(studyId)).map((c) => c.name)).toEqual([]);
    expect((await images(studyId))[0]).not.toHaveProperty('caseID');
    expect((await call('GET', '/Api/GetCaseDescription', { form: { caseId } })).json()).toEqual({
      success: false,
      log: `No case ${caseId}`,
    });
    expect((await post('/Api/RemoveCase', { caseId })).json()).toEqual({ success: false, log: `No case ${caseId}` });
    // A case row naming a removed case is refused.
    const refused = await uploadResults(studyId, [`Patient Seven\tx@example.org\tGrade\tLow`]);
    expect(refused.json<{ success: boolean }>().success).toBe(false);
    expect(await addCase(studyId, 'Patient Seven')).toBe(caseId);
  });
});

describe('cases from config files', () => {
  it('case: lines of an image list make cases; GetConfigFiles writes them and a clone keeps them', async () => {
    const name = uniqueStudyName('cases-files');
    const studyId = await createStudy(name, {
      [`study.${name}.emails`]: 'x@example.org\n',
      [`${name}/one.tiff`]: fixture('slidescore-test-image.tiff'),
      [`${name}/two.tiff`]: fixture('slidescore-test-image.tiff'),
      [`${name}/three.tiff`]: fixture('slidescore-test-image.tiff'),
      [`study.${name}.images`]: `${name}/three.tiff\ncase: Patient A\n${name}/one.tiff\n${name}/two.tiff;;;Second\ncase: Empty case\n`,
    });
    const listed = await cases(studyId);
    expect(listed.map((c) => c.name)).toEqual(['Patient A', 'Empty case']);
    const patientA = listed.find((c) => c.name === 'Patient A')?.id;
    const byFile = new Map((await images(studyId)).map((i) => [i.fileName, i as ImageWithCase]));
    expect(byFile.get('one.tiff')).toMatchObject({ caseID: patientA, caseName: 'Patient A' });
    expect(byFile.get('two.tiff')).toMatchObject({ name: 'Second', caseID: patientA });
    expect(byFile.get('three.tiff')).not.toHaveProperty('caseID');

    const files = (await call('GET', '/Api/GetConfigFiles', { form: { studyid: studyId } })).json<{
      files: Record<string, string>;
    }>().files;
    const list = files[`study.${name}.images`] as string;
    expect(list).toContain('case: Patient A\n');
    expect(list).toContain('case: Empty case');

    const clone = uniqueStudyName('cases-clone');
    await uploadAll(
      Object.fromEntries(
        Object.entries(files).map(([file, text]) => [file.replace(`study.${name}.`, `study.${clone}.`), text]),
      ),
    );
    const cloned = await reimport(clone);
    expect(cloned.success, cloned.log).toBe(true);
    const cloneId = cloned.id as number;
    expect((await cases(cloneId)).map((c) => c.name)).toEqual(['Patient A', 'Empty case']);
    const cloneImages = new Map((await images(cloneId)).map((i) => [i.fileName, i as ImageWithCase]));
    expect(cloneImages.get('one.tiff')).toMatchObject({ caseName: 'Patient A' });
    expect(cloneImages.get('two.tiff')).toMatchObject({ caseName: 'Patient A', name: 'Second' });
    expect(cloneImages.get('three.tiff')).not.toHaveProperty('caseName');
  });

  it('Reimport brings back a removed case and its slides while the image list names them', async () => {
    const name = uniqueStudyName('cases-back');
    const studyId = await createStudy(name, {
      [`study.${name}.emails`]: 'x@example.org\n',
      [`${name}/one.tiff`]: fixture('slidescore-test-image.tiff'),
      [`study.${name}.images`]: `case: Kept\n${name}/one.tiff\n`,
    });
    const [kept] = await cases(studyId);
    expect((await post('/Api/RemoveCase', { caseId: kept?.id as number })).json()).toEqual({ success: true });
    expect(await cases(studyId)).toEqual([]);
    const again = await reimport(name);
    expect(again.log).toContain('Updated case Kept: restored');
    expect(await cases(studyId)).toEqual([kept]);
    expect((await images(studyId))[0]).toMatchObject({ caseID: kept?.id, caseName: 'Kept' });

    // A slide moved out of its case through the API goes back too: the file still says where it is.
    const imageId = ((await images(studyId))[0] as ImageRow).id;
    expect((await post('/Api/SetImageCase', { imageId, caseId: 0 })).json()).toEqual({ success: true });
    await reimport(name);
    expect((await images(studyId))[0]).toMatchObject({ caseID: kept?.id });
  });
});

describe('refusals of the case calls', () => {
  let held: number;
  let other: number;
  let heldImage: number;
  let heldCase: number;
  let otherCase: number;
  let limited: string;

  beforeAll(async () => {
    const a = uniqueStudyName('cases-held');
    const b = uniqueStudyName('cases-other');
    held = await createStudy(a, {
      [`study.${a}.emails`]: 'x@example.org\n',
      [`${a}/one.tiff`]: fixture('slidescore-test-image.tiff'),
    });
    other = await createStudy(b, { [`study.${b}.emails`]: 'x@example.org\n' });
    heldImage = ((await images(held))[0] as ImageRow).id;
    heldCase = await addCase(held, 'Held');
    otherCase = await addCase(other, 'Other');
    limited = await createToken({ capabilities: 'CanManageStudies', studies: String(held) });
  });

  it('answers 403 naming the capability without CanManageStudies', async () => {
    const reader = await createToken({ capabilities: 'CanGetConfig' });
    for (const id of ['AddCase', 'SetImageCase', 'RemoveCase', 'UpdateCaseName']) {
      const reply = await post(`/Api/${id}`, { studyId: held, caseId: heldCase, imageId: heldImage }, reader);
      expect([reply.status, reply.text], id).toEqual([
        403,
        '{"success":false,"log":"This API token lacks the CanManageStudies capability"}',
      ]);
    }
  });

  it('AddCase: 403 for a study outside the token; missing name; unknown study', async () => {
    const refused = await post('/Api/AddCase', { studyId: other, name: 'X' }, limited);
    expect([refused.status, refused.text]).toEqual([
      403,
      `{"success":false,"log":"This API token has no access to study ${other}"}`,
    ]);
    expect((await post('/Api/AddCase', { studyId: held })).text).toBe(
      '{"success":false,"log":"Missing parameter name"}',
    );
    expect((await post('/Api/AddCase', { studyId: 987_654_321, name: 'X' })).text).toBe(
      '{"success":false,"log":"No study 987654321"}',
    );
  });

  it('a case in a study outside the token reads exactly as an unknown case', async () => {
    for (const [id, form] of [
      ['RemoveCase', {}],
      ['UpdateCaseName', { newName: 'Y' }],
    ] as const) {
      const hidden = await post(`/Api/${id}`, { caseId: otherCase, ...form }, limited);
      const unknown = await post(`/Api/${id}`, { caseId: 987_654_321, ...form }, limited);
      expect([hidden.status, hidden.text], id).toEqual([200, `{"success":false,"log":"No case ${otherCase}"}`]);
      expect([unknown.status, unknown.text], id).toEqual([200, '{"success":false,"log":"No case 987654321"}']);
    }
    const hidden = await post('/Api/SetImageCase', { imageId: heldImage, caseId: otherCase }, limited);
    expect([hidden.status, hidden.text]).toEqual([200, `{"success":false,"log":"No case ${otherCase}"}`]);
    const hiddenImage = await post(
      '/Api/SetImageCase',
      { imageId: heldImage, caseId: heldCase },
      await createToken({ capabilities: 'CanManageStudies', studies: String(other) }),
    );
    expect([hiddenImage.status, hiddenImage.text]).toEqual([200, `{"success":false,"log":"No image ${heldImage}"}`]);
  });

  it('SetImageCase refuses a case of another study the token holds', async () => {
    const reply = await post('/Api/SetImageCase', { imageId: heldImage, caseId: otherCase });
    expect([reply.status, reply.text]).toEqual([
      200,
      `{"success":false,"log":"No case ${otherCase} in study ${held}"}`,
    ]);
  });

  it('missing and malformed IDs', async () => {
    expect((await post('/Api/RemoveCase', {})).text).toBe('{"success":false,"log":"Missing parameter caseId"}');
    expect((await post('/Api/UpdateCaseName', { caseId: heldCase })).text).toBe(
      '{"success":false,"log":"Missing parameter newName"}',
    );
    expect((await post('/Api/SetImageCase', { imageId: 'x', caseId: heldCase })).text).toBe(
      '{"success":false,"log":"Parameter imageId must be a whole number, not \\"x\\""}',
    );
  });
});
