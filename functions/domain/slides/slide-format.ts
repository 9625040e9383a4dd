/**
 * Tells a slide by its content, not its extension: the first bytes of the file. The slide reader adds formats
 * as it learns to read them; until then a file is a slide when it is a TIFF (BigTIFF, and the TIFF-based SVS,
 * NDPI, SCN…), a JPEG or a PNG.
 */
export type SlideFormat = 'tiff' | 'bigtiff' | 'jpeg' | 'png';

/** How many leading bytes `slideFormatOf` needs. */
export const SIGNATURE_BYTES = 16;

export function slideFormatOf(head: Uint8Array): SlideFormat | undefined {
  const b = (i: number) => head[i];
  if (head.length >= 4) {
    const littleEndian = b(0) === 0x49 && b(1) === 0x49;
    const bigEndian = b(0) === 0x4d && b(1) === 0x4d;
    if (littleEndian || bigEndian) {
      const version = littleEndian
        ? (b(2) as number) | ((b(3) as number) << 8)
        : ((b(2) as number) << 8) | (b(3) as number);
      if (version === 42) return 'tiff';
      if (version === 43) return 'bigtiff';
    }
  }
  if (head.length >= 3 && b(0) === 0xff && b(1) === 0xd8 && b(2) === 0xff) return 'jpeg';
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (head.length >= 8 && png.every((byte, i) => head[i] === byte)) return 'png';
  return undefined;
}

/** Extensions that promise a slide: a file with one of these that is not a slide is an image error. */
const SLIDE_EXTENSIONS = new Set([
  'svs',
  'tif',
  'tiff',
  'ndpi',
  'scn',
  'bif',
  'vms',
  'vmu',
  'mrxs',
  'czi',
  'isyntax',
  'dcm',
  'jpg',
  'jpeg',
  'png',
  'btf',
  'qptiff',
  'ome',
  'vsi',
  'svslide',
  'zvi',
  'kfb',
  'sdpc',
  'tf8',
  'tf2',
]);

export function hasSlideExtension(fileName: string): boolean {
  const dot = fileName.lastIndexOf('.');
  return dot > 0 && SLIDE_EXTENSIONS.has(fileName.slice(dot + 1).toLowerCase());
}

/** The image name Slide Score gives a file: its name without the extension (`test-image.TiFF` → `test-image`). */
export function imageNameOf(fileName: string): string {
  const base = fileName.slice(fileName.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}
