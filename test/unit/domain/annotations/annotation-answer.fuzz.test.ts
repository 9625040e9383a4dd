import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AnnotationQuestionType,
  validateAnnotationAnswer,
} from '../../../../functions/domain/annotations/annotation-answer.js';

const types = fc.constantFrom<AnnotationQuestionType>('AnnoPoints', 'AnnoShapes', 'AnnoMeasure');
const coordinate = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 });
const point = fc.record({ x: coordinate, y: coordinate });
const size = fc.record({
  x: fc.double({ noNaN: true, min: 0, max: 1e6 }),
  y: fc.double({ noNaN: true, min: 0, max: 1e6 }),
});
const points = fc.array(point, { maxLength: 8 });
const label = fc.record(
  { label: fc.string(), x: coordinate, y: coordinate, whenToShow: fc.constantFrom('always', 'mouseover') },
  { requiredKeys: ['label', 'x', 'y'] },
);
const optional = fc.record(
  { area: fc.oneof(fc.string(), coordinate), color: fc.string(), modifiedOn: fc.string(), labels: fc.array(label) },
  { requiredKeys: [] },
);
const heatmapData = fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 })).chain(([rows, cols]) =>
  fc.array(fc.array(fc.integer({ min: 0, max: 255 }), { minLength: cols, maxLength: cols }), {
    minLength: rows,
    maxLength: rows,
  }),
);
const shape = fc.oneof(
  fc.record({ type: fc.constant('polygon'), points }),
  fc.record({ type: fc.constant('polyline'), points }),
  fc.record({ type: fc.constant('brush'), positivePolygons: fc.array(points), negativePolygons: fc.array(points) }),
  fc.record({ type: fc.constant('ellipse'), center: point, size }),
  fc.record({ type: fc.constantFrom('rect', 'rectangle'), corner: point, size }),
  fc.record({
    type: fc.constant('heatmap'),
    x: coordinate,
    y: coordinate,
    height: fc.double({ noNaN: true, min: 1, max: 1e6 }),
    data: heatmapData,
  }),
);
const shapeWithFields = fc.tuple(shape, optional).map(([s, o]) => ({ ...o, ...s }));

describe('annotation validator, fuzzed', () => {
  it('accepts every well-formed AnnoShapes and AnnoMeasure answer', () => {
    fc.assert(
      fc.property(
        fc.array(shapeWithFields, { maxLength: 6 }),
        fc.constantFrom('AnnoShapes', 'AnnoMeasure'),
        (items, type) => {
          const check = validateAnnotationAnswer(type as AnnotationQuestionType, JSON.stringify(items));
          expect(check).toMatchObject({ ok: true, items: items.length });
        },
      ),
    );
  });

  it('accepts every well-formed AnnoPoints answer', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ x: coordinate, y: coordinate, color: fc.string() }, { requiredKeys: ['x', 'y'] })),
        (items) => {
          expect(validateAnnotationAnswer('AnnoPoints', JSON.stringify(items))).toEqual({
            ok: true,
            items: items.length,
            points: items.length,
          });
        },
      ),
    );
  });

  it('never throws on arbitrary JSON, and gives a reason whenever it refuses', () => {
    fc.assert(
      fc.property(types, fc.jsonValue(), (type, value) => {
        const check = validateAnnotationAnswer(type, JSON.stringify(value) ?? '');
        if (!check.ok) expect(check.reason.length).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(types, fc.string({ unit: 'binary' }), (type, text) => {
        validateAnnotationAnswer(type, text);
        validateAnnotationAnswer(type, `[${text}]`);
        validateAnnotationAnswer(type, `[{"type":"polygon","points":[${text}]}]`);
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on shapes with one field replaced by anything', () => {
    fc.assert(
      fc.property(
        types,
        shape,
        fc.constantFrom(
          'points',
          'center',
          'size',
          'corner',
          'data',
          'positivePolygons',
          'labels',
          'type',
          'x',
          'height',
        ),
        fc.jsonValue(),
        (type, item, key, value) => {
          validateAnnotationAnswer(type, JSON.stringify([{ ...item, [key]: value }]));
        },
      ),
      { numRuns: 500 },
    );
  });
});
