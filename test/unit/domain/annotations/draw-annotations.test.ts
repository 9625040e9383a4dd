import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AnnotationItem } from '../../../../functions/domain/annotations/annotation-model.js';
import { drawAnnotations, parseHexColour } from '../../../../functions/domain/annotations/draw-annotations.js';

const identity = (x: number, y: number) => [x, y] as const;

/** The picture as rows of '#' (changed) and '.' (untouched black). */
function draw(items: AnnotationItem[], size = 12, options = {}, toPixel = identity): string[] {
  const rgb = new Uint8Array(size * size * 3);
  drawAnnotations(rgb, size, size, toPixel, items, '#ff0000', options);
  const rows: string[] = [];
  for (let y = 0; y < size; y++) {
    let row = '';
    for (let x = 0; x < size; x++)
      row += rgb[(y * size + x) * 3] || rgb[(y * size + x) * 3 + 1] || rgb[(y * size + x) * 3 + 2] ? '#' : '.';
    rows.push(row);
  }
  return rows;
}

function pixel(rgb: Uint8Array, width: number, x: number, y: number): number[] {
  const i = (y * width + x) * 3;
  return [rgb[i] as number, rgb[i + 1] as number, rgb[i + 2] as number];
}

describe('drawing annotations into RGB pixels', () => {
  it('draws a point as a small disc, clipped at the edges', () => {
    expect(draw([{ type: 'point', x: 3, y: 3 }], 7, { pointRadius: 1 })).toEqual([
      '.......',
      '.......',
      '...#...',
      '..###..',
      '...#...',
      '.......',
      '.......',
    ]);
    expect(draw([{ type: 'point', x: 7, y: 0 }], 7, { pointRadius: 1 })[0]).toBe('......#');
  });

  it('outlines polygons and rects, and leaves the inside clear', () => {
    const square = draw([{ type: 'rect', corner: { x: 1, y: 1 }, size: { x: 4, y: 3 } }], 7, { lineWidth: 1 });
    expect(square).toEqual(['.......', '.#####.', '.#...#.', '.#...#.', '.#####.', '.......', '.......']);
    const polygon = draw(
      [
        {
          type: 'polygon',
          points: [
            { x: 1, y: 1 },
            { x: 5, y: 1 },
            { x: 5, y: 4 },
            { x: 1, y: 4 },
          ],
        },
      ],
      7,
      { lineWidth: 1 },
    );
    expect(polygon).toEqual(square);
  });

  it('draws polylines open', () => {
    expect(
      draw(
        [
          {
            type: 'polyline',
            points: [
              { x: 0, y: 0 },
              { x: 3, y: 0 },
              { x: 3, y: 3 },
            ],
          },
        ],
        5,
        { lineWidth: 1 },
      ),
    ).toEqual(['####.', '...#.', '...#.', '...#.', '.....']);
  });

  it('fills a brush, cutting its negative polygons out', () => {
    const brush: AnnotationItem = {
      type: 'brush',
      positivePolygons: [
        [
          { x: 0, y: 0 },
          { x: 10, y: 0 },
          { x: 10, y: 10 },
          { x: 0, y: 10 },
        ],
      ],
      negativePolygons: [
        [
          { x: 3, y: 3 },
          { x: 7, y: 3 },
          { x: 7, y: 7 },
          { x: 3, y: 7 },
        ],
      ],
    };
    const rgb = new Uint8Array(12 * 12 * 3);
    drawAnnotations(rgb, 12, 12, identity, [brush], '#ff0000', { fillAlpha: 0.5, lineWidth: 1 });
    expect(pixel(rgb, 12, 1, 1)).toEqual([128, 0, 0]);
    expect(pixel(rgb, 12, 5, 5)).toEqual([0, 0, 0]);
    expect(pixel(rgb, 12, 0, 0)).toEqual([255, 0, 0]);
    expect(pixel(rgb, 12, 11, 11)).toEqual([0, 0, 0]);
  });

  it('draws ellipses by their semi-axes', () => {
    const rows = draw([{ type: 'ellipse', center: { x: 6, y: 6 }, size: { x: 4, y: 2 } }], 13, { lineWidth: 1 });
    expect(rows[6]).toBe('..#.......#..');
    expect(rows[4]?.[6]).toBe('#');
    expect(rows[3]).toBe('.............');
  });

  it('paints heatmap cells through the colour map, leaving 0 clear', () => {
    const rgb = new Uint8Array(4 * 4 * 3);
    const heatmap: AnnotationItem = {
      type: 'heatmap',
      x: 0,
      y: 0,
      height: 4,
      rows: 2,
      columns: 2,
      values: Uint8Array.of(0, 255, 1, 128),
    };
    drawAnnotations(rgb, 4, 4, identity, [heatmap], '#ffffff', { heatmapAlpha: 1 });
    expect(pixel(rgb, 4, 0, 0)).toEqual([0, 0, 0]);
    expect(pixel(rgb, 4, 3, 1)).toEqual([255, 0, 0]);
    expect(pixel(rgb, 4, 1, 3)).toEqual([0, 4, 255]);
    expect(pixel(rgb, 4, 2, 2)).toEqual([2, 255, 0]);
  });

  it('scales through toPixel and uses an item colour over the question colour', () => {
    const rgb = new Uint8Array(4 * 4 * 3);
    drawAnnotations(
      rgb,
      4,
      4,
      (x, y) => [x / 100, y / 100],
      [{ type: 'point', x: 200, y: 100, color: '#00ff00' }],
      '#ff0000',
      { pointRadius: 0 },
    );
    expect(pixel(rgb, 4, 2, 1)).toEqual([0, 255, 0]);
    expect(parseHexColour('#abc')).toEqual([170, 187, 204]);
    expect(parseHexColour('red')).toBeUndefined();
  });

  it('clips lines with far-away vertices instead of walking them', () => {
    const start = performance.now();
    const rows = draw(
      [
        {
          type: 'polyline',
          points: [
            { x: -1e9, y: 2 },
            { x: 1e9, y: 2 },
          ],
        },
      ],
      5,
      { lineWidth: 1 },
    );
    expect(performance.now() - start).toBeLessThan(100);
    expect(rows[2]).toBe('#####');
  });
});

describe('drawing never hangs or throws', () => {
  it('on any items and a toPixel that may return NaN or Infinity', () => {
    const odd = fc.oneof(fc.double(), fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -1e300, 1e300, 0, 5));
    const point = fc.record({ x: odd, y: odd });
    const item = fc.oneof(
      point.map((p) => ({ type: 'point' as const, ...p })),
      fc.record({
        type: fc.constantFrom('polygon' as const, 'polyline' as const),
        points: fc.array(point, { maxLength: 5 }),
      }),
      fc.record({
        type: fc.constant('brush' as const),
        positivePolygons: fc.array(fc.array(point, { maxLength: 5 }), { maxLength: 2 }),
        negativePolygons: fc.constant([]),
      }),
      fc.record({ type: fc.constant('ellipse' as const), center: point, size: point }),
      fc.record({ type: fc.constant('rect' as const), corner: point, size: point }),
    );
    fc.assert(
      fc.property(fc.array(item, { maxLength: 4 }), fc.constantFrom(1, 0.001, 1e6), (items, scale) => {
        const rgb = new Uint8Array(16 * 16 * 3);
        drawAnnotations(rgb, 16, 16, (x, y) => [x * scale, y * scale], items as AnnotationItem[], '#ff0000');
      }),
      { numRuns: 300 },
    );
  });
});
