import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createToken } from '../support/http-client.js';
import { scoresJson, scoresTsv, uploadResults } from '../support/results-client.js';
import { type FixtureStudy, studyFixtures } from '../support/study-fixtures.js';

const fixtures = studyFixtures();
afterAll(() => fixtures.close());

const QUESTIONS = [
  { name: 'Ki67', type: 'Percentage' as const },
  { name: 'Grade', type: 'Integer' as const, valuesAllowed: '1;3' },
  { name: 'Tumor', type: 'AnnoShapes' as const, valuesAllowed: '#ff0000' },
  { name: 'Notes', type: 'FreeText' as const },
  { name: 'Diagnosis', type: 'DropDown' as const, valuesAllowed: 'Benign;;Carcinoma' },
];

let study: FixtureStudy;
let slide: number;
let other: number;

beforeAll(async () => {
  study = await fixtures.create({
    cases: ['Patient 7'],
    images: ['biopsy.svs', 'resection.svs', { name: 'tma-01.svs', caseName: 'Patient 7' }],
    questions: QUESTIONS,
  });
  slide = study.image('biopsy.svs').id;
  other = study.image('resection.svs').id;
});

describe('UploadResults', () => {
  it('saves rows as the SDK sends them and replies exactly {"success":true}; Scores returns them', async () => {
    const target = await fixtures.create({ images: ['a.svs'], questions: QUESTIONS });
    const image = target.image('a.svs').id;
    const reply = await uploadResults(target.id, [
      `${image}\ta.svs\tJan@NKI.nl\tKi67\t35`,
      `${image}\ta.svs\tjan@nki.nl\tTumor\t[{"type":"polygon","points":[{"x":1,"y":2}]}]`,
    ]);
    expect(reply.status).toBe(200);
    expect(reply.text).toBe('{"success":true}');
    const scores = await scoresJson(target.id);
    expect(scores.map(({ id: _id, lastModifiedOn: _on, ...rest }) => rest)).toEqual([
      { imageID: image, imageName: 'a.svs', user: 'Jan@NKI.nl', question: 'Ki67', answer: '35' },
      {
        imageID: image,
        imageName: 'a.svs',
        user: 'Jan@NKI.nl',
        question: 'Tumor',
        answer: '[{"type":"polygon","points":[{"x":1,"y":2}]}]',
      },
    ]);
    for (const item of scores) expect(Number.isSafeInteger(item.id)).toBe(true);
  });

  it('skips the first line whatever it holds: empty, #header or a real header', async () => {
    const target = await fixtures.create({ images: ['a.svs'], questions: QUESTIONS });
    const image = target.image('a.svs').id;
    for (const [header, user] of [
      ['', 'one@x.nl'],
      ['#header', 'two@x.nl'],
      ['ImageID\tImage Name\tBy\tQuestion\tAnswer', 'three@x.nl'],
    ] as const) {
      const reply = await uploadResults(target.id, [`${image}\ta.svs\t${user}\tNotes\thello`], { header });
      expect(reply.json()).toEqual({ success: true });
    }
    expect((await scoresJson(target.id)).map((s) => s.user).sort()).toEqual(['one@x.nl', 'three@x.nl', 'two@x.nl']);
  });

  it('refuses the whole upload when one row is bad, names every bad line, and saves nothing', async () => {
    const target = await fixtures.create({
      cases: ['Case A'],
      images: ['a.svs', { name: 'in-case.svs', caseName: 'Case A' }],
      questions: QUESTIONS,
    });
    const image = target.image('a.svs').id;
    const inCase = target.image('in-case.svs').id;
    const reply = await uploadResults(target.id, [
      `${image}\ta.svs\tjan@nki.nl\tKi67\t35`, // line 2: good
      `${image}\ta.svs\tjan@nki.nl\tki67\t35`, // 3: unknown question
      `999999999\tghost.svs\tjan@nki.nl\tKi67\t35`, // 4: image not in the study
      `${image}\tghost.svs\tjan@nki.nl\tKi67\t35`, // 5: good (the ImageID decides; the name is noted)
      `${image}\ta.svs\tnot-an-email\tKi67\t35`, // 6: bad email
      `${image}\ta.svs\tjan@nki.nl\tGrade\t7`, // 7: out of bounds
      `${image}\ta.svs\tjan@nki.nl\tKi67\t120`, // 8: not a percentage
      `Case B\tjan@nki.nl\tDiagnosis\tBenign`, // 9: no such case
      `Case A\t${image}\ta.svs\tjan@nki.nl\tKi67\t1`, // 10: image not in that case
      `Case A\t${inCase}\tin-case.svs\tjan@nki.nl\tKi67\t1`, // 11: good
      `${image}\ta.svs\tjan@nki.nl\tTumor\t[{"type":"nonsense"}]`, // 12: bad annotation
      `1\t2\t3`, // 13: too few columns
    ]);
    expect(reply.status).toBe(200);
    const body = reply.json<{ success: boolean; log: string }>();
    expect(body.success).toBe(false);
    const lines = body.log.split('\n');
    expect(lines[0]).toBe('9 bad lines; nothing was saved.');
    expect(lines.slice(1).map((l) => l.slice(0, l.indexOf(':')))).toEqual([
      'line 3',
      'line 4',
      'line 6',
      'line 7',
      'line 8',
      'line 9',
      'line 10',
      'line 12',
      'line 13',
    ]);
    expect(body.log).toContain('line 3: the study has no question "ki67"; did you mean "Ki67"?');
    expect(body.log).toContain('line 4: the study has no image 999999999');
    expect(body.log).toContain('line 6:');
    expect(body.log).toContain('not-an-email');
    expect(body.log).toContain('line 9: the study has no case "Case B"');
    expect(body.log).toContain(`line 10: image ${image} is in no case, not in case "Case A"`);
    expect(await scoresJson(target.id)).toEqual([]);
  });

  it('accepts the same rows again without changing anything, and replaces a changed answer under its id', async () => {
    const target = await fixtures.create({ images: ['a.svs', 'b.svs'], questions: QUESTIONS });
    const [a, b] = [target.image('a.svs').id, target.image('b.svs').id];
    const rows = [`${a}\ta.svs\tjan@nki.nl\tKi67\t35`, `${b}\tb.svs\tjan@nki.nl\tKi67\t40`];
    expect((await uploadResults(target.id, rows)).json()).toEqual({ success: true });
    const first = await scoresJson(target.id);
    expect((await uploadResults(target.id, rows)).json()).toEqual({ success: true });
    expect(await scoresJson(target.id)).toEqual(first);

    expect((await uploadResults(target.id, [`${a}\ta.svs\tjan@nki.nl\tKi67\t50`])).json()).toEqual({ success: true });
    const after = await scoresJson(target.id);
    expect(after).toHaveLength(2);
    expect(after[0]).toMatchObject({ id: first[0]?.id, answer: '50' });
    expect(after[0]?.lastModifiedOn).not.toBe(first[0]?.lastModifiedOn);
    expect(after[1]).toEqual(first[1]);
  });

  it('gives the By email back as first written in the study, matching it ignoring case', async () => {
    const target = await fixtures.create({ images: ['a.svs'], questions: QUESTIONS });
    const image = target.image('a.svs').id;
    expect((await uploadResults(target.id, [`${image}\ta.svs\tPyTest@Example.com\tKi67\t10`])).json()).toEqual({
      success: true,
    });
    const [first] = await scoresJson(target.id);
    expect(first?.user).toBe('PyTest@Example.com');
    // The same user in another spelling: the same answer (replaced under its id), the first spelling kept.
    expect(
      (
        await uploadResults(target.id, [
          `${image}\ta.svs\tpytest@example.com\tKi67\t20`,
          `${image}\ta.svs\tPYTEST@EXAMPLE.COM\tNotes\tmore`,
        ])
      ).json(),
    ).toEqual({ success: true });
    const after = await scoresJson(target.id);
    expect(after.map((s) => [s.user, s.question, s.answer])).toEqual([
      ['PyTest@Example.com', 'Ki67', '20'],
      ['PyTest@Example.com', 'Notes', 'more'],
    ]);
    expect(after[0]?.id).toBe(first?.id);
    expect((await scoresJson(target.id, { email: 'PYTEST@example.COM' })).length).toBe(2);
    const tsv = await scoresTsv(target.id);
    expect(tsv.text.split('\n')[1]).toBe(`${image}\ta.svs\tPyTest@Example.com\tKi67\t20`);
  });

  it('matches rows by ImageID: a file written before the slide was renamed is saved, with a note in log', async () => {
    const target = await fixtures.create({ images: ['a.svs'], questions: QUESTIONS });
    const image = target.image('a.svs').id;
    const renamed = await call('POST', '/Api/UpdateSlideName', { form: { imageId: image, newName: 'Renamed' } });
    expect(renamed.json()).toEqual({ success: true });
    const reply = await uploadResults(target.id, [
      `${image}\tRenamed\tjan@nki.nl\tNotes\tnew name`,
      `${image}\ta.svs\tjan@nki.nl\tKi67\t35`,
    ]);
    expect(reply.status).toBe(200);
    const body = reply.json<{ success: boolean; log: string }>();
    expect(body.success).toBe(true);
    expect(body.log.split('\n')).toEqual([
      expect.stringMatching(/^Saved\. 1 line named its image other than the study does now/),
      `line 3: image ${image} is named "Renamed", not "a.svs"; saved for image ${image}`,
    ]);
    expect((await scoresJson(target.id)).map((s) => [s.imageID, s.imageName, s.question, s.answer])).toEqual([
      [image, 'Renamed', 'Ki67', '35'],
      [image, 'Renamed', 'Notes', 'new name'],
    ]);
  });

  it('takes the last of two rows for the same slide, user and question', async () => {
    const target = await fixtures.create({ images: ['a.svs'], questions: QUESTIONS });
    const a = target.image('a.svs').id;
    await uploadResults(target.id, [`${a}\ta.svs\tjan@nki.nl\tKi67\t1`, `${a}\ta.svs\tjan@nki.nl\tKi67\t2`]);
    expect((await scoresJson(target.id)).map((s) => s.answer)).toEqual(['2']);
  });

  it('stores answers in their normal form and users who are not study members', async () => {
    const target = await fixtures.create({ images: ['a.svs'], questions: QUESTIONS });
    const a = target.image('a.svs').id;
    await uploadResults(target.id, [
      `${a}\ta.svs\tAlgorithm@Lab.example\tKi67\t35,5%`,
      `${a}\ta.svs\talgorithm@lab.example\tDiagnosis\tcarcinoma`,
    ]);
    // One user, in the spelling first written in the study.
    expect((await scoresJson(target.id)).map((s) => [s.user, s.answer])).toEqual([
      ['Algorithm@Lab.example', '35.5'],
      ['Algorithm@Lab.example', 'Carcinoma'],
    ]);
  });

  it('round-trips TMA cores, slides in cases and case-level answers through the TSV download', async () => {
    const target = await fixtures.create({
      cases: ['Patient 7'],
      images: ['plain.svs', { name: 'tma.svs', caseName: 'Patient 7' }],
      questions: QUESTIONS,
    });
    const plain = target.image('plain.svs').id;
    const tma = target.image('tma.svs').id;
    const reply = await uploadResults(target.id, [
      `${plain}\tplain.svs\tjan@nki.nl\tKi67\t10`, // 5 columns
      `${tma}\ttma.svs\tjan@nki.nl\t0\t3\tS-0042\tKi67\t20`, // 8 columns
      `Patient 7\t${tma}\ttma.svs\tjan@nki.nl\t1\t0\t\tKi67\t30`, // 9 columns, no sample ID
      `Patient 7\t${tma}\ttma.svs\tjan@nki.nl\tNotes\ttab\tinside`, // 6 columns, answer with a TAB
      `Patient 7\tjan@nki.nl\tDiagnosis\tCarcinoma`, // 4 columns: case-level
    ]);
    expect(reply.json()).toEqual({ success: true });

    const json = await scoresJson(target.id);
    const byAnswer = new Map(json.map((s) => [s.answer, s]));
    expect(byAnswer.get('Carcinoma')).toEqual({
      id: expect.any(Number),
      imageID: null,
      imageName: '',
      caseName: 'Patient 7',
      user: 'jan@nki.nl',
      question: 'Diagnosis',
      answer: 'Carcinoma',
      lastModifiedOn: expect.any(String),
    });
    expect(byAnswer.get('10')).not.toHaveProperty('caseName');
    expect(byAnswer.get('10')).not.toHaveProperty('tmaRow');
    expect(byAnswer.get('20')).toMatchObject({ caseName: 'Patient 7', tmaRow: 0, tmaCol: 3, tmaSampleID: 'S-0042' });
    expect(byAnswer.get('30')).toMatchObject({ tmaRow: 1, tmaCol: 0, tmaSampleID: '' });
    expect(byAnswer.get('tab\tinside')).not.toHaveProperty('tmaRow');

    const tsv = await scoresTsv(target.id);
    expect(tsv.headers['content-type']).toBe('text/tab-separated-values; charset=utf-8');
    expect(tsv.text).toBe(
      [
        'CaseName\tImageID\tImage Name\tBy\tTMA Row\tTMA Col\tTMA Sample\tQuestion\tAnswer',
        'Patient 7\t\t\tjan@nki.nl\t\t\t\tDiagnosis\tCarcinoma',
        `\t${plain}\tplain.svs\tjan@nki.nl\t\t\t\tKi67\t10`,
        `Patient 7\t${tma}\ttma.svs\tjan@nki.nl\t\t\t\tNotes\ttab\tinside`,
        `Patient 7\t${tma}\ttma.svs\tjan@nki.nl\t0\t3\tS-0042\tKi67\t20`,
        `Patient 7\t${tma}\ttma.svs\tjan@nki.nl\t1\t0\t\tKi67\t30`,
        '',
      ].join('\n'),
    );

    // The download uploads back as it is, and changes nothing.
    const before = await scoresJson(target.id);
    const back = await uploadResults(target.id, tsv.text.split('\n').slice(1), { header: tsv.text.split('\n')[0] });
    expect(back.json()).toEqual({ success: true });
    expect(await scoresJson(target.id)).toEqual(before);
  });

  it('accepts a body with only a header, and refuses a call without results', async () => {
    expect((await uploadResults(study.id, [])).json()).toEqual({ success: true });
    const { call } = await import('../support/http-client.js');
    const reply = await call('POST', '/Api/UploadResults', { form: { studyid: study.id } });
    expect(reply.status).toBe(200);
    expect(reply.json()).toEqual({ success: false, log: 'Missing parameter results' });
  });

  it('needs CanUploadScores and the study in the token; an unknown study is a logical error', async () => {
    const row = [`${slide}\tbiopsy.svs\tjan@nki.nl\tKi67\t1`];
    const readOnly = await createToken({ capabilities: 'CanGetResults', studies: String(study.id) });
    expect((await uploadResults(study.id, row, { token: readOnly })).status).toBe(403);
    const elsewhere = await createToken({ capabilities: 'CanUploadScores', studies: String(study.id + 100000) });
    const refused = await uploadResults(study.id, row, { token: elsewhere });
    expect(refused.status).toBe(403);
    expect(refused.json()).toEqual({ success: false, log: `This API token has no access to study ${study.id}` });
    const scoped = await createToken({ capabilities: 'CanUploadScores', studies: String(study.id) });
    expect((await uploadResults(study.id, row, { token: scoped })).json()).toEqual({ success: true });
    expect((await uploadResults(999_999_999, row)).json()).toEqual({ success: false, log: 'No study 999999999' });
    expect(other).toBeGreaterThan(0);
  });
});
