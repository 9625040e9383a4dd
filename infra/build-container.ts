import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { copyPixelModules, PIXEL_LAYER_MODULES } from '../layers/pixels/pixel-modules.js';
import { ESM_REQUIRE_BANNER, NODE_TARGET } from './bundling.js';

const REPO_ROOT = resolve(fileURLToPath(import.meta.url), '..', '..');

/** The container's entry: the tus server and the large-body routes (functions/tus/container.ts). */
export const CONTAINER_ENTRY = 'functions/tus/container.ts';
export const CONTAINER_BUNDLE = 'container.mjs';

/**
 * Builds what the container image runs into `outDir`: one ESM bundle of the entry (the settings of the Lambda
 * bundles) and, beside it, `node_modules` with the pixel modules the bundle leaves external. The image build
 * (functions/tus/Dockerfile) runs this; so does the test that starts the bundle against DynamoDB Local and
 * s3rver.
 */
export async function buildContainer(outDir: string, repoRoot: string = REPO_ROOT): Promise<void> {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: [join(repoRoot, CONTAINER_ENTRY)],
    outfile: join(outDir, CONTAINER_BUNDLE),
    bundle: true,
    platform: 'node',
    target: NODE_TARGET,
    format: 'esm',
    mainFields: ['module', 'main'],
    banner: { js: ESM_REQUIRE_BANNER },
    external: [...PIXEL_LAYER_MODULES],
    sourcemap: true,
    logLevel: 'warning',
  });
  copyPixelModules(join(outDir, 'node_modules'), repoRoot);
}

// `tsx infra/build-container.ts <outDir>`, as the Dockerfile runs it.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outDir = process.argv[2];
  if (!outDir) {
    console.error('usage: tsx infra/build-container.ts <outDir>');
    process.exit(2);
  }
  await buildContainer(resolve(outDir));
}
