import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { services } from '../common/services.js';
import { cookieOf } from '../http/cookies.js';
import { HttpError, notFound } from '../http/errors.js';
import type { SlideReader } from '../slides/index.js';
import type { TileGrant } from './tile-credentials.js';

/** The longest a browser may keep a tile: never past its credential. */
const MAX_TILE_AGE_SECONDS = 3600;

/**
 * What every `/i/{imageId}/{urlPart}/…` request does first: check the credential (path and cookie `t`) and
 * find the slide. Refusals: a bad or foreign credential 403, an expired one 503 (clients then call
 * GetTileServer again), as does a credential whose slide index is gone.
 */
export async function tileRequest(
  event: APIGatewayProxyEventV2,
): Promise<{ grant: TileGrant; reader: SlideReader; cacheControl: string }> {
  const imageId = Number(event.pathParameters?.imageId);
  if (!Number.isSafeInteger(imageId) || imageId <= 0) throw notFound('No such image');
  const { pixels } = services();
  const check = await pixels.checkTileCredential(imageId, event.pathParameters?.urlPart ?? '', cookieOf(event, 't'));
  if (!check.ok) throw new HttpError(check.status, check.reason);
  const reader = await pixels.readerForUpload(check.grant.uploadId);
  if (!reader)
    throw new HttpError(503, 'The slide changed since this tile credential was made: call GetTileServer again');
  const seconds = Math.floor((check.grant.expiresOn.getTime() - Date.now()) / 1000);
  const cacheControl = `private, max-age=${Math.max(0, Math.min(seconds, MAX_TILE_AGE_SECONDS))}`;
  return { grant: check.grant, reader, cacheControl };
}
