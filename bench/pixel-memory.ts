/**
 * Peak RSS of the pixel functions' work, to size their memory (layers/README.md): each scenario runs in a
 * child process of its own, so one's peak does not hide another's. Baseline: the same process after loading
 * the pixel code and sharp, having drawn nothing.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SLIDE = fileURLToPath(new URL('../test/fixtures/slides/CMU-1-Small-Region.svs', import.meta.url));
const SCENARIOS = ['idle', 'raw-4096', 'deepzoom-100'] as const;
type Scenario = (typeof SCENARIOS)[number];

/** One scenario, in this process; prints the peak RSS in MB. */
async function measure(scenario: Scenario): Promise<void> {
  const sharp = (await import('sharp')).default;
  const { fileRangeSource, indexSlide, osdTileSize, SlideReader } = await import('../functions/slides/index.js');
  const source = await fileRangeSource(SLIDE);
  const index = await indexSlide(source);
  const reader = new SlideReader(index, source);
  if (scenario === 'raw-4096') {
    // Wider than the 2220×2967 slide: the region is partly background, as a client's region at an edge is.
    const region = await reader.renderRegion(0, 0, 0, 4096, 4096);
    await sharp(region.data, { raw: { width: 4096, height: 4096, channels: 3 } })
      .jpeg({ quality: 90 })
      .toBuffer();
  } else if (scenario === 'deepzoom-100') {
    const size = osdTileSize(index);
    const layout = reader.layout(size);
    let made = 0;
    // Full-resolution tiles first: the most decoding per tile.
    for (let z = layout.levelCount - 1; z >= 0 && made < 100; z--) {
      const [cols, rows] = layout.tiles[z]!;
      for (let r = 0; r < rows && made < 100; r++) {
        for (let c = 0; c < cols && made < 100; c++, made++) await reader.deepZoomTile(z, c, r, size);
      }
    }
  }
  console.log(Math.round(process.resourceUsage().maxRSS / 1024));
}

export async function run(): Promise<void> {
  const peaks = new Map<Scenario, number>();
  for (const scenario of SCENARIOS) {
    const out = execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), scenario], {
      encoding: 'utf8',
    });
    peaks.set(scenario, Number(out.trim().split('\n').at(-1)));
  }
  const idle = peaks.get('idle')!;
  console.log('  scenario          peak RSS MB   vs idle');
  for (const [scenario, mb] of peaks) {
    console.log(`  ${scenario.padEnd(16)} ${String(mb).padStart(11)}   ${(mb / idle).toFixed(2)}×`);
  }
}

const scenario = process.argv[2];
if (scenario && (SCENARIOS as readonly string[]).includes(scenario)) await measure(scenario as Scenario);
