import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AnnotationItem,
  answerByteLength,
  boundsOf,
  countPoints,
  formatAnnotationAnswer,
  formatAnswerChunks,
  parseAnnotationAnswer,
  type ShapeItem,
} from '../../../../functions/domain/annotations/annotation-model.js';

/** JSON turns -0 into 0; the model holds what a reader gets back. */
const coordinate = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 }).map((v) => v + 0);
const positive = fc.double({ noNaN: true, noDefaultInfinity: true, min: 0, max: 1e6 }).map((v) => v + 0);
const point = fc.record({ x: coordinate, y: coordinate });
const points = fc.array(point, { maxLength: 6 });
const known = new Set(['type', 'x', 'y', 'color', 'points', 'area', 'length', 'modifiedOn', 'labels', 'center']);
const extra = fc.dictionary(
  fc
    .string({ minLength: 1, maxLength: 8 })
    .filter((k) => !known.has(k) && !/^(size|corner|data|height|positive|negative)/.test(k)),
  fc.jsonValue().map((v) => JSON.parse(JSON.stringify(v)) as unknown),
  { minKeys: 1, maxKeys: 2 },
);
const label = fc.record(
  {
    label: fc.string(),
    x: coordinate,
    y: coordinate,
    whenToShow: fc.constantFrom('always', 'mouseover'),
    fontSize: positive.map((v) => v + 1),
  },
  { requiredKeys: ['label', 'x', 'y'] },
);
const fields = fc.record(
  {
    area: fc.oneof(fc.string(), coordinate),
    modifiedOn: fc.string(),
    color: fc.string(),
    labels: fc.array(label, { maxLength: 2 }),
    extra,
  },
  { requiredKeys: [] },
);
const heatmap = fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 })).chain(([rows, columns]) =>
  fc.record({
    type: fc.constant('heatmap' as const),
    x: coordinate,
    y: coordinate,
    height: positive.map((v) => v + 1),
    rows: fc.constant(rows),
    columns: fc.constant(columns),
    values: fc.uint8Array({ minLength: rows * columns, maxLength: rows * columns }),
  }),
);
const geometry = fc.oneof(
  fc.record({ type: fc.constantFrom('polygon' as const, 'polyline' as const), points }),
  fc.record({
    type: fc.constant('brush' as const),
    positivePolygons: fc.array(points, { maxLength: 3 }),
    negativePolygons: fc.array(points, { maxLength: 2 }),
  }),
  fc.record({ type: fc.constant('ellipse' as const), center: point, size: fc.record({ x: positive, y: positive }) }),
  fc.record({ type: fc.constant('rect' as const), corner: point, size: fc.record({ x: positive, y: positive }) }),
  heatmap,
);
const shape = fc.tuple(geometry, fields).map(([g, f]) => ({ ...f, ...g }) as ShapeItem);
const pointItem = fc
  .record({ x: coordinate, y: coordinate, color: fc.string(), extra }, { requiredKeys: ['x', 'y'] })
  .map((p) => ({ type: 'point' as const, ...p }));

describe('annotation model', () => {
  it('reads back what it writes, for any AnnoShapes answer', () => {
    fc.assert(
      fc.property(fc.array(shape, { maxLength: 5 }), (items) => {
        const text = formatAnnotationAnswer(items);
        expect(parseAnnotationAnswer('AnnoShapes', text)).toEqual({ ok: true, items });
        expect(answerByteLength(items)).toBe(Buffer.byteLength(text));
      }),
      { numRuns: 300 },
    );
  });

  it('reads back what it writes, for any AnnoPoints answer, writing points without a type', () => {
    fc.assert(
      fc.property(fc.array(pointItem, { maxLength: 8 }), (items) => {
        const text = formatAnnotationAnswer(items);
        expect(text).not.toMatch(/"type":"point"/);
        expect(parseAnnotationAnswer('AnnoPoints', text)).toEqual({ ok: true, items });
      }),
      { numRuns: 300 },
    );
  });

  it('normalizes the spellings clients use and keeps unknown keys', () => {
    const parsed = parseAnnotationAnswer(
      'AnnoShapes',
      '[{"type":"rectangle","corner":{"x":1,"y":2},"size":{"x":3,"y":4},"labels":[{"label":"a","x":1,"y":1,"whentoshow":"always","fontsize":9}],"qupathId":"q1"}]',
    );
    expect(parsed).toEqual({
      ok: true,
      items: [
        {
          type: 'rect',
          corner: { x: 1, y: 2 },
          size: { x: 3, y: 4 },
          labels: [{ label: 'a', x: 1, y: 1, whenToShow: 'always', fontSize: 9 }],
          extra: { qupathId: 'q1' },
        },
      ],
    });
    if (!parsed.ok) return;
    expect(JSON.parse(formatAnnotationAnswer(parsed.items))).toEqual([
      {
        qupathId: 'q1',
        type: 'rect',
        corner: { x: 1, y: 2 },
        size: { x: 3, y: 4 },
        labels: [{ label: 'a', x: 1, y: 1, whenToShow: 'always', fontSize: 9 }],
      },
    ]);
  });

  it('keeps a "__proto__" key as a plain key', () => {
    const parsed = parseAnnotationAnswer('AnnoPoints', '[{"x":1,"y":2,"__proto__":{"polluted":true}}]');
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const item = parsed.items[0] as AnnotationItem & { extra: Record<string, unknown> };
    expect(Object.getPrototypeOf(item.extra)).toBe(Object.prototype);
    expect(formatAnnotationAnswer(parsed.items)).toBe('[{"__proto__":{"polluted":true},"x":1,"y":2}]');
  });

  it('reads a brush without negatives, measure lines and a heatmap', () => {
    const parsed = parseAnnotationAnswer(
      'AnnoMeasure',
      '[{"type":"brush","positivePolygons":[[{"x":0,"y":0},{"x":4,"y":0},{"x":4,"y":4}]]},' +
        '{"type":"measure","points":[{"x":0,"y":0},{"x":3,"y":4}],"length":"5 um"},' +
        '{"type":"heatmap","x":10,"y":20,"height":8,"data":[[1,2],[3,4]]}]',
    );
    expect(parsed.ok && parsed.items).toEqual([
      {
        type: 'brush',
        positivePolygons: [
          [
            { x: 0, y: 0 },
            { x: 4, y: 0 },
            { x: 4, y: 4 },
          ],
        ],
        negativePolygons: [],
      },
      {
        type: 'line',
        points: [
          { x: 0, y: 0 },
          { x: 3, y: 4 },
        ],
        length: '5 um',
      },
      { type: 'heatmap', x: 10, y: 20, height: 8, rows: 2, columns: 2, values: Uint8Array.from([1, 2, 3, 4]) },
    ]);
    if (!parsed.ok) return;
    expect(boundsOf(parsed.items)).toEqual({ minX: 0, minY: 0, maxX: 18, maxY: 28 });
    expect(countPoints(parsed.items)).toBe(3 + 2 + 4);
  });

  it('refuses what the validator refuses, with its reason', () => {
    expect(parseAnnotationAnswer('AnnoPoints', '[{"type":"polygon","points":[]}]')).toEqual({
      ok: false,
      reason: 'item 1 has a "type"; points carry none (typed shapes belong to an AnnoShapes question)',
    });
    expect(parseAnnotationAnswer('AnnoShapes', '{}').ok).toBe(false);
  });

  it('bounds ellipses by their semi-axes and rects by their size', () => {
    expect(
      boundsOf([
        { type: 'ellipse', center: { x: 10, y: 10 }, size: { x: 2, y: 3 } },
        { type: 'rect', corner: { x: 20, y: 0 }, size: { x: 5, y: 1 } },
      ]),
    ).toEqual({ minX: 8, minY: 0, maxX: 25, maxY: 13 });
    expect(boundsOf([])).toBeUndefined();
  });
});

describe('annotation model at size', () => {
  it('formats a large answer in chunks of about 64 KB', () => {
    const items = Array.from({ length: 50_000 }, (_, i) => ({ type: 'point' as const, x: i, y: i * 2 }));
    const chunks = [...formatAnswerChunks(items)];
    expect(chunks.length).toBeGreaterThan(10);
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThan(65 * 1024);
    expect(chunks.join('')).toBe(JSON.stringify(items.map(({ x, y }) => ({ x, y }))));
    expect(answerByteLength(items)).toBe(chunks.join('').length);
  });
});
