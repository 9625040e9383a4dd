import { spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';

/**
 * ASAP import of 10⁶ coordinates (about 50 MB of XML, 1,000 polygons of 1,000 vertices): readAsapXml streaming
 * the file, against the same saxes parser with no handlers (the floor: tokenizing alone), each in a process of
 * its own so peak RSS is its own. Three runs each; medians. ASAP_IMPORT_COORDINATES sets the size.
 */
const COORDINATES = Number(process.env.ASAP_IMPORT_COORDINATES ?? 1_000_000);
const PER_ANNOTATION = 1000;
const RUNS = 3;

export async function run(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-asap-'));
  try {
    const file = join(dir, 'annotations.xml');
    await writeXml(file);
    const size = (await stat(file)).size;
    console.log(
      `${COORDINATES.toLocaleString('en-US')} coordinates, ${(size / 1024 / 1024).toFixed(1)} MB of ASAP XML`,
    );
    const results: Record<string, { ms: number; rssMb: number }[]> = { noop: [], read: [], import: [] };
    for (let i = 0; i < RUNS; i++)
      for (const mode of ['noop', 'read', 'import'] as const) results[mode]?.push(measure(mode, file));
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
    const noop = {
      ms: median(results.noop?.map((r) => r.ms) ?? []),
      rss: median(results.noop?.map((r) => r.rssMb) ?? []),
    };
    const read = {
      ms: median(results.read?.map((r) => r.ms) ?? []),
      rss: median(results.read?.map((r) => r.rssMb) ?? []),
    };
    const full = {
      ms: median(results.import?.map((r) => r.ms) ?? []),
      rss: median(results.import?.map((r) => r.rssMb) ?? []),
    };
    console.log(`saxes, no handlers (floor): ${noop.ms.toFixed(0)} ms, peak RSS ${noop.rss.toFixed(0)} MB`);
    console.log(`readAsapXml:                ${read.ms.toFixed(0)} ms, peak RSS ${read.rss.toFixed(0)} MB`);
    console.log(`import (read, map, JSON):   ${full.ms.toFixed(0)} ms, peak RSS ${full.rss.toFixed(0)} MB`);
    console.log(
      `ratio readAsapXml: time ${(read.ms / noop.ms).toFixed(2)}× (target ≤ 2×), RSS ${(read.rss / noop.rss).toFixed(2)}×`,
    );
    console.log(`ratio import:      time ${(full.ms / noop.ms).toFixed(2)}×, RSS ${(full.rss / noop.rss).toFixed(2)}×`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function writeXml(file: string): Promise<void> {
  const out = createWriteStream(file);
  out.write('<?xml version="1.0"?>\n<ASAP_Annotations>\n\t<Annotations>\n');
  for (let a = 0; a < COORDINATES / PER_ANNOTATION; a++) {
    let chunk = `\t\t<Annotation Name="Annotation ${a}" Type="Polygon" PartOfGroup="tumour" Color="#e6194b">\n\t\t\t<Coordinates>\n`;
    for (let i = 0; i < PER_ANNOTATION; i++) {
      chunk += `\t\t\t\t<Coordinate Order="${i}" X="${(40000 + a * 13.25 + i).toFixed(2)}" Y="${(37000 + i * 0.5).toFixed(2)}" />\n`;
    }
    if (!out.write(`${chunk}\t\t\t</Coordinates>\n\t\t</Annotation>\n`))
      await new Promise<void>((r) => out.once('drain', () => r()));
  }
  out.end('\t</Annotations>\n</ASAP_Annotations>\n');
  await finished(out);
}

function measure(mode: 'noop' | 'read' | 'import', file: string): { ms: number; rssMb: number } {
  const child = spawnSync('node_modules/.bin/tsx', ['bench/support/asap-import-child.ts', mode, file], {
    encoding: 'utf8',
  });
  if (child.status !== 0) throw new Error(`asap-import child failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').pop() as string);
}
