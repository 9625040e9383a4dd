import { randomUUID } from 'node:crypto';
import { Caller } from './caller.js';
import { credentialExpiry } from './credential-expiry.js';
import { DEFAULT_TOKEN_LIFETIME_DAYS } from './token-request.js';

const DAY_MS = 24 * 3600 * 1000;

import type { Capability } from './capabilities.js';
import { signToken, verifyToken } from './token-codec.js';
import type { TokenRecord, TokenStore } from './token-store.js';

export interface NewToken {
  name: string;
  capabilities: Capability[];
  studies: 'all' | number[];
  /** Undefined: the default lifetime, cut to the issuing token's expiry. */
  expiresOn?: Date;
}

export type AuthenticationResult =
  | { ok: true; caller: Caller }
  | { ok: false; reason: 'malformed' | 'expired' | 'invalid' | 'revoked' | 'unknown' };

export class TokenRefused extends Error {}

/** Issues, checks and revokes API tokens: a signed JWT for the client, a record in the store for us. */
export class TokenService {
  constructor(
    private readonly store: TokenStore,
    private readonly signingKey: () => Promise<Uint8Array>,
    private readonly issuer: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Creates a token. When `issuer` is given (a token creating a token), the new token can hold no capability
   * and no study the issuer does not hold, so a limited administrator cannot mint a broader one.
   */
  async create(request: NewToken, issuer?: Caller): Promise<{ token: string; record: TokenRecord }> {
    const name = request.name.trim();
    if (name === '' || name.length > 200) throw new TokenRefused('The token name must be 1 to 200 characters');
    const expiry = credentialExpiry({
      what: 'token',
      requested: request.expiresOn,
      defaultLifetimeMs: DEFAULT_TOKEN_LIFETIME_DAYS * DAY_MS,
      makerExpiresOn: issuer?.claims.expiresOn,
      now: this.now(),
    });
    if (!expiry.ok) throw new TokenRefused(expiry.reason);
    if (issuer) {
      const missing = request.capabilities.filter((c) => !issuer.can(c));
      if (missing.length > 0) {
        throw new TokenRefused(`The calling token lacks ${missing.join(', ')}, so it cannot grant it`);
      }
      if (request.studies === 'all' && issuer.studyScope !== 'all') {
        throw new TokenRefused('The calling token is limited to some studies, so the new token must be too');
      }
      if (request.studies !== 'all') {
        const outside = request.studies.filter((id) => !issuer.mayAccessStudy(id));
        if (outside.length > 0)
          throw new TokenRefused(`The calling token has no access to study ${outside.join(', ')}`);
      }
    }
    const record: TokenRecord = {
      id: randomUUID(),
      name,
      capabilities: [...new Set(request.capabilities)],
      studies: request.studies === 'all' ? 'all' : [...new Set(request.studies)].sort((a, b) => a - b),
      expiresOn: expiry.expiresOn.toISOString(),
      createdOn: this.now().toISOString(),
    };
    const token = await signToken({ ...record, expiresOn: expiry.expiresOn }, await this.signingKey(), this.issuer);
    await this.store.create(record);
    return { token, record };
  }

  /** A token is good when its signature, issuer and expiry check out and its record exists, unrevoked. */
  async authenticate(token: string): Promise<AuthenticationResult> {
    const verified = await verifyToken(token, await this.signingKey(), this.issuer);
    if (!verified.ok) return verified;
    const record = await this.store.get(verified.claims.id);
    if (!record) return { ok: false, reason: 'unknown' };
    if (record.revokedOn) return { ok: false, reason: 'revoked' };
    return { ok: true, caller: new Caller(verified.claims) };
  }

  /** Whether the token with this id still works: it exists, is not revoked and has not expired. */
  async isActive(id: string): Promise<boolean> {
    const record = await this.store.get(id);
    return record !== undefined && !record.revokedOn && Date.parse(record.expiresOn) > this.now().getTime();
  }

  /** Revokes the token given as text; returns false if the text is not a token this deployment signed. */
  async revokeToken(token: string): Promise<boolean> {
    const verified = await verifyToken(token, await this.signingKey(), this.issuer);
    // An expired token may still be given up: nothing is lost and it tidies the listing.
    if (!verified.ok && verified.reason !== 'expired') return false;
    const id = verified.ok ? verified.claims.id : idOfExpired(token);
    return id !== undefined && this.store.revoke(id, this.now());
  }

  revokeById(id: string): Promise<boolean> {
    return this.store.revoke(id, this.now());
  }

  /**
   * The tokens a caller may see: all of them for a token that holds all studies; for a limited token only
   * tokens limited to studies it holds too (never an all-studies token, whose record would name more).
   */
  async list(viewer?: Caller): Promise<TokenRecord[]> {
    const records = await this.store.list();
    if (!viewer || viewer.studyScope === 'all') return records;
    return records.filter((r) => r.studies !== 'all' && r.studies.every((id) => viewer.mayAccessStudy(id)));
  }
}

/** The id of a token whose signature verified but which has expired (jose does not return its claims). */
function idOfExpired(token: string): string | undefined {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
    return typeof payload.jti === 'string' ? payload.jti : undefined;
  } catch {
    return undefined;
  }
}
