import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Architecture, Code, LayerVersion, Runtime } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { REPO_ROOT } from '../paths.js';

/**
 * Modules the pixel code imports that esbuild cannot carry into a bundle: sharp loads a native addon and
 * libvips, OpenJPEG and zstddec load WebAssembly next to their JavaScript, dicom-parser goes along so the
 * slide reader's imports resolve from one place. Functions mark these external and get them from the layer.
 */
export const PIXEL_LAYER_MODULES = ['sharp', '@cornerstonejs/codec-openjpeg', 'zstddec', 'dicom-parser'] as const;

/**
 * sharp's prebuilt binaries for the Lambda platform (linux-x64, glibc). They are optional dependencies of sharp
 * (one per platform), so the dependency walk below would not take them; name them here.
 */
const LINUX_X64_BINARIES = ['@img/sharp-linux-x64', '@img/sharp-libvips-linux-x64'];

/** Where the layer's folder is assembled (gitignored); Lambda unpacks it at /opt, and adds /opt/nodejs/node_modules to the module path. */
export const PIXEL_LAYER_DIR = join(REPO_ROOT, 'layers', 'pixels', '.build');

/** Files of a package the runtime never reads: C++ sources, type declarations, docs. Smaller layer, same hash. */
const UNUSED_FILE = /(\.d\.[cm]?ts|\.map|\.md|\.cc|\.h|\.gyp)$/i;

/**
 * The pixel modules with their runtime dependencies, assembled at synth time from this repository's
 * node_modules: offline, no Docker. Every function gets it, because functions/common/services.ts imports the
 * pixel code for all of them.
 */
export class PixelLayer extends Construct {
  readonly layer: LayerVersion;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.layer = new LayerVersion(this, 'Layer', {
      code: Code.fromAsset(assemblePixelLayer()),
      compatibleRuntimes: [Runtime.NODEJS_22_X],
      compatibleArchitectures: [Architecture.X86_64],
      description: 'sharp with libvips (linux-x64), OpenJPEG and zstd WebAssembly decoders, dicom-parser',
    });
  }
}

let assembled: string | undefined;

/**
 * Copies each package (its whole folder, minus UNUSED_FILE) into `nodejs/node_modules/<name>`, following
 * `dependencies` recursively. The folder is rebuilt from scratch and copied in sorted order, so the same
 * node_modules always gives the same files, and so the same asset hash. Once per process.
 */
export function assemblePixelLayer(): string {
  if (assembled) return assembled;
  const target = join(PIXEL_LAYER_DIR, 'nodejs', 'node_modules');
  rmSync(PIXEL_LAYER_DIR, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });

  const copied = new Set<string>();
  const copy = (name: string, from: string) => {
    if (copied.has(name)) return;
    copied.add(name);
    const source = packageDir(name, from);
    cpSync(source, join(target, name), {
      recursive: true,
      filter: (path) => !(UNUSED_FILE.test(path) || path.startsWith(join(source, 'node_modules'))),
    });
    const manifest = JSON.parse(readFileSync(join(source, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
    };
    for (const dependency of Object.keys(manifest.dependencies ?? {}).sort()) copy(dependency, source);
  };
  for (const name of [...PIXEL_LAYER_MODULES, ...LINUX_X64_BINARIES].sort()) copy(name, REPO_ROOT);
  assembled = PIXEL_LAYER_DIR;
  return assembled;
}

/** Node's lookup: `node_modules/<name>` in `from` and each folder above it. */
function packageDir(name: string, from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) break;
  }
  const hint = LINUX_X64_BINARIES.includes(name)
    ? ' (install it with `npm install --os=linux --cpu=x64 --libc=glibc` when not building on linux-x64)'
    : '';
  throw new Error(`Pixel layer: package ${name} is not installed in ${REPO_ROOT}node_modules${hint}`);
}
