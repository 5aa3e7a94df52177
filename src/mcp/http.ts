// Streamable HTTP at /mcp on the hub's own port. The SDK's handler serves 2026-07-28 clients
// per request and 2025-11-25 clients through its stateless fallback; a fresh server is built
// for every request, so any number of hub processes can serve the same client.
// The SDK is loaded on the first /mcp request, so CLI commands that never serve MCP start fast.
import { NOT_UTF8, utf8Text } from '../domain/text.ts';
import { jsonContentTypeRule } from '../http/problem.ts';
import { codingRule, IDENTITY_ONLY } from '../http/guards.ts';
import { nestedDeeperThan, nestingRule, prototypeKey, prototypeKeyRule, repeatedKey } from '../domain/json.ts';
import { fieldOf } from '../domain/rule-wording.ts';
import { LIMITS } from '../domain/limits.ts';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Context, Hono, MiddlewareHandler, Next } from 'hono';
import { cors } from 'hono/cors';
import type { Actor, Hub } from '../app/core/hub.ts';
import { actorFromAuthorization } from '../http/bearer.ts';
import { hubOrigin, mcpResource, resourceMetadataUrl, UntrustedHost, untrustedHostResponse } from '../http/oauth.ts';
import { hostnameOf, LOOPBACK_NAMES } from '../domain/addresses.ts';
import { Unauthenticated } from '../domain/errors.ts';
import { OAUTH } from '../domain/oauth.ts';
import { InsufficientScope } from '../app/people/oauth.ts';
import type { RateLimiter, RequestFacts } from '../http/rate-limits.ts';
import { acceptPlan, asJson, rebuilt, withBothAccepted } from './accept.ts';
import { noSuchNameAnywhere } from './unknown-names.ts';
import { cancelNamed } from './cancel.ts';

export type McpHttpOptions = {
  /** Host names (no port) the endpoint answers to; anything else is refused (DNS rebinding). */
  allowedHosts?: string[];
  /** Origin host names browsers may call from; requests without Origin (non-browser clients) pass. */
  allowedOrigins?: string[];
  /** Serve read-only tools and resources without a token, like the REST reads (writes still need one). */
  anonymousReads?: boolean;
  /** The HTTP edge's rate limits, which tool calls that write, search or probe spend (createHttpApp passes them). */
  limits?: Pick<RateLimiter, 'admitAlso'>;
  /** The hub's public URL (WGHUB_PUBLIC_URL): the origin of the resource its OAuth tokens are bound to. */
  publicUrl?: string | null;
};

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/**
 * Which hosts to accept: the loopback names whatever the bind (a client on the hub's own machine
 * says localhost, and a rebinding page's Host is its own name, never these), the bind address unless
 * it is a wildcard (0.0.0.0 or :: names no host), those configured, and the host of the hub's public
 * URL (WGHUB_PUBLIC_URL), the name people reach it by through a proxy.
 */
export function allowedHostsFor(bindHost: string, extra: string[] = [], publicUrl?: string): string[] {
  const pub = publicUrl ? URL.parse(publicUrl)?.hostname : undefined;
  const more = [...new Set([...extra.map(hostnameOf), ...(pub ? [pub] : [])])];
  const bind = LOOPBACK.has(bindHost) ? [] : [hostnameOf(bindHost)];
  return [...new Set([...LOOPBACK_NAMES, ...bind, ...more])].filter((h) => h !== '0.0.0.0' && h !== '[::]');
}

/**
 * 401 with the challenge an MCP client follows to sign in (RFC 6750 with RFC 9728's
 * `resource_metadata`: the hub is its own authorization server, src/http/oauth.ts), naming the scope
 * to ask for (the MCP authorization spec's scope selection: a client takes the challenge's `scope`
 * before the metadata's `scopes_supported`).
 */
function unauthorized(detail: string, metadataUrl: string, error?: 'invalid_token'): Response {
  return challenged(401, 'unauthenticated', 'Sign-in is needed', detail, metadataUrl, error);
}

/**
 * 403 for an access token whose grant lacks the scope /mcp needs (RFC 6750 §3.1, the MCP spec's
 * scope challenge): the client authorizes again asking for `scope`.
 */
function insufficientScope(detail: string, metadataUrl: string): Response {
  return challenged(
    403,
    'forbidden',
    'The access token lacks the scope /mcp needs',
    detail,
    metadataUrl,
    'insufficient_scope',
  );
}

function challenged(
  status: 401 | 403,
  type: string,
  title: string,
  detail: string,
  metadataUrl: string,
  error?: 'invalid_token' | 'insufficient_scope',
): Response {
  const described = error ? `, error="${error}", error_description="${detail.replace(/["\\]/g, "'")}"` : '';
  const challenge = `Bearer realm="wghub"${described}, scope="${OAUTH.scope}", resource_metadata="${metadataUrl}"`;
  return new Response(JSON.stringify({ type: `urn:wghub:problem:${type}`, title, status, detail }), {
    status,
    headers: { 'Content-Type': 'application/problem+json', 'WWW-Authenticate': challenge },
  });
}

type Loaded = {
  handle: (req: Request, actor: Actor | null, token?: string) => Promise<Response>;
  host: MiddlewareHandler;
  origin: MiddlewareHandler;
  /** A JSON-RPC batch sent at a revision that has none (2025-06-18 and later), refused 400 -32600. */
  batchOfNoBatchRevision: (req: Request) => Promise<Response | null>;
  /** The request with `"params": null` read as params omitted (params.ts, `nullParamsOmitted`). */
  withoutNullParams: (req: Request) => Promise<Request>;
};

/**
 * Who sent the /mcp request being served, as the rate limits know them (token, session or address):
 * the SDK hands its server factory only the authInfo, so the sender travels with the request's own
 * async context, down to its tool calls.
 */
const senders = new AsyncLocalStorage<RequestFacts>();
/** The hub's address as the request being served reached it (its links in tool answers), beside its sender. */
const origins = new AsyncLocalStorage<string>();

export function mountMcp(app: Hono, hub: Hub, opts: McpHttpOptions = {}): void {
  let loaded: Promise<Loaded> | undefined;
  const load = () =>
    (loaded ??= (async () => {
      const [
        { hostHeaderValidation, originValidation },
        {
          createMcpHandler,
          isLegacyRequest,
          readRequestBody,
          DEFAULT_MAX_REQUEST_BODY_SIZE,
          DEFAULT_NEGOTIATED_PROTOCOL_VERSION,
          PROTOCOL_VERSION_META_KEY,
          SUPPORTED_PROTOCOL_VERSIONS,
        },
        { createWghubMcpServer },
        { messageRefusal, batchIdReused, batchesRemoved, echoableId, nullParamsOmitted },
      ] = await Promise.all([
        import('@modelcontextprotocol/hono'),
        import('@modelcontextprotocol/server'),
        import('./server.ts'),
        import('./params.ts'),
      ]);
      // who each request's authInfo stands for, kept beside it (the SDK hands the factory the very
      // object `handle` passed), so the actor is never read back out of untyped `extra`
      const actors = new WeakMap<object, Actor>();
      const limits = opts.limits;
      const handler = createMcpHandler(
        ({ authInfo, era }) => {
          const sender = senders.getStore();
          return createWghubMcpServer(
            hub,
            {
              actor: (authInfo && actors.get(authInfo)) ?? null,
              origin: origins.getStore() ?? null,
              sender: cancelKey(authInfo?.token, sender),
              // a tool that writes, searches or probes spends that budget of whoever sent the request
              ...(limits && sender ? { spend: (budget) => limits.admitAlso(sender, budget) } : {}),
            },
            era,
          );
        },
        {
          onerror: (e) => console.error('wghub mcp:', e.message),
        },
      );
      // a client whose Accept does not list both media types (see accept.ts): an SSE-only one is
      // served as if it had listed both; a JSON-only one (or one with no Accept, or */*) on the 2025
      // transport gets the answer as one JSON body. The 2026-07-28 path serves any Accept already.
      const serve = async (
        req: Request,
        options?: { authInfo: { token: string; clientId: string; scopes: string[] } },
      ) => {
        const plan = req.method === 'POST' ? acceptPlan(req.headers.get('accept')) : 'as-is';
        if (plan === 'as-is') return handler.fetch(req, options);
        if (plan === 'sse') return handler.fetch(withBothAccepted(req), options);
        const body = await readRequestBody(req);
        if (body.tooLarge)
          return Response.json(
            {
              jsonrpc: '2.0',
              error: {
                code: -32000,
                message: `Payload Too Large: Request body must not exceed ${DEFAULT_MAX_REQUEST_BODY_SIZE} bytes`,
              },
              id: null,
            },
            { status: 413 },
          );
        let parsed: unknown;
        try {
          parsed = JSON.parse(body.text);
        } catch {
          parsed = undefined;
        }
        const forward = withBothAccepted(req, body.text);
        // the 2026-07-28 path answers in JSON to such a client by itself: its request goes on unchanged
        if (parsed !== undefined && !(await isLegacyRequest(forward, parsed)))
          return handler.fetch(rebuilt(req, req.headers, body.text), { ...options, parsedBody: parsed });
        return asJson(
          await handler.fetch(forward, parsed === undefined ? options : { ...options, parsedBody: parsed }),
          Array.isArray(parsed),
        );
      };
      const versions = {
        legacy: SUPPORTED_PROTOCOL_VERSIONS,
        modern: MODERN_PROTOCOL_VERSIONS,
        assumed: DEFAULT_NEGOTIATED_PROTOCOL_VERSION,
        metaKey: PROTOCOL_VERSION_META_KEY,
      };
      return {
        handle: async (req: Request, actor: Actor | null, token?: string) => {
          // a batch reusing an id is refused whole: the SDK answered one request per id (params.ts)
          const malformed = await notAMessage(req, (b) => messageRefusal(b) ?? batchIdReused(b), echoableId);
          if (malformed) return malformed;
          // a cancellation reaches the request it names, served by another server of this process
          const posted = await postedJson(req);
          if (posted) cancelNamed(posted.body, cancelKey(token, senders.getStore()), !token);
          const unsupported = await unsupportedVersion(req, versions);
          if (unsupported) return unsupported;
          const unknown = await unknownName(req, isLegacyRequest);
          if (unknown) return unknown;
          if (!actor) return serve(req).then(clarified);
          const authInfo = { token: token!, clientId: actorHandle(actor), scopes: [] };
          actors.set(authInfo, actor);
          return serve(req, { authInfo }).then(clarified);
        },
        batchOfNoBatchRevision: (req: Request) => noBatchRevision(req, versions, batchesRemoved, messageRefusal),
        withoutNullParams: (req: Request) => withoutNullParams(req, nullParamsOmitted),
        host: hostHeaderValidation(opts.allowedHosts ?? [...LOOPBACK_NAMES]),
        origin: originValidation(opts.allowedOrigins ?? [...LOOPBACK_NAMES]),
      };
    })());

  // DNS rebinding protection first (the Hono adapter's middleware): a foreign Host or browser Origin gets 403
  // an empty or missing Host is refused before the SDK's check, which lets it through
  app.use('/mcp', async (c: Context, next: Next) => {
    if (!c.req.header('host')?.trim())
      return c.json(
        { jsonrpc: '2.0', error: { code: -32000, message: 'Forbidden: a Host header is required' }, id: null },
        403,
      );
    return (await load()).host(c, next);
  });
  app.use('/mcp', async (c: Context, next: Next) => (await load()).origin(c, next));
  // A browser client on an origin let through above (the MCP Inspector's web UI on its localhost
  // port) needs CORS: its preflight carries no token, and without Access-Control-Allow-Origin it may
  // read no answer, a 401's challenge included. No cookie is read at /mcp, so none is allowed.
  // Clients that are not browsers send no Origin, and their answers stay as they were.
  const browsers = cors({
    origin: (origin) => origin || null,
    allowMethods: ['POST', 'GET', 'DELETE'],
    exposeHeaders: ['WWW-Authenticate', 'Mcp-Session-Id', 'MCP-Protocol-Version', 'Allow'],
    maxAge: 600,
  });
  app.use('/mcp', (c: Context, next: Next) => (c.req.header('origin') ? browsers(c, next) : next()));
  // the sender as the rate limits know them, for the tool calls this request makes
  app.all('/mcp', (c) => senders.run(senderOf(c), () => answer(c)));
  const answer = async (c: Context) => {
    let req = c.req.raw;
    // a compressed body is not read before the token (its bytes are no JSON): refused after it, as a
    // body of another Content-Type is (`unsupportedMedia`)
    const coded = await compressed(c);
    if (!coded) {
      const mangled = await unreadable(c);
      if (mangled) return mangled;
    }
    const l = await load();
    // `"params": null` is params omitted (params.ts): every check below and the SDK read the body without it
    if (!coded) req = await l.withoutNullParams(req);
    // before the batch's budget is spent and before the token: a body the revision cannot carry, as above
    if (!coded) {
      const noBatches = await l.batchOfNoBatchRevision(req);
      if (noBatches) return noBatches;
      const batch = opts.limits ? await batchRefusal(c, opts.limits) : null;
      if (batch) return batch;
    }
    const header = req.headers.get('authorization');
    // the Host header was checked above against the same hosts, but an absolute-form target
    // (`POST http://other.example/mcp`) gives the request URL a host of its own: refused as any
    // untrusted host is, rather than building OAuth addresses from it
    let origin: string;
    try {
      origin = hubOrigin(opts.publicUrl, req.url, opts.allowedHosts ?? LOOPBACK_NAMES);
    } catch (e) {
      if (e instanceof UntrustedHost) return untrustedHostResponse(e);
      throw e;
    }
    if (!header) {
      if (!opts.anonymousReads)
        return unauthorized(
          `/mcp needs you signed in: an MCP client that speaks OAuth finds how from ${resourceMetadataUrl(origin)} and opens this hub's sign-in in your browser; or send an API token (\`wghub token create --person HANDLE\`, POST /api/people/{handle}/tokens, or your profile page) as "Authorization: Bearer TOKEN"`,
          resourceMetadataUrl(origin),
        );
      const media = coded ?? (await unsupportedMedia(c));
      if (media) return media;
      return origins.run(origin, () => l.handle(req, null));
    }
    let who: Awaited<ReturnType<typeof actorFromAuthorization>>;
    try {
      who = await actorFromAuthorization(hub, header, mcpResource(origin));
    } catch (e) {
      if (e instanceof Unauthenticated) return unauthorized(e.message, resourceMetadataUrl(origin), 'invalid_token');
      if (e instanceof InsufficientScope) return insufficientScope(e.message, resourceMetadataUrl(origin));
      throw e;
    }
    const media = coded ?? (await unsupportedMedia(c));
    if (media) return media;
    return origins.run(origin, () => l.handle(req, who!.actor, who!.token));
  };
}

/**
 * The protocol revisions of the 2026-07-28 era the SDK serves, as `server/discover` lists them in
 * `supportedVersions` (the SDK does not export its list; test/mcp/independent-clients.test.ts holds
 * this one equal to what discover answers, so an SDK that adds a revision fails there first).
 */
export const MODERN_PROTOCOL_VERSIONS: readonly string[] = ['2026-07-28'];

type Versions = { legacy: readonly string[]; modern: readonly string[]; assumed: string; metaKey: string };

/**
 * An MCP-Protocol-Version header naming a revision the hub does not speak, on a request whose body
 * claims none in its `_meta` envelope, is answered 400 naming the header, the rule and every version
 * it speaks, as the SDK answers 1999-01-01. The SDK reads any value that sorts at or after 2026-07-28
 * as the modern era, "banana" and 2099-01-01 among them, and answered those "missing the required
 * per-request envelope key(s): _meta", which told a client to add an envelope for a revision nobody
 * speaks. An initialize, which negotiates in its body, and a body that claims a revision are left to the SDK: a header disagreeing with it is -32020
 * and an unknown claim -32022 listing the modern versions, as the conformance suite checks.
 */
async function unsupportedVersion(req: Request, v: Versions): Promise<Response | null> {
  const header = req.method === 'POST' ? req.headers.get('mcp-protocol-version') : null;
  if (header === null) return null;
  const requested = header.trim(); // optional whitespace around a header's value is not part of it (RFC 9110)
  if (v.legacy.includes(requested) || v.modern.includes(requested)) return null;
  let body: unknown;
  try {
    body = JSON.parse(await req.clone().text());
  } catch {
    return null; // the SDK answers a parse error in its own words
  }
  const message = body !== null && typeof body === 'object' && !Array.isArray(body) ? body : null;
  // initialize negotiates the version in its body; a header sent with it names nothing agreed yet, and
  // the SDK answers it with the version it offers (or -32020 for a header of the modern era)
  if (message && 'method' in message && message.method === 'initialize') return null;
  const params = message && 'params' in message ? message.params : undefined;
  const meta = params && typeof params === 'object' && '_meta' in params ? params._meta : undefined;
  if (meta && typeof meta === 'object' && v.metaKey in meta) return null;
  const id = message && 'id' in message && (typeof message.id === 'string' || typeof message.id === 'number');
  return Response.json(
    {
      jsonrpc: '2.0',
      // the 2026-07-28 era's UnsupportedProtocolVersion, which a client of either era can read
      error: {
        code: -32022,
        message: `Bad Request: Unsupported protocol version: ${requested || '(empty)'} (supported versions: ${v.legacy.join(', ')}; and ${v.modern.join(', ')} with the per-request _meta envelope). The MCP-Protocol-Version header must name the version initialize or server/discover agreed, one of these, or be left out (then ${v.assumed} is assumed)`,
        data: { supported: [...v.modern, ...v.legacy], requested, header: 'MCP-Protocol-Version' },
      },
      id: id ? (message as { id: string | number }).id : null,
    },
    { status: 400 },
  );
}

/**
 * A POST's body as JSON, parsed once for the checks made before the SDK reads it; null for another
 * method or a body that does not parse (the SDK answers that parse error in its own words).
 */
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const postedBodies = new WeakMap<Request, { body: unknown } | null>();
async function postedJson(req: Request): Promise<{ body: unknown } | null> {
  if (req.method !== 'POST') return null;
  if (!postedBodies.has(req)) {
    let posted: { body: unknown } | null = null;
    try {
      posted = { body: JSON.parse(await req.clone().text()) };
    } catch {
      posted = null;
    }
    postedBodies.set(req, posted);
  }
  return postedBodies.get(req) ?? null;
}

/**
 * A POST whose body parses but is no JSON-RPC message (params an array, an id of 1.5, a progress token
 * that is an object) is answered 400 -32600 naming the part and its rule (params.ts), the id echoed
 * when it is one; the SDK named nothing. A body that does not parse is left to the SDK's -32700.
 */
async function notAMessage(
  req: Request,
  refusal: (body: unknown) => string | null,
  echoableId: (id: unknown) => string | number | null,
): Promise<Response | null> {
  const posted = await postedJson(req);
  if (!posted) return null;
  const { body } = posted;
  const why = refusal(body);
  if (why === null) return null;
  const id = body !== null && typeof body === 'object' && 'id' in body ? body.id : null;
  return Response.json(
    {
      jsonrpc: '2.0',
      error: { code: -32600, message: `Invalid Request: ${why}` },
      // an id past 2^53 - 1 was read as another number: echoed, it named another request of the client's
      // and one past its bound in characters would be echoed whole
      id: echoableId(id),
    },
    { status: 400 },
  );
}

/**
 * A request of the 2026-07-28 era naming a tool, prompt or resource no server of the hub has (a name
 * of 500,000 characters, one holding a bidirectional control) is answered as the server answers an
 * unknown name (unknown-names.ts), before the SDK: comparing it with the Mcp-Name header, the SDK
 * echoed the body's name whole, twice, when the two disagreed.
 */
async function unknownName(
  req: Request,
  isLegacy: (req: Request, parsed: unknown) => Promise<boolean>,
): Promise<Response | null> {
  const posted = await postedJson(req);
  if (!posted) return null;
  const { body } = posted;
  const refusal = noSuchNameAnywhere(body);
  if (!refusal || (await isLegacy(req, body))) return null;
  const { id } = body as { id?: unknown };
  return Response.json({
    jsonrpc: '2.0',
    id: typeof id === 'string' || typeof id === 'number' ? id : null,
    error: refusal,
  });
}

/** Why a body names a key twice in one object, or a key "__proto__", or null. */
function twiceIn(text: string): string | null {
  const twice = repeatedKey(text);
  if (twice) return `names ${fieldOf(twice)} twice in one object; each key is given once`;
  const proto = prototypeKey(text);
  return proto ? `names ${fieldOf(proto)}, which ${prototypeKeyRule}` : null;
}

/**
 * A body whose bytes are not UTF-8 (Latin-1, an overlong sequence) is a parse error, as REST refuses
 * it: read leniently, each such byte became U+FFFD and a tool stored text its sender never wrote.
 * So is one nested past LIMITS.bodyDepth, refused before anything parses it (the batch count, the
 * SDK): a 1 MiB body of nested arrays cost 0.1-0.5 s of the event loop before its 401. So is one naming
 * a key twice in one object ("params" twice, or a tool argument): the SDK kept the last without a word,
 * where a proxy or a log may read the first (fuzz round 14).
 */
async function unsupportedMedia(c: Context): Promise<Response | null> {
  if (c.req.method !== 'POST') return null;
  // JSON is UTF-8: a body labelled Latin-1 was read as UTF-8 all the same, and "AmaraÃ©" sent so was
  // stored "Amaraé" (attack round 21; REST refused it since fuzz round 15). The SDK's own check
  // looks for application/json anywhere in the header and reads no charset. After the token, as the
  // SDK's was: one who may not call at all is told so whatever they send.
  const bytes = await c.req.raw.clone().arrayBuffer();
  const rule = bytes.byteLength > 0 ? jsonContentTypeRule(c.req.header('content-type')) : null;
  if (!rule) return null;
  return Response.json(
    { jsonrpc: '2.0', error: { code: -32000, message: `Unsupported Media Type: Content-Type ${rule}` }, id: null },
    { status: 415 },
  );
}

/**
 * A POST whose body is sent with a Content-Encoding (gzip): the hub reads a body as sent, so its
 * compressed bytes were refused as "not UTF-8" (attack round 29). A 415 in MCP's shape, as a body of
 * another Content-Type is, with `Accept-Encoding: identity`; a POST with no body needs no coding.
 */
async function compressed(c: Context): Promise<Response | null> {
  if (c.req.method !== 'POST') return null;
  const rule = codingRule(c.req.header('content-encoding'));
  if (!rule || (await c.req.raw.clone().arrayBuffer()).byteLength === 0) return null;
  return Response.json(
    { jsonrpc: '2.0', error: { code: -32000, message: `Unsupported Media Type: Content-Encoding: ${rule}` }, id: null },
    { status: 415, headers: IDENTITY_ONLY },
  );
}

/** The request with each message's `"params": null` left out (`omitted`), or itself when none sends it. */
async function withoutNullParams(req: Request, omitted: (body: unknown) => unknown): Promise<Request> {
  const posted = await postedJson(req);
  const body = posted ? omitted(posted.body) : undefined;
  if (body === undefined) return req;
  const headers = new Headers(req.headers);
  headers.delete('content-length');
  return rebuilt(req, headers, JSON.stringify(body));
}

async function unreadable(c: Context): Promise<Response | null> {
  if (c.req.method !== 'POST') return null;
  const text = utf8Text(await c.req.raw.clone().arrayBuffer());
  const unparsed =
    text === null ? NOT_UTF8 : nestedDeeperThan(text, LIMITS.bodyDepth) ? nestingRule(LIMITS.bodyDepth) : null;
  // a key given twice is valid JSON read wrongly: an invalid request, not a parse error
  const twice = unparsed || text === null ? null : twiceIn(text);
  if (!unparsed && !twice) return null;
  const error = unparsed
    ? { code: -32700, message: `Parse error: the body ${unparsed}` }
    : { code: -32600, message: `Invalid Request: the body ${twice}` };
  return Response.json({ jsonrpc: '2.0', error, id: null }, { status: 400 });
}

/**
 * A JSON-RPC batch under an MCP-Protocol-Version header naming a revision the hub speaks from
 * 2025-06-18 on (2026-07-28 included) is 400 -32600 saying batches were removed then. The hub served
 * such a batch at 2025-06-18 and 2025-11-25, and at 2026-07-28 the SDK took it for a legacy request
 * and answered "Unsupported protocol version: 2026-07-28", a version it speaks. Without the header a
 * client is taken as 2025-03-26, which reads batches; a header naming no revision is unsupportedVersion's.
 */
async function noBatchRevision(
  req: Request,
  v: Versions,
  removed: (version: string, each: string) => string | null,
  malformed: (body: unknown) => string | null,
): Promise<Response | null> {
  const header = req.method === 'POST' ? req.headers.get('mcp-protocol-version')?.trim() : undefined;
  if (!header || !(v.legacy.includes(header) || v.modern.includes(header))) return null;
  const posted = await postedJson(req);
  // a batch holding what is no JSON-RPC message is answered naming it (notAMessage), as at any revision
  if (!posted || !Array.isArray(posted.body) || malformed(posted.body) !== null) return null;
  // a batch whose requests claim the revision in their envelope is the SDK's to refuse, in its words
  if (
    posted.body.some(
      (m) => isObject(m) && isObject(m.params) && isObject(m.params._meta) && v.metaKey in m.params._meta,
    )
  )
    return null;
  const why = removed(header, 'in a POST of its own');
  if (!why) return null;
  return Response.json({ jsonrpc: '2.0', error: { code: -32600, message: why }, id: null }, { status: 400 });
}

/**
 * A JSON-RPC batch (2025-03-26) is as many requests as it holds messages: the door counted one read,
 * so each further message spends one more of the sender's reads, and a batch past the budget is
 * refused whole (429, nothing done). Up to 100 messages in one body otherwise did 100 requests' work
 * for one read: 99 tools/list took a second and answered 12 MB.
 */
async function batchRefusal(c: Context, limits: Pick<RateLimiter, 'admitAlso'>): Promise<Response | null> {
  if (c.req.method !== 'POST') return null;
  const text = await c.req.raw.clone().text();
  if (!/^\s*\[/.test(text)) return null;
  let messages: number;
  try {
    const parsed: unknown = JSON.parse(text);
    messages = Array.isArray(parsed) ? parsed.length : 1;
  } catch {
    return null; // the SDK answers a parse error in its own words
  }
  const sender = senderOf(c);
  for (let i = 1; i < messages; i++) {
    const admitted = await limits.admitAlso(sender, 'reads');
    if (typeof admitted === 'function') {
      admitted();
      continue;
    }
    return c.json(
      {
        jsonrpc: '2.0',
        error: {
          code: -32000,
          message: `Too many requests: a batch of ${messages} messages is ${messages} requests; ${admitted.rule}; try again in ${admitted.retryAfter} s. Nothing was done.`,
        },
        id: null,
      },
      429,
      { 'Retry-After': String(admitted.retryAfter) },
    );
  }
  return null;
}

/** What the rate limits read of a request (its token, session cookie, address), as at the door. */
function senderOf(c: Context): RequestFacts {
  return {
    method: c.req.method,
    path: '/mcp',
    header: (name) => c.req.header(name),
    address: (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket
      ?.remoteAddress,
  };
}

const BATCHED_INITIALIZE = 'Invalid Request: Only one initialization request is allowed';

/** The SDK refuses an initialize inside a JSON-RPC batch as if two were sent; say the rule instead. */
async function clarified(res: Response): Promise<Response> {
  if (res.status !== 400 || !res.headers.get('content-type')?.startsWith('application/json')) return res;
  const body = await res.text();
  const headers = new Headers(res.headers);
  headers.delete('content-length');
  return new Response(
    body.replace(
      BATCHED_INITIALIZE,
      'Invalid Request: initialize must be sent on its own, not in a JSON-RPC batch (MCP 2025-03-26, lifecycle)',
    ),
    { status: 400, headers },
  );
}

/**
 * Whose requests a cancellation may reach: those sent with the same token, or, with none (anonymous
 * reads), only those of the same POST (a 2025-03-26 batch). Anonymous callers were told apart by the
 * socket's address, which behind a reverse proxy is the proxy's for all of them: any one could cancel
 * another's call, or post cancellations for ids 0-999 every 5 s (each kept as an early one) and so
 * abort every anonymous read. Closing its own connection still cancels an anonymous call.
 */
const anonymousKeys = new WeakMap<object, string>();
let anonymousRequests = 0;
function cancelKey(token: string | undefined, sender: RequestFacts | undefined): string {
  if (token) return `token:${token}`;
  const request = sender ?? {};
  let key = anonymousKeys.get(request);
  if (!key) {
    key = `request:${++anonymousRequests}`;
    anonymousKeys.set(request, key);
  }
  return key;
}

const actorHandle = (a: Actor) => (a.kind === 'person' ? a.person.handle : a.label);
