import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Caller } from './caller.js';
import { credentialExpiry } from './credential-expiry.js';
import type { TokenService } from './token-service.js';
import type { SlideGrant, TokenRecord, TokenStore } from './token-store.js';

/** A per-slide link lives a year (QuPath asks for new links when its project is a year old), or less. */
export const SLIDE_TOKEN_DAYS = 365;
const DAY_MS = 24 * 3600 * 1000;
/** How long this process trusts a record and its maker's state: revocations show within a minute. */
const CHECK_CACHE_MS = 60_000;

/** What a per-slide token may do: read the slide and its answers, post answers as its user. */
export const SLIDE_TOKEN_CAPABILITIES = ['CanGetPixels', 'CanGetResults', 'CanUploadScores'] as const;

export type SlideTokenCheck =
  | { ok: true; record: TokenRecord & { slide: SlideGrant }; studyId: number }
  | { ok: false; status: 403 | 503; reason: string };

/**
 * Per-slide tokens (GetQupathTokensForStudy): the `{token}` of QuPath's `/i/{imageId}/{token}/…` URLs. Each is
 * a record in the token store (so `/Admin/Tokens` lists it and RevokeToken ends it) for one image, one study
 * and one user, and names the API token that made it: it expires no later than that token and stops working
 * when that token is given up. The text is `<record id>.<expiry seconds>.<MAC>` under a key of its own, so a
 * forged or foreign token is refused without a read, and an expired one answers 503 (QuPath's "expired" signal)
 * even after its record is gone. It is never a bearer token: it is no JWT.
 */
export class SlideTokenService {
  private readonly cache = new Map<string, { record: TokenRecord | undefined; makerActive: boolean; at: number }>();

  constructor(
    private readonly deps: {
      store: TokenStore;
      tokens: TokenService;
      signingKey: () => Promise<Uint8Array>;
      now?: () => Date;
    },
  ) {}

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  async create(
    maker: Caller,
    grant: { studyId: number; imageId: number; imageName: string; email: string },
  ): Promise<{ token: string; record: TokenRecord }> {
    const expiry = credentialExpiry({
      what: 'per-slide token',
      defaultLifetimeMs: SLIDE_TOKEN_DAYS * DAY_MS,
      makerExpiresOn: maker.claims.expiresOn,
      now: this.now(),
    });
    if (!expiry.ok) throw new Error(expiry.reason); // no explicit date is ever asked for
    const record: TokenRecord = {
      id: randomUUID(),
      name: `QuPath link: image ${grant.imageId} (${grant.imageName.slice(0, 100)}) for ${grant.email}`,
      capabilities: [...SLIDE_TOKEN_CAPABILITIES],
      studies: [grant.studyId],
      expiresOn: expiry.expiresOn.toISOString(),
      createdOn: this.now().toISOString(),
      slide: { imageId: grant.imageId, email: grant.email, makerId: maker.tokenId },
    };
    await this.deps.store.create(record);
    const seconds = Math.floor(expiry.expiresOn.getTime() / 1000);
    const body = `${record.id}.${seconds}`;
    return { token: `${body}.${await this.mac(body)}`, record };
  }

  /** The token of a `/i/{imageId}/{token}/…` request: for this image, unexpired, unrevoked, its maker alive. */
  async check(imageId: number, token: string): Promise<SlideTokenCheck> {
    const refused = (reason: string): SlideTokenCheck => ({ ok: false, status: 403, reason });
    const [id, seconds, mac, extra] = token.split('.');
    if (!id || !seconds || !mac || extra !== undefined || !/^\d{1,12}$/.test(seconds)) {
      return refused('This link is not valid');
    }
    if (!same(mac, await this.mac(`${id}.${seconds}`))) return refused('This link is not valid');
    const expired: SlideTokenCheck = {
      ok: false,
      status: 503,
      reason: 'This link has expired or was revoked: ask for new links (GetQupathTokensForStudy)',
    };
    if (Number(seconds) * 1000 <= this.now().getTime()) return expired;
    const { record, makerActive } = await this.lookup(id);
    if (!record?.slide || record.studies === 'all' || record.studies.length !== 1)
      return refused('This link is not valid');
    if (record.slide.imageId !== imageId) return refused(`This link is not for image ${imageId}`);
    if (record.revokedOn || !makerActive) return expired;
    return { ok: true, record: record as TokenRecord & { slide: SlideGrant }, studyId: record.studies[0] as number };
  }

  private async lookup(id: string): Promise<{ record: TokenRecord | undefined; makerActive: boolean }> {
    const at = Date.now();
    const known = this.cache.get(id);
    if (known && at - known.at < CHECK_CACHE_MS) return known;
    const record = await this.deps.store.get(id);
    const makerActive = record?.slide ? await this.deps.tokens.isActive(record.slide.makerId) : false;
    if (this.cache.size > 10_000) this.cache.clear();
    const entry = { record, makerActive, at };
    this.cache.set(id, entry);
    return entry;
  }

  private async mac(text: string): Promise<string> {
    const key = createHmac('sha256', await this.deps.signingKey())
      .update('slidescore per-slide token v1')
      .digest();
    return createHmac('sha256', key).update(text).digest('base64url').slice(0, 22);
  }
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
