// The hub's outgoing HTTP (the evidence probe, chat webhooks, MCP clients' metadata documents): it
// reaches only public addresses. Every connection (the first and
// each redirect) resolves the host, refuses loopback, private, link-local, unique-local,
// IPv4-mapped, 6to4, multicast and every other special range (ipaddr.js's classification, so
// 127.1, 2130706433, 0x7f.1 and [::ffff:127.0.0.1] are all loopback), and connects to the very
// address it checked, so a DNS answer cannot change between check and use. Hosts the operator
// lists (evidence.allowedHosts, WGHUB_WEBHOOK_ALLOWED_HOSTS, WGHUB_CLIENT_METADATA_ALLOWED_HOSTS)
// are reached as they are (a lab server, a test on loopback).
import { lookup } from 'node:dns/promises';
import net from 'node:net';
import { Agent, buildConnector, fetch as undiciFetch } from 'undici';
import { AddressRefused, addressRange, bareHost as bare, hostAllowed } from '../../domain/addresses.ts';

export { AddressRefused, addressRange } from '../../domain/addresses.ts';

/**
 * The address to connect to for `host`, checked to be public unless the operator allows the host;
 * `setting` is where the operator allows one (the evidence probe's, or chat webhooks').
 */
export async function publicAddress(
  host: string,
  allowedHosts: readonly string[],
  setting = 'evidence.allowedHosts',
): Promise<string> {
  const name = bare(host);
  const allowed = hostAllowed(host, allowedHosts);
  const addresses = net.isIP(name)
    ? [name]
    : (await lookup(name, { all: true, verbatim: true }).catch(() => [])).map((a) => a.address);
  if (!addresses.length) throw new AddressRefused(`the host name ${name} does not resolve`);
  if (allowed) return addresses[0]!;
  for (const a of addresses) {
    const range = addressRange(a);
    if (range !== 'unicast')
      throw new AddressRefused(
        `${name} is not a public address (${a} is ${range}); the hub reaches only public addresses, unless an operator allows the host under ${setting}`,
      );
  }
  return addresses[0]!;
}

/** An answer longer than the fetch was given to read: it stops reading there. */
export class ResponseTooLarge extends Error {
  constructor(maxBytes: number) {
    super(`its answer passed ${maxBytes.toLocaleString('en')} bytes, more than the hub reads`);
  }
}

/**
 * The response with its body cut off past `maxBytes`: reading it further fails with ResponseTooLarge,
 * so a server of anyone's choosing cannot make the hub hold an answer of any size (an event stream
 * counts every event it sends).
 */
function bounded(res: Response, maxBytes: number, tooLarge: (e: ResponseTooLarge) => void): Response {
  if (Number(res.headers.get('content-length') ?? 0) > maxBytes) {
    void res.body?.cancel().catch(() => {});
    const e = new ResponseTooLarge(maxBytes);
    tooLarge(e);
    throw e;
  }
  if (!res.body) return res;
  let seen = 0;
  const cut = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, out) {
      seen += chunk.byteLength;
      if (seen <= maxBytes) return out.enqueue(chunk);
      const e = new ResponseTooLarge(maxBytes);
      tooLarge(e);
      out.error(e);
    },
  });
  return new Response(res.body.pipeThrough(cut), {
    status: res.status,
    statusText: res.statusText,
    headers: res.headers,
  });
}

/** A fetch for the MCP client that connects only as described above; close() ends its connections. */
export function publicOnlyFetch(
  allowedHosts: readonly string[],
  setting?: string,
  /** Certificates to trust instead of the system's (a test's own; operators add theirs with NODE_EXTRA_CA_CERTS). */
  tls: { ca?: string } = {},
  /** Bytes of each answer read at most (none: the caller bounds what it reads itself). */
  maxBytes?: number,
  /**
   * Told when an answer passes maxBytes: a reader of an event stream (the MCP client) reports a
   * stream's error aside and goes on waiting for its answer, so the caller stops it here.
   */
  tooLarge: (e: ResponseTooLarge) => void = () => {},
): {
  fetch: (url: string | URL, init?: RequestInit) => Promise<Response>;
  close(): Promise<void>;
} {
  const connect = buildConnector({ timeout: 10_000, ...(tls.ca ? { ca: tls.ca } : {}) });
  const agent = new Agent({
    connect: (opts, callback) => {
      publicAddress(opts.hostname, allowedHosts, setting).then(
        (address) =>
          connect(
            {
              ...opts,
              hostname: address,
              host: address,
              // TLS still checks the certificate against the name asked for
              ...(net.isIP(bare(opts.hostname)) ? {} : { servername: opts.servername ?? opts.hostname }),
            },
            callback,
          ),
        (e: Error) => callback(e, null),
      );
    },
  });
  return {
    fetch: async (url, init) => {
      const res = (await undiciFetch(url, { ...(init as object), dispatcher: agent })) as unknown as Response;
      return maxBytes === undefined ? res : bounded(res, maxBytes, tooLarge);
    },
    close: () => agent.close(),
  };
}
