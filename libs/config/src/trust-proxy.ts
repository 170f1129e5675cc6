import { isIP } from 'node:net';

/** Express's `trust proxy`: none (false), a number of hops, or the addresses and subnets of the proxies. */
export type TrustProxy = false | number | string[];

const KEYWORDS = new Set(['loopback', 'linklocal', 'uniquelocal']);

function validEntry(entry: string): boolean {
  if (KEYWORDS.has(entry)) return true;
  const [address, range, ...rest] = entry.split('/');
  if (rest.length > 0) return false;
  const family = isIP(address ?? '');
  if (family === 0) return false;
  if (range === undefined) return true;
  if (/^\d{1,3}$/.test(range)) return Number(range) <= (family === 4 ? 32 : 128);
  // An IPv4 netmask (`10.0.0.0/255.0.0.0`).
  return family === 4 && isIP(range) === 4;
}

/** Why a TRUST_PROXY value is refused, or undefined when it is a valid one. */
export function trustProxyProblem(value: string): string | undefined {
  const v = value.trim();
  if (v === 'true') {
    return (
      'true would trust every client to name its own address (X-Forwarded-For), defeating the per-address ' +
      'limits; give the number of proxy hops or the proxies’ addresses'
    );
  }
  if (v === 'false' || /^\d+$/.test(v)) return Number(v) > 10 ? 'expected at most 10 hops' : undefined;
  const bad = v.split(',').filter((e) => !validEntry(e.trim()));
  return bad.length > 0
    ? `expected a number of hops or a comma-separated list of addresses/CIDRs (or loopback, linklocal, uniquelocal); not valid: ${bad.map((b) => `"${b.trim()}"`).join(', ')}`
    : undefined;
}

/** The `trust proxy` value of a valid TRUST_PROXY (unset: trust no proxy, req.ip is the socket address). */
export function trustProxySetting(value: string | undefined): TrustProxy {
  const v = value?.trim();
  if (!v || v === 'false') return false;
  if (/^\d+$/.test(v)) return Number(v) === 0 ? false : Number(v);
  return v.split(',').map((e) => e.trim());
}
