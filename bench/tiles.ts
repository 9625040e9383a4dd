import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ByteLru } from '../functions/slides/byte-lru.js';
import { planDeepZoomTile } from '../functions/slides/deepzoom/layout.js';
import {
  countingRangeSource,
  fileRangeSource,
  indexSlide,
  osdTileSize,
  type RangeSource,
} from '../functions/slides/index.js';
import { type SlideIndex, tileTable } from '../functions/slides/slide-index.js';
import { DEEPZOOM_JPEG_QUALITY, type RgbPixels, SlideReader } from '../functions/slides/slide-reader.js';

/**
 * DeepZoom tiles through the slide reader's service call (`SlideReader.deepZoomTile`, what the /i/ route runs
 * after its cache lookups), against python3-openslide's DeepZoomGenerator.get_tile + JPEG encoding of the same
 * tiles in the same run. Per class of tile (passed through, resampled, edge, JPEG 2000): warm p50 and p99.
 * Also: storage bytes read per tile ÷ the compressed bytes the tile needs (cold tile cache), and RSS over
 * 10,000 tiles. Reads the shared fixtures (SLIDES_DIR, default ../shared/fixtures/slides or /work/shared/…).
 */
const SLIDES = [
  'synthetic-aperio.svs',
  'synthetic-pyramid.tif',
  'CMU-1-Small-Region.svs',
  'tcga-cr-7395-01a-01-ts1.svs',
];
const PER_CLASS = 12;
const REPS = 10;
const PYTHON = '/usr/bin/python3';

type TileClass = 'passed through' | 'resampled' | 'edge' | 'JPEG 2000';
type Tile = [number, number, number];

export async function run(): Promise<void> {
  const dir = slidesDir();
  if (!dir) {
    console.log('  skipped: no shared slide fixtures (set SLIDES_DIR)');
    return;
  }
  const openslide = haveOpenSlide();
  if (!openslide) console.log('  python3-openslide missing (apt-get install python3-openslide): no baseline');
  console.log(`  tile size = osdTileSize per slide; JPEG quality ${DEEPZOOM_JPEG_QUALITY}; ${REPS} warm reps per tile`);
  console.log('  slide                         class           n   ours p50/p99 ms   OpenSlide p50/p99 ms   ratio p50');
  for (const file of SLIDES) {
    const path = `${dir}/${file}`;
    const source = await fileRangeSource(path);
    const index = await indexSlide(source);
    const tileSize = osdTileSize(index);
    // No cache of made tiles: every timed call makes its tile (native tiles stay decoded, as OpenSlide's cache does).
    const reader = new SlideReader(index, source, { tileCache: newCache(), encodedTileCache: null });
    const classes = await pickTiles(reader, index, tileSize, file.startsWith('tcga'));
    for (const [cls, tiles] of classes) {
      const ours: number[] = [];
      for (const [z, c, r] of tiles) {
        await reader.deepZoomTile(z, c, r, tileSize);
        for (let i = 0; i < REPS; i++) {
          const t0 = performance.now();
          await reader.deepZoomTile(z, c, r, tileSize);
          ours.push(performance.now() - t0);
        }
      }
      const theirs = openslide ? openSlideTimes(path, tileSize, tiles) : [];
      const o = `${fmt(pct(ours, 0.5))}/${fmt(pct(ours, 0.99))}`;
      const t = theirs.length ? `${fmt(pct(theirs, 0.5))}/${fmt(pct(theirs, 0.99))}` : '–';
      const ratio = theirs.length ? `×${(pct(ours, 0.5) / pct(theirs, 0.5)).toFixed(3)}` : '';
      console.log(
        `  ${file.padEnd(30)}${cls.padEnd(16)}${String(tiles.length).padStart(2)}   ${o.padEnd(18)}${t.padEnd(23)}${ratio}`,
      );
    }
    await repeats(file, index, source, tileSize, [...classes.values()].flat());
    await bytesPerTile(file, path, index, tileSize, [...classes.values()].flat());
    await source.close();
  }
  await rssOver10000(`${dir}/synthetic-aperio.svs`);
}

/** Up to PER_CLASS tiles of each class from the top six DeepZoom levels, classified by what the reader did. */
async function pickTiles(
  reader: SlideReader,
  index: SlideIndex,
  tileSize: number,
  j2k: boolean,
): Promise<Map<TileClass, Tile[]>> {
  const layout = reader.layout(tileSize);
  const classes = new Map<TileClass, Tile[]>();
  const top = layout.levelCount - 1;
  for (let z = top; z >= Math.max(0, top - 5); z--) {
    const [cols, rows] = layout.tiles[z] ?? [1, 1];
    const candidates: Tile[] = [];
    for (let i = 0; i < 6; i++)
      candidates.push([z, Math.floor((cols * (i + 1)) / 8), Math.floor((rows * (i + 2)) / 10)]);
    candidates.push([z, cols - 1, rows - 1], [z, cols - 1, Math.floor(rows / 2)], [z, Math.floor(cols / 2), rows - 1]);
    for (const tile of candidates) {
      const [tz, c, r] = tile;
      const plan = planDeepZoomTile(index, layout, tz, c, r);
      const out = await reader.deepZoomTile(tz, c, r, tileSize);
      const cls: TileClass = j2k
        ? 'JPEG 2000'
        : out.passedThrough
          ? 'passed through'
          : plan.width < tileSize || plan.height < tileSize
            ? 'edge'
            : 'resampled';
      const list = classes.get(cls) ?? [];
      if (list.length < PER_CLASS && !list.some((t) => t.join() === tile.join())) list.push(tile);
      classes.set(cls, list);
    }
  }
  return classes;
}

/** A tile asked for again (another viewer): served from the cache of made tiles. */
async function repeats(
  name: string,
  index: SlideIndex,
  source: RangeSource,
  tileSize: number,
  tiles: Tile[],
): Promise<void> {
  const reader = new SlideReader(index, source, {
    tileCache: newCache(),
    encodedTileCache: new ByteLru<Buffer>(32 * 2 ** 20, (b) => b.length),
  });
  const ms: number[] = [];
  for (const [z, c, r] of tiles) {
    await reader.deepZoomTile(z, c, r, tileSize);
    const t0 = performance.now();
    await reader.deepZoomTile(z, c, r, tileSize);
    ms.push(performance.now() - t0);
  }
  console.log(
    `  ${name.padEnd(30)}any class, asked again (cache of made tiles) p50 ${fmt(pct(ms, 0.5))} ms over ${tiles.length} tiles`,
  );
}

/** Storage bytes read per tile ÷ compressed bytes of the native tiles it needs, each tile with a cold cache. */
async function bytesPerTile(
  name: string,
  path: string,
  index: SlideIndex,
  tileSize: number,
  tiles: Tile[],
): Promise<void> {
  const file = await fileRangeSource(path);
  const source = countingRangeSource(file);
  const layout = new SlideReader(index, source).layout(tileSize);
  let read = 0;
  let needed = 0;
  let reads = 0;
  let tilesNeeded = 0;
  for (const [z, c, r] of tiles) {
    const reader = new SlideReader(index, source, { tileCache: newCache() });
    source.reset();
    await reader.deepZoomTile(z, c, r, tileSize);
    read += source.counts.bytes;
    reads += source.counts.reads;
    const plan = planDeepZoomTile(index, layout, z, c, r);
    const level = index.levels[plan.level];
    if (!level) continue;
    const { byteCounts } = tileTable(level);
    const lx = Math.floor(plan.x0 / level.downsample);
    const ly = Math.floor(plan.y0 / level.downsample);
    for (
      let row = Math.floor(ly / level.tileHeight);
      row * level.tileHeight < Math.min(level.height, ly + plan.readHeight);
      row++
    ) {
      for (
        let col = Math.floor(lx / level.tileWidth);
        col * level.tileWidth < Math.min(level.width, lx + plan.readWidth);
        col++
      ) {
        needed += byteCounts[row * level.cols + col] ?? 0;
        tilesNeeded++;
      }
    }
  }
  await file.close();
  console.log(
    `  ${name.padEnd(30)}bytes read ÷ bytes needed ×${(read / needed).toFixed(3)} over ${tiles.length} tiles; ranged reads ${reads} for ${tilesNeeded} native tiles`,
  );
}

/** RSS while serving 10,000 distinct-ish tiles (all tiles of the top four levels, cycled) with the default cache. */
async function rssOver10000(path: string): Promise<void> {
  const source = await fileRangeSource(path);
  const index = await indexSlide(source);
  const reader = new SlideReader(index, source);
  const layout = reader.layout(256);
  const tiles: Tile[] = [];
  for (let z = layout.levelCount - 1; z >= layout.levelCount - 4; z--) {
    const [cols, rows] = layout.tiles[z] ?? [0, 0];
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) tiles.push([z, c, r]);
  }
  const samples: string[] = [];
  const t0 = performance.now();
  for (let i = 0; i < 10_000; i++) {
    const [z, c, r] = tiles[i % tiles.length] as Tile;
    await reader.deepZoomTile(z, c, r, 256);
    if ((i + 1) % 2500 === 0) samples.push(`${i + 1}: ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB`);
  }
  await source.close();
  const seconds = (performance.now() - t0) / 1000;
  console.log(
    `  RSS over 10,000 tiles of synthetic-aperio.svs (default caches: decoded tiles 128 MiB, made tiles 32 MiB): ${samples.join(', ')}; ${seconds.toFixed(1)} s`,
  );
}

function openSlideTimes(path: string, tileSize: number, tiles: Tile[]): number[] {
  const script = fileURLToPath(new URL('./support/openslide-tiles.py', import.meta.url));
  const job = JSON.stringify({ file: path, tileSize, quality: DEEPZOOM_JPEG_QUALITY, reps: REPS, tiles });
  const result = spawnSync(PYTHON, [script], { input: job, encoding: 'utf8', maxBuffer: 16 * 2 ** 20 });
  if (result.status !== 0) throw new Error(`openslide-tiles.py failed: ${result.stderr}`);
  return (JSON.parse(result.stdout) as { ms: number[][] }).ms.flat();
}

function haveOpenSlide(): boolean {
  return spawnSync(PYTHON, ['-c', 'import openslide'], { encoding: 'utf8' }).status === 0;
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

function newCache(): ByteLru<RgbPixels> {
  return new ByteLru<RgbPixels>(256 * 2 ** 20, (p) => p.data.length);
}

function pct(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

function fmt(ms: number): string {
  return ms < 1 ? ms.toFixed(3) : ms.toFixed(2);
}
