/**
 * When a new credential (API token, upload token, tile credential, login link, per-slide token) expires. A
 * credential never outlives the token that makes it: an explicit later date is refused, and the default
 * lifetime is cut to the maker's expiry. Every kind of credential goes through here.
 */
export function credentialExpiry(options: {
  /** What is being made, for the refusal: "token", "login link"… */
  what: string;
  /** The date asked for; undefined takes the default lifetime. */
  requested?: Date;
  defaultLifetimeMs: number;
  /** The maker's own expiry; undefined when the maker is the operator (the CLI, the first admin token). */
  makerExpiresOn?: Date;
  now: Date;
}): { ok: true; expiresOn: Date } | { ok: false; reason: string } {
  const { what, requested, makerExpiresOn, now } = options;
  if (requested) {
    if (requested.getTime() <= now.getTime())
      return { ok: false, reason: `The ${what}'s expiry date must be in the future` };
    if (makerExpiresOn && requested.getTime() > makerExpiresOn.getTime()) {
      return {
        ok: false,
        reason: `The ${what} cannot expire after the API token that makes it (${makerExpiresOn.toISOString()})`,
      };
    }
    return { ok: true, expiresOn: requested };
  }
  const byDefault = now.getTime() + options.defaultLifetimeMs;
  return { ok: true, expiresOn: new Date(Math.min(byDefault, makerExpiresOn?.getTime() ?? byDefault)) };
}
