import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AnnotationItem } from '../../../../functions/domain/annotations/annotation-model.js';
import {
  type AsapMapping,
  mapAsapToAnswers,
  normalizeColour,
  type StudyQuestion,
} from '../../../../functions/domain/annotations/asap-mapping.js';
import { type AsapDocument, readAsapXml } from '../../../../functions/domain/annotations/asap-xml-reader.js';
import { attribute, writeAsapXml } from '../../../../functions/domain/annotations/asap-xml-writer.js';

/** Shaped like the SDK's upload test: tabs after the root, two polygons of one group in two colours. */
const SDK_LIKE = `<ASAP_Annotations>\t<Annotations>\t<Annotation Name="Annotation 0" Type="Polygon" PartOfGroup="red" Color="#000000"><Coordinates><Coordinate Order="0" X="40444" Y="37114" /><Coordinate Order="1" X="40444" Y="37104" /><Coordinate Order="2" X="40454" Y="37104" /></Coordinates></Annotation>
    <Annotation Color="#e6194b" Name="Annotation 0" PartOfGroup="red" Type="Polygon"><Coordinates><Coordinate Order="0" X="1" Y="2" /><Coordinate Order="1" X="3.5" Y="4" /><Coordinate Order="2" X="5" Y="6" /></Coordinates></Annotation>
    </Annotations></ASAP_Annotations>`;

async function read(text: string, chunkSize?: number): Promise<AsapDocument> {
  const input = chunkSize ? bytesInChunks(text, chunkSize) : text;
  const parsed = await readAsapXml(input);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.document;
}

async function* bytesInChunks(text: string, size: number) {
  const bytes = new TextEncoder().encode(text);
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

const reasonOf = async (text: string) => {
  const parsed = await readAsapXml(text);
  return parsed.ok ? 'accepted' : parsed.reason;
};

const QUESTIONS: StudyQuestion[] = [
  { name: 'Test anno', type: 'AnnoShapes', color: '#e6194b' },
  { name: 'Cells', type: 'AnnoPoints', color: '#00ff00' },
  { name: 'Grade', type: 'FreeText' },
];

describe('ASAP XML reader', () => {
  it('reads annotations, attributes in any order, and groups', async () => {
    const document = await read(
      `${SDK_LIKE.replace('</ASAP_Annotations>', '')}<AnnotationGroups><Group Name="red" PartOfGroup="None" Color="#e6194b"><Attributes/></Group></AnnotationGroups></ASAP_Annotations>`,
    );
    expect(document.annotations).toHaveLength(2);
    expect(document.annotations[1]).toEqual({
      name: 'Annotation 0',
      type: 'Polygon',
      group: 'red',
      color: '#e6194b',
      coordinates: [
        { x: 1, y: 2 },
        { x: 3.5, y: 4 },
        { x: 5, y: 6 },
      ],
    });
    expect(document.groups).toEqual([{ name: 'red', color: '#e6194b', partOfGroup: undefined }]);
  });

  it('gives the same result from byte chunks split anywhere, even inside a UTF-8 character', async () => {
    const text = SDK_LIKE.replace(
      'Annotation 0" Type="Polygon" PartOfGroup="red" Color="#000000"',
      'Zoë ünïcode" Type="Polygon" PartOfGroup="red" Color="#000000"',
    );
    const whole = await read(text);
    for (const size of [1, 2, 3, 7, 64]) expect(await read(text, size)).toEqual(whole);
    expect(whole.annotations[0]?.name).toBe('Zoë ünïcode');
  });

  it('sorts coordinates by Order, and reads a decimal comma', async () => {
    const document = await read(
      '<ASAP_Annotations><Annotations><Annotation Type="Spline"><Coordinates><Coordinate Order="2" X="3" Y="3"/><Coordinate Order="0" X="1,5" Y="1"/><Coordinate Order="1" X="2" Y="2"/></Coordinates></Annotation></Annotations></ASAP_Annotations>',
    );
    expect(document.annotations[0]?.coordinates).toEqual([
      { x: 1.5, y: 1 },
      { x: 2, y: 2 },
      { x: 3, y: 3 },
    ]);
  });

  it('refuses any DOCTYPE, so no entity can be declared or expanded', async () => {
    const laughs = `<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>\n<ASAP_Annotations>&lol2;</ASAP_Annotations>`;
    expect(await reasonOf(laughs)).toBe(
      'line 2, column 75: a DOCTYPE is not accepted in an ASAP file (entities are not allowed); remove it',
    );
    const xxe = '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><ASAP_Annotations>&e;</ASAP_Annotations>';
    expect(await reasonOf(xxe)).toMatch(/^line 1, column \d+: a DOCTYPE is not accepted/);
    expect(await reasonOf('<ASAP_Annotations>&e;</ASAP_Annotations>')).toMatch(
      /^line 1, column \d+: not well-formed XML: undefined entity/i,
    );
  });

  it('names line, column and reason of every refusal', async () => {
    expect(await reasonOf('<Annotations/>')).toBe(
      'line 1, column 15: the root element is <Annotations>; an ASAP file starts with <ASAP_Annotations>',
    );
    expect(
      await reasonOf(
        '<ASAP_Annotations><Annotations>\n<Annotation><Coordinates>\n  <Coordinate Order="0" X="12" Y="abc"/>',
      ),
    ).toBe('line 3, column 41: Y="abc" is not a number');
    expect(await reasonOf('<ASAP_Annotations><Annotations><Annotation><Coordinates><Coordinate X="1"/>')).toMatch(
      /^line 1, column \d+: a <Coordinate> needs the attribute Y$/,
    );
    expect(await reasonOf('<ASAP_Annotations>\n<Annotations>\n</ASAP_Annotations>')).toMatch(
      /^line 3, column \d+: not well-formed XML: /,
    );
    expect(await reasonOf('')).toBe('line 1, column 1: no XML element; an ASAP file starts with <ASAP_Annotations>');
    const latin1 = Uint8Array.from([
      ...new TextEncoder().encode('<ASAP_Annotations Name="'),
      0xe9,
      ...new TextEncoder().encode('"/>'),
    ]);
    const parsed = await readAsapXml([latin1]);
    expect(parsed.ok ? 'accepted' : parsed.reason).toMatch(/not UTF-8 text$/);
  });

  it('refuses more coordinates than allowed', async () => {
    const parsed = await readAsapXml(SDK_LIKE, { maxCoordinates: 4 });
    expect(parsed.ok ? 'accepted' : parsed.reason).toMatch(/more than 4 coordinates; split the file$/);
  });
});

const answersOf = (mapping: AsapMapping) => (mapping.ok ? mapping : { reason: mapping.reason });

describe('ASAP mapping to questions', () => {
  it('maps by colour without case or #, ignoring unmapped annotations (the SDK test)', async () => {
    const document = await read(SDK_LIKE);
    for (const key of ['#e6194b', 'E6194B', '#E6194b']) {
      expect(answersOf(mapAsapToAnswers(document, QUESTIONS, { questionsMap: `${key};Test anno` }))).toEqual({
        ok: true,
        answers: [
          {
            question: 'Test anno',
            questionType: 'AnnoShapes',
            items: [
              {
                type: 'polygon',
                points: [
                  { x: 1, y: 2 },
                  { x: 3.5, y: 4 },
                  { x: 5, y: 6 },
                ],
              },
            ],
          },
        ],
        newQuestions: [],
        ignored: 1,
      });
    }
  });

  it('accepts group names as keys, and keeps annotationName as the label of each answer', async () => {
    const mapping = mapAsapToAnswers(await read(SDK_LIKE), QUESTIONS, {
      questionsMap: 'red;Test anno\n',
      annotationName: 'import 1',
    });
    expect(mapping.ok && mapping.answers.map((a) => [a.question, a.items.length, a.label])).toEqual([
      ['Test anno', 2, 'import 1'],
    ]);
  });

  it('turns Rectangle into rect, Dot and PointSet into points', async () => {
    const document = await read(
      `<ASAP_Annotations><Annotations>
        <Annotation Type="Rectangle" Color="#e6194b"><Coordinates><Coordinate Order="0" X="10" Y="20"/><Coordinate Order="1" X="30" Y="20"/><Coordinate Order="2" X="30" Y="25"/><Coordinate Order="3" X="10" Y="25"/></Coordinates></Annotation>
        <Annotation Type="Dot" Color="#00FF00"><Coordinates><Coordinate Order="0" X="1" Y="1"/></Coordinates></Annotation>
        <Annotation Type="PointSet" Color="#0f0"><Coordinates><Coordinate Order="0" X="2" Y="2"/><Coordinate Order="1" X="3" Y="3"/></Coordinates></Annotation>
      </Annotations></ASAP_Annotations>`,
    );
    const mapping = mapAsapToAnswers(document, QUESTIONS, { questionsMap: '#e6194b;Test anno\n00ff00;Cells' });
    expect(mapping.ok && mapping.answers).toEqual([
      {
        question: 'Test anno',
        questionType: 'AnnoShapes',
        items: [{ type: 'rect', corner: { x: 10, y: 20 }, size: { x: 20, y: 5 } }],
      },
      {
        question: 'Cells',
        questionType: 'AnnoPoints',
        items: [
          { type: 'point', x: 1, y: 1 },
          { type: 'point', x: 2, y: 2 },
          { type: 'point', x: 3, y: 3 },
        ],
      },
    ]);
  });

  it('refuses a bad map line, an unknown question, a non-annotation question and a kind the question cannot hold', async () => {
    const document = await read(SDK_LIKE);
    const reason = (questionsMap: string) => answersOf(mapAsapToAnswers(document, QUESTIONS, { questionsMap }));
    expect(reason('#e6194b Test anno')).toEqual({
      reason: 'questionsMap line 1: "#e6194b Test anno" needs the form <colour or group>;<question name>',
    });
    expect(reason('\n#e6194b;Nope')).toEqual({ reason: 'questionsMap line 2: the study has no question "Nope"' });
    expect(reason('#e6194b;Grade')).toEqual({
      reason: 'questionsMap line 1: question "Grade" is FreeText; annotations go to AnnoPoints or AnnoShapes questions',
    });
    expect(reason('#e6194b;Cells')).toEqual({
      reason:
        'annotation 2 "Annotation 0" (Polygon) is a shape, but question "Cells" is AnnoPoints; map shapes to an AnnoShapes question',
    });
    expect(reason('#e6194b;Cells\n#E6194B;Test anno')).toEqual({
      reason: 'questionsMap line 2: "#E6194B" is already mapped to question "Cells"',
    });
  });

  it('without a map, creates a question per colour named after the group, else the colour', async () => {
    const document = await read(
      `<ASAP_Annotations><Annotations>
        <Annotation Type="Polygon" PartOfGroup="tumour" Color="#FF0000"><Coordinates><Coordinate X="1" Y="1"/></Coordinates></Annotation>
        <Annotation Type="Dot" PartOfGroup="tumour" Color="#ff0000"><Coordinates><Coordinate X="2" Y="2"/></Coordinates></Annotation>
        <Annotation Type="Dot" PartOfGroup="None" Color="#00ff00"><Coordinates><Coordinate X="3" Y="3"/></Coordinates></Annotation>
        <Annotation Type="Spline" PartOfGroup="red" Color="#000000"><Coordinates><Coordinate X="4" Y="4"/></Coordinates></Annotation>
        <Annotation Type="Spline" PartOfGroup="red" Color="#e6194b"><Coordinates><Coordinate X="5" Y="5"/></Coordinates></Annotation>
        <Annotation Type="Polygon" PartOfGroup="Test anno" Color="#123456"><Coordinates><Coordinate X="6" Y="6"/></Coordinates></Annotation>
        <Annotation Type="Polygon" Color="#123456"><Coordinates></Coordinates></Annotation>
      </Annotations></ASAP_Annotations>`,
    );
    const mapping = mapAsapToAnswers(document, QUESTIONS, { questionsMap: '  \n' });
    expect(mapping.ok && mapping.newQuestions).toEqual([
      { name: 'tumour (Polygon)', type: 'AnnoShapes', color: '#ff0000' },
      { name: 'tumour (Dot)', type: 'AnnoPoints', color: '#ff0000' },
      { name: '#00ff00', type: 'AnnoPoints', color: '#00ff00' },
      { name: 'red #000000', type: 'AnnoShapes', color: '#000000' },
      { name: 'red #e6194b', type: 'AnnoShapes', color: '#e6194b' },
    ]);
    expect(mapping.ok && mapping.answers.map((a) => [a.question, a.questionType, a.items.length])).toEqual([
      ['tumour (Polygon)', 'AnnoShapes', 1],
      ['tumour (Dot)', 'AnnoPoints', 1],
      ['#00ff00', 'AnnoPoints', 1],
      ['red #000000', 'AnnoShapes', 1],
      ['red #e6194b', 'AnnoShapes', 1],
      ['Test anno', 'AnnoShapes', 1],
    ]);
    expect(mapping.ok && mapping.ignored).toBe(1);
  });

  it('normalizes colours', () => {
    expect(['#E6194B', 'e6194b', ' #e6194b ', '#abc', 'red', '#12345'].map(normalizeColour)).toEqual([
      'e6194b',
      'e6194b',
      'e6194b',
      'aabbcc',
      undefined,
      undefined,
    ]);
  });
});

describe('ASAP XML writer', () => {
  const integer = fc.integer({ min: -1e6, max: 1e7 });
  const coordinate = fc.oneof(
    integer,
    fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 }).map((v) => v + 0),
  );
  const point = fc.record({ x: coordinate, y: coordinate });
  const shapes = fc.array(
    fc.oneof(
      fc.record({ type: fc.constant('polygon' as const), points: fc.array(point, { minLength: 1, maxLength: 6 }) }),
      fc.record({
        type: fc.constant('rect' as const),
        corner: fc.record({ x: integer, y: integer }),
        size: fc.record({ x: fc.nat(1e6), y: fc.nat(1e6) }),
      }),
    ),
    { maxLength: 5 },
  );
  const points = fc.array(
    point.map((p) => ({ type: 'point' as const, ...p })),
    { maxLength: 6 },
  );
  const name = fc
    .string({ unit: 'binary', minLength: 1, maxLength: 12 })
    .map((s) => s.trim())
    .filter((s) => s !== '' && !s.includes(';') && s !== 'None' && !/[\p{Cc}\p{Cs}\uFFFE\uFFFF]/u.test(s));

  it('writes what the reader and the mapping read back: polygons, rects and points exactly', async () => {
    await fc.assert(
      fc.asyncProperty(name, name, shapes, points, async (shapesName, pointsName, shapeItems, pointItems) => {
        fc.pre(
          shapesName !== pointsName &&
            normalizeColour(shapesName) === undefined &&
            normalizeColour(pointsName) === undefined,
        );
        const answers = [
          { question: shapesName, color: '#e6194b', items: shapeItems as AnnotationItem[] },
          { question: pointsName, color: '#e6194b', items: pointItems as AnnotationItem[] },
        ];
        const xml = [...writeAsapXml(answers)].join('');
        expect(xml[0]).toBe('<');
        const document = await read(xml);
        const questions = [
          { name: shapesName, type: 'AnnoShapes' },
          { name: pointsName, type: 'AnnoPoints' },
        ];
        const mapping = mapAsapToAnswers(document, questions, {
          questionsMap: `${shapesName};${shapesName}\n${pointsName};${pointsName}`,
        });
        const expected = answers
          .filter((a) => a.items.length > 0)
          .map((a) => ({
            question: a.question,
            questionType: a === answers[0] ? 'AnnoShapes' : 'AnnoPoints',
            items: a.items,
          }));
        expect(answersOf(mapping)).toEqual({ ok: true, answers: expected, newQuestions: [], ignored: 0 });
      }),
      { numRuns: 200 },
    );
  });

  it('escapes attribute text, turns ellipses and brushes into polygons and leaves heatmaps and polylines out', async () => {
    const question = 'Tumour <"&\'>\tarea';
    const xml = [
      ...writeAsapXml([
        {
          question,
          color: '#e6194b',
          items: [
            { type: 'ellipse', center: { x: 100, y: 100 }, size: { x: 10, y: 5 } },
            {
              type: 'brush',
              positivePolygons: [[{ x: 0, y: 0 }], [{ x: 1, y: 1 }]],
              negativePolygons: [[{ x: 2, y: 2 }]],
            },
            { type: 'polyline', points: [{ x: 0, y: 0 }] },
            { type: 'heatmap', x: 0, y: 0, height: 1, rows: 1, columns: 1, values: Uint8Array.of(1) },
          ],
        },
      ]),
    ].join('');
    expect(xml).toContain('PartOfGroup="Tumour &lt;&quot;&amp;&apos;&gt;&#9;area"');
    expect(attribute(`a${String.fromCharCode(1)}b${String.fromCharCode(0xd800)}c😀`)).toBe('a\ufffdb\ufffdc😀');
    const document = await read(xml);
    expect(document.annotations.map((a) => [a.type, a.group, a.coordinates.length])).toEqual([
      ['Polygon', question, 64],
      ['Polygon', question, 1],
      ['Polygon', question, 1],
    ]);
    expect(document.annotations[0]?.coordinates[0]).toEqual({ x: 110, y: 100 });
    expect(document.groups).toEqual([{ name: question, color: '#e6194b', partOfGroup: undefined }]);
  });

  it('streams a large answer in chunks of about 64 KB', () => {
    const items = Array.from({ length: 20_000 }, (_, i) => ({ type: 'point' as const, x: i, y: i }));
    const chunks = [...writeAsapXml([{ question: 'Cells', color: '#00ff00', items }])];
    expect(chunks.length).toBeGreaterThan(20);
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThan(70 * 1024);
  });
});

describe('ASAP reading never throws', () => {
  it('on arbitrary text, inside or outside an ASAP document', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 80 }), async (text) => {
        for (const input of [
          text,
          `<ASAP_Annotations><Annotations><Annotation>${text}</Annotation></Annotations></ASAP_Annotations>`,
          SDK_LIKE.replace('X="3.5"', `X="${text}"`),
        ]) {
          const parsed = await readAsapXml(input);
          if (!parsed.ok) expect(parsed.reason).toMatch(/^line \d+, column \d+: ./);
        }
      }),
      { numRuns: 300 },
    );
  });
});
