/**
 * Makes a TIFF JPEG tile a stand-alone JPEG file: the shared JPEGTables go in front (tables without their EOI,
 * then the tile without its SOI), and for Photometric RGB (Aperio) an Adobe APP14 segment with transform 0
 * after SOI, so that decoders do not take the RGB samples for YCbCr.
 */
const ADOBE_RGB = Buffer.from([
  0xff, 0xee, 0x00, 0x0e, 0x41, 0x64, 0x6f, 0x62, 0x65, 0x00, 0x64, 0x00, 0x00, 0x00, 0x00, 0x00,
]);

export function standaloneJpeg(tile: Uint8Array, tables: Uint8Array | undefined, rgbPhotometric: boolean): Buffer {
  const parts: Uint8Array[] = [Buffer.from([0xff, 0xd8])];
  if (rgbPhotometric && !hasAdobeSegment(tile)) parts.push(ADOBE_RGB);
  if (tables && tables.length > 4) parts.push(tables.subarray(2, tables.length - 2));
  parts.push(tile.subarray(2));
  return Buffer.concat(parts);
}

/** A cheap sanity check without decoding: starts with SOI and ends with EOI (garbage tiles fail it). */
export function looksLikeJpeg(tile: Uint8Array): boolean {
  const n = tile.length;
  return n >= 4 && tile[0] === 0xff && tile[1] === 0xd8 && tile[n - 2] === 0xff && tile[n - 1] === 0xd9;
}

function hasAdobeSegment(tile: Uint8Array): boolean {
  // Markers after SOI until the first non-APP segment.
  let at = 2;
  while (at + 4 <= tile.length && tile[at] === 0xff) {
    const marker = tile[at + 1] as number;
    if (marker === 0xee) return true;
    if (marker < 0xe0 || marker > 0xef) return false;
    at += 2 + (((tile[at + 2] as number) << 8) | (tile[at + 3] as number));
  }
  return false;
}

/** A JFIF APP0 segment after SOI: sharp never writes one, and the Slide Score SDK checks for `JFIF`. */
export function withJfifHeader(jpeg: Buffer): Buffer {
  if (jpeg.length > 10 && jpeg[2] === 0xff && jpeg[3] === 0xe0) return jpeg;
  const app0 = Buffer.from([
    0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
  ]);
  return Buffer.concat([jpeg.subarray(0, 2), app0, jpeg.subarray(2)]);
}
