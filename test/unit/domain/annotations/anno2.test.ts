import { readFileSync } from 'node:fs';
import { brotliDecompressSync } from 'node:zlib';
import fc from 'fast-check';
import { unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readAnno2, writeAnno2 } from '../../../../functions/domain/annotations/anno2/anno2-zip.js';
import { decodeOmega, encodeOmega } from '../../../../functions/domain/annotations/anno2/elias-omega.js';
import { decodePolygons, encodePolygons } from '../../../../functions/domain/annotations/anno2/polygon-codec.js';
import { tileIndexes } from '../../../../functions/domain/annotations/anno2/tile-index.js';
import type { AnnotationItem, Point } from '../../../../functions/domain/annotations/annotation-model.js';

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../../../fixtures/anno2/${name}`, import.meta.url)));
const expected = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../../fixtures/anno2/${name}.expected.json`, import.meta.url), 'utf8'));
const pairs = (points: readonly Point[]) => points.map((p) => [p.x, p.y]);

function read(zip: Uint8Array) {
  const result = readAnno2(zip);
  if (!result.ok) throw new Error(result.reason);
  return result.anno2;
}

const reasonOf = (zip: Uint8Array, limits?: { maxBytes: number; maxItems: number }) => {
  const result = readAnno2(zip, limits);
  return result.ok ? 'accepted' : result.reason;
};

describe('Elias omega codes', () => {
  it('match the known codes and read back', () => {
    // 1 → 0, 2 → 10 0, 3 → 11 0, 4 → 10 100 0
    expect([...encodeOmega([1, 2, 3, 4], 'natural')]).toEqual([0b01001101, 0b01000000]);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1e6, max: 1e6 })), (values) => {
        expect(decodeOmega(encodeOmega(values, 'integers'), 'integers').slice(0, values.length)).toEqual(
          values.map((v) => v + 0),
        );
      }),
    );
  });
});

describe('anno2 polygon binary', () => {
  it('reads back what it writes', () => {
    const coordinate = fc.integer({ min: 0, max: 200_000 });
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.tuple(coordinate, coordinate), { minLength: 1, maxLength: 20 }), { maxLength: 6 }),
        (polygons) => {
          const flat = polygons.map((p) => p.flat());
          expect(decodePolygons(encodePolygons(flat))).toEqual(flat);
        },
      ),
    );
  });

  it('writes the bytes the SDK writes, tile index included', () => {
    const zip = unzipSync(fixture('polygons.zip'));
    const sdk = (name: string) => new Uint8Array(brotliDecompressSync(zip[`polygon_container/${name}`] as Uint8Array));
    const polygons = (expected('polygons').polygons as number[][][]).map((p) => p.flat());
    expect(encodePolygons(polygons)).toEqual(sdk('encoded_polygons.bin.br'));
    const index = tileIndexes(polygons);
    expect(index.all).toEqual(sdk('tile_polygons_i.msgpack.br'));
    expect(index.big).toEqual(sdk('big_tile_polygons_i.msgpack.br'));
  });

  it('refuses damaged data with a reason', () => {
    const good = encodePolygons([[1, 2, 300, 400]]);
    expect(() => decodePolygons(good.subarray(0, 10))).toThrow('the polygon data ends before its tile columns');
    expect(() => decodePolygons(good.subarray(0, good.length - 1))).toThrow(/ends inside its remainders/);
  });
});

describe('reading anno2 zips made by the SDK', () => {
  it('reads points', () => {
    const anno2 = read(fixture('points.zip'));
    expect(anno2).toMatchObject({ type: 'points', version: '0.2.0', numItems: 3, userMetadata: {} });
    expect(anno2.items).toEqual([
      { type: 'point', x: 10, y: 10 },
      { type: 'point', x: 15, y: 15 },
      { type: 'point', x: 20, y: 20 },
    ]);
  });

  it('reads mask tiles', () => {
    const anno2 = read(fixture('mask.zip'));
    expect(anno2.type).toBe('mask');
    const got = anno2.items.map((p) => [(p as Point).x, (p as Point).y]);
    const sort = (a: number[][]) =>
      [...a].sort((p, q) => (p[0] as number) - (q[0] as number) || (p[1] as number) - (q[1] as number));
    expect(sort(got)).toEqual(sort(expected('mask').points));
    expect(got).toHaveLength(anno2.numItems as number);
  });

  it('reads polygons, with holes as brushes and their labels', () => {
    const want = expected('polygons');
    const anno2 = read(fixture('polygons.zip'));
    expect(anno2.items.map((i) => i.type)).toEqual(['polygon', 'brush', 'polygon']);
    const [first, brush, rect] = anno2.items as [AnnotationItem, AnnotationItem, AnnotationItem];
    expect(first.type === 'polygon' && pairs(first.points)).toEqual(want.polygons[0]);
    expect(first.type === 'polygon' && first.labels).toEqual([
      { label: 'tumour', x: 200, y: 180, whenToShow: 'mouseover', fontSize: 12 },
    ]);
    expect(brush.type === 'brush' && [brush.positivePolygons.map(pairs), brush.negativePolygons.map(pairs)]).toEqual([
      [want.polygons[1]],
      [want.polygons[2]],
    ]);
    expect(rect.type === 'polygon' && pairs(rect.points)).toEqual(want.polygons[3]);
  });

  it('reads a heatmap', () => {
    const want = expected('heatmap');
    const [heatmap] = read(fixture('heatmap.zip')).items;
    expect(heatmap).toEqual({
      type: 'heatmap',
      x: 128,
      y: 32,
      height: 64,
      rows: 4,
      columns: 4,
      values: Uint8Array.from(want.rows.flat()),
    });
  });
});

describe('writing anno2 zips', () => {
  it('writes points, polygons with holes and labels, and heatmaps that read back', () => {
    const points: AnnotationItem[] = [
      { type: 'point', x: 1.4, y: 2 },
      { type: 'point', x: -3, y: 70000 },
    ];
    const written = writeAnno2(points, { model: 'x' });
    expect(written.ok && [written.type, written.numItems]).toEqual(['points', 2]);
    if (!written.ok) return;
    expect(read(written.zip)).toMatchObject({
      type: 'points',
      numItems: 2,
      userMetadata: { model: 'x' },
      items: [
        { type: 'point', x: 1, y: 2 },
        { type: 'point', x: 0, y: 70000 },
      ],
    });

    const shapes: AnnotationItem[] = [
      {
        type: 'polygon',
        points: [
          { x: 10, y: 10 },
          { x: 600, y: 10 },
          { x: 300, y: 900 },
        ],
        labels: [{ label: 'a', x: 1, y: 2 }],
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
            { x: 50, y: 10 },
            { x: 60, y: 10 },
            { x: 60, y: 20 },
          ],
        ],
      },
      { type: 'rect', corner: { x: 5, y: 6 }, size: { x: 10, y: 20 } },
      { type: 'ellipse', center: { x: 500, y: 500 }, size: { x: 100, y: 50 } },
    ];
    const polygons = writeAnno2(shapes);
    expect(polygons.ok && [polygons.type, polygons.numItems]).toEqual(['polygons', 5]);
    if (!polygons.ok) return;
    const back = read(polygons.zip).items;
    expect(back.slice(0, 3)).toEqual([
      shapes[0],
      shapes[1],
      {
        type: 'polygon',
        points: [
          { x: 5, y: 6 },
          { x: 15, y: 6 },
          { x: 15, y: 26 },
          { x: 5, y: 26 },
        ],
      },
    ]);
    expect(back[3]?.type === 'polygon' && back[3].points).toHaveLength(40);
    expect(Object.keys(unzipSync(polygons.zip)).sort()).toEqual([
      'labels.json',
      'polygon_container/big_tile_polygons_i.msgpack.br',
      'polygon_container/encoded_polygons.bin.br',
      'polygon_container/negative_polygons.json',
      'polygon_container/simpl_encoded_polygons.bin.br',
      'polygon_container/tile_polygons_i.msgpack.br',
      'system_metadata.json',
      'user_metadata.json',
    ]);

    const heatmap: AnnotationItem = {
      type: 'heatmap',
      x: 128,
      y: 32,
      height: 64,
      rows: 2,
      columns: 3,
      values: Uint8Array.of(0, 1, 2, 253, 254, 255),
    };
    const written3 = writeAnno2([heatmap]);
    expect(written3.ok && read(written3.zip).items).toEqual([heatmap]);
  });

  it('refuses what anno2 cannot hold', () => {
    const reason = (items: AnnotationItem[]) => {
      const w = writeAnno2(items);
      return w.ok ? 'written' : w.reason;
    };
    expect(reason([])).toBe('nothing to convert: the answer is empty');
    expect(
      reason([
        { type: 'point', x: 1, y: 1 },
        { type: 'polygon', points: [{ x: 1, y: 1 }] },
      ]),
    ).toBe('anno2 holds one kind of item; this answer mixes points and shapes');
    expect(reason([{ type: 'polyline', points: [{ x: 1, y: 1 }] }])).toBe(
      'a polyline cannot be stored in anno2, which holds closed polygons, points or one heatmap',
    );
  });
});

describe('checks on anno2 zips', () => {
  const system = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
  const points = new Uint8Array(readFileSync(new URL('../../../fixtures/anno2/points.zip', import.meta.url)));

  it('refuses what is not a zip, unsafe names, and missing entries', () => {
    expect(reasonOf(new TextEncoder().encode('hello, this is not a zip at all'))).toBe('not a zip file');
    expect(reasonOf(zipSync({ '../evil.json': system({}) }))).toBe('the zip entry "../evil.json" has an unsafe path');
    expect(reasonOf(zipSync({ '/etc/passwd': system({}) }))).toBe('the zip entry "/etc/passwd" has an unsafe path');
    expect(reasonOf(zipSync({ 'user_metadata.json': system({}) }))).toBe('the zip has no system_metadata.json');
    expect(reasonOf(zipSync({ 'system_metadata.json': system({ version: '1.0.0', type: 'points' }) }))).toBe(
      'anno2 version 1.0.0 is not supported (below 1.0.0 only)',
    );
    expect(reasonOf(zipSync({ 'system_metadata.json': system({ version: '0.2.0', type: 'cats' }) }))).toMatch(
      /^system_metadata.json: type "cats" is not one of/,
    );
    expect(reasonOf(zipSync({ 'system_metadata.json': system({ version: '0.2.0', type: 'points' }) }))).toBe(
      'a points anno2 needs anno1_points.json.br or masks.tar.gz',
    );
    expect(reasonOf(points.subarray(0, points.length - 30))).toMatch(/^not a readable anno2 zip/);
  });

  it('refuses zip bombs before expanding them', () => {
    const zeros = new Uint8Array(50 * 1024 * 1024);
    const bomb = zipSync(
      { 'system_metadata.json': system({ version: '0.2.0', type: 'points' }), 'anno1_points.json.br': zeros },
      { level: 9 },
    );
    expect(bomb.length).toBeLessThan(200_000);
    expect(reasonOf(bomb)).toBe(
      'the zip entry "anno1_points.json.br" expands more than 1000×; refused as a possible zip bomb',
    );
    expect(reasonOf(points, { maxBytes: 100, maxItems: 10 })).toMatch(
      /expands beyond 100 bytes in all; refused as a possible zip bomb$/,
    );
    expect(reasonOf(points, { maxBytes: 1e6, maxItems: 2 })).toMatch(/^anno1_points.json.br: more than 2 points/);
  });
});

describe('anno2 reading never throws', () => {
  it('on damaged copies of real zips', () => {
    const zips = ['points.zip', 'mask.zip', 'polygons.zip', 'heatmap.zip'].map(fixture);
    fc.assert(
      fc.property(
        fc.nat(3),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        (which, flips) => {
          const zip = (zips[which] as Uint8Array).slice();
          for (const [at, value] of flips) zip[at % zip.length] = value;
          const result = readAnno2(zip, { maxBytes: 4 * 1024 * 1024, maxItems: 100_000 });
          if (!result.ok) expect(result.reason.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('on zips of arbitrary entries', () => {
    const entry = fc.constantFrom(
      'system_metadata.json',
      'anno1_points.json.br',
      'masks.tar.gz',
      'polygon_container/encoded_polygons.bin.br',
      'polygon_container/negative_polygons.json',
      'labels.json',
      'heatmap.png',
      'heatmap_metadata.json',
    );
    const metadata = fc.record({
      version: fc.constantFrom('0.2.0', '0.1', 'x'),
      type: fc.constantFrom('points', 'mask', 'polygons', 'heatmap'),
      numItems: fc.nat(),
    });
    fc.assert(
      fc.property(metadata, fc.dictionary(entry, fc.uint8Array({ maxLength: 64 })), (system, files) => {
        const zip = zipSync({ ...files, 'system_metadata.json': new TextEncoder().encode(JSON.stringify(system)) });
        readAnno2(zip);
      }),
      { numRuns: 300 },
    );
  });
});
