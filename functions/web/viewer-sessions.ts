import { errors, jwtVerify, SignJWT } from 'jose';
import { Caller } from '../auth/caller.js';
import { credentialExpiry } from '../auth/credential-expiry.js';
import type { TokenService } from '../auth/token-service.js';

/**
 * Login links and browser sessions of the viewer. Both are JWTs signed with the deployment's key, each with an
 * audience of its own, so neither can stand in for the other or for an API token.
 *
 * - A login link names one email, the API token that made it (`maker`) and the studies that token was limited
 *   to; it expires no later than its maker and can be opened until it expires.
 * - Opening it gives a session (the cookie) with the same email, maker and studies, for SESSION_HOURS or until
 *   the link would have expired, whichever is first. Every request checks that the maker is still active, so
 *   giving up the token that made a link ends the link and its sessions.
 * - A password sign-in (student accounts) makes a session with no maker, for every study that lists the email.
 */
export interface ViewerSession {
  email: string;
  /** The API token that made the login link; undefined for a password sign-in. */
  makerId?: string;
  studies: 'all' | number[];
  expiresOn: Date;
}

export const SESSION_COOKIE = 'ss_session';
export const SESSION_HOURS = 12;
/** A login link lives a week when `expiresOn` is not given (the API requires it; the default is for tools). */
export const LOGIN_LINK_DAYS = 7;

const LINK_AUDIENCE = 'slidescore-login-link';
const SESSION_AUDIENCE = 'slidescore-session';
const ALGORITHM = 'HS256';
/**
 * The maker of a password session's tile credentials: its student account, which PixelService checks still
 * exists (functions/common/services.ts).
 */
export const STUDENT_MAKER_PREFIX = 'student:';

/** How long this process trusts a maker's state: a revocation shows within a minute. */
const MAKER_CHECK_MS = 60_000;

export type LinkRefusal = { ok: false; reason: string };

export class ViewerSessions {
  private readonly makers = new Map<string, { active: boolean; at: number }>();

  constructor(
    private readonly deps: {
      signingKey: () => Promise<Uint8Array>;
      issuer: string;
      tokens: Pick<TokenService, 'isActive'>;
      now?: () => Date;
    },
  ) {}

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  /** A login link's token for `email`, made by `maker`: its studies are the maker's. */
  async createLink(
    maker: Caller,
    email: string,
    requested: Date | undefined,
  ): Promise<{ ok: true; token: string; expiresOn: Date } | LinkRefusal> {
    const expiry = credentialExpiry({
      what: 'login link',
      requested,
      defaultLifetimeMs: LOGIN_LINK_DAYS * 24 * 3600_000,
      makerExpiresOn: maker.claims.expiresOn,
      now: this.now(),
    });
    if (!expiry.ok) return expiry;
    const token = await this.sign(LINK_AUDIENCE, {
      email,
      makerId: maker.tokenId,
      studies: maker.studyScope,
      expiresOn: expiry.expiresOn,
    });
    return { ok: true, token, expiresOn: expiry.expiresOn };
  }

  /** The session a login link opens, or why it cannot. */
  async openLink(token: string): Promise<{ ok: true; session: ViewerSession; cookie: string } | LinkRefusal> {
    const link = await this.verify(LINK_AUDIENCE, token);
    if (!link.ok)
      return { ok: false, reason: link.reason === 'expired' ? 'This link has expired' : 'This link is not valid' };
    if (link.session.makerId && !(await this.makerActive(link.session.makerId))) {
      return { ok: false, reason: 'This link has been withdrawn' };
    }
    return this.start({ ...link.session, expiresOn: link.session.expiresOn });
  }

  /** A session for a password sign-in: a student account reaches its own study only. */
  async startPasswordSession(
    email: string,
    studyId: number,
  ): Promise<{ ok: true; session: ViewerSession; cookie: string }> {
    return this.start({
      email,
      studies: [studyId],
      expiresOn: new Date(this.now().getTime() + SESSION_HOURS * 3600_000),
    });
  }

  private async start(until: ViewerSession): Promise<{ ok: true; session: ViewerSession; cookie: string }> {
    const latest = this.now().getTime() + SESSION_HOURS * 3600_000;
    const session = { ...until, expiresOn: new Date(Math.min(latest, until.expiresOn.getTime())) };
    return { ok: true, session, cookie: await this.sign(SESSION_AUDIENCE, session) };
  }

  /** The session of a cookie value: signed by us, unexpired, its maker still active. */
  async check(cookie: string | undefined): Promise<ViewerSession | undefined> {
    if (!cookie) return undefined;
    const verified = await this.verify(SESSION_AUDIENCE, cookie);
    if (!verified.ok) return undefined;
    if (verified.session.makerId && !(await this.makerActive(verified.session.makerId))) return undefined;
    return verified.session;
  }

  /**
   * The session as a Caller for the pixel code (tile credentials): its maker's id, so a credential ends with
   * the maker, the session's expiry, and only the studies it may see.
   */
  pixelCaller(session: ViewerSession, studyIds: readonly number[]): Caller {
    return new Caller({
      id: session.makerId ?? `${STUDENT_MAKER_PREFIX}${session.email.toLowerCase()}`,
      name: `viewer session of ${session.email}`,
      capabilities: ['CanGetPixels'],
      studies: [...studyIds],
      expiresOn: session.expiresOn,
    });
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

  private async sign(audience: string, session: ViewerSession): Promise<string> {
    return new SignJWT({
      email: session.email,
      studies: session.studies === 'all' ? '*' : session.studies,
      ...(session.makerId ? { maker: session.makerId } : {}),
    })
      .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
      .setIssuer(this.deps.issuer)
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime(Math.floor(session.expiresOn.getTime() / 1000))
      .sign(await this.deps.signingKey());
  }

  private async verify(
    audience: string,
    token: string,
  ): Promise<{ ok: true; session: ViewerSession } | { ok: false; reason: 'expired' | 'invalid' }> {
    try {
      const { payload } = await jwtVerify(token, await this.deps.signingKey(), {
        algorithms: [ALGORITHM],
        issuer: this.deps.issuer,
        audience,
        currentDate: this.now(),
      });
      const { email, studies, maker, exp } = payload;
      if (typeof email !== 'string' || typeof exp !== 'number') return { ok: false, reason: 'invalid' };
      if (maker !== undefined && typeof maker !== 'string') return { ok: false, reason: 'invalid' };
      let scope: ViewerSession['studies'];
      if (studies === '*') scope = 'all';
      else if (Array.isArray(studies) && studies.every((s) => Number.isSafeInteger(s))) scope = studies as number[];
      else return { ok: false, reason: 'invalid' };
      return {
        ok: true,
        session: { email, studies: scope, expiresOn: new Date(exp * 1000), ...(maker ? { makerId: maker } : {}) },
      };
    } catch (error) {
      return { ok: false, reason: error instanceof errors.JWTExpired ? 'expired' : 'invalid' };
    }
  }
}

/** The Set-Cookie value of a session: HttpOnly, SameSite=Lax, Secure over HTTPS, ending with the session. */
export function sessionCookie(value: string, expiresOn: Date, secure: boolean): string {
  return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Lax; Expires=${expiresOn.toUTCString()}${secure ? '; Secure' : ''}`;
}

export function clearedSessionCookie(secure: boolean): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Expires=Thu, 01 Jan 1970 00:00:00 GMT${secure ? '; Secure' : ''}`;
}
