import { createHash } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import type { Caller } from '../auth/caller.js';
import { credentialExpiry } from '../auth/credential-expiry.js';
import type { TokenService } from '../auth/token-service.js';

/**
 * Links of GenerateSlideFileURL (docs/viewer.md, "Slide file links"): a JWT signed with the deployment's key,
 * with an audience of its own, naming one file (an upload path, or a file under a directory of SLIDE_FILE_DIRS
 * in `npm start`), the email it was made for and the API token that made it. It expires no later than its
 * maker, and giving up the maker ends it. Whoever holds the link sees that one file, nothing else.
 */
export interface SlideFileLink {
  /** An upload path (`upload`) or an absolute path inside one of the configured directories (`dir`). */
  path: string;
  source: 'upload' | 'dir';
  /** The email the link was made for ('' when none was given). */
  user: string;
  makerId: string;
  expiresOn: Date;
}

/** A slide file link lives a week unless its maker ends sooner. */
export const SLIDE_FILE_LINK_DAYS = 7;
const AUDIENCE = 'slidescore-slide-file';
const ALGORITHM = 'HS256';
const MAKER_CHECK_MS = 60_000;

export class SlideFileLinks {
  private readonly makers = new Map<string, { active: boolean; at: number }>();

  constructor(
    private readonly deps: {
      signingKey: () => Promise<Uint8Array>;
      issuer: string;
      tokens: Pick<TokenService, 'isActive'>;
      now?: () => Date;
    },
  ) {}

  async create(
    maker: Caller,
    file: Pick<SlideFileLink, 'path' | 'source' | 'user'>,
  ): Promise<{ ok: true; token: string; expiresOn: Date } | { ok: false; reason: string }> {
    const expiry = credentialExpiry({
      what: 'slide file link',
      defaultLifetimeMs: SLIDE_FILE_LINK_DAYS * 24 * 3600_000,
      makerExpiresOn: maker.claims.expiresOn,
      now: this.deps.now?.() ?? new Date(),
    });
    if (!expiry.ok) return expiry;
    const token = await new SignJWT({ path: file.path, src: file.source, user: file.user, maker: maker.tokenId })
      .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
      .setIssuer(this.deps.issuer)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(Math.floor(expiry.expiresOn.getTime() / 1000))
      .sign(await this.deps.signingKey());
    return { ok: true, token, expiresOn: expiry.expiresOn };
  }

  /** The link of a token: signed by us, unexpired, its maker still active; else why not. */
  async open(token: string): Promise<{ ok: true; link: SlideFileLink } | { ok: false; reason: string }> {
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, await this.deps.signingKey(), {
        algorithms: [ALGORITHM],
        issuer: this.deps.issuer,
        audience: AUDIENCE,
        currentDate: this.deps.now?.() ?? new Date(),
      }));
    } catch (error) {
      return {
        ok: false,
        reason: error instanceof errors.JWTExpired ? 'This link has expired' : 'This link is not valid',
      };
    }
    const { path, src, user, maker, exp } = payload;
    if (
      typeof path !== 'string' ||
      (src !== 'upload' && src !== 'dir') ||
      typeof user !== 'string' ||
      typeof maker !== 'string' ||
      typeof exp !== 'number'
    ) {
      return { ok: false, reason: 'This link is not valid' };
    }
    if (!(await this.makerActive(maker))) return { ok: false, reason: 'This link has been withdrawn' };
    return { ok: true, link: { path, source: src, user, makerId: maker, expiresOn: new Date(exp * 1000) } };
  }

  private async makerActive(id: string): Promise<boolean> {
    const now = Date.now();
    const known = this.makers.get(id);
    if (known && now - known.at < MAKER_CHECK_MS) return known.active;
    const active = await this.deps.tokens.isActive(id);
    if (this.makers.size > 10_000) this.makers.clear();
    this.makers.set(id, { active, at: now });
    return active;
  }
}

/** The cookie that carries a link's token to its tiles, so the token is never in a tile URL (nor in logs). */
export const SLIDE_FILE_COOKIE = 'sf';

/** A short fingerprint of a link token: names its tile path, `/SlideFile/<key>/i_files/`. */
export function slideFileKey(token: string): string {
  return createHash('sha256').update(token).digest('base64url').slice(0, 22);
}

/** The Set-Cookie of a link's tiles: for its tile path only, ending with the link. */
export function slideFileCookie(token: string, expiresOn: Date, secure: boolean): string {
  return `${SLIDE_FILE_COOKIE}=${token}; Path=/SlideFile/${slideFileKey(token)}/; HttpOnly; SameSite=Lax; Expires=${expiresOn.toUTCString()}${secure ? '; Secure' : ''}`;
}
