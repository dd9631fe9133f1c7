import { isIP } from 'node:net';

/**
 * Who is asking, for rate limits and sign-in throttling.
 *
 * X-Forwarded-For is a list anyone can start: every proxy appends the address it
 * received the request from, so only the entries written by proxies we run can be
 * believed, and those are the rightmost ones. With TRUST_PROXY=N (N proxies in
 * front of the app) the client is the Nth entry from the right, as in Express's
 * `trust proxy` hop count; with it off the header is ignored and the socket's
 * peer is the client.
 *
 * Written by hand rather than with `proxy-addr` (Express's) because that package
 * wants a Node IncomingMessage, which Astro does not expose; the rule itself is a
 * few lines and is unit-tested (tests/unit/client-address.test.ts).
 */
export const UNKNOWN_CLIENT = 'unknown';

/** The address in what a proxy wrote: brackets and ports dropped, IPv4-mapped IPv6 unwrapped; null when not an address. */
export function parseAddress(raw: string): string | null {
  let s = raw.trim();
  if (s.startsWith('[')) {
    const end = s.indexOf(']');
    if (end < 0) return null;
    s = s.slice(1, end);
  } else if (/^\d{1,3}(\.\d{1,3}){3}:\d{1,5}$/.test(s)) {
    s = s.slice(0, s.lastIndexOf(':'));
  }
  const version = isIP(s);
  if (version === 4) return s;
  if (version !== 6) return null;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(s);
  return mapped ? mapped[1]! : s.toLowerCase();
}

export interface AddressSources {
  /** The socket's peer (Astro's clientAddress when no allowedDomains are configured). */
  socket: string | undefined;
  /** The X-Forwarded-For header, all occurrences joined with commas. */
  forwardedFor: string | null;
  /** Proxies in front of the app (TRUST_PROXY); 0 ignores the header. */
  trustProxy: number;
}

/** The client's address, walking back over at most `trustProxy` hops of X-Forwarded-For. */
export function clientAddress({ socket, forwardedFor, trustProxy }: AddressSources): string {
  let client = (socket && parseAddress(socket)) || UNKNOWN_CLIENT;
  if (trustProxy <= 0 || !forwardedFor) return client;
  const hops = forwardedFor.split(',');
  // Each step trusts one more proxy's word for who its peer was. Fewer entries than
  // proxies: the leftmost is the furthest hop we know of (Express does the same).
  for (let i = 1; i <= trustProxy && i <= hops.length; i++) {
    const hop = parseAddress(hops[hops.length - i]!);
    // A trusted proxy that wrote something else than an address: keep the last one we could read.
    if (!hop) break;
    client = hop;
  }
  return client;
}

/** The first 64 bits of an IPv6 address: one subscriber's allocation, which a single client can roam across freely. */
function ipv6Slash64(address: string): string {
  const [head = '', tail] = address.split('::');
  const groups = (part: string) => (part ? part.split(':') : []);
  const width = (gs: string[]) => gs.reduce((n, g) => n + (g.includes('.') ? 2 : 1), 0);
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const zeros = tail === undefined ? [] : Array<string>(Math.max(0, 8 - width(left) - width(right))).fill('0');
  const full = [...left, ...zeros, ...right];
  return `${full
    .slice(0, 4)
    .map((g) => parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}

/**
 * The key rate limits count a client under: an IPv4 address as is, an IPv6 address
 * by its /64 (otherwise one host could take a fresh address per attempt).
 */
export function clientKey(address: string): string {
  return isIP(address) === 6 ? ipv6Slash64(address) : address;
}
