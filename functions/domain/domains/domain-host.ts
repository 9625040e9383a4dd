/**
 * The address of a domain as UpsertDomain takes it: a host name with an optional port, or an origin
 * (`https://host[:port]`, a trailing `/` allowed). Nothing else: no path, user, query or wildcard, so a
 * domain can only ever change the host of the links the server makes.
 */
export type DomainAddress = { ok: true; host: string; scheme: 'http' | 'https' } | { ok: false; reason: string };

const HOST =
  /^(?=.{1,253}(?::|$))([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(?:\.([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?))*(?::([0-9]{1,5}))?$/;
const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+)(:\d+)?$/;

export function parseDomainAddress(text: string): DomainAddress {
  let value = text.trim().toLowerCase();
  let scheme: 'http' | 'https' | undefined;
  const origin = /^(https?):\/\/(.*?)\/?$/.exec(value);
  if (origin) {
    scheme = origin[1] as 'http' | 'https';
    value = origin[2] ?? '';
  }
  const match = HOST.exec(value);
  const port = match?.[3] === undefined ? undefined : Number(match[3]);
  if (!match || (port !== undefined && (port < 1 || port > 65535))) {
    return { ok: false, reason: `"${text.trim().slice(0, 300)}" is not a host name (such as scoring.example.org)` };
  }
  return { ok: true, host: value, scheme: scheme ?? (LOOPBACK.test(value) ? 'http' : 'https') };
}
