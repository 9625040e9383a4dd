/**
 * `npm run bench [-- name …]`: runs the benchmarks (all, or those named). Each prints its figures beside a
 * baseline measured in the same run; these machines are noisy, so compare the ratios, not the times.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';

const BENCHMARKS: Record<string, () => Promise<{ run: () => Promise<void> }>> = {
  startup: () => import('./startup.js'),
  'api-latency': () => import('./api-latency.js'),
  'upload-throughput': () => import('./upload-throughput.js'),
  'results-scale': () => import('./results-scale.js'),
  'reimport-scale': () => import('./reimport-scale.js'),
  tiles: () => import('./tiles.js'),
  'asap-import': () => import('./asap-import.js'),
  'pixel-memory': () => import('./pixel-memory.js'),
  'large-bodies': () => import('./large-bodies.js'),
  screenshots: () => import('./screenshots.js'),
  'viewer-load': () => import('./viewer-load.js'),
};

/** Other names of benchmarks: `npm run bench -- asap` is asap-import. */
const ALIASES: Record<string, string> = { asap: 'asap-import', viewer: 'viewer-load' };
const wanted = process.argv.slice(2).map((name) => ALIASES[name] ?? name);
for (const name of wanted) {
  if (!(name in BENCHMARKS)) {
    console.error(`Unknown benchmark ${name}; known: ${Object.keys(BENCHMARKS).join(', ')}`);
    process.exit(2);
  }
}
for (const [name, loadModule] of Object.entries(BENCHMARKS)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  console.log(`\n== ${name}`);
  await (await loadModule()).run();
}
