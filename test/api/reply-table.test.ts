import { beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../functions/routes/manifest.js';
import { call, createToken } from '../support/http-client.js';
import { createStudy, fixture, getJson, type ImageRow, uniqueStudyName } from '../support/studies.js';

/**
 * The reply table of docs/api.md ("Replies and refusals"), checked byte for byte on every route it covers.
 */
const NO_TOKEN = '{"success":false,"log":"An API token is required: send \\"Authorization: Bearer <token>\\""}';
const BAD_TOKEN = '{"success":false,"log":"The API token is malformed"}';

let held: number;
let other: number;
let otherImage: number;
let limited: string;

beforeAll(async () => {
  const a = uniqueStudyName('replies-a');
  const b = uniqueStudyName('replies-b');
  held = await createStudy(a, { [`study.${a}.emails`]: 'x@example.org\n' });
  other = await createStudy(b, {
    [`study.${b}.emails`]: 'x@example.org\n',
    [`${b}/one.tiff`]: fixture('slidescore-test-image.tiff'),
  });
  otherImage = ((await getJson<ImageRow[]>('/Api/Images', { studyid: other }))[0] as ImageRow).id;
  limited = await createToken({
    capabilities: 'CanGetConfig,CanManageStudies,CanGetResults,CanUploadScores,CanUpload',
    studies: String(held),
  });
});

describe('replies and refusals', () => {
  it('answers 401 with one body on every token route when the token is missing or bad', async () => {
    for (const route of ROUTES.filter((r) => r.auth === 'token')) {
      const method = route.methods[0] as string;
      const missing = await call(method, route.path, { token: null });
      expect([missing.status, missing.text], route.id).toEqual([401, NO_TOKEN]);
      expect(missing.headers['www-authenticate'], route.id).toBe('Bearer realm="slidescore"');
      const bad = await call(method, route.path, { token: 'not-a-token' });
      expect([bad.status, bad.text], route.id).toEqual([401, BAD_TOKEN]);
    }
  });

  it('answers 403 naming the capability on every route that needs one', async () => {
    const bare = await createToken({ capabilities: '' });
    for (const route of ROUTES.filter((r) => r.auth === 'token' && 'capability' in r)) {
      const reply = await call(route.methods[0] as string, route.path, { token: bare });
      const capability = (route as { capability: string }).capability;
      expect([reply.status, reply.text], route.id).toEqual([
        403,
        `{"success":false,"log":"This API token lacks the ${capability} capability"}`,
      ]);
    }
  });

  it('answers logical errors on success routes with HTTP 200 and success:false', async () => {
    const missing = await call('GET', '/Api/GetSlidePath', {});
    expect([missing.status, missing.text]).toEqual([200, '{"success":false,"log":"Missing parameter imageId"}']);
    const notNumber = await call('GET', '/Api/GetConfig', { form: { studyid: 'x' } });
    expect([notNumber.status, notNumber.text]).toEqual([
      200,
      '{"success":false,"log":"Parameter studyid must be a whole number, not \\"x\\""}',
    ]);
    const unknown = await call('GET', '/Api/GetConfig', { form: { studyid: 987_654_321 } });
    expect([unknown.status, unknown.text]).toEqual([200, '{"success":false,"log":"No study 987654321"}']);
  });

  it('answers logical errors on bare-string routes with HTTP 200 and a JSON string', async () => {
    const finish = await call('POST', '/Api/FinishUpload', { form: { token: 'x' } });
    expect([finish.status, finish.text]).toEqual([200, '"Missing parameter id"']);
    const request = await call('POST', '/Api/RequestUpload', { form: { filename: '', folder: '' } });
    expect(request.status).toBe(200);
    expect(request.text.startsWith('"')).toBe(true);
  });

  it('answers logical errors on data routes with 400 or 404 and a JSON body', async () => {
    const missing = await call('GET', '/Api/Images', {});
    expect([missing.status, missing.text]).toEqual([400, '{"success":false,"log":"Missing parameter studyid"}']);
    const unknown = await call('GET', '/Api/Questions', { form: { studyId: 987_654_321 } });
    expect([unknown.status, unknown.text]).toEqual([404, '{"success":false,"log":"No study 987654321"}']);
  });

  it('refuses a study named directly with one body whether or not it exists', async () => {
    const body = (id: number | string) => `{"success":false,"log":"This API token has no access to study ${id}"}`;
    for (const [path, key] of [
      ['/Api/Images', 'studyid'],
      ['/Api/GetConfig', 'studyid'],
      ['/Api/Scores', 'studyid'],
    ] as const) {
      for (const id of [other, 987_654_321]) {
        const reply = await call('GET', path, { token: limited, form: { [key]: id } });
        expect([reply.status, reply.text], `${path} ${id}`).toEqual([403, body(id)]);
      }
    }
  });

  it('refuses Reimport of a study the token does not hold with one body whether or not it exists', async () => {
    const names = [
      (await getJson<{ id: number; name: string }[]>('/Api/Studies', {})).find((s) => s.id === other)?.name,
    ];
    names.push(uniqueStudyName('never-made'));
    for (const name of names) {
      const reply = await call('POST', '/Api/Reimport', { token: limited, form: { studyName: name as string } });
      expect([reply.status, reply.text]).toEqual([
        403,
        `{"success":false,"log":"This API token has no access to a study named ${name} (it is limited to other studies)"}`,
      ]);
    }
  });

  it('answers an image of a study the token does not hold exactly as an image that does not exist', async () => {
    for (const path of ['/Api/GetSlidePath', '/Api/GetSlideDescription']) {
      const hidden = await call('GET', path, { token: limited, form: { imageId: otherImage } });
      const absent = await call('GET', path, { token: limited, form: { imageId: 987_654_321 } });
      expect(hidden.status).toBe(absent.status);
      expect(hidden.text.replace(String(otherImage), 'N')).toBe(absent.text.replace('987654321', 'N'));
    }
    const rename = await call('POST', '/Api/UpdateSlideName', {
      token: limited,
      form: { imageId: otherImage, newName: 'x' },
    });
    expect(rename.text).toBe(`{"success":false,"log":"No image ${otherImage}"}`);
  });
});
