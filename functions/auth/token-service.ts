import { randomUUID } from 'node:crypto';
import { Caller } from './caller.js';
import type { Capability } from './capabilities.js';
import { signToken, verifyToken } from './token-codec.js';
import type { TokenRecord, TokenStore } from './token-store.js';

export interface NewToken {
  name: string;
  capabilities: Capability[];
  studies: 'all' | number[];
  expiresOn: Date;
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
    if (request.expiresOn.getTime() <= this.now().getTime()) {
      throw new TokenRefused('The expiry date must be in the future');
    }
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
      expiresOn: request.expiresOn.toISOString(),
      createdOn: this.now().toISOString(),
    };
    const token = await signToken({ ...record, expiresOn: request.expiresOn }, await this.signingKey(), this.issuer);
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

  list(): Promise<TokenRecord[]> {
    return this.store.list();
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
