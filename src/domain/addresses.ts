// Which hosts are inside the network: the addresses the hub's own outgoing requests (chat webhooks,
// evidence probes) must never reach unless an operator allows the host. ipaddr.js classifies an
// address in every spelling (127.1, 2130706433, 0x7f.1 and [::ffff:127.0.0.1] are all loopback);
// a URL's host has already been brought to one spelling by the URL parser.
import net from 'node:net';
import ipaddr from 'ipaddr.js';

/** The range an address is in ("unicast" for a public one, "invalid" for no address). */
export function addressRange(address: string): string {
  if (!ipaddr.isValid(address)) return 'invalid';
  return ipaddr.process(address).range();
}

const RANGE_WORDS: Record<string, string> = {
  linkLocal: 'link-local',
  uniqueLocal: 'unique-local',
  carrierGradeNat: 'carrier-grade NAT',
  ipv4Mapped: 'IPv4-mapped',
  rfc6052: 'NAT64 (RFC 6052)',
  rfc6145: 'IPv4-translated (RFC 6145)',
};

/** An address's range in words ("link-local", "loopback", "private"). */
export const rangeWords = (range: string) => RANGE_WORDS[range] ?? range;

/** A host without the brackets of an IPv6 literal, in lower case. */
export const bareHost = (host: string) => host.replace(/^\[(.*)\]$/, '$1').toLowerCase();

/** Names that are this machine's or only the local network's (RFC 6761, 6762, 8375; cloud metadata). */
const LOCAL_SUFFIXES = ['.localhost', '.local', '.internal', '.home.arpa'];

/**
 * Why a URL's host is inside the network, or null when it may be public. Only what the host says
 * by itself: an address literal in a special range, localhost, a name with no dot or a local
 * suffix. A public name that resolves inside the network is caught when the connection is made
 * (src/app/core/public-fetch.ts), where the address is checked and then used.
 */
export function internalHost(host: string): string | null {
  const name = bareHost(host).replace(/\.$/, '');
  if (net.isIP(name)) {
    const range = addressRange(name);
    return range === 'unicast' ? null : `${name} is ${rangeWords(range)}`;
  }
  if (name === 'localhost' || name.endsWith('.localhost')) return `${name} is this machine`;
  if (!name.includes('.') || LOCAL_SUFFIXES.some((s) => name.endsWith(s)))
    return `${name} is a name only the local network knows`;
  return null;
}

/** Whether the operator's list names this host (case, brackets and a closing dot aside). */
export function hostAllowed(host: string, allowedHosts: readonly string[]): boolean {
  const name = bareHost(host).replace(/\.$/, '');
  return allowedHosts.some((h) => bareHost(h).replace(/\.$/, '') === name);
}

/** The hub refused to reach a host: it is inside the network (or does not resolve) and no operator allowed it. */
export class AddressRefused extends Error {}

/** The loopback names a Host header may carry (as the MCP SDK's localhost lists have them). */
export const LOOPBACK_NAMES: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];

/**
 * A host as a Host header's `URL.hostname` reads it, the form the checks compare: lower-cased, an
 * IPv6 address bracketed and shortened (`fd00:0::5` and `[fd00:0::5]` are `[fd00::5]`). Left as
 * given when it is no host at all.
 */
export function hostnameOf(host: string): string {
  const h = host.trim();
  const bracketed = h.includes(':') && !h.startsWith('[') ? `[${h}]` : h;
  return URL.parse(`http://${bracketed}`)?.hostname ?? h.toLowerCase();
}

/** The rule every URL the hub keeps to reach or send to later is held to: port 0 parses, but no one listens there. */
export const PORT_RULE = 'must name a port from 1 to 65535, or none (port 0 reaches nothing)';

/**
 * Whether an http(s) URL names port 0 (written `:0`, `:00`…): it parses, but nothing can listen on it,
 * so a chat webhook stored with it failed every post (attack round 29) and an OAuth client registered
 * with a loopback redirect on it could never be sent back (attack round 30).
 */
export const namesPortZero = (u: URL) => u.port === '0';

/** Characters RFC 3986 calls unreserved: %-escaped or not, they name the same resource (section 6.2.2.2). */
const ESCAPED_UNRESERVED = /%(4[1-9A-F]|5[0-9A]|6[1-9A-F]|7[0-9A]|3[0-9]|2D|2E|5F|7E)/gi;

/**
 * What a URL reaches, one text for every way of writing it (RFC 3986's normalisation): scheme and host
 * in any case, the default port written or not, a host's closing dot, an unreserved character escaped
 * (`%58` is X), and a fragment, which is never sent. A chat webhook is posted to once per address: one
 * address written six ways was six hooks, each decision six posts to it (attack round 26). With
 * `fragment`, the fragment is kept: it names a part of the page (`/clients#zed`, `/clients#cursor`), as
 * evidence may cite one entry of a listing.
 */
export function addressKey(url: string, opts: { fragment?: boolean } = {}): string {
  const u = new URL(url);
  const host = u.hostname.replace(/\.$/, '');
  const path = `${u.pathname}${u.search}`.replace(ESCAPED_UNRESERVED, (_, hex: string) =>
    String.fromCharCode(Number.parseInt(hex, 16)),
  );
  return `${u.protocol}//${host}${u.port ? `:${u.port}` : ''}${path}${opts.fragment ? u.hash : ''}`;
}

/**
 * Whose connections or requests an address counts with: an IPv4 address alone (an IPv4-mapped IPv6
 * one, ::ffff:192.0.2.1, as the IPv4 it is), an IPv6 one by its /64, which a single host or home
 * line is handed whole: keyed by the full address, one machine took a fresh budget (or a fresh
 * share of the reply listener's connections) with every address of its /64. Anything else, as given.
 */
export function addressGroup(address: string): string {
  // every request is keyed: an IPv4 address (or a name) is itself, without parsing
  if (!address.includes(':')) return address;
  const bare = bareHost(address).replace(/%.*$/, '');
  if (!net.isIP(bare)) return address;
  const ip = ipaddr.process(bare);
  if (ip.kind() === 'ipv4') return ip.toString();
  const parts = (ip as ipaddr.IPv6).parts.slice(0, 4).map((p) => p.toString(16));
  return `${parts.join(':')}::/64`;
}
