import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import type { Secret } from '../app/github/config.ts';
import { GITHUB_WEBHOOKS_PATH, mountGithubWebhooks, tooLarge } from './github-webhooks.ts';
import { mountInboundMail } from './inbound-mail.ts';
import { oneWriteAtATime } from './write-turns.ts';
import type { ServerResponse } from 'node:http';
import { createHash } from 'node:crypto';
import { TurnsFull } from '../store/turns.ts';
import type { InboundWebhookConfig } from '../app/notifications/inbound-webhook.ts';
import type { Hub } from '../app/core/hub.ts';
import { actorFromAuthorization } from './bearer.ts';
import { DomainError, InvalidInput, Unauthenticated } from '../domain/errors.ts';
import { NOT_UTF8, utf8Text } from '../domain/text.ts';
import { nestedDeeperThan, nestingRule, repeatedKey, repeatedKeyRule } from '../domain/json.ts';
import { fieldOf, keysNamed } from '../domain/rule-wording.ts';
import { numbersSentAsText } from '../app/core/validate.ts';
import { apiRoutes } from './api-routes.ts';
import { proposalRoutes } from './proposal-routes.ts';
import { notificationRoutes } from './notification-routes.ts';
import { invitationRoutes } from './invitation-routes.ts';
import { decisionRoutes } from './decision-routes.ts';
import { searchRoutes } from './search-routes.ts';
import { meetingRoutes } from './meeting-routes.ts';
import { evidenceRoutes } from './evidence-routes.ts';
import { githubRoutes } from './github-routes.ts';
import { openApiDocument } from './openapi.ts';
import {
  etag,
  ifNoneMatchHolds,
  jsonContentTypeRule,
  toProblem,
  RepeatedQueryParameter,
  UnknownQueryParameter,
  UnsupportedMediaType,
  listedCurrentVersion,
  versionsFromIfMatch,
} from './problem.ts';
import type { Route, RouteContext } from './routes.ts';
import { notFoundPage, webApp, wantsHtml } from './web/app.ts';
import { webConfigFromEnv, type WebConfig } from './web/config.ts';
import { LOOPBACK_NAMES } from '../domain/addresses.ts';
import { mountOAuth, trustedHubOrigin } from './oauth.ts';
import { mountMcp, type McpHttpOptions } from '../mcp/http.ts';
import { LIMITS } from '../domain/limits.ts';
import {
  codingRefused,
  codingRule,
  controlCharacterInRequest,
  hasBody,
  IDENTITY_ONLY,
  problemResponse,
} from './guards.ts';
import { guardFetch, rateLimiter } from './rate-limits.ts';
import { alreadyHeaded, observability } from './observability.ts';
import { currentRequestId, holdRefusal, takeHeldRefusal } from '../app/core/request-context.ts';
import { isRouteHandler, MATCHES_KEPT, RememberingRouter } from './matched-routes.ts';
import type { Logger } from '../app/core/logger.ts';

import { VERSION } from '../version.ts';

function honoPath(p: string): string {
  return p.replace(/\{(\w+)\}/g, ':$1');
}

/**
 * A write that takes no body refuses one that says something: `{"reason": "…"}` sent to a withdraw
 * was dropped without a word, and the caller believed it recorded. Nothing, `{}` or `null` is no body.
 */
function noBodyTaken(route: Route, body: unknown): void {
  const takesNo = `${route.method.toUpperCase()} ${route.path} takes no body`;
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new InvalidInput([{ field: '(body)', rule: `must be empty: ${takesNo}` }]);
  const keys = Object.keys(body);
  if (!keys.length) return;
  const { named, rest } = keysNamed(keys);
  throw new InvalidInput([
    {
      field: named.map((k) => fieldOf([k])).join(', '),
      rule: `is not a field here (${takesNo})${rest ? `; ${rest}` : ''}`,
    },
  ]);
}

/** No body, or one that says nothing: whitespace, `{}` or `null`. */
function saysNothing(bytes: ArrayBuffer): boolean {
  if (bytes.byteLength === 0) return true;
  const text = utf8Text(bytes)?.trim();
  return text === '' || text === 'null' || (text !== undefined && /^\{\s*\}$/.test(text));
}

async function readBody(c: Context, route: Route): Promise<unknown> {
  // a GET's body is not looked at (RFC 9110 §9.3.1 gives it no meaning)
  if (!route.body && route.method === 'get') return undefined;
  const bytes = await c.req.arrayBuffer();
  // a write that takes none reads nothing, `{}` or `null` as no body whatever it is labelled
  // (`curl -d '{}'` labels it a form; generated clients send null)
  if (!route.body && saysNothing(bytes)) return undefined;
  // a body says it is JSON: text/plain or a form (what a page of any site may post without asking)
  // was read as JSON all the same, and a charset other than UTF-8 as UTF-8 (fuzz round 15)
  if (bytes.byteLength > 0) {
    // a compressed body, read as its compressed bytes, was refused as "not UTF-8": its coding is named
    const coding = codingRule(c.req.header('content-encoding'));
    if (coding) throw new UnsupportedMediaType(coding, c.req.method, 'Content-Encoding');
    const rule = jsonContentTypeRule(c.req.header('content-type'));
    if (rule) throw new UnsupportedMediaType(rule, c.req.method);
  }
  // JSON is UTF-8 (RFC 8259)
  const text = utf8Text(bytes);
  if (text === null) throw new InvalidInput([{ field: '(body)', rule: NOT_UTF8 }]);
  if (!text.trim()) return route.body ? {} : undefined;
  if (nestedDeeperThan(text, LIMITS.bodyDepth))
    throw new InvalidInput([{ field: '(body)', rule: nestingRule(LIMITS.bodyDepth) }]);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new InvalidInput([{ field: '(body)', rule: 'must be JSON' }]);
  }
  const twice = repeatedKey(text);
  if (twice) throw new InvalidInput([{ field: fieldOf(twice), rule: repeatedKeyRule }]);
  if (!route.body) {
    noBodyTaken(route, body);
    return undefined;
  }
  // JSON has numbers: a whole number sent as text ("limit": "5") is refused naming it, as on MCP
  const asText = numbersSentAsText(route.body, body);
  if (asText.length) throw new InvalidInput(asText);
  return body;
}

/**
 * A write that takes no body: one that says something is refused (`noBodyTaken`, and a body that is
 * no JSON), but only once the use case has checked who may act, so one who may not is told 403
 * whatever they send, never the route's shape first (request-context.ts `holdRefusal`).
 */
async function refuseAnyBody(c: Context, route: Route): Promise<void> {
  try {
    await readBody(c, route);
  } catch (e) {
    if (!((e instanceof DomainError || e instanceof UnsupportedMediaType) && holdRefusal(e))) throw e;
  }
}

/**
 * Reads a part of a write's request whose refusal waits for the use case's permission check
 * (request-context.ts `holdRefusal`): the refusal is held and `instead` read in its place. Where
 * `hold` is false (a GET), or outside a request, it is thrown at once.
 */
function heldIf<T>(hold: boolean, read: () => T, instead: T): T {
  try {
    return read();
  } catch (e) {
    const input = e instanceof DomainError || e instanceof UnknownQueryParameter || e instanceof RepeatedQueryParameter;
    if (!(hold && input && holdRefusal(e))) throw e;
    return instead;
  }
}

/** The query parameters a route takes (its query schema's fields, none without one), and which of them are lists. */
type TakenQuery = { names: readonly string[]; lists: readonly string[] };
const queryNames = new WeakMap<Route, TakenQuery>();
function takenQuery(route: Route): TakenQuery {
  let taken = queryNames.get(route);
  if (!taken) {
    const q = route.query;
    const properties: Record<string, { type?: unknown }> = !q
      ? {}
      : ((
          z.toJSONSchema(q, { io: 'input', unrepresentable: 'any' }) as {
            properties?: Record<string, { type?: unknown }>;
          }
        ).properties ?? {});
    taken = {
      names: !q ? [] : q instanceof z.ZodObject ? Object.keys(q.shape) : Object.keys(properties),
      // a parameter whose schema is an array is a list: `?tag=a&tag=b` gives it both
      lists: Object.entries(properties)
        .filter(([, p]) => p.type === 'array')
        .map(([name]) => name),
    };
    queryNames.set(route, taken);
  }
  return taken;
}

/**
 * The query as the route reads it, checked once for every route alike (400 naming the parameter):
 * - one the route does not take is refused naming it and those the route takes: `?stat=open` for
 *   `?stage=` was dropped, and the caller read the whole list as the filtered one;
 * - one given more than once (`?limit=5&limit=500`) is refused unless the route declares it a list:
 *   the first was read and the other dropped without a word, so a caller asking for two groups got
 *   one, and a proxy that reads the last saw another request than the hub did.
 * Names are read from the raw query, so `__proto__` is named as any other. Answers each list the
 * route declares with all its values, in order.
 */
function checkedQuery(c: Context, route: Route): Record<string, string[]> {
  const url = c.req.url;
  const at = url.indexOf('?');
  if (at < 0) return {};
  const { names, lists } = takenQuery(route);
  const params = new URLSearchParams(url.slice(at + 1));
  const times = new Map<string, number>();
  for (const k of params.keys()) times.set(k, (times.get(k) ?? 0) + 1);
  const where = `${route.method.toUpperCase()} ${route.path}`;
  const unknown = [...times.keys()].filter((k) => !names.includes(k));
  if (unknown.length) throw new UnknownQueryParameter(where, unknown, names);
  const twice = [...times].filter(([k, n]) => n > 1 && !lists.includes(k));
  if (twice.length) throw new RepeatedQueryParameter(where, twice, lists);
  return Object.fromEntries(lists.filter((k) => params.has(k)).map((k) => [k, params.getAll(k)]));
}

// A use case that hands out the same frozen answer while its cached reads last (a visitor's group)
// is serialised once, not on every read (JSON.stringify was about a tenth of a cached read's CPU),
// and kept as its UTF-8 bytes: a string answer is joined to the head and encoded again on every
// write (about 4.6 KB of garbage a read for the group's 4,379 bytes), bytes go out as they are.
const serialised = new WeakMap<object, Uint8Array<ArrayBuffer>>();
const utf8 = new TextEncoder();
export function jsonOf(body: unknown): string | Uint8Array<ArrayBuffer> {
  if (body === null || typeof body !== 'object' || !Object.isFrozen(body)) return JSON.stringify(body);
  let bytes = serialised.get(body);
  if (bytes === undefined) {
    bytes = utf8.encode(JSON.stringify(body));
    serialised.set(body, bytes);
  }
  return bytes;
}

// An answer's digest, kept with a frozen (cached) body as its bytes are
const digests = new WeakMap<object, string>();
function digestOf(body: unknown, payload: string | Uint8Array): string {
  const kept = body !== null && typeof body === 'object' && Object.isFrozen(body);
  const known = kept ? digests.get(body) : undefined;
  if (known !== undefined) return known;
  const digest = createHash('sha256').update(payload).digest('hex').slice(0, 16);
  if (kept) digests.set(body, digest);
  return digest;
}

/**
 * A kept (cached) answer's bytes with every header the hub's middleware would add, as one plain
 * object: Hono answering with two headers or more builds a fetch `Headers` (each name checked and
 * lowercased), the nosniff and request-id middleware then set two more on it, and @hono/node-server
 * reads them all back out, sorted, into an object for Node. The same names, lowercase and in that
 * order, go out here with none of it (`alreadyHeaded`): the bytes sent are the same.
 */
function answerBytes(c: Context, status: 200, payload: Uint8Array<ArrayBuffer>, etag: string | undefined): Response {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (etag !== undefined) headers.etag = etag;
  headers['x-content-type-options'] = 'nosniff';
  const requestId = currentRequestId();
  if (requestId !== null) headers['x-request-id'] = requestId;
  // a HEAD's answer says no length (Hono answers it from this one with the body dropped), as before
  if (c.req.method !== 'HEAD') headers['Content-Length'] = String(payload.byteLength);
  const res = new Response(payload, { status, headers });
  if (requestId !== null) alreadyHeaded.add(res);
  return res;
}

/** No If-Match sent: no versions listed. */
const NO_VERSIONS: readonly number[] = Object.freeze([]);

/** Every REST route the hub serves (the docs' route test reads the same list). */
export const allRoutes: Route[] = [
  ...apiRoutes,
  ...proposalRoutes,
  ...decisionRoutes,
  ...searchRoutes,
  ...meetingRoutes,
  ...evidenceRoutes,
  ...notificationRoutes,
  ...invitationRoutes,
  ...githubRoutes,
];

/** The HTTP edge: maps requests onto use cases and errors onto problem details; no rules live here. */
export function createHttpApp(
  hub: Hub,
  routes: Route[] = allRoutes,
  opts: {
    web?: WebConfig;
    mcp?: McpHttpOptions;
    log?: Logger;
    githubWebhookSecret?: Secret | null;
    /** How long a big GitHub delivery may take to arrive whole (WGHUB_GITHUB_BIG_BODY_MS); LIMITS.github.bigBodyMs if not given. */
    githubBigBodyMs?: number;
    inboundMail?: InboundWebhookConfig | null;
  } = {},
): Hono {
  // the handlers a method and path reach are remembered (the route table is fixed once built), for
  // paths that reach a route rather than only the middleware every path passes
  const app = new Hono({ router: new RememberingRouter(undefined, MATCHES_KEPT, isRouteHandler) });
  // One token's (or address's) flood is refused before it costs anything (governance rateLimits):
  // checked ahead of the app itself (see the end of this function), before routing, the body,
  // token lookups and the per-request log; refusals are counted in /metrics and logged in summary.
  // First, so its timing and request id cover everything after it, refusals included.
  const watch = observability(hub, { log: opts.log });
  app.use('*', watch.middleware);
  // SQLite: one write request at a time, and a read in flight before the next piece of it
  // (src/store/readers-first.ts), so a reader waits at most for the piece of a write that was running
  if (hub.store.kind === 'sqlite') {
    const enter = oneWriteAtATime();
    const readers = hub.store.readers;
    app.use('*', async (c, next) => {
      if (c.req.method === 'GET' || c.req.method === 'HEAD' || c.req.method === 'OPTIONS') {
        if (!readers) return next();
        const end = readers.read();
        try {
          // a write transaction this request makes ends its read rather than waiting for it
          await readers.within(end, next);
        } finally {
          // served by a real socket: the read lasts until its answer (a gzip stream) is sent; Node
          // emits 'close' after 'finish' (a tick later) as when the client goes, so one plain listener
          // does (`end` acts once): two `once` wrappers were about 0.3 KB of garbage a read. A client
          // gone already ('close' emitted) ends the read now, not at readMs.
          const res = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
          if (res && !res.writableFinished && !res.destroyed) res.on('close', end);
          else end();
        }
        return;
      }
      let leave: () => void;
      try {
        leave = await enter();
      } catch (e) {
        if (!(e instanceof TurnsFull)) throw e;
        return problemResponse(503, 'busy', 'Too many writes waiting', `${e.message}; nothing was written`, {
          'Retry-After': '1',
        });
      }
      try {
        if (readers?.reading) await readers.writersTurn();
        await next();
      } finally {
        leave();
      }
    });
  }
  // Three checks every request passes, in this order, as one middleware (each level of Hono's chain
  // costs every request a closure and promises of its own):
  // - every answer, whatever edge made it, tells browsers not to guess its type (a hub markdown or
  //   calendar URL must never load as a script);
  // - no request body is read past this size, on any edge (REST, web forms, MCP). A GET or HEAD has
  //   no body (Node's server gives it none, and a Request cannot carry one), and asking it for one
  //   builds a whole Request under @hono/node-server: about a twelfth of a cached read's CPU;
  // - a control character in a path or query (NUL above all) is never a valid reference or filter.
  const limitBody = bodyLimit({
    maxSize: LIMITS.requestBodyBytes,
    onError: () =>
      problemResponse(
        413,
        'too-large',
        'Request too large',
        `a request body may be at most ${LIMITS.requestBodyBytes} bytes`,
      ),
  });
  // a GitHub delivery may be as large as GitHub sends (LIMITS.github.payloadBytes, 25 MiB): that route
  // alone, which counts its body as it streams in with its memory bounded (github-webhooks.ts); Hono's
  // bodyLimit is not used there, as it holds a body sent without Content-Length whole before the route runs
  const limitDelivery = async (c: Context, next: () => Promise<void>) => {
    if (Number(c.req.header('content-length')) > LIMITS.github.payloadBytes) return tooLarge();
    await next();
  };
  const refuseControlCharacters = (c: Context, next: () => Promise<void>) => {
    const problem = controlCharacterInRequest(c.req.url);
    // set here, not returned: the body limit drops what its `next` returns
    if (problem) c.res = problemResponse(400, 'bad-request', 'Bad request', problem);
    else {
      // a body's coding, where one was sent (a GET or HEAD has none; a write with none needs no coding,
      // as it needs no type); REST and /mcp refuse it themselves, after the token, in their own 415s
      const coding =
        c.req.method === 'GET' ||
        c.req.method === 'HEAD' ||
        c.req.path === '/mcp' ||
        c.req.path.startsWith('/api/') ||
        !hasBody(c.req.raw.headers)
          ? null
          : codingRefused(c.req.header('content-encoding'));
      if (coding)
        c.res = problemResponse(415, 'unsupported-content-encoding', 'Unsupported Content-Encoding', coding, {
          ...IDENTITY_ONLY,
        });
      else return next();
    }
  };
  app.use('*', async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') await refuseControlCharacters(c, next);
    else {
      const limit = c.req.path === GITHUB_WEBHOOKS_PATH ? limitDelivery : limitBody;
      const refused = await limit(c, () => refuseControlCharacters(c, next) ?? Promise.resolve());
      if (refused instanceof Response && !c.finalized) c.res = refused;
    }
    if (alreadyHeaded.has(c.res)) return;
    try {
      c.res.headers.set('X-Content-Type-Options', 'nosniff');
    } catch {
      c.res = new Response(c.res.body, c.res);
      c.res.headers.set('X-Content-Type-Options', 'nosniff');
    }
  });
  const configured = opts.web ?? webConfigFromEnv();
  const limits = rateLimiter(hub, {
    trustProxy: process.env.WGHUB_TRUST_PROXY === '1',
    secureCookies: configured.secureCookies,
    onRefused: watch.refused,
  });
  // the consent page may read a client's metadata document: that read spends a registration of
  // the asking address, as registering the client would have
  app.use('/oauth/authorize', async (c, next) => {
    const socket = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket;
    const facts = {
      method: c.req.method,
      path: c.req.path,
      header: (name: string) => c.req.header(name),
      address: socket?.remoteAddress,
    };
    c.set(
      'admitRegistration' as never,
      (async () => {
        const r = await limits.admitAlso(facts, 'registrations');
        return typeof r === 'function' ? r : r.rule;
      }) as never,
    );
    return next();
  });
  // MCP (Streamable HTTP) on the same port, calling the same use cases as the REST routes, and
  // spending the same budgets (a tool call that writes spends a write of its token's)
  // /mcp answers to its allowed hosts and those of WGHUB_ALLOWED_HOSTS; the OAuth addresses built
  // from a Host header (with no public URL) trust the same ones and the loopback names
  const mcpHosts = [...new Set([...(opts.mcp?.allowedHosts ?? LOOPBACK_NAMES), ...(configured.hosts ?? [])])];
  const web: WebConfig = { ...configured, hosts: [...new Set([...LOOPBACK_NAMES, ...mcpHosts])] };
  mountMcp(app, hub, { publicUrl: web.publicUrl, ...opts.mcp, allowedHosts: mcpHosts, limits });
  // the hub as the OAuth authorization server of its /mcp (metadata, registration, tokens)
  mountOAuth(app, hub, { publicUrl: web.publicUrl, trustedHosts: web.hosts });
  // The OpenAPI document (about 150 KB of JSON, 45–55 ms to build from every route's schemas) is
  // built and serialised by its first request, not by every start, from the rules the hub started with
  const governance = hub.governance;
  let spec: string | undefined;
  app.get('/api/openapi.json', (c) => {
    spec ??= JSON.stringify(openApiDocument(routes, VERSION, governance));
    return c.body(spec, 200, { 'Content-Type': 'application/json' });
  });
  app.get('/api', (c) =>
    // a person who follows a link to /api reads the page about it; scripts get the index
    /text\/html/.test(c.req.header('accept') ?? '')
      ? c.redirect('/developers', 303)
      : c.json({
          name: 'wghub',
          version: VERSION,
          openapi: '/api/openapi.json',
          endpoints: routes.map((r) => `${r.method.toUpperCase()} ${r.path}`),
        }),
  );
  watch.mount(app); // /healthz, /readyz, /metrics
  // GitHub deliveries are signed, not token-authenticated: checked before the body is read
  mountGithubWebhooks(app, hub, opts.githubWebhookSecret, undefined, opts.githubBigBodyMs);
  // a mail provider's inbound webhook: signed, like GitHub's (replies to notification mail)
  mountInboundMail(app, hub, opts.inboundMail);

  for (const route of routes) {
    app.on(route.method.toUpperCase(), honoPath(route.path), async (c) => {
      try {
        // a visitor (no Authorization header, `!header` as actorFromAuthorization reads it) waits
        // no turn of promises for a lookup that has nothing to look up
        const authorization = c.req.header('authorization');
        const actor: RouteContext['actor'] = !authorization
          ? null
          : ((await actorFromAuthorization(hub, authorization))?.actor ?? null);
        const ctx: RouteContext = {
          hub,
          actor,
          params: c.req.param() as Record<string, string>,
          query: c.req.query(),
          queryLists: {},
          body: undefined,
          ifMatch: undefined,
          // read by the few routes that name them: under @hono/node-server the signal is an
          // AbortController made on first read, the origin a parse of the request's URL
          get signal() {
            return c.req.raw.signal;
          },
          get origin() {
            return trustedHubOrigin(web.publicUrl, c.req.url, web.hosts);
          },
          requireActor() {
            if (!actor)
              throw new Unauthenticated(
                `${route.method.toUpperCase()} ${route.path} needs an API token: create one with \`wghub token create --person HANDLE\` and send "Authorization: Bearer TOKEN"`,
              );
            return actor;
          },
        };
        if (route.auth) ctx.requireActor();
        // the body is read after the token: a visitor's write is a 401 whatever it sends, and costs no parse
        // a GET's body is not looked at (readBody): nothing to wait for
        if (route.body) ctx.body = await readBody(c, route);
        else if (route.method !== 'get') await refuseAnyBody(c, route);
        // a write's query and If-Match are refused, as a body it does not take, only once the use case
        // has let its actor through (a newcomer is told 403 whatever they send); a read's at once
        // (a read's are checked directly: no closures made for `heldIf` on every read)
        const write = route.method !== 'get';
        ctx.queryLists = write ? heldIf(true, () => checkedQuery(c, route), {}) : checkedQuery(c, route);
        for (const list in ctx.queryLists) delete ctx.query[list];
        // a precondition is weighed after the token (RFC 9110 §13.2.1: a 401 is not turned into a 412)
        const ifMatch = c.req.header('if-match');
        const listed =
          ifMatch === undefined
            ? NO_VERSIONS
            : write
              ? heldIf(true, () => versionsFromIfMatch(ifMatch), [])
              : versionsFromIfMatch(ifMatch);
        ctx.ifMatch = listed[0];
        // a list holds when any version in it is the stored one: tried at the highest, a write that
        // finds another listed version stored is made at that one (its first try was rolled back)
        let result: Awaited<ReturnType<Route['handler']>>;
        try {
          result = await route.handler(ctx);
        } catch (e) {
          const current = listedCurrentVersion(e, listed, ctx.ifMatch);
          if (current === undefined) throw e;
          ctx.ifMatch = current;
          result = await route.handler(ctx);
        }
        // a body held back that no transaction told (a write that stored nothing) is told now
        const held = takeHeldRefusal();
        if (held) throw held;
        const headers: Record<string, string> = {};
        const status = (result.status ?? route.status ?? 200) as 200;
        const contentType = result.contentType ?? route.produces;
        const payload = contentType ? String(result.body) : jsonOf(result.body);
        // The ETag names the record's version (the If-Match an update sends back) and a digest of
        // these bytes: what a viewer `can` do, a computed state and names change without the version,
        // so a conditional GET answers 304 only while the caller holds exactly what they would read
        if (result.version !== undefined) {
          headers.ETag = etag(result.version, digestOf(result.body, payload));
          if (route.etag && status === 200 && ifNoneMatchHolds(c.req.header('if-none-match'), headers.ETag))
            return c.body(null, 304, headers);
        }
        if (contentType) return c.body(payload, status, { ...headers, 'Content-Type': contentType });
        if (typeof payload !== 'string') return answerBytes(c, status, payload, headers.ETag);
        return c.body(payload, status, { ...headers, 'Content-Type': 'application/json' });
      } catch (e) {
        const p = toProblem(e, hub.governance, { ifMatch: c.req.header('if-match') !== undefined });
        return c.body(JSON.stringify(p.body), p.status as 400, {
          ...p.headers,
          'Content-Type': 'application/problem+json',
        });
      }
    });
  }

  // The web UI (pages at /, its own sessions and CSRF); it skips /api, /mcp and the operator's probes.
  app.route('/', webApp(hub, web, routes));

  app.notFound((c) =>
    // a browser's page load gets a page; anything else (a POST from an OAuth client) gets JSON
    (c.req.method === 'GET' || c.req.method === 'HEAD') && wantsHtml(c.req.header('accept'), c.req.path)
      ? // the community's name in its title and, where the web's pages ran, their header and navigation
        notFoundPage(c, hub)
      : c.body(
          JSON.stringify({
            type: 'urn:wghub:problem:not-found',
            title: 'Not found',
            status: 404,
            detail: `no route ${c.req.method} ${c.req.path}; see /api for the list`,
          }),
          404,
          {
            'Content-Type': 'application/problem+json',
          },
        ),
  );
  // app.request (tests) calls app.fetch too, so every way in passes the limits
  app.fetch = guardFetch(limits, app.fetch) as typeof app.fetch;
  beforeExit.set(app, watch.flushRefusals);
  leaving.set(app, watch.notReady);
  return app;
}

/** What an app still holds to write out when its process stops (the refusals not logged yet). */
const beforeExit = new WeakMap<Hono, () => void>();

/**
 * Writes out what the app holds back (each client's refusals since its last log line): `wghub serve`
 * calls it on SIGTERM or SIGINT once the server has stopped taking requests, before the process exits.
 */
export function flushBeforeExit(app: Hono): void {
  beforeExit.get(app)?.();
}

/** How an app is told its process is starting or stopping (its /readyz then answers 503). */
const leaving = new WeakMap<Hono, (reason: string | null) => void>();

/**
 * Marks the app not ready: /readyz answers 503 `{ ready: false, reason }` from now on, while every
 * other route (and /healthz) answers as before. `wghub serve` calls it before it listens (until its
 * start-up is done) and first thing on SIGTERM.
 */
export function markNotReady(app: Hono, reason: string): void {
  leaving.get(app)?.(reason);
}

/** Marks the app ready again: /readyz answers from the database's state (start-up is done). */
export function markReady(app: Hono): void {
  leaving.get(app)?.(null);
}
