import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Modules the pixel code imports that esbuild cannot carry into a bundle: sharp loads a native addon and
 * libvips, OpenJPEG and zstddec load WebAssembly next to their JavaScript, dicom-parser goes along so the
 * slide reader's imports resolve from one place. Bundles mark these external; Lambda functions get them from
 * the pixel layer, the container image from a `node_modules` folder beside its bundle.
 *
 * Plain Node code (no CDK): the container's image build runs it too.
 */
export const PIXEL_LAYER_MODULES = ['sharp', '@cornerstonejs/codec-openjpeg', 'zstddec', 'dicom-parser'] as const;

/**
 * sharp's prebuilt binaries for the Lambda and Fargate platform (linux-x64, glibc). They are optional
 * dependencies of sharp (one per platform), so the dependency walk below would not take them; name them here.
 */
const LINUX_X64_BINARIES = ['@img/sharp-linux-x64', '@img/sharp-libvips-linux-x64'];

/** Files of a package the runtime never reads: C++ sources, type declarations, docs. Smaller, same hash. */
const UNUSED_FILE = /(\.d\.[cm]?ts|\.map|\.md|\.cc|\.h|\.gyp)$/i;

/**
 * Copies each pixel module (its whole folder, minus UNUSED_FILE) from `repoRoot`'s node_modules into
 * `target` (a `node_modules` folder, emptied first), following `dependencies` recursively, in sorted order, so
 * the same node_modules always gives the same files.
 */
export function copyPixelModules(target: string, repoRoot: string): void {
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  const copied = new Set<string>();
  const copy = (name: string, from: string) => {
    if (copied.has(name)) return;
    copied.add(name);
    const source = packageDir(name, from, repoRoot);
    cpSync(source, join(target, name), {
      recursive: true,
      filter: (path) => !(UNUSED_FILE.test(path) || path.startsWith(join(source, 'node_modules'))),
    });
    const manifest = JSON.parse(readFileSync(join(source, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
    };
    for (const dependency of Object.keys(manifest.dependencies ?? {}).sort()) copy(dependency, source);
  };
  for (const name of [...PIXEL_LAYER_MODULES, ...LINUX_X64_BINARIES].sort()) copy(name, repoRoot);
}

/** Node's lookup: `node_modules/<name>` in `from` and each folder above it. */
function packageDir(name: string, from: string, repoRoot: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) break;
  }
  const hint = LINUX_X64_BINARIES.includes(name)
    ? ' (install it with `npm install --os=linux --cpu=x64 --libc=glibc` when not building on linux-x64)'
    : '';
  throw new Error(`Pixel modules: package ${name} is not installed in ${join(repoRoot, 'node_modules')}${hint}`);
}
