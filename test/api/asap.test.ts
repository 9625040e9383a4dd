import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createToken, type Reply } from '../support/http-client.js';
import { scoresJson } from '../support/results-client.js';
import { type FixtureStudy, studyFixtures } from '../support/study-fixtures.js';

const fixtures = studyFixtures();
afterAll(() => fixtures.close());

const QUESTIONS = [
  { name: 'Tumour', type: 'AnnoShapes' as const, valuesAllowed: '#e6194b' },
  { name: 'Mitoses', type: 'AnnoPoints' as const, valuesAllowed: '#00ff00' },
  { name: 'Grade', type: 'Integer' as const, valuesAllowed: '1;3' },
];

/** The SDK test's file: two annotations of group "red", one black and one #e6194b, tabs after the root. */
const SDK_FILE = `<?xml version="1.0"?>
<ASAP_Annotations>\t\t<Annotations>
\t\t<Annotation Name="Annotation 0" Type="Polygon" PartOfGroup="red" Color="#000000">
\t\t\t<Coordinates>
\t\t\t\t<Coordinate Order="0" X="10" Y="10" />
\t\t\t\t<Coordinate Order="1" X="20" Y="10" />
\t\t\t\t<Coordinate Order="2" X="20" Y="20" />
\t\t\t</Coordinates>
\t\t</Annotation>
\t\t<Annotation Name="Annotation 1" Type="Polygon" PartOfGroup="red" Color="#e6194b">
\t\t\t<Coordinates>
\t\t\t\t<Coordinate Order="0" X="40444" Y="37114" />
\t\t\t\t<Coordinate Order="1" X="40454.5" Y="37104" />
\t\t\t\t<Coordinate Order="2" X="40464" Y="37124.25" />
\t\t\t</Coordinates>
\t\t</Annotation>
\t</Annotations>
\t<AnnotationGroups>
\t\t<Group Name="red" PartOfGroup="None" Color="#e6194b"><Attributes /></Group>
\t</AnnotationGroups>
</ASAP_Annotations>`;

interface Shape {
  type: string;
  group?: string;
  color?: string;
  points: [number, number][];
}

function asap(shapes: readonly Shape[]): string {
  const annotations = shapes.map(
    (s, i) =>
      `<Annotation Name="A${i}" Type="${s.type}" PartOfGroup="${s.group ?? 'None'}"${s.color ? ` Color="${s.color}"` : ''}><Coordinates>${s.points
        .map(([x, y], o) => `<Coordinate Order="${o}" X="${x}" Y="${y}"/>`)
        .join('')}</Coordinates></Annotation>`,
  );
  return `<?xml version="1.0"?><ASAP_Annotations><Annotations>${annotations.join('')}</Annotations><AnnotationGroups /></ASAP_Annotations>`;
}

function upload(form: Record<string, string | number>, token?: string): Promise<Reply> {
  return call('POST', '/Api/UploadASAPAnnotations', { form, ...(token !== undefined ? { token } : {}) });
}

function exportAsap(form: Record<string, string | number>, method = 'GET', token?: string): Promise<Reply> {
  return call(method, '/Api/ExportASAPAnnotations', { form, ...(token !== undefined ? { token } : {}) });
}

async function answerOf(study: FixtureStudy, user: string, question: string): Promise<unknown> {
  const rows = await scoresJson(study.id, { email: user, question });
  return rows.length === 0 ? undefined : JSON.parse(rows[0]?.answer ?? '');
}

let study: FixtureStudy;
let image: number;

beforeAll(async () => {
  study = await fixtures.create({ images: ['a.svs', 'b.svs'], questions: QUESTIONS });
  image = study.image('a.svs').id;
});

describe('UploadASAPAnnotations', () => {
  it('imports the SDK test file with a questionsMap: the mapped colour only, {"success":true}', async () => {
    const reply = await upload({
      imageid: image,
      user: 'sdk@example.org',
      questionsMap: '#e6194b;Tumour',
      asapAnnotation: SDK_FILE,
    });
    expect(reply.status).toBe(200);
    expect(reply.text).toBe('{"success":true}');
    expect(await answerOf(study, 'sdk@example.org', 'Tumour')).toEqual([
      {
        type: 'polygon',
        points: [
          { x: 40444, y: 37114 },
          { x: 40454.5, y: 37104 },
          { x: 40464, y: 37124.25 },
        ],
      },
    ]);
  });

  it.each([
    ['#E6194B;Tumour', 'upper case with #'],
    ['e6194b;Tumour', 'without #'],
    ['E6194b;Tumour\n', 'mixed case, trailing newline'],
    ['red;Tumour', 'a group name'],
  ])('matches the key %j (%s), imageId spelled either way', async (questionsMap, _) => {
    const user = `key-${questionsMap.trim().replace(/[^a-z0-9]/gi, '')}@example.org`;
    const reply = await upload({ imageId: image, user, questionsMap, asapAnnotation: SDK_FILE });
    expect(reply.json()).toEqual({ success: true });
    const answer = (await answerOf(study, user, 'Tumour')) as unknown[];
    // By group name both "red" annotations match; by colour only one.
    expect(answer).toHaveLength(questionsMap.startsWith('red') ? 2 : 1);
  });

  it('maps Dot and PointSet to points, Rectangle to rect, and replaces the previous answer', async () => {
    const user = 'replace@example.org';
    const file = asap([
      { type: 'Dot', color: '#00FF00', points: [[5, 6]] },
      {
        type: 'PointSet',
        color: '#00ff00',
        points: [
          [7, 8],
          [9, 10],
        ],
      },
      {
        type: 'Rectangle',
        color: '#e6194b',
        points: [
          [100, 200],
          [300, 200],
          [300, 250],
          [100, 250],
        ],
      },
    ]);
    const map = '#00ff00;Mitoses\n#e6194b;Tumour';
    expect((await upload({ imageid: image, user, questionsMap: map, asapAnnotation: file })).json()).toEqual({
      success: true,
    });
    expect(await answerOf(study, user, 'Mitoses')).toEqual([
      { x: 5, y: 6 },
      { x: 7, y: 8 },
      { x: 9, y: 10 },
    ]);
    expect(await answerOf(study, user, 'Tumour')).toEqual([
      { type: 'rect', corner: { x: 100, y: 200 }, size: { x: 200, y: 50 } },
    ]);
    const second = asap([{ type: 'Dot', color: '#00ff00', points: [[1, 1]] }]);
    expect((await upload({ imageid: image, user, questionsMap: map, asapAnnotation: second })).json()).toEqual({
      success: true,
    });
    expect(await answerOf(study, user, 'Mitoses')).toEqual([{ x: 1, y: 1 }]);
  });

  it('without a questionsMap creates a question per colour (needs CanManageStudies), named after the group', async () => {
    const target = await fixtures.create({ images: ['a.svs'], questions: [] });
    const img = target.image('a.svs').id;
    const file = asap([
      {
        type: 'Polygon',
        group: 'stroma',
        color: '#123456',
        points: [
          [1, 1],
          [2, 1],
          [2, 2],
        ],
      },
      { type: 'Dot', group: 'stroma', color: '#123456', points: [[3, 3]] },
      { type: 'Dot', color: '#abcdef', points: [[4, 4]] },
    ]);
    const uploadOnly = await createToken({ capabilities: 'CanUploadScores', studies: String(target.id) });
    const refused = await upload({ imageid: img, user: 'new@example.org', asapAnnotation: file }, uploadOnly);
    expect(refused.status).toBe(403);
    expect(refused.json<{ log: string }>().log).toContain('CanManageStudies');
    const questionsBefore = await call('GET', '/Api/Questions', { form: { studyid: target.id } });
    expect(questionsBefore.json()).toEqual([]);

    const reply = await upload({
      imageid: img,
      user: 'new@example.org',
      asapAnnotation: file,
      annotationName: 'run 1',
    });
    expect(reply.json()).toEqual({ success: true });
    const questions = (await call('GET', '/Api/Questions', { form: { studyid: target.id } })).json<
      { name: string; typeName: string; valuesAllowed?: string }[]
    >();
    expect(questions.map((q) => [q.name, q.typeName])).toEqual(
      expect.arrayContaining([
        ['stroma (Polygon)', 'AnnoShapes'],
        ['stroma (Dot)', 'AnnoPoints'],
        ['#abcdef', 'AnnoPoints'],
      ]),
    );
    expect(await answerOf(target, 'new@example.org', '#abcdef')).toEqual([{ x: 4, y: 4 }]);
    // Again: the questions are reused, not created twice.
    expect((await upload({ imageid: img, user: 'new@example.org', asapAnnotation: file })).json()).toEqual({
      success: true,
    });
    expect((await call('GET', '/Api/Questions', { form: { studyid: target.id } })).json<unknown[]>()).toHaveLength(3);
  });

  it('refuses a token without CanUploadScores (403) and an image of another study as an unknown image', async () => {
    const readOnly = await createToken({ capabilities: 'CanGetResults', studies: String(study.id) });
    const form = { imageid: image, user: 'x@example.org', questionsMap: '#e6194b;Tumour', asapAnnotation: SDK_FILE };
    expect((await upload(form, readOnly)).status).toBe(403);
    const elsewhere = await createToken({ capabilities: 'CanUploadScores', studies: String(study.id + 100_000) });
    const hidden = await upload(form, elsewhere);
    const missing = await upload({ ...form, imageid: 999_999_999 });
    expect(hidden.status).toBe(missing.status);
    expect(hidden.json()).toEqual({ success: false, log: `No image ${image}` });
    expect(missing.json()).toEqual({ success: false, log: 'No image 999999999' });
    expect(await answerOf(study, 'x@example.org', 'Tumour')).toBeUndefined();
  });

  it('refuses a DOCTYPE (no entities), bad XML naming its line, and bad questionsMap lines, writing nothing', async () => {
    const user = 'refused@example.org';
    const base = { imageid: image, user, questionsMap: '#e6194b;Tumour' };
    const doctype = `<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">]>\n${SDK_FILE.replace(/^<\?xml[^>]*>\n/, '')}`;
    const withDoctype = await upload({ ...base, asapAnnotation: doctype });
    expect(withDoctype.status).toBe(200);
    expect(withDoctype.json<{ success: boolean; log: string }>()).toEqual({
      success: false,
      log: expect.stringMatching(/^asapAnnotation: line 2, column \d+: a DOCTYPE is not accepted/),
    });
    const broken = SDK_FILE.replace('<Coordinate Order="1" X="20" Y="10" />', '<Coordinate Order="1" X="20" Y="10">');
    const bad = await upload({ ...base, asapAnnotation: broken });
    expect(bad.json<{ success: boolean; log: string }>()).toEqual({
      success: false,
      log: expect.stringMatching(/^asapAnnotation: line 8, column \d+: not well-formed XML/),
    });
    const notNumber = await upload({ ...base, asapAnnotation: SDK_FILE.replace('X="20" Y="20"', 'X="20" Y="abc"') });
    expect(notNumber.json<{ log: string }>().log).toMatch(/line 7, column \d+: Y="abc" is not a number/);
    const unknownQuestion = await upload({
      ...base,
      questionsMap: '#e6194b;Tumour\n#000000;Nope',
      asapAnnotation: SDK_FILE,
    });
    expect(unknownQuestion.json()).toEqual({
      success: false,
      log: 'questionsMap line 2: the study has no question "Nope"',
    });
    const noSemicolon = await upload({ ...base, questionsMap: 'e6194b Tumour', asapAnnotation: SDK_FILE });
    expect(noSemicolon.json<{ log: string }>().log).toMatch(/^questionsMap line 1: .* needs the form/);
    const wrongType = await upload({ ...base, questionsMap: 'e6194b;Grade', asapAnnotation: SDK_FILE });
    expect(wrongType.json<{ log: string }>().log).toContain('question "Grade" is Integer');
    const missing = await upload({ imageid: image, user, questionsMap: '#e6194b;Tumour' });
    expect(missing.json()).toEqual({ success: false, log: 'Missing parameter asapAnnotation' });
    expect(await answerOf(study, user, 'Tumour')).toBeUndefined();
  });
});

describe('ExportASAPAnnotations', () => {
  it('exports polygons, rects and points that import back exactly (GET and POST), XML starting with <', async () => {
    const user = 'roundtrip@example.org';
    const target = await fixtures.create({ images: ['a.svs'], questions: QUESTIONS });
    const img = target.image('a.svs').id;
    const shapes = [
      {
        type: 'polygon',
        points: [
          { x: 1.5, y: 2.25 },
          { x: 10, y: 2 },
          { x: 10.125, y: 20 },
        ],
      },
      { type: 'rect', corner: { x: 100, y: 200 }, size: { x: 30, y: 40 } },
    ];
    const uploaded = await call('POST', '/Api/UploadResults', {
      form: {
        studyid: target.id,
        results: `\n${img}\ta.svs\t${user}\tTumour\t${JSON.stringify(shapes)}\n${img}\ta.svs\t${user}\tMitoses\t[{"x":5,"y":6},{"x":7.5,"y":8}]`,
      },
    });
    expect(uploaded.json()).toEqual({ success: true });
    for (const method of ['GET', 'POST']) {
      const reply = await exportAsap({ imageid: img, user, question: 'Tumour' }, method);
      expect(reply.status).toBe(200);
      expect(reply.headers['content-type']).toMatch(/^application\/xml/);
      expect(reply.text[0]).toBe('<');
      expect(reply.text).toContain('Type="Rectangle"');
      expect(reply.text).toContain('PartOfGroup="Tumour" Color="#e6194b"');
    }
    const tumourXml = (await exportAsap({ imageid: img, user, question: 'tumour' })).text;
    const pointsXml = (await exportAsap({ imageId: img, user, question: 'Mitoses' })).text;
    expect(pointsXml).toContain('Type="Dot"');
    const other = 'reimported@example.org';
    for (const [xml, map] of [
      [tumourXml, 'Tumour;Tumour'],
      [pointsXml, '#00ff00;Mitoses'],
    ] as const) {
      expect((await upload({ imageid: img, user: other, questionsMap: map, asapAnnotation: xml })).json()).toEqual({
        success: true,
      });
    }
    expect(await answerOf(target, other, 'Tumour')).toEqual(shapes);
    expect(await answerOf(target, other, 'Mitoses')).toEqual([
      { x: 5, y: 6 },
      { x: 7.5, y: 8 },
    ]);
  });

  it('writes an ellipse as a polygon and a brush as its outer polygons, and leaves polylines and heatmaps out', async () => {
    const user = 'convert@example.org';
    const target = await fixtures.create({ images: ['a.svs'], questions: QUESTIONS });
    const img = target.image('a.svs').id;
    const answer = [
      { type: 'ellipse', center: { x: 100, y: 100 }, size: { x: 20, y: 10 } },
      {
        type: 'brush',
        positivePolygons: [
          [
            { x: 0, y: 0 },
            { x: 50, y: 0 },
            { x: 50, y: 50 },
          ],
        ],
        negativePolygons: [
          [
            { x: 10, y: 10 },
            { x: 20, y: 10 },
            { x: 20, y: 20 },
          ],
        ],
      },
      {
        type: 'polyline',
        points: [
          { x: 1, y: 1 },
          { x: 2, y: 2 },
        ],
      },
    ];
    const uploaded = await call('POST', '/Api/UploadResults', {
      form: { studyid: target.id, results: `\n${img}\ta.svs\t${user}\tTumour\t${JSON.stringify(answer)}` },
    });
    expect(uploaded.json()).toEqual({ success: true });
    const xml = (await exportAsap({ imageid: img, user, question: 'Tumour' })).text;
    expect(xml.match(/<Annotation /g)).toHaveLength(2);
    expect(xml.match(/Type="Polygon"/g)).toHaveLength(2);
    expect(xml).not.toContain('X="2" Y="2"');
    expect(xml).not.toContain('X="20" Y="20"');
    expect(xml.match(/<Coordinate /g)).toHaveLength(64 + 3);
  });

  it('gives a file without annotations when the user has no answer, and refuses what it cannot export', async () => {
    const empty = await exportAsap({ imageid: image, user: 'nobody@example.org', question: 'Tumour' });
    expect(empty.status).toBe(200);
    expect(empty.text).toMatch(/^<\?xml[^>]*>\s*<ASAP_Annotations>/);
    expect(empty.text).not.toContain('<Annotation ');
    const notAnno = await exportAsap({ imageid: image, user: 'a@example.org', question: 'Grade' });
    expect(notAnno.status).toBe(400);
    expect(notAnno.json<{ success: boolean }>().success).toBe(false);
    const unknown = await exportAsap({ imageid: image, user: 'a@example.org', question: 'Nope' });
    expect(unknown.status).toBe(404);
    const noCapability = await createToken({ capabilities: 'CanUploadScores', studies: String(study.id) });
    expect(
      (await exportAsap({ imageid: image, user: 'a@example.org', question: 'Tumour' }, 'GET', noCapability)).status,
    ).toBe(403);
    const elsewhere = await createToken({ capabilities: 'CanGetResults', studies: String(study.id + 100_000) });
    const hidden = await exportAsap({ imageid: image, user: 'a@example.org', question: 'Tumour' }, 'GET', elsewhere);
    expect(hidden.status).toBe(404);
    expect(hidden.json()).toEqual({ success: false, log: `No image ${image}` });
  });
});
