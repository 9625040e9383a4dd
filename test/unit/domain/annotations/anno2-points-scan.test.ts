import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scanPoints } from '../../../../functions/domain/annotations/anno2/points-scan.js';

const bytes = (text: string) => new TextEncoder().encode(text);
const scan = (text: string, max = 1000) => {
  const out = scanPoints(bytes(text), max);
  return out && Array.from(out);
};

describe('scanPoints', () => {
  it('reads the SDK’s points layout, with any spacing, to the numbers JSON.parse gives', () => {
    expect(scan('[{"x": 10, "y": 10}, {"x": 15, "y": 15}]')).toEqual([10, 10, 15, 15]);
    expect(scan(' [ {"x":-1.5e2,"y":0.25} ,\n{ "x" : 12345678901234567 , "y" : 3E-1 } ] ')).toEqual([
      -150,
      0.25,
      JSON.parse('12345678901234567'),
      0.3,
    ]);
    expect(scan('[]')).toEqual([]);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer())), (pairs) => {
        const text = JSON.stringify(pairs.map(([x, y]) => ({ x, y })));
        const parsed = (JSON.parse(text) as { x: number; y: number }[]).flatMap((p) => [p.x, p.y]);
        expect(scan(text, 10_000)).toEqual(parsed);
      }),
    );
  });

  it('gives up (undefined) on anything else, for JSON.parse and the validator to judge', () => {
    for (const text of [
      '',
      '{}',
      '[{"y": 1, "x": 2}]',
      '[{"x": 1, "y": 2, "color": "#ff0000"}]',
      '[{"x": 1}]',
      '[{"x": 01, "y": 2}]',
      '[{"x": 1., "y": 2}]',
      '[{"x": "1", "y": 2}]',
      '[{"x": 1, "y": 2},]',
      '[{"x": 1, "y": 2}] x',
      '[{"x": 1, "y": 2}',
      '[{"x": 1e999, "y": 2}]',
    ]) {
      expect(scan(text), text).toBeUndefined();
    }
    expect(scan('[{"x": 1, "y": 2}, {"x": 3, "y": 4}]', 1)).toBeUndefined(); // more points than allowed
  });
});
