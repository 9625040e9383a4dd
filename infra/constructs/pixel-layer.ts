import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Architecture, Code, LayerVersion, Runtime } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { copyPixelModules } from '../../layers/pixels/pixel-modules.js';
import { REPO_ROOT } from '../paths.js';

export { PIXEL_LAYER_MODULES } from '../../layers/pixels/pixel-modules.js';

/** Where the layer's folder is assembled (gitignored); Lambda unpacks it at /opt, and adds /opt/nodejs/node_modules to the module path. */
export const PIXEL_LAYER_DIR = join(REPO_ROOT, 'layers', 'pixels', '.build');

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

/** The layer's folder: `nodejs/node_modules` with the pixel modules, rebuilt from scratch once per process. */
export function assemblePixelLayer(): string {
  if (assembled) return assembled;
  rmSync(PIXEL_LAYER_DIR, { recursive: true, force: true });
  copyPixelModules(join(PIXEL_LAYER_DIR, 'nodejs', 'node_modules'), REPO_ROOT);
  assembled = PIXEL_LAYER_DIR;
  return assembled;
}
