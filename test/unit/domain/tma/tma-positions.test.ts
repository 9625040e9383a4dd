import { describe, expect, it } from 'vitest';
import type { Rotation, TmaMap } from '../../../../functions/domain/study-config/model.js';
import { parseTmaMapFile, writeTmaMapFile } from '../../../../functions/domain/study-config/tma-map-file.js';
import { parseQupathAnswer } from '../../../../functions/domain/tma/qupath-tma-answer.js';
import {
  corePositions,
  qupathTmaPositions,
  type SlideGeometry,
} from '../../../../functions/domain/tma/tma-positions.js';

function grid(rows: number, cols: number): TmaMap {
  return {
    tmas: [],
    force: false,
    grid: Array.from({ length: rows }, (_, row) =>
      Array.from({ length: cols }, (_, col) => ({ row, col, sampleId: `${row}-${col}`, isControl: false })),
    ),
  };
}

const slide = (rotation: Rotation, overrides: Partial<SlideGeometry> = {}): SlideGeometry => ({
  bounds: { x: 0, y: 0, width: 1200, height: 600 },
  mppX: 0.5,
  mppY: 0.5,
  rotation,
  ...overrides,
});

/** QuPath's reordering of TMAPositions.json cores (SlideScoreImportTMAsCommand), on indexes. */
function qupathOrder(rows: number, cols: number, rotate: Rotation): { order: number[]; width: number } {
  if (rotate === 0) return { order: Array.from({ length: rows * cols }, (_, i) => i), width: cols };
  const order = new Array<number>(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      if (rotate === 90) order[j * rows + i] = i * cols + (cols - j - 1);
      if (rotate === 180) order[j * rows + i] = rows * cols - (j * rows + i) - 1;
      if (rotate === 270) order[j * rows + i] = (rows - i - 1) * cols + j;
    }
  }
  return { order, width: rotate === 180 ? cols : rows };
}

describe('corePositions', () => {
  it('lays an even grid over the bounds, row-major, cores at 80% of the smaller cell side', () => {
    const positions = corePositions(grid(2, 3), slide(0));
    expect(positions.map((p) => [p.row, p.col, p.x, p.y])).toEqual([
      [0, 0, 200, 150],
      [0, 1, 600, 150],
      [0, 2, 1000, 150],
      [1, 0, 200, 450],
      [1, 1, 600, 450],
      [1, 2, 1000, 450],
    ]);
    expect(positions[0]?.diameter).toBe(240);
    expect(positions[0]?.sampleId).toBe('0-0');
  });

  it('puts the grid in the order QuPath rebuilds it, at every rotation', () => {
    for (const rotation of [0, 90, 180, 270] as const) {
      const [rows, cols] = [4, 6];
      const positions = corePositions(grid(rows, cols), slide(rotation));
      const { order, width } = qupathOrder(rows, cols, rotation);
      const qupathGrid = order.map((index) => positions[index]);
      // In QuPath's grid, columns run left to right and rows top to bottom on the slide.
      for (const [k, core] of qupathGrid.entries()) {
        const [r, c] = [Math.floor(k / width), k % width];
        const right = c + 1 < width ? qupathGrid[k + 1] : undefined;
        const below = qupathGrid[k + width];
        if (right) expect(right.x, `${rotation}° ${r},${c}`).toBeGreaterThan(core?.x ?? 0);
        if (right) expect(right.y).toBeCloseTo(core?.y ?? 0);
        if (below) expect(below.y, `${rotation}° ${r},${c}`).toBeGreaterThan(core?.y ?? 0);
        if (below) expect(below.x).toBeCloseTo(core?.x ?? 0);
      }
    }
  });

  it('takes origin, spacing and diameter from the layout (µm), each on its own', () => {
    const map = { ...grid(2, 2), layout: { originXUm: 100, spacingYUm: 300, coreDiameterUm: 50 } };
    const positions = corePositions(map, slide(0));
    expect(positions.map((p) => [p.x, p.y])).toEqual([
      [200, 300],
      [800, 300],
      [200, 900],
      [800, 900],
    ]);
    expect(positions[0]?.diameter).toBe(100);
    expect(corePositions(map, slide(0), { coreDiameterUm: 10 })[0]?.diameter).toBe(20);
  });
});

describe('qupathTmaPositions', () => {
  it('scales by 1000 · width / max(width, height), empty cores at 0, diameter in µm', () => {
    const map = grid(1, 2);
    (map.grid[0] as unknown[])[1] = null;
    const geometry = { ...slide(90), width: 600, height: 1200 };
    const json = qupathTmaPositions(corePositions(map, geometry), geometry);
    expect(json.rotate).toBe(90);
    const first = json.cores[0];
    expect(first).toMatchObject({ row: 0, col: 0, name: '0-0' });
    // Portrait: QuPath divides by 1000 · 600 / 1200.
    const x = corePositions(map, geometry)[0]?.x ?? 0;
    expect(Math.trunc((first?.x ?? 0) / 500)).toBe(Math.trunc(x));
    expect(json.cores[1]).toEqual({ row: 0, col: 1, name: '', x: 0, y: 0 });
    expect(json.coreRadiusUM).toBeGreaterThan(0);
    expect(qupathTmaPositions(corePositions(map, geometry), { ...geometry, mppX: 0, mppY: 0 }).coreRadiusUM).toBe(0);
  });
});

describe('TMA map header layout', () => {
  it('reads origin, spacing and core diameter, refuses bad numbers, and writes them back', () => {
    const text = 'origin-x: 500\nspacing-x: 1200.5\ncore-diameter: 600\nspacing-y: -3\n\nA\tB\n';
    const parsed = parseTmaMapFile('m.txt', text);
    expect(parsed.value.layout).toEqual({ originXUm: 500, spacingXUm: 1200.5, coreDiameterUm: 600 });
    expect(parsed.problems).toHaveLength(1);
    const again = parseTmaMapFile('m.txt', writeTmaMapFile(parsed.value));
    expect(again.value.layout).toEqual(parsed.value.layout);
  });
});

describe('parseQupathAnswer', () => {
  it('reads the TMAs: form the extension posts', () => {
    expect(parseQupathAnswer('[{"x":1,"y":2}]')).toEqual({ kind: 'slide', answer: '[{"x":1,"y":2}]' });
    expect(parseQupathAnswer('TMAs:\n0,5\n[{"x":1}]\n3,2\n[]')).toEqual({
      kind: 'tma',
      cores: [
        { row: 0, col: 5, answer: '[{"x":1}]' },
        { row: 3, col: 2, answer: '[]' },
      ],
    });
    expect(parseQupathAnswer('TMAs:')).toEqual({ kind: 'tma', cores: [] });
    expect(parseQupathAnswer('TMAs:junk\n0,1\n[]').kind).toBe('refused');
    expect(parseQupathAnswer('TMAs:\n0,1\n[]\n0,1\n[]').kind).toBe('refused');
  });
});
