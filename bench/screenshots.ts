import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAnnotationAnswer } from '../functions/domain/annotations/annotation-model.js';
import { planScreenshot } from '../functions/domain/screenshots/screenshot-plan.js';
import { renderScreenshot } from '../functions/pixels/screenshot-renderer.js';
import { fileRangeSource, indexSlide, SlideReader } from '../functions/slides/index.js';

/**
 * A 1024×1024 GetScreenshot of synthetic-aperio.svs (the region (4096, 4096) 4096² at DeepZoom level 13, read
 * from native level 1) with a 10,000-vertex polygon and 100,000 points drawn, through the screenshot service call
 * (answer JSON parsed, region read, shapes drawn, JPEG encoded), against python3-openslide read_region + Pillow
 * drawing the same shapes + Pillow's JPEG at the same settings, in the same run. Warm tile caches on both sides.
 */
const PYTHON = '/usr/bin/python3';
const REPS = 15;
const [X, Y, SIDE] = [4096, 4096, 4096];

export async function run(): Promise<void> {
  const dir = slidesDir();
  if (!dir) {
    console.log('  skipped: no synthetic-aperio.svs (set SLIDES_DIR)');
    return;
  }
  const path = `${dir}/synthetic-aperio.svs`;
  const { polygon, points } = shapes();
  const source = await fileRangeSource(path);
  const index = await indexSlide(source);
  const reader = new SlideReader(index, source, { encodedTileCache: null });
  const planned = planScreenshot(index.levels[0]?.width ?? 0, index.levels[0]?.height ?? 0, {
    level: 13,
    x: X,
    y: Y,
    width: SIDE,
    height: SIDE,
  });
  if (!planned.ok) throw new Error(planned.reason);
  const plan = planned.plan;
  const shot = async () => {
    const polygonItems = parseAnnotationAnswer('AnnoShapes', polygon);
    const pointItems = parseAnnotationAnswer('AnnoPoints', points);
    if (!polygonItems.ok || !pointItems.ok) throw new Error('the benchmark answers do not parse');
    return renderScreenshot(reader, plan, {
      layers: [
        { items: polygonItems.items, colour: '#00ff00' },
        { items: pointItems.items, colour: '#0000ff' },
      ],
    });
  };
  const first = await shot(); // warm, as the baseline's first call
  console.log(
    `  ${plan.outWidth}×${plan.outHeight} from ${JSON.stringify(first.source)}; 10,000-vertex polygon + 100,000 points; ${first.jpeg.length} bytes; ${REPS} reps`,
  );
  const ours: number[] = [];
  for (let i = 0; i < REPS; i++) {
    const start = performance.now();
    await shot();
    ours.push(performance.now() - start);
  }
  const oursMedian = median(ours);
  console.log(
    `  ours (service call)         median ${oursMedian.toFixed(1)} ms   min ${Math.min(...ours).toFixed(1)} ms`,
  );
  if (spawnSync(PYTHON, ['-c', 'import openslide, PIL'], { encoding: 'utf8' }).status !== 0) {
    console.log('  python3-openslide or Pillow missing (apt-get install python3-openslide python3-pil): no baseline');
    return;
  }
  const work = await mkdtemp(join(tmpdir(), 'bench-screenshots-'));
  try {
    const shapesFile = join(work, 'shapes.json');
    await writeFile(shapesFile, JSON.stringify({ polygon, points }));
    const script = fileURLToPath(new URL('./support/openslide-screenshot.py', import.meta.url));
    const result = spawnSync(PYTHON, [script, path, shapesFile, String(X), String(Y), '1', '1024', String(REPS)], {
      encoding: 'utf8',
      maxBuffer: 1 << 24,
    });
    if (result.status !== 0) throw new Error(`the OpenSlide baseline failed: ${result.stderr}`);
    const theirs = result.stdout.trim().split('\n').map(Number);
    const theirsMedian = median(theirs);
    console.log(
      `  OpenSlide + Pillow          median ${theirsMedian.toFixed(1)} ms   min ${Math.min(...theirs).toFixed(1)} ms   (${result.stderr.trim()})`,
    );
    console.log(`  ratio ours/OpenSlide (median): ${(oursMedian / theirsMedian).toFixed(2)}× (target ≤ 1.0×)`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** The answers drawn: a 10,000-vertex star polygon and 100,000 points, inside the region, as answer JSON. */
function shapes(): { polygon: string; points: string } {
  const ring: { x: number; y: number }[] = [];
  const [cx, cy] = [X + SIDE / 2, Y + SIDE / 2];
  for (let i = 0; i < 10_000; i++) {
    const angle = (2 * Math.PI * i) / 10_000;
    const r = SIDE * (0.3 + 0.1 * Math.sin(angle * 40));
    ring.push({ x: Math.round(cx + r * Math.cos(angle)), y: Math.round(cy + r * Math.sin(angle)) });
  }
  let seed = 12345;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const points: { x: number; y: number }[] = [];
  for (let i = 0; i < 100_000; i++)
    points.push({ x: Math.round(X + random() * SIDE), y: Math.round(Y + random() * SIDE) });
  return { polygon: JSON.stringify([{ type: 'polygon', points: ring }]), points: JSON.stringify(points) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function slidesDir(): string | undefined {
  const candidates = [
    process.env.SLIDES_DIR,
    '../shared/fixtures/slides',
    '../../shared/fixtures/slides',
    '/work/shared/fixtures/slides',
  ];
  return candidates.find((d): d is string => !!d && existsSync(`${d}/synthetic-aperio.svs`));
}
