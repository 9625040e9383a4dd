import { errors, jwtVerify, SignJWT } from 'jose';
import { type Capability, isCapability } from './capabilities.js';

/** What a signed API token says about itself. `studies: 'all'` means no study limitation. */
export interface TokenClaims {
  id: string;
  name: string;
  capabilities: Capability[];
  studies: 'all' | number[];
  expiresOn: Date;
}

const ALGORITHM = 'HS256';

export async function signToken(claims: TokenClaims, key: Uint8Array, issuer: string): Promise<string> {
  return new SignJWT({
    name: claims.name,
    caps: claims.capabilities,
    studies: claims.studies === 'all' ? '*' : claims.studies,
  })
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
    .setJti(claims.id)
    .setIssuer(issuer)
    .setIssuedAt()
    .setExpirationTime(Math.floor(claims.expiresOn.getTime() / 1000))
    .sign(key);
}

export type VerifyFailure = 'malformed' | 'expired' | 'invalid';

/** Checks signature, algorithm, issuer and expiry; never throws for a bad token, it says why instead. */
export async function verifyToken(
  token: string,
  key: Uint8Array,
  issuer: string,
): Promise<{ ok: true; claims: TokenClaims } | { ok: false; reason: VerifyFailure }> {
  try {
    const { payload } = await jwtVerify(token, key, { algorithms: [ALGORITHM], issuer });
    const claims = claimsFrom(payload);
    return claims ? { ok: true, claims } : { ok: false, reason: 'malformed' };
  } catch (error) {
    if (error instanceof errors.JWTExpired) return { ok: false, reason: 'expired' };
    if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWTClaimValidationFailed) {
      return { ok: false, reason: 'invalid' };
    }
    return { ok: false, reason: 'malformed' };
  }
}

function claimsFrom(payload: Record<string, unknown>): TokenClaims | undefined {
  const { jti, name, caps, studies, exp } = payload;
  if (typeof jti !== 'string' || typeof name !== 'string' || typeof exp !== 'number') return undefined;
  if (!Array.isArray(caps) || !caps.every((c) => typeof c === 'string' && isCapability(c))) return undefined;
  let scope: TokenClaims['studies'];
  if (studies === '*') scope = 'all';
  else if (Array.isArray(studies) && studies.every((s) => Number.isSafeInteger(s))) scope = studies as number[];
  else return undefined;
  return { id: jti, name, capabilities: caps as Capability[], studies: scope, expiresOn: new Date(exp * 1000) };
}
