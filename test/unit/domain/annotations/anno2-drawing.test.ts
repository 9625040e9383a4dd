import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readAnno2, writeAnno2 } from '../../../../functions/domain/annotations/anno2/anno2-zip.js';
import type { AnnotationItem, HeatmapItem } from '../../../../functions/domain/annotations/annotation-model.js';
import { clipItems, cropHeatmap } from '../../../../functions/domain/annotations/clip-annotations.js';
import { drawAnnotations } from '../../../../functions/domain/annotations/draw-annotations.js';
import { drawMaskTiles, type MaskTile } from '../../../../functions/domain/annotations/draw-masks.js';

/** Anno2 answers as GetScreenshot draws them: read for drawing, clipped to the region, masks as tiles. */
const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../../../fixtures/anno2/${name}`, import.meta.url)));
const expected = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../../fixtures/anno2/${name}.expected.json`, import.meta.url), 'utf8'));

function read(zip: Uint8Array, options: Parameters<typeof readAnno2>[2]) {
  const result = readAnno2(zip, undefined, options);
  if (!result.ok) throw new Error(result.reason);
  return result.anno2;
}

const grey = (width: number, height: number) => new Uint8Array(width * height * 3).fill(200);
const pixel = (rgb: Uint8Array, width: number, x: number, y: number) =>
  Array.from(rgb.subarray((y * width + x) * 3, (y * width + x) * 3 + 3));
const scaled =
  (scale: number, x0 = 0, y0 = 0) =>
  (x: number, y: number) =>
    [(x - x0) * scale, (y - y0) * scale] as const;

describe('reading anno2 for drawing', () => {
  it('gives a mask as bitmap tiles holding exactly the SDK’s set pixels', () => {
    const anno2 = read(fixture('mask.zip'), { masks: 'tiles' });
    expect(anno2.type).toBe('mask');
    expect(anno2.items).toEqual([]);
    const tiles = anno2.masks as MaskTile[];
    expect(tiles.length).toBeGreaterThan(0);
    const set: string[] = [];
    for (const t of tiles)
      for (let y = 0; y < t.height; y++)
        for (let x = 0; x < t.width; x++) if (t.bits[y * t.width + x]) set.push(`${t.x + x},${t.y + y}`);
    const want = (expected('mask').points as [number, number][]).map(([x, y]) => `${x},${y}`);
    expect(set.sort()).toEqual(want.sort());
    // Read as points (the default), the same zip is one point per set pixel.
    expect(read(fixture('mask.zip'), {}).items).toHaveLength(want.length);
  });

  it('does not decode mask tiles outside the region', () => {
    const far = read(fixture('mask.zip'), { masks: 'tiles', region: { x: 5000, y: 5000, width: 100, height: 100 } });
    expect(far.masks).toEqual([]);
    const near = read(fixture('mask.zip'), { masks: 'tiles', region: { x: 250, y: 250, width: 10, height: 10 } });
    expect(near.masks?.length).toBeGreaterThan(0);
    // A points anno2 read as tiles stays points; with a region, only the points in it.
    const points = read(fixture('points.zip'), { masks: 'tiles' });
    expect(points.items).toHaveLength(3);
    expect(points.masks).toBeUndefined();
    const some = read(fixture('points.zip'), { region: { x: 12, y: 12, width: 10, height: 10 } });
    expect(some.items).toEqual([
      { type: 'point', x: 15, y: 15 },
      { type: 'point', x: 20, y: 20 },
    ]);
  });
});

describe('clipItems', () => {
  const box = { x: 100, y: 100, width: 100, height: 100 };
  it('keeps points inside the box (with the margin) and shapes whose bounds meet it', () => {
    const items: AnnotationItem[] = [
      { type: 'point', x: 150, y: 150 },
      { type: 'point', x: 95, y: 150 },
      { type: 'point', x: 10, y: 10 },
      {
        type: 'polygon',
        points: [
          { x: 0, y: 0 },
          { x: 1000, y: 0 },
          { x: 1000, y: 1000 },
        ],
      },
      {
        type: 'polygon',
        points: [
          { x: 300, y: 300 },
          { x: 400, y: 300 },
          { x: 400, y: 400 },
        ],
      },
      { type: 'rect', corner: { x: 250, y: 250 }, size: { x: -100, y: -100 } },
      { type: 'ellipse', center: { x: 500, y: 500 }, size: { x: 10, y: 10 } },
    ];
    const kept = clipItems(items, box, 10);
    expect(kept).toEqual([items[0], items[1], items[3], items[5]]);
    expect(clipItems(items, box)).toEqual([items[0], items[3], items[5]]);
  });

  it('cuts a heatmap to the cells that meet the box', () => {
    // 4 × 4 cells of 50 px from (0, 0): the box (100..200) meets columns and rows 2 and 3.
    const values = Uint8Array.from({ length: 16 }, (_, i) => i + 1);
    const heatmap: HeatmapItem = { type: 'heatmap', x: 0, y: 0, height: 200, rows: 4, columns: 4, values };
    const cut = cropHeatmap(heatmap, { x: 100, y: 100, width: 60, height: 60 }) as HeatmapItem;
    expect(cut).toMatchObject({ x: 100, y: 100, height: 100, rows: 2, columns: 2 });
    expect([...cut.values]).toEqual([11, 12, 15, 16]);
    expect(cropHeatmap(heatmap, { x: 500, y: 0, width: 10, height: 10 })).toBeUndefined();
    expect(cropHeatmap(heatmap, { x: -10, y: -10, width: 1000, height: 1000 })).toBe(heatmap);
    expect(clipItems([heatmap], { x: 300, y: 300, width: 10, height: 10 })).toEqual([]);
  });

  it('keeps 200,000 points of a huge answer down to those in a small region, fast', () => {
    const points: AnnotationItem[] = Array.from({ length: 200_000 }, (_, i) => ({
      type: 'point',
      x: (i * 37) % 100_000,
      y: (i * 53) % 100_000,
    }));
    const started = performance.now();
    const kept = clipItems(points, { x: 0, y: 0, width: 10_000, height: 10_000 });
    expect(performance.now() - started).toBeLessThan(500);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(10_000);
    expect(kept.every((p) => p.type === 'point' && p.x <= 10_000 && p.y <= 10_000)).toBe(true);
  });
});

describe('drawMaskTiles', () => {
  // A 4 × 4 tile at (10, 10): the left half set.
  const tile: MaskTile = {
    x: 10,
    y: 10,
    width: 4,
    height: 4,
    bits: Uint8Array.from([1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0]),
  };
  it('fills the set pixels in the colour at half opacity, at full scale', () => {
    const rgb = grey(20, 20);
    drawMaskTiles(rgb, 20, 20, scaled(1), [tile], '#ff0000');
    expect(pixel(rgb, 20, 10, 10)).toEqual([228, 100, 100]);
    expect(pixel(rgb, 20, 11, 13)).toEqual([228, 100, 100]);
    expect(pixel(rgb, 20, 12, 10)).toEqual([200, 200, 200]);
    expect(pixel(rgb, 20, 9, 10)).toEqual([200, 200, 200]);
  });

  it('enlarges and reduces with the output scale, without darkening where mask pixels share an output pixel', () => {
    const big = grey(40, 40);
    drawMaskTiles(big, 40, 40, scaled(2), [tile], '#0000ff', 1);
    expect(pixel(big, 40, 20, 20)).toEqual([0, 0, 255]);
    expect(pixel(big, 40, 23, 27)).toEqual([0, 0, 255]);
    expect(pixel(big, 40, 24, 20)).toEqual([200, 200, 200]);
    const small = grey(10, 10);
    drawMaskTiles(small, 10, 10, scaled(0.25), [{ ...tile, x: 8, y: 8 }], '#ff0000');
    // At a quarter, the set half (8…9, 8…11) lands on pixel column 2; its mask pixels share output pixels,
    // each blended once.
    expect(pixel(small, 10, 2, 2)).toEqual([228, 100, 100]);
    expect(pixel(small, 10, 3, 2)).toEqual([200, 200, 200]);
  });

  it('skips tiles outside the buffer and clips those across its edge', () => {
    const rgb = grey(12, 12);
    const before = Buffer.from(rgb);
    drawMaskTiles(rgb, 12, 12, scaled(1, 100, 100), [tile], '#ff0000');
    expect(Buffer.from(rgb).equals(before)).toBe(true);
    drawMaskTiles(rgb, 12, 12, scaled(1), [tile], '#ff0000');
    expect(pixel(rgb, 12, 11, 11)).toEqual([228, 100, 100]);
  });
});

describe('anno2 polygons and heatmaps drawn', () => {
  it('cuts the holes of an anno2 brush out of its fill, and colours heatmap cells', () => {
    const polygons = read(fixture('polygons.zip'), { masks: 'tiles' });
    const brush = polygons.items.find((i) => i.type === 'brush');
    expect(brush).toBeDefined();
    // Half scale over (900, 900)–(1800, 1800): the brush spans 1000..1700, its hole 1200..1400.
    const rgb = grey(450, 450);
    const toPixel = scaled(0.5, 900, 900);
    const items = clipItems(polygons.items, { x: 900, y: 900, width: 900, height: 900 });
    expect(items).toEqual([brush]);
    drawAnnotations(rgb, 450, 450, toPixel, items, '#00ff00', { fillAlpha: 1 });
    expect(pixel(rgb, 450, 100, 250)).toEqual([0, 255, 0]); // (1100, 1400): filled
    expect(pixel(rgb, 450, 200, 170)).toEqual([200, 200, 200]); // (1300, 1240): in the hole
    expect(pixel(rgb, 450, 420, 420)).toEqual([200, 200, 200]); // outside

    const written = writeAnno2([
      { type: 'heatmap', x: 0, y: 0, height: 20, rows: 2, columns: 2, values: Uint8Array.from([255, 0, 1, 0]) },
    ]);
    if (!written.ok) throw new Error(written.reason);
    const heatmap = read(written.zip, { masks: 'tiles' });
    const canvas = grey(20, 20);
    drawAnnotations(canvas, 20, 20, scaled(1), heatmap.items, '#00ff00', { heatmapAlpha: 1 });
    expect(pixel(canvas, 20, 5, 5)).toEqual([255, 0, 0]); // 255: red
    expect(pixel(canvas, 20, 15, 5)).toEqual([200, 200, 200]); // 0: clear
    expect(pixel(canvas, 20, 5, 15)).toEqual([0, 4, 255]); // 1: blue
  });
});
