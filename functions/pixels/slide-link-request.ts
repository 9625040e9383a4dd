import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { SlideGrant } from '../auth/token-store.js';
import { services } from '../common/services.js';
import { HttpError, notFound } from '../http/errors.js';
import type { StudyImage } from '../studies/study-model.js';

export interface SlideLink {
  image: StudyImage;
  studyId: number;
  grant: SlideGrant;
  /** The link's token record: its id and expiry. */
  tokenId: string;
  expiresOn: string;
}

/**
 * What every QuPath `/i/{imageId}/{token}/…` request does first: check the per-slide token and find its
 * image. A forged token or one for another image is 403; an expired or revoked one (or one whose maker was
 * given up) is 503, which QuPath shows as "the link has expired"; an image gone from its study is 404.
 */
export async function slideLinkRequest(event: APIGatewayProxyEventV2): Promise<SlideLink> {
  const imageId = Number(event.pathParameters?.imageId);
  if (!Number.isSafeInteger(imageId) || imageId <= 0) throw notFound('No such image');
  const check = await services().slideTokens.check(imageId, event.pathParameters?.urlPart ?? '');
  if (!check.ok) throw new HttpError(check.status, check.reason);
  const image = await services().studies.getImage(imageId);
  if (!image || image.removed || image.studyId !== check.studyId) throw notFound(`No image ${imageId}`);
  return {
    image,
    studyId: check.studyId,
    grant: check.record.slide,
    tokenId: check.record.id,
    expiresOn: check.record.expiresOn,
  };
}

/** The scheme and host clients reached us by (CloudFront and `npm start` both pass Host on). */
export function requestOrigin(event: APIGatewayProxyEventV2): string {
  const headers = event.headers ?? {};
  const host = headers['x-forwarded-host'] ?? headers.host ?? event.requestContext?.domainName ?? 'localhost';
  const proto = headers['x-forwarded-proto'] ?? (/^(localhost|127\.|\[::1\])/.test(host) ? 'http' : 'https');
  return `${proto.split(',')[0]?.trim()}://${host}`;
}
