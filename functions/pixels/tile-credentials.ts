import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Tile credentials (GetTileServer): what lets a viewer fetch DeepZoom tiles of one image without a bearer
 * token. `urlPart` goes in the tile URL and names the grant; `cookiePart` is sent as cookie `t`. Both are
 * HMACs under a key derived from the deployment's signing key, so a tile request is checked without any
 * storage read. A grant names the image, its study, the file upload it reads, its expiry and its maker (the
 * API token that asked), whose revocation ends it too.
 */
export interface TileGrant {
  imageId: number;
  studyId: number;
  /** The tus upload id of the committed file: the slide index is found by it, with no database read. */
  uploadId: string;
  expiresOn: Date;
  /** Id of the API token that made the credential. */
  makerId: string;
}

export interface TileCredential {
  cookiePart: string;
  urlPart: string;
  expiresOn: string;
}

export type TileCheck = { ok: true; grant: TileGrant } | { ok: false; status: 403 | 503; reason: string };

/** A key for tile credentials only, so that no tile credential can ever pass as an API token. */
export function tileCredentialKey(signingKey: Uint8Array): Buffer {
  return createHmac('sha256', signingKey).update('slidescore tile credential v1').digest();
}

export function issueTileCredential(key: Buffer, grant: TileGrant): TileCredential {
  const payload = Buffer.from(
    JSON.stringify({
      i: grant.imageId,
      s: grant.studyId,
      u: grant.uploadId,
      e: Math.floor(grant.expiresOn.getTime() / 1000),
      m: grant.makerId,
    }),
  ).toString('base64url');
  const urlPart = `${payload}.${mac(key, `url.${payload}`)}`;
  return { urlPart, cookiePart: mac(key, `cookie.${urlPart}`), expiresOn: isoSeconds(grant.expiresOn) };
}

/**
 * Checks a tile request: the credential must be ours, for this image, with its cookie; an expired one is 503
 * (the SDK's documented signal to call GetTileServer again), anything else 403.
 */
export function verifyTileCredential(
  key: Buffer,
  imageId: number,
  urlPart: string,
  cookie: string | undefined,
  now: Date,
): TileCheck {
  const refused = (reason: string): TileCheck => ({ ok: false, status: 403, reason });
  const [payload, signature, extra] = urlPart.split('.');
  if (!payload || !signature || extra !== undefined || !same(signature, mac(key, `url.${payload}`))) {
    return refused('This tile credential is not valid');
  }
  if (!cookie || !same(cookie, mac(key, `cookie.${urlPart}`))) {
    return refused('The tile credential needs its cookie: send cookie t=<cookiePart> from GetTileServer');
  }
  let fields: { i?: unknown; s?: unknown; u?: unknown; e?: unknown; m?: unknown };
  try {
    fields = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return refused('This tile credential is not valid');
  }
  const { i, s, u, e, m } = fields;
  if (
    typeof i !== 'number' ||
    typeof s !== 'number' ||
    typeof u !== 'string' ||
    typeof e !== 'number' ||
    typeof m !== 'string'
  ) {
    return refused('This tile credential is not valid');
  }
  if (i !== imageId) return refused(`This tile credential is not for image ${imageId}`);
  const expiresOn = new Date(e * 1000);
  if (expiresOn.getTime() <= now.getTime()) {
    return { ok: false, status: 503, reason: 'The tile credential has expired: call GetTileServer again' };
  }
  return { ok: true, grant: { imageId: i, studyId: s, uploadId: u, expiresOn, makerId: m } };
}

function mac(key: Buffer, text: string): string {
  return createHmac('sha256', key).update(text).digest('base64url');
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function isoSeconds(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}
