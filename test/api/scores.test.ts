import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createToken } from '../support/http-client.js';
import { type ScoreItem, scoresJson, scoresTsv, uploadResults } from '../support/results-client.js';
import { type FixtureStudy, studyFixtures } from '../support/study-fixtures.js';

const fixtures = studyFixtures();
afterAll(() => fixtures.close());

let study: FixtureStudy;
let a: number;
let b: number;
let inCase: number;

beforeAll(async () => {
  study = await fixtures.create({
    cases: ['Patient 7', 'Patient 8'],
    images: ['a.svs', 'b.svs', { name: 'c.svs', caseName: 'Patient 7' }],
    questions: [
      { name: 'Ki67', type: 'Percentage' },
      { name: 'Notes', type: 'FreeText' },
    ],
  });
  a = study.image('a.svs').id;
  b = study.image('b.svs').id;
  inCase = study.image('c.svs').id;
  const reply = await uploadResults(study.id, [
    `${a}\ta.svs\tjan@nki.nl\tKi67\t10`,
    `${a}\ta.svs\tan@nki.nl\tKi67\t11`,
    `${a}\ta.svs\tjan@nki.nl\tNotes\tfine`,
    `${b}\tb.svs\tjan@nki.nl\tKi67\t20`,
    `Patient 7\t${inCase}\tc.svs\tjan@nki.nl\tKi67\t30`,
    `Patient 7\tjan@nki.nl\tNotes\tcase note`,
    `Patient 8\tan@nki.nl\tNotes\tother case`,
  ]);
  expect(reply.json()).toEqual({ success: true });
});

const answers = (items: ScoreItem[]) => items.map((s) => s.answer);

describe('Scores', () => {
  it('answers JSON when Accept contains application/json, with keys that do not apply left out', async () => {
    const reply = await call('GET', '/Api/Scores', {
      form: { studyid: study.id },
      headers: { accept: 'text/html, application/json;q=0.9' },
    });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('application/json; charset=utf-8');
    const items = reply.json<ScoreItem[]>();
    expect(answers(items)).toEqual(['case note', 'other case', '11', '10', 'fine', '20', '30']);
    const plain = items.find((s) => s.answer === '10') as ScoreItem;
    expect(Object.keys(plain).sort()).toEqual(
      ['answer', 'id', 'imageID', 'imageName', 'lastModifiedOn', 'question', 'user'].sort(),
    );
    expect(items.find((s) => s.answer === '30')).toMatchObject({ imageID: inCase, caseName: 'Patient 7' });
    expect(reply.text).not.toContain('null,"imageName":"a.svs"');
    expect(reply.text).not.toMatch(/"tmaRow"|"tmaSampleID"/);
  });

  it('answers TSV otherwise, whole-slide header byte for byte for a study without cases or cores', async () => {
    const simple = await fixtures.create({ images: ['x.svs'], questions: [{ name: 'Q', type: 'FreeText' }] });
    const x = simple.image('x.svs').id;
    await uploadResults(simple.id, [`${x}\tx.svs\tjan@nki.nl\tQ\tsome text`]);
    for (const accept of ['*/*', 'text/tab-separated-values', undefined]) {
      const reply = await call('GET', '/Api/Scores', {
        form: { studyid: simple.id },
        headers: accept === undefined ? { accept: '' } : { accept },
      });
      expect(reply.headers['content-type']).toBe('text/tab-separated-values; charset=utf-8');
      expect(reply.text).toBe(`ImageID\tImage Name\tBy\tQuestion\tAnswer\n${x}\tx.svs\tjan@nki.nl\tQ\tsome text\n`);
    }
  });

  it('answers the header alone, or [], for a study without answers', async () => {
    const empty = await fixtures.create({ images: ['x.svs'], questions: [{ name: 'Q', type: 'FreeText' }] });
    expect((await scoresTsv(empty.id)).text).toBe('ImageID\tImage Name\tBy\tQuestion\tAnswer\n');
    expect(await scoresJson(empty.id)).toEqual([]);
  });

  it('takes its parameters from a GET form body, a POST form body or the query string, in any case', async () => {
    const viaGet = await scoresJson(study.id);
    const viaPost = await call('POST', '/Api/Scores', { form: { studyid: study.id } });
    const viaQuery = await call('GET', '/Api/Scores', { query: { studyId: study.id, imageId: a } });
    expect(viaPost.json()).toEqual(viaGet);
    expect(answers(viaQuery.json<ScoreItem[]>())).toEqual(['11', '10', 'fine']);
  });

  it('filters by question (its name, in any case), email, image and case', async () => {
    expect(answers(await scoresJson(study.id, { question: 'ki67' }))).toEqual(['11', '10', '20', '30']);
    expect(answers(await scoresJson(study.id, { email: 'AN@nki.nl' }))).toEqual(['other case', '11']);
    expect(answers(await scoresJson(study.id, { imageid: a, email: 'jan@nki.nl' }))).toEqual(['10', 'fine']);
    expect(answers(await scoresJson(study.id, { caseid: study.caseNamed('Patient 7').id }))).toEqual([
      'case note',
      '30',
    ]);
    expect(answers(await scoresJson(study.id, { caseid: study.caseNamed('Patient 7').id, imageid: inCase }))).toEqual([
      '30',
    ]);
    // Filters naming nothing in the study match nothing.
    expect(await scoresJson(study.id, { question: 'No such question' })).toEqual([]);
    expect(await scoresJson(study.id, { imageid: 999_999_999 })).toEqual([]);
    expect(await scoresJson(study.id, { caseid: study.caseNamed('Patient 7').id, imageid: a })).toEqual([]);
  });

  it('uses the study layout for filtered TSV downloads too', async () => {
    const reply = await scoresTsv(study.id, { imageid: b });
    expect(reply.text).toBe(
      `CaseName\tImageID\tImage Name\tBy\tQuestion\tAnswer\n\t${b}\tb.svs\tjan@nki.nl\tKi67\t20\n`,
    );
  });

  it('needs CanGetResults and the study in the token; an unknown study is 404; bad numbers are 400', async () => {
    const noResults = await createToken({ capabilities: 'CanUploadScores', studies: String(study.id) });
    expect((await call('GET', '/Api/Scores', { form: { studyid: study.id }, token: noResults })).status).toBe(403);
    const elsewhere = await createToken({ capabilities: 'CanGetResults', studies: String(study.id + 100000) });
    const refused = await call('GET', '/Api/Scores', { form: { studyid: study.id }, token: elsewhere });
    expect(refused.status).toBe(403);
    expect(refused.json()).toEqual({ success: false, log: `This API token has no access to study ${study.id}` });
    const scoped = await createToken({ capabilities: 'CanGetResults', studies: String(study.id) });
    expect(await scoresJson(study.id, {}, scoped)).toHaveLength(7);
    expect((await call('GET', '/Api/Scores', { form: { studyid: study.id }, token: null })).status).toBe(401);
    expect((await call('GET', '/Api/Scores', { form: { studyid: 999_999_999 } })).status).toBe(404);
    expect((await call('GET', '/Api/Scores', { form: { studyid: 'twelve' } })).status).toBe(400);
    expect((await call('GET', '/Api/Scores', { form: { studyid: study.id, imageid: 'x' } })).status).toBe(400);
    expect((await call('GET', '/Api/Scores', {})).status).toBe(400);
  });
});
