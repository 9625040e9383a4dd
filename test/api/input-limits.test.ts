import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../support/http-client.js';
import { uploadResults } from '../support/results-client.js';
import { type FixtureStudy, studyFixtures } from '../support/study-fixtures.js';

// docs/api.md "Input limits": a field beyond its limit is a logical error (item 1 of the reply table), never a 500.
const fixtures = studyFixtures();
afterAll(() => fixtures.close());

const LONG = 'x'.repeat(3000);
const LONG_EMAIL = `${'a'.repeat(3000)}@example.com`;

let study: FixtureStudy;
let slide: number;

beforeAll(async () => {
  study = await fixtures.create({ images: ['limits.svs'], questions: [{ name: 'Notes', type: 'FreeText' as const }] });
  slide = study.image('limits.svs').id;
});

const refusal = (text: string) => JSON.parse(text) as { success: boolean; log: string };

describe('Input limits over HTTP', () => {
  it('refuses a 3 KB study name to Reimport with success:false', async () => {
    const reply = await call('POST', '/Api/Reimport', { form: { studyName: LONG } });
    expect(reply.status).toBe(200);
    expect(refusal(reply.text)).toEqual({ success: false, log: expect.stringContaining('at most 255') });
  });

  it('refuses a 3 KB question name to AddQuestion and UpdateQuestion', async () => {
    const add = await call('POST', '/Api/AddQuestion', {
      form: { studyId: study.id, questionSpec: `${LONG}\tFreeText` },
    });
    expect(add.status).toBe(200);
    expect(refusal(add.text)).toEqual({ success: false, log: expect.stringContaining('at most 255') });
    const question = study.questions.find((q) => q.name === 'Notes')?.id ?? 0;
    const update = await call('POST', '/Api/UpdateQuestion', {
      form: { studyId: study.id, scoreId: question, order: 0, questionSpec: `${LONG}\tFreeText` },
    });
    expect(update.status).toBe(200);
    expect(refusal(update.text)).toEqual({ success: false, log: expect.stringContaining('at most 255') });
  });

  it('refuses names holding line breaks or ESC', async () => {
    const rename = await call('POST', '/Api/UpdateSlideName', { form: { imageId: slide, newName: 'a\nb' } });
    expect(refusal(rename.text)).toEqual({ success: false, log: expect.stringContaining('U+000A') });
    const token = await call('POST', '/Admin/CreateToken', { form: { name: 'evil\u001b[31m' } });
    expect(refusal(token.text)).toEqual({ success: false, log: expect.stringContaining('U+001B') });
    const longToken = await call('POST', '/Admin/CreateToken', { form: { name: LONG } });
    expect(refusal(longToken.text).success).toBe(false);
  });

  it("refuses a description over 256 KB with the route's logical error", async () => {
    const form = { imageId: slide, studyId: study.id, description: 'x'.repeat(262_145) };
    const reply = await call('POST', '/Api/SetSlideDescription', { form });
    expect(reply.status).toBe(200);
    expect(refusal(reply.text)).toEqual({
      success: false,
      log: 'description: the text is 262145 bytes long; at most 262144 are allowed',
    });
  });

  it('refuses slide paths beyond 900 bytes to AddSlide and UpdateSlidePath', async () => {
    const path = `${'folder/'.repeat(200)}slide.svs`;
    const add = await call('POST', '/Api/AddSlide', { form: { studyId: study.id, path } });
    expect(add.status).toBe(200);
    expect(refusal(add.text)).toEqual({
      success: false,
      log: 'path: the file name is 1409 bytes long; at most 900 are allowed',
    });
    const update = await call('POST', '/Api/UpdateSlidePath', { form: { imageId: slide, newPath: path } });
    expect(refusal(update.text).success).toBe(false);
  });

  it('refuses UploadResults rows with a 3 KB email or question name, naming the line', async () => {
    const reply = await uploadResults(study.id, [
      `${slide}\tlimits.svs\t${LONG_EMAIL}\tNotes\tfine`,
      `${slide}\tlimits.svs\tjan@nki.nl\t${LONG}\tfine`,
    ]);
    expect(reply.status).toBe(200);
    const body = refusal(reply.text);
    expect(body.success).toBe(false);
    expect(body.log).toMatch(/line 2: By: the email address is 3012 bytes long/);
    expect(body.log).toMatch(/line 3: Question: the name is 3000 bytes long/);
  });
});
