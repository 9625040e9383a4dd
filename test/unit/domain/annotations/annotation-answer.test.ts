import { describe, expect, it } from 'vitest';
import {
  type AnnotationCheck,
  checkAnnotationItems,
  validateAnnotationAnswer,
} from '../../../../functions/domain/annotations/annotation-answer.js';

const reasonOf = (check: AnnotationCheck) => (check.ok ? undefined : check.reason);

describe('AnnoPoints answers', () => {
  it('accepts points, with or without a colour, and the empty answer', () => {
    expect(validateAnnotationAnswer('AnnoPoints', '[{"x": 10, "y": 10}, {"x": 15.5, "y": -2}]')).toEqual({
      ok: true,
      items: 2,
      points: 2,
    });
    expect(
      validateAnnotationAnswer('AnnoPoints', '[{"x":1,"y":2,"color":"#ff0000","note":"extra keys are fine"}]').ok,
    ).toBe(true);
    expect(validateAnnotationAnswer('AnnoPoints', ' [] ')).toEqual({ ok: true, items: 0, points: 0 });
  });

  it('refuses typed items, even with a null type, since readers tell points from shapes by the key', () => {
    expect(reasonOf(validateAnnotationAnswer('AnnoPoints', '[{"x":1,"y":2},{"type":"polygon","points":[]}]'))).toBe(
      'item 2 has a "type"; points carry none (typed shapes belong to an AnnoShapes question)',
    );
    expect(reasonOf(validateAnnotationAnswer('AnnoPoints', '[{"x":1,"y":2,"type":null}]'))).toMatch(
      /^item 1 has a "type"/,
    );
  });

  it('refuses points without finite numeric coordinates', () => {
    expect(reasonOf(validateAnnotationAnswer('AnnoPoints', '[{"x":1,"y":2},{"x":1},{"x":3,"y":4}]'))).toBe(
      'item 2 needs finite numbers x and y, as {"x": 10, "y": 20}',
    );
    expect(reasonOf(validateAnnotationAnswer('AnnoPoints', '[{"x":"1","y":2}]'))).toMatch(/^item 1 needs finite/);
    expect(reasonOf(validateAnnotationAnswer('AnnoPoints', '[{"x":1e400,"y":2}]'))).toMatch(/^item 1 needs finite/);
    expect(reasonOf(validateAnnotationAnswer('AnnoPoints', '[[1,2]]'))).toBe('item 1 must be a point {"x": …, "y": …}');
    expect(reasonOf(validateAnnotationAnswer('AnnoPoints', '[{"x":1,"y":2,"color":5}]'))).toBe(
      'item 1: color must be text',
    );
  });
});

describe('AnnoShapes answers', () => {
  const valid = [
    {
      type: 'polygon',
      points: [
        { x: 0, y: 0 },
        { x: 10, y: 0 },
        { x: 10, y: 10 },
      ],
      area: '370 um2',
    },
    {
      type: 'brush',
      positivePolygons: [
        [
          { x: 0, y: 0 },
          { x: 100, y: 0 },
          { x: 100, y: 100 },
        ],
      ],
      negativePolygons: [
        [
          { x: 10, y: 10 },
          { x: 20, y: 10 },
          { x: 20, y: 20 },
        ],
      ],
      modifiedOn: '2023-01-01T12:00:00.000Z',
    },
    { type: 'ellipse', center: { x: 50, y: 50 }, size: { x: 5, y: 5 }, color: '#00ff00' },
    { type: 'rect', corner: { x: 1, y: 2 }, size: { x: 30, y: 40 } },
    { type: 'rectangle', corner: { x: 1, y: 2 }, size: { x: 0, y: 0 } },
    {
      type: 'heatmap',
      x: 0,
      y: 0,
      height: 1000,
      data: [
        [0, 255],
        [12, 7],
      ],
    },
    {
      type: 'polyline',
      points: [
        { x: 0, y: 0 },
        { x: 5, y: 5 },
      ],
    },
    {
      type: 'polygon',
      points: [{ x: 1, y: 1 }],
      labels: [
        { label: 'tumour', x: 14204, y: 16138, whenToShow: 'mouseover', fontSize: 474 },
        { label: 'old spelling', x: 1, y: 1, whentoshow: 'always', fontsize: 12 },
      ],
    },
  ];

  it('accepts every documented type, mixed in one answer, with optional fields and extra keys', () => {
    const check = validateAnnotationAnswer('AnnoShapes', JSON.stringify(valid));
    expect(check.ok).toBe(true);
    expect(check.ok && check.items).toBe(valid.length);
  });

  it('accepts degenerate polygons, which real Slide Score exports contain', () => {
    expect(validateAnnotationAnswer('AnnoShapes', '[{"type":"polygon","points":[]}]').ok).toBe(true);
    expect(validateAnnotationAnswer('AnnoShapes', '[{"type":"brush","positivePolygons":[]}]').ok).toBe(true);
  });

  it('treats null optional fields as absent', () => {
    const answer = '[{"type":"rect","corner":{"x":1,"y":2},"size":{"x":3,"y":4},"labels":null,"color":null}]';
    expect(validateAnnotationAnswer('AnnoShapes', answer).ok).toBe(true);
  });

  it.each([
    [
      '[{"x":1,"y":2}]',
      /^item 1 needs a "type" \(polygon, brush, ellipse, rect, rectangle, heatmap, polyline\); untyped/,
    ],
    ['[{"type":"circle"}]', /^item 1: unknown type "circle"; expected one of polygon, brush/],
    ['[{"type":"constructor"}]', /^item 1: unknown type "constructor"/],
    ['[{"type":"__proto__"}]', /^item 1: unknown type "__proto__"/],
    ['[{"type":"polygon","points":[]},{"type":"polygon"}]', /^item 2 \(polygon\): points must be an array of points/],
    ['[{"type":"polygon","points":[{"x":1,"y":1},{"x":2}]}]', /^item 1 \(polygon\): points, point 2 needs finite/],
    [
      '[{"type":"brush","positivePolygons":[[{"x":1,"y":1}],{"x":1}]}]',
      /^item 1 \(brush\): positivePolygons polygon 2 must/,
    ],
    ['[{"type":"brush","positivePolygons":[],"negativePolygons":[[{"y":1}]]}]', /negativePolygons polygon 1, point 1/],
    [
      '[{"type":"ellipse","center":{"x":1,"y":1},"size":{"x":-1,"y":1}}]',
      /^item 1 \(ellipse\): size \(the semi-axes\) needs x ≥ 0/,
    ],
    ['[{"type":"ellipse","center":{"x":null,"y":1},"size":{"x":1,"y":1}}]', /^item 1 \(ellipse\): center needs finite/],
    ['[{"type":"rect","corner":{"x":1,"y":1}}]', /^item 1 \(rect\): size \(width and height\) needs finite/],
    ['[{"type":"heatmap","x":0,"y":0,"height":0,"data":[[1]]}]', /^item 1 \(heatmap\): height must be a number > 0/],
    ['[{"type":"heatmap","x":0,"y":0,"height":5,"data":[]}]', /data must be a non-empty array of rows/],
    ['[{"type":"heatmap","x":0,"y":0,"height":5,"data":[[1,2],[3]]}]', /data row 2 has 1 values; row 1 has 2/],
    [
      '[{"type":"heatmap","x":0,"y":0,"height":5,"data":[[1,256]]}]',
      /data row 1, value 2 must be a whole number 0..255/,
    ],
    ['[{"type":"heatmap","x":0,"y":0,"height":5,"data":[[1.5]]}]', /data row 1, value 1 must be a whole number/],
    ['[{"type":"polygon","points":[],"area":{}}]', /^item 1 \(polygon\): area must be text or a number/],
    ['[{"type":"polygon","points":[],"labels":[{"x":1,"y":2}]}]', /label 1 needs its text in "label"/],
    [
      '[{"type":"polygon","points":[],"labels":[{"label":"a","x":1,"y":2,"fontSize":0}]}]',
      /label 1: fontSize must be a number > 0/,
    ],
    ['[{"type":"line","points":[{"x":1,"y":1},{"x":2,"y":2}]}]', /unknown type "line"/],
  ])('refuses %s', (answer, reason) => {
    expect(reasonOf(validateAnnotationAnswer('AnnoShapes', answer))).toMatch(reason);
  });
});

describe('AnnoMeasure answers (our choice of format)', () => {
  it('accepts two-point line and measure items, and everything AnnoShapes takes', () => {
    const answer = JSON.stringify([
      {
        type: 'line',
        points: [
          { x: 0, y: 0 },
          { x: 3, y: 4 },
        ],
        length: '5 um',
      },
      {
        type: 'measure',
        points: [
          { x: 0, y: 0 },
          { x: 3, y: 4 },
        ],
        length: 5,
      },
      {
        type: 'polyline',
        points: [
          { x: 0, y: 0 },
          { x: 3, y: 4 },
          { x: 6, y: 0 },
        ],
      },
      { type: 'ellipse', center: { x: 0, y: 0 }, size: { x: 3, y: 4 } },
    ]);
    expect(validateAnnotationAnswer('AnnoMeasure', answer).ok).toBe(true);
  });

  it('refuses a line without exactly two points', () => {
    expect(reasonOf(validateAnnotationAnswer('AnnoMeasure', '[{"type":"line","points":[{"x":0,"y":0}]}]'))).toBe(
      'item 1 (line): a measurement line needs exactly 2 points, not 1',
    );
  });
});

describe('answers that are not annotation arrays', () => {
  it.each([
    ['', 'empty; an annotation answer with nothing drawn is []'],
    ['   ', 'empty; an annotation answer with nothing drawn is []'],
    ['{"x":1,"y":2}', 'an AnnoPoints answer is a JSON array, such as [] or [{"x": 10, "y": 20}]'],
    ['Positive', 'an AnnoPoints answer is a JSON array, such as [] or [{"x": 10, "y": 20}]'],
  ])('refuses %j', (answer, reason) => {
    expect(reasonOf(validateAnnotationAnswer('AnnoPoints', answer))).toBe(reason);
  });

  it('names the JSON error', () => {
    expect(reasonOf(validateAnnotationAnswer('AnnoShapes', '[{"type":'))).toMatch(/^not valid JSON \(.+\)$/);
  });

  it('refuses an already-parsed value that is not an array', () => {
    expect(checkAnnotationItems('AnnoShapes', { type: 'polygon' }).ok).toBe(false);
  });
});

describe('the points budget', () => {
  const points = (n: number) => JSON.stringify(Array.from({ length: n }, (_, i) => ({ x: i, y: i })));

  it('counts every coordinate pair, label and heatmap cell', () => {
    const answer = JSON.stringify([
      {
        type: 'polygon',
        points: [
          { x: 0, y: 0 },
          { x: 1, y: 1 },
        ],
        labels: [{ label: 'a', x: 0, y: 0 }],
      },
      {
        type: 'heatmap',
        x: 0,
        y: 0,
        height: 2,
        data: [
          [1, 2, 3],
          [4, 5, 6],
        ],
      },
      { type: 'ellipse', center: { x: 0, y: 0 }, size: { x: 1, y: 1 } },
    ]);
    // 3 items + 2 points + 1 label + 6 cells + center + size
    expect(validateAnnotationAnswer('AnnoShapes', answer)).toEqual({ ok: true, items: 3, points: 14 });
  });

  it('refuses an answer over the limit with a clear reason', () => {
    expect(validateAnnotationAnswer('AnnoPoints', points(10), { maxPoints: 10 }).ok).toBe(true);
    expect(reasonOf(validateAnnotationAnswer('AnnoPoints', points(11), { maxPoints: 10 }))).toBe(
      'more than 10 points in one answer; split it over several answers or simplify the shapes',
    );
    const polygon = JSON.stringify([{ type: 'polygon', points: JSON.parse(points(10)) }]);
    expect(reasonOf(validateAnnotationAnswer('AnnoShapes', polygon, { maxPoints: 10 }))).toMatch(
      /^item 1 \(polygon\): more than 10 points in one answer/,
    );
  });

  it('refuses a huge polygon at its length, before walking it', () => {
    const hugeButEmpty = [{ type: 'polygon', points: new Array(6_000_000) }];
    const started = performance.now();
    expect(reasonOf(checkAnnotationItems('AnnoShapes', hugeButEmpty))).toMatch(/more than 5,000,000 points/);
    expect(performance.now() - started).toBeLessThan(50);
  });

  it('checks a large real answer quickly', () => {
    const answer = JSON.stringify([{ type: 'polygon', points: JSON.parse(points(200_000)) }]);
    const started = performance.now();
    expect(validateAnnotationAnswer('AnnoShapes', answer).ok).toBe(true);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('survives nesting far deeper than any call stack', () => {
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    expect(reasonOf(validateAnnotationAnswer('AnnoShapes', deep))).toMatch(/^item 1 must be an object/);
  });
});
