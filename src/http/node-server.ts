// The hub's HTTP server on Node: the Hono app behind node:http, and what becomes of a request body
// the app never read. A request refused before its body is read (no such route, a form from another
// origin, MCP without a token, a body over the limit) is answered at once; the client is often
// still sending. Closing a socket with unread bytes in it resets the connection, and the client can
// lose the answer it had not read yet (ECONNRESET, EPIPE); @hono/node-server's own clean-up stalled
// on a body the app had begun to wrap and cut the connection half a second later, after saying
// keep-alive. So the rest of the body is read and dropped, bounded in bytes and in time:
// - a body within the limit (its Content-Length says so): the connection stays open for the next
//   request once the body is in; one still arriving when the time is up has its connection cut;
// - a body past the limit, or of unknown length (chunked) and not all in: the answer says
//   `Connection: close`, goes out with a FIN, and the hub reads on until the body ends, the client
//   closes, or the bound is reached, and only then closes (a lingering close), never under the answer.
// A slow-loris body holds a connection at most UNREAD_BODY.ms after its answer; before the answer
// Node's requestTimeout (five minutes) bounds the whole request.
//
// Behind a proxy that keeps connections to the hub open between requests (deploy/haproxy.cfg), the
// proxy must be the one to close an idle connection: one the hub closes just as the proxy sends the
// next request on it is a 502 for that request's user. Node's default keep-alive is 5 s, far below
// haproxy's `timeout server 60s`, so the hub keeps an idle connection KEEP_ALIVE_MS (65 s,
// WGHUB_KEEP_ALIVE_MS); a request's headers get HEADERS_MS from their first byte, whatever the keep-alive.
import { createServer, type IncomingMessage, maxHeaderSize, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { getRequestListener, RequestError } from '@hono/node-server';
import { LIMITS } from '../domain/limits.ts';

type FetchCallback = Parameters<typeof getRequestListener>[0];

/** How much of an unread body is read and dropped after the answer, and for how long at most. */
export const UNREAD_BODY = {
  /** Bytes read past the answer before the connection is cut (a body up to the limit, and more, fits). */
  bytes: 4 * LIMITS.requestBodyBytes,
  /** Milliseconds after the answer before the connection is cut whatever is still coming. */
  ms: 5_000,
};

export type UnreadBodyBound = typeof UNREAD_BODY;

/** Whether the server is stopping (`on`), and how it closes the connections that have just gone idle. */
export type Drain = { on: boolean; idle: () => void };
const NOT_DRAINING: Drain = { on: false, idle: () => {} };
const drains = new WeakMap<Server, Drain>();
/** Each server's open connections, for the stop: Node's own list is not public. */
const open = new WeakMap<Server, Set<Connection>>();

/**
 * A connection as the stop sees it: `_httpMessage`, Node's answer in progress on it (none between
 * requests, nor while a request's head is still arriving); `lingering` and `discarding`, this
 * module's reading of a body after its answer, which ends the connection itself within UNREAD_BODY.ms.
 */
type Connection = Socket & { _httpMessage?: unknown; lingering?: boolean; discarding?: boolean };

/** Whether a connection carries no answer of the hub's, in progress or still to be finished. */
function carriesNothing(c: Connection): boolean {
  return !c._httpMessage && !c.lingering && !c.discarding;
}

/**
 * Stops the server as a proxy in front of it needs: no new connections; idle keep-alive ones are
 * closed at once (a FIN: the proxy opens a new one, elsewhere, for its next request), and so are
 * those whose next request has not arrived whole (its head still coming: no answer is owed on it,
 * and once the server stops listening Node no longer bounds how long a head may take, so a slow
 * client held the stop for the whole grace, then the process exited 1); an answer in flight goes out
 * whole, with `Connection: close` if its head is still to be written, and its connection is closed
 * once the answer is out rather than kept idle for the keep-alive time. Resolves once every
 * connection is closed.
 */
export function stopServing(server: Server): Promise<void> {
  const drain = drains.get(server);
  if (drain) drain.on = true;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  for (const c of open.get(server) ?? []) if (carriesNothing(c)) c.destroy();
  return closed;
}

/** How long an idle keep-alive connection stays open by default: above a proxy's usual 60 s idle timeout. */
export const KEEP_ALIVE_MS = 65_000;
/** Node's default bound on a whole request. */
const REQUEST_MS = 300_000;
/** How long a request's headers may take, from their first byte: Node's default, whatever the keep-alive. */
export const HEADERS_MS = 60_000;

/**
 * Node's timeouts for a keep-alive of `keepAliveMs`. Since Node 18 the headers' and the whole
 * request's bounds run from each request's start, not the connection's (an idle kept-alive
 * connection's next request is not cut as slow however long it waited: test/http/slow-headers.test.ts),
 * so the headers are bounded apart from the keep-alive: at HEADERS_MS a slow-header client holds a
 * connection a minute, not the hour WGHUB_KEEP_ALIVE_MS may keep an idle one.
 */
export function serverTimeouts(
  keepAliveMs: number,
  headersMs = HEADERS_MS,
): {
  keepAliveTimeout: number;
  headersTimeout: number;
  requestTimeout: number;
} {
  return { keepAliveTimeout: keepAliveMs, headersTimeout: headersMs, requestTimeout: Math.max(REQUEST_MS, headersMs) };
}

/**
 * Listens on `port` (0: any free one) with the hub's app; `unreadBodyMs` and `headersMs` shorten the bounds for tests;
 * `keepAliveMs` (default KEEP_ALIVE_MS) is how long an idle connection is kept open.
 */
export function serveHub(
  app: { fetch: FetchCallback },
  opts: { hostname: string; port: number; unreadBodyMs?: number; keepAliveMs?: number; headersMs?: number },
): Server {
  const bound = { ...UNREAD_BODY, ms: opts.unreadBodyMs ?? UNREAD_BODY.ms };
  // autoCleanupIncoming off: the unread body is this module's to discard, not the adapter's
  const listener = getRequestListener(app.fetch, {
    hostname: opts.hostname,
    autoCleanupIncoming: false,
    // a request the adapter cannot make an address of was a bare 400 with no body (attack round 21);
    // requestProblem names each case first, and this answers any other the same way
    errorHandler: (e) =>
      e instanceof RequestError
        ? problemResponse(400, `the request's address cannot be read (${e.message}): ${TARGET_RULE}`)
        : problemResponse(500, 'the hub failed to answer this request', 'Internal Server Error'),
  });
  // Node's own refusal of a request without Host is a bare 400 too: requestProblem says it instead
  const timeouts = serverTimeouts(opts.keepAliveMs ?? KEEP_ALIVE_MS, opts.headersMs);
  const drain: Drain = { on: false, idle: () => server.closeIdleConnections() };
  // Node checks the bounds every 30 s (its default, half of HEADERS_MS); a shorter bound in a test, more often
  const connectionsCheckingInterval = Math.min(30_000, timeouts.headersTimeout / 2);
  const server = createServer({ requireHostHeader: false, ...timeouts, connectionsCheckingInterval }, (req, res) => {
    // a request pipelined behind one answered `Connection: close` is never run (RFC 9112 §9.6):
    // the connection is only still open to read the earlier body to its end, and closes once the
    // answer is out (not at once: that could drop the answer still being written)
    if ((req.socket as { lingering?: boolean } | null)?.lingering) {
      req.resume();
      return;
    }
    keepAnswersWhole(req, res, bound, drain);
    const refused = requestProblem(req);
    if (refused) {
      res.writeHead(400, { 'Content-Type': 'application/problem+json', 'X-Content-Type-Options': 'nosniff' });
      res.end(
        JSON.stringify({ type: 'urn:wghub:problem:bad-request', title: 'Bad request', status: 400, detail: refused }),
      );
      return;
    }
    const coding = transferCodingProblem(req.headers['transfer-encoding']);
    if (coding) {
      res.writeHead(501, { 'Content-Type': 'application/problem+json', 'X-Content-Type-Options': 'nosniff' });
      res.end(
        JSON.stringify({
          type: 'urn:wghub:problem:unsupported-transfer-coding',
          title: 'Transfer coding not implemented',
          status: 501,
          detail: `Transfer-Encoding: ${coding}`,
          errors: [{ field: 'Transfer-Encoding', rule: coding }],
        }),
      );
      return;
    }
    void listener(req, res);
  });
  // Node's parser refuses a request it cannot read (headers past http.maxHeaderSize, a request line
  // that is not HTTP) with a bare status line and no body: a client was told 431 and nothing of
  // which rule (fuzz round 15). Answered as every other refusal is, problem+json naming it.
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (err.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
    const [status, title, detail] =
      err.code === 'HPE_HEADER_OVERFLOW'
        ? [
            431,
            'Request Header Fields Too Large',
            `the request line and headers together may be at most ${maxHeaderSize} bytes: send a shorter query (search words go in q, at most 500 characters) or fewer headers`,
          ]
        : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? [408, 'Request Timeout', 'the request did not arrive whole in time']
          : [
              400,
              'Bad Request',
              'the request is not well-formed HTTP/1.1 (its request line, a header or the body framing)',
            ];
    const body = JSON.stringify({
      type: `urn:wghub:problem:${status === 400 ? 'bad-request' : status === 408 ? 'timeout' : 'too-large'}`,
      title,
      status,
      detail,
    });
    socket.end(
      `HTTP/1.1 ${status} ${title}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n${body}`,
    );
  });
  drains.set(server, drain);
  const connections = new Set<Connection>();
  open.set(server, connections);
  server.on('connection', (c: Connection) => {
    connections.add(c);
    c.once('close', () => connections.delete(c));
  });
  server.listen(opts.port, opts.hostname);
  return server;
}

const TARGET_RULE =
  'send a path starting with / (or an absolute http or https address) and a Host header naming a host, with a port of at most 65535 if any';

function problemResponse(status: number, detail: string, title = 'Bad request'): Response {
  const type = status === 400 ? 'bad-request' : 'internal';
  return new Response(JSON.stringify({ type: `urn:wghub:problem:${type}`, title, status, detail }), {
    status,
    headers: { 'Content-Type': 'application/problem+json', 'X-Content-Type-Options': 'nosniff' },
  });
}

/**
 * Why a request target cannot be served, before the app sees it: an absolute-form target naming a
 * user or password (`GET http://u@localhost/ HTTP/1.1`) cannot become a fetch Request at all, and
 * the app's first read of it threw (a 500 on every route). Null for any other target.
 */
export function targetProblem(target: string | undefined): string | null {
  if (!target || target.startsWith('/')) return null;
  const u = URL.parse(target);
  return u && (u.username || u.password)
    ? 'the request target must not name a user or password (http://user@host/…): send the path alone, with the host in the Host header'
    : null;
}

/**
 * Why a request cannot be made an address of, in words, or null: its target names a user (above),
 * is no path nor http(s) address (`OPTIONS *`, `http://`, a port past 65535), or its Host header is
 * missing on HTTP/1.1 or names no host (`a b`, `[::1`, `localhost:99999`). Each was a bare 400 with
 * no body, from Node or the adapter, naming no rule (attack round 21).
 */
export function requestProblem(
  req: Pick<IncomingMessage, 'url' | 'headers' | 'httpVersion'> & { rawHeaders?: string[] },
): string | null {
  // Host sent twice: Node keeps the first and drops the other, where a proxy in front may route or
  // check by the last, so the two read different hosts (attack round 30); RFC 9112 §3.2 says 400
  const hosts = headerLines(req.rawHeaders, 'host');
  if (hosts > 1) return `a request names its host in one Host header (RFC 9112 §3.2); this one sent ${hosts}: send one`;
  // Authorization sent twice reached the app joined into one value ("Bearer a, Bearer b") and was told
  // it "must be Bearer TOKEN", though each line was (attack round 30): one credential is one header
  const credentials = headerLines(req.rawHeaders, 'authorization');
  if (credentials > 1)
    return `a request carries its credentials in one Authorization header (RFC 9110 §5.3, §11.6.2); this one sent ${credentials}: send one`;
  const target = req.url ?? '';
  const named = targetProblem(target);
  if (named) return named;
  const absolute = /^https?:\/\//i.test(target);
  const dots = dotSegment(absolute ? target.replace(/^https?:\/\/[^/?#]*/i, '') : target);
  if (dots) return dots;
  if (absolute && !URL.parse(target)?.hostname) return `the request target is no http or https address: ${TARGET_RULE}`;
  if (!absolute && !target.startsWith('/'))
    return `the request target must be a path starting with / (or an absolute http or https address): ${TARGET_RULE}`;
  if (absolute) return null; // its host is the target's, whatever Host says
  const host = req.headers.host;
  if (host === undefined)
    return req.httpVersion === '1.0' ? null : 'an HTTP/1.1 request names its host in a Host header (RFC 9112 §3.2)';
  if (host !== '' && !namesHost(host)) return 'the Host header must name a host, with a port of at most 65535 if any';
  return null;
}

/**
 * Why a request's Transfer-Encoding cannot be read, or null: the hub undoes chunked framing only.
 * Node's parser frames a body by the last coding (chunked) and passes the others over, so a body sent
 * `Transfer-Encoding: gzip, chunked` reached the app as the compressed bytes, read as if plain: a
 * mislabelled one was stored, a compressed one told it was no JSON (attack round 31; round 29 refused
 * Content-Encoding alike). RFC 9112 §6.1: a server answers a transfer coding it does not know 501.
 */
export function transferCodingProblem(header: string | undefined): string | null {
  if (header === undefined) return null;
  const others = header
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c !== '' && c.toLowerCase() !== 'chunked');
  if (others.length === 0) return null;
  const shown = JSON.stringify(others.join(', ').slice(0, 40));
  return `the hub undoes only chunked framing (${shown} was sent as well); send the body with Transfer-Encoding: chunked alone, or with a Content-Length`;
}

/** A path segment that is `.` or `..`, written or %-escaped (`%2e`, `.%2E`…). */
const DOT_SEGMENT = /(?:^|\/)(?:\.|%2e){1,2}(?:\/|$)/i;

/**
 * Why a request path holding a `.` or `..` segment is refused, or null. The address a request is
 * served at resolves them (WHATWG URL, which reads `%2e%2e` as `..` too), so
 * `/api/groups/hosting/%2e%2e/%2e%2e/people/priya` was served as `/api/people/priya`: a proxy or
 * firewall in front that allows, denies, caches or limits by path saw another route than the hub
 * served (attack round 31). A client removes dot segments before it sends (RFC 3986 §5.2.4; browsers,
 * curl and fetch do), so only a hand-made request holds one.
 */
export function dotSegment(target: string): string | null {
  const path = target.split(/[?#]/, 1)[0]!;
  const m = DOT_SEGMENT.exec(path);
  if (!m) return null;
  const segment = m[0].replace(/^\/|\/$/g, '');
  return `the path must not hold a "." or ".." segment (${JSON.stringify(segment)} was sent): send the path it leads to (RFC 3986 §5.2.4)`;
}

/** How many lines of a header (named in lower case) a request sent (the raw list alternates names and values). */
function headerLines(raw: string[] | undefined, name: string): number {
  let n = 0;
  for (let i = 0; raw && i < raw.length; i += 2)
    if (raw[i]!.length === name.length && raw[i]!.toLowerCase() === name) n++;
  return n;
}

/** Host headers already judged (a client sends the same one on every request), at most HOSTS_KEPT. */
const hostsJudged = new Map<string, boolean>();
const HOSTS_KEPT = 100;

/** Whether a Host header names a host (a URL can be made of it): parsed once per distinct header. */
function namesHost(host: string): boolean {
  let ok = hostsJudged.get(host);
  if (ok === undefined) {
    ok = URL.parse(`http://${host}/`) !== null;
    if (hostsJudged.size >= HOSTS_KEPT) hostsJudged.clear();
    hostsJudged.set(host, ok);
  }
  return ok;
}

/** What Content-Length promises, or null when the body's length is not known up front (chunked). */
function declaredLength(req: IncomingMessage): number | null {
  if (req.headers['transfer-encoding'] !== undefined) return null;
  const n = Number(req.headers['content-length'] ?? 0);
  return Number.isSafeInteger(n) && n >= 0 ? n : null;
}

/**
 * Decides, as the answer's head is written, whether the connection outlives an unread body (and,
 * once `drain.on`, whether it outlives this answer at all), and discards the rest of the body once
 * the answer is out.
 */
export function keepAnswersWhole(
  req: IncomingMessage,
  res: ServerResponse,
  bound: UnreadBodyBound,
  drain: Drain = NOT_DRAINING,
): void {
  const declared = declaredLength(req);
  const writeHead = res.writeHead;
  res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
    const tooLarge = Number(args[0]) === 413 || (declared !== null && declared > LIMITS.requestBodyBytes);
    // Node then writes "Connection: close" and closes the connection once the answer is out
    if (tooLarge || (!req.complete && declared === null) || drain.on) {
      this.shouldKeepAlive = false;
      // an answer that names its own Connection (MCP's event stream says keep-alive) would keep it open
      const headers = args.find((a, i) => i > 0 && typeof a === 'object' && a !== null && !Array.isArray(a));
      for (const k of Object.keys(headers ?? {})) if (k.toLowerCase() === 'connection') delete (headers as never)[k];
      if (this.hasHeader('connection')) this.removeHeader('connection');
    }
    return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
  } as typeof res.writeHead;
  // ahead of Node's own listener, which closes a connection whose answer said so ('finish' comes
  // once: a plain listener, not a `once` wrapper made for every request)
  res.prependListener('finish', () => {
    // an answer begun before the hub began to stop said keep-alive: its connection, idle now, closes
    if (drain.on) setImmediate(drain.idle);
    if (req.readableEnded) return;
    // `_last`: Node's own "this answer closes the connection" (our choice above, or the client's)
    const closing = (res as unknown as { _last?: boolean })._last === true || !res.shouldKeepAlive;
    if (closing) lingerBeforeClosing(req, bound);
    // no body at all (a GET's, most requests): nothing to discard, no timer and listeners for it
    else if (!(declared === 0 && req.complete)) discardRest(req, bound, 'keep', drain);
  });
}

/** Instead of closing at once after a `Connection: close` answer: a FIN, then the rest of the body, then close. */
function lingerBeforeClosing(req: IncomingMessage, bound: UnreadBodyBound): void {
  const socket = req.socket as (IncomingMessage['socket'] & { lingering?: boolean }) | null;
  // a request destroyed under the answer (its body stream cancelled, the client gone) has no socket
  // left: nothing to linger on, and reading `lingering` of null ended the process (a TypeError in a listener)
  if (!socket || socket.destroyed || socket.lingering) return;
  socket.lingering = true;
  socket.destroySoon = () => {
    socket.end(); // the answer, then a FIN: the client knows nothing more comes
    discardRest(req, bound, 'close');
  };
}

/**
 * Reads and drops what is left of the body: whatever the app had reading it (a web stream that
 * pauses the request when nobody pulls) is let go. Once it is all in, a connection to `keep` serves
 * the next request and one to `close` is closed when the answer is out (or the client closes first).
 * Past the bound in bytes or time the connection is cut.
 */
function discardRest(
  req: IncomingMessage,
  bound: UnreadBodyBound,
  then: 'keep' | 'close',
  drain: Drain = NOT_DRAINING,
): void {
  const socket = req.socket as Connection | null;
  if (!socket || socket.destroyed) return; // destroyed with its request: nothing left to read or close
  const cut = () => socket.destroy();
  const timer = setTimeout(cut, bound.ms);
  timer.unref();
  const stop = () => clearTimeout(timer);
  socket.once('close', stop);
  // the stop leaves it to end here (its answer may not be read yet: a cut could lose it)
  if (then === 'keep') socket.discarding = true;
  const ended = () => {
    if (then === 'keep') {
      // the connection goes on to its next request: nothing of this one stays on it
      stop();
      socket.off('close', stop);
      socket.discarding = false;
      // unless the hub is stopping: then no request comes on it, and it closes now, not at the keep-alive's end
      if (drain.on && carriesNothing(socket)) socket.destroy();
      return;
    }
    if (socket.writableFinished) cut();
    else socket.once('finish', cut); // the timer still runs: a client that reads nothing is cut
  };
  if (then === 'close') socket.once('end', ended); // the client closed its side: nothing more comes
  if (req.readableEnded) {
    ended();
    return;
  }
  let bytes = 0;
  req.removeAllListeners('data');
  req.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes > bound.bytes) cut();
  });
  req.once('end', ended);
  req.resume();
}
