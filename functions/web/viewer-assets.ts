import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The files of the viewer pages, served by us (never a CDN): OpenSeadragon's script and button images from its
 * npm package, and our own script and style from functions/web/assets/. In Lambda the bundler copies all of them
 * into one folder next to the handler (infra/constructs/server-functions.ts) and VIEWER_ASSETS_DIR says where;
 * elsewhere they are read where they are. Only names on this list are served.
 */
export const VIEWER_ASSETS_DIR_ENV = 'VIEWER_ASSETS_DIR';

/** OpenSeadragon's button images are asked for as `osd-<name>.png` (the viewer's `prefixUrl` is `osd-`). */
export const OSD_IMAGE_PREFIX = 'osd-';
const OSD_IMAGE_NAMES = [
  'zoomin',
  'zoomout',
  'home',
  'fullpage',
  'rotateleft',
  'rotateright',
  'flip',
  'previous',
  'next',
  'button',
];
const OSD_IMAGE_STATES = ['rest', 'grouphover', 'hover', 'pressed'];

const JS = 'application/javascript; charset=utf-8';
export const OWN_ASSETS: Record<string, string> = {
  'viewer.css': 'text/css; charset=utf-8',
  'viewer.js': JS,
  'sheet.js': JS,
  'session.js': JS,
};
export const OSD_SCRIPT = 'openseadragon.min.js';
export const OSD_IMAGES: string[] = OSD_IMAGE_NAMES.flatMap((n) => OSD_IMAGE_STATES.map((s) => `${n}_${s}.png`));

/** Where a served name lives: [folder kind, file name], or undefined when it is not ours to serve. */
export function assetFile(
  name: string,
): { source: 'own' | 'osd' | 'osd-image'; file: string; type: string } | undefined {
  if (Object.hasOwn(OWN_ASSETS, name)) return { source: 'own', file: name, type: OWN_ASSETS[name] as string };
  if (name === OSD_SCRIPT) return { source: 'osd', file: name, type: JS };
  if (name.startsWith(OSD_IMAGE_PREFIX)) {
    const file = name.slice(OSD_IMAGE_PREFIX.length);
    if (OSD_IMAGES.includes(file)) return { source: 'osd-image', file, type: 'image/png' };
  }
  return undefined;
}

/** The npm package's folder of the built OpenSeadragon. */
export function openSeadragonBuildDir(): string {
  return join(dirname(createRequire(import.meta.url).resolve('openseadragon/package.json')), 'build', 'openseadragon');
}

export const OWN_ASSETS_DIR = join(import.meta.dirname ?? '.', 'assets');

export async function readAsset(asset: { source: 'own' | 'osd' | 'osd-image'; file: string }): Promise<Buffer> {
  const bundled = process.env[VIEWER_ASSETS_DIR_ENV];
  // In the bundle everything is in one folder; OpenSeadragon's images keep their prefix there.
  if (bundled)
    return readFile(join(bundled, asset.source === 'osd-image' ? `${OSD_IMAGE_PREFIX}${asset.file}` : asset.file));
  if (asset.source === 'own') return readFile(join(OWN_ASSETS_DIR, asset.file));
  if (asset.source === 'osd') return readFile(join(openSeadragonBuildDir(), asset.file));
  return readFile(join(openSeadragonBuildDir(), 'images', asset.file));
}
