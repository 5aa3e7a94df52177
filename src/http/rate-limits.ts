// Rate limits at the HTTP edge, from the governance file's `rateLimits` section: requests that
// carry a token (or a web session) count against that token, anonymous ones against the client's
// address, in five budgets: reads, searches, writes, evidence probes and OAuth client registrations
// (always per address: registering needs no token). One person's flood gets 429 with Retry-After;
// everyone else's budget is untouched.
//
// On SQLite (one process) counters live in memory (rate-limiter-flexible's RateLimiterMemory). On
// PostgreSQL every hub process counts in one table (RateLimiterPostgres, table `rate_limits`), so a
// client spreading requests over processes behind a load balancer gets the same budget; if the
// database cannot be reached for a count, an in-memory limiter of the same budget stands in. Its
// queries go unnamed: behind PgBouncer in transaction mode a statement prepared under a name on one
// server connection is unknown on the next ("does not exist", "already exists"), and every count
// would fall to the in-memory stand-in, one budget per process.
//
// The per-second budgets (a window's allowance cannot be spent in one burst) of searches, writes,
// probes and registrations are counted the same way: in memory on SQLite, in the shared table on
// PostgreSQL. Two guards stay per process, in memory: the reads' per-second budget (reads are most
// requests, and a second shared count doubled each one's cost on PostgreSQL; their window is shared,
// so N processes let one client read N times faster, never N times more) and a cap on the searches,
// writes and probes of one client being handled at once (more answer 429 at once, which costs almost
// nothing). Both guard each process's own connections and event loop.
import { createHash } from 'node:crypto';
import { bearerToken } from './bearer.ts';
import { type CredentialKind, credentialKey, credentialSeen, credentialSignsInNow } from './known-credentials.ts';
import type { MiddlewareHandler } from 'hono';
import { getPath } from 'hono/utils/url';
import {
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import type { Hub } from '../app/core/hub.ts';
import { addressGroup } from '../domain/addresses.ts';
import type { RateLimits } from '../domain/governance/schema.ts';
import { problemResponse } from './guards.ts';

export type Budget = 'reads' | 'searches' | 'writes' | 'probes' | 'registrations';

/** Which budget a request spends. */
export function budgetOf(method: string, path: string): Budget {
  if (method === 'POST' && /\/evidence\/[^/]+\/verify$/.test(path)) return 'probes';
  if (method === 'POST' && path === '/oauth/register') return 'registrations';
  // what costs a computation per request, whatever its method: search, prior work, and fair times
  // (up to a quarter of a second for the largest set of zones, and a GET on the web page)
  if (
    /^\/(api\/)?(search|prior-work)(\/|$)/.test(path) ||
    path === '/proposals/new/prior-work' ||
    /^\/(api\/)?meetings\/fair-times$/.test(path)
  )
    return 'searches';
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return 'reads';
  // GitHub's deliveries come in bursts from a few addresses and are not retried by GitHub when
  // refused; they are signed (checked before anything is read) and cost one stored row each
  if (method === 'POST' && path === '/github/webhooks') return 'reads';
  // MCP requests are POSTs; most are reads, and verify_evidence also spends a probe in the use case
  if (path === '/mcp') return 'reads';
  return 'writes';
}

const hash = (s: string) => createHash('sha256').update(s).digest('base64url').slice(0, 22);

/**
 * Whom a request counts as, by address: the socket's, or behind a trusted proxy the last
 * X-Forwarded-For entry (the one the proxy wrote: what a client wrote into the header comes before it,
 * and would be a fresh budget with every made-up address); an IPv6 client by its /64 (addressGroup),
 * each address of which one host holds. The rate limits and the webhook receiver's places count so.
 */
export function clientAddress(
  forwardedFor: string | undefined,
  socketAddress: string | undefined,
  trustProxy: boolean,
): string {
  const forwarded = trustProxy ? forwardedFor?.split(',').at(-1)?.trim() : undefined;
  return addressGroup(forwarded || socketAddress || 'unknown');
}

/** What the limits need to know of a request, read without parsing its body or building a Request. */
export type RequestFacts = {
  method: string;
  path: string;
  header(name: string): string | undefined;
  address: string | undefined;
};

/**
 * Who a request counts against: its token or session, else its address (`address`, kept beside a
 * credential's key: a credential not yet seen signing someone in is charged to it too, see `admit`).
 * A registration counts against its address always: any made-up token would otherwise be a fresh budget.
 */
function keyOf(
  req: RequestFacts,
  trustProxy: boolean,
  keys: Map<string, string>,
  sessionCookie: RegExp,
  budget?: Budget,
): { key: string; address: string; credential?: { kind: CredentialKind; secret: string } } {
  const address = `address:${clientAddress(req.header('x-forwarded-for'), req.address, trustProxy)}`;
  if (budget !== 'registrations') {
    const bearer = bearerToken(req.header('authorization'));
    if (bearer)
      return { key: cachedKey(keys, 'token', bearer), address, credential: { kind: 'token', secret: bearer } };
    const session = sessionCookie.exec(req.header('cookie') ?? '')?.[1];
    if (session)
      return { key: cachedKey(keys, 'session', session), address, credential: { kind: 'session', secret: session } };
  }
  return { key: address, address };
}

/** A flooding client sends the same token thousands of times a second: hash it once. */
function cachedKey(keys: Map<string, string>, kind: CredentialKind, secret: string): string {
  const at = `${kind} ${secret}`;
  let key = keys.get(at);
  if (key === undefined) {
    if (keys.size >= 10_000) keys.clear();
    key = credentialKey(kind, secret);
    keys.set(at, key);
  }
  return key;
}

type Limiters = {
  rules: RateLimits;
  config: string;
  byBudget: Record<Budget, RateLimiterAbstract>;
  perSecond: Record<Budget, RateLimiterAbstract>;
};

function limiterFor(hub: Hub, rules: RateLimits, current: Limiters | undefined): Limiters {
  if (current?.rules === rules) return current;
  const config = JSON.stringify(rules);
  if (current?.config === config) return { ...current, rules };
  const pool = hub.store.pgPool;
  const unnamed = pool && {
    query: (q: { text: string; values?: unknown[] }) => pool.query({ text: q.text, values: q.values ?? [] }),
  };
  // new rules start new counters, in the shared table as in memory
  const generation = hash(config).slice(0, 8);
  const make = (points: number, budget: Budget, perSecond = false): RateLimiterAbstract => {
    const duration = perSecond ? 1 : rules.windowSeconds;
    const memory = new RateLimiterMemory({ points, duration, keyPrefix: budget });
    if (!unnamed) return memory;
    return new RateLimiterPostgres({
      storeClient: unnamed,
      storeType: 'pool',
      tableName: 'rate_limits',
      ...(hub.store.schema ? { schemaName: hub.store.schema } : {}),
      tableCreated: true,
      keyPrefix: perSecond ? `${budget}:1s:${generation}` : `${budget}:${generation}`,
      points,
      duration,
      insuranceLimiter: memory,
    });
  };
  return {
    rules,
    config,
    byBudget: {
      reads: make(rules.reads, 'reads'),
      searches: make(rules.searches, 'searches'),
      writes: make(rules.writes, 'writes'),
      probes: make(rules.probes, 'probes'),
      registrations: make(rules.registrations, 'registrations'),
    },
    // per second too, shared on PostgreSQL: N processes behind the balancer gave one client N times the burst
    // (reads excepted: see the head of this file)
    perSecond: {
      reads: new RateLimiterMemory({ points: rules.perSecond.reads, duration: 1, keyPrefix: 'reads' }),
      searches: make(rules.perSecond.searches, 'searches', true),
      writes: make(rules.perSecond.writes, 'writes', true),
      probes: make(rules.perSecond.probes, 'probes', true),
      registrations: make(rules.perSecond.registrations, 'registrations', true),
    },
  };
}

/** A refused request's answer, or how to give back an admitted one's slot once it is answered. */
export type Admission = Response | (() => void);

/** A refusal as words (for an edge that does not answer with a 429 of its own) and when to try again. */
export type Refusal = { rule: string; retryAfter: number };

export type RateLimiter = {
  /** Whether the governance file's rateLimits are on now: off, every request is admitted as it is. */
  readonly enabled: boolean;
  admit(req: RequestFacts): Admission | Promise<Admission>;
  /**
   * One more unit of `budget` for whoever sent this request (its token, session or address, as at
   * the door), counted with their other requests: an MCP tool call that writes, searches or probes,
   * whose /mcp request spent only a read.
   */
  admitAlso(req: RequestFacts, budget: Budget): Promise<Refusal | (() => void)>;
};

export type RateLimitOptions = {
  trustProxy?: boolean;
  /**
   * Whether the hub is served over https (WebConfig.secureCookies): there only the
   * __Host-wghub_session cookie is a session's (src/http/web/session.ts), and a bare wghub_session
   * (which a sibling subdomain can plant with Domain=, in every browser of the site) signs nobody in,
   * so it is no budget of its own: counted by it, one planted value was one budget for all who carry
   * it, spent by whoever planted it. Over plain http only the bare name is one. True unless told.
   */
  secureCookies?: boolean;
  /** Told of every refusal (metrics, a log line now and then); must be cheap. */
  onRefused?: (key: string, budget: Budget) => void;
};

const admitted = () => {};

export function rateLimiter(hub: Hub, opts: RateLimitOptions = {}): RateLimiter {
  let limiters: Limiters | undefined;
  // Searches, writes and probes being handled now, per token or address.
  const inFlight = new Map<string, number>();
  // Budgets known to be spent, until their window ends: a flood's later requests are refused from
  // this map, without asking the counters again (the counters would say the same until then).
  const spent = new Map<string, { until: number; rule: string }>();
  // Addresses whose refused request's credential is being looked up: one lookup at a time each.
  const lookingUp = new Set<string>();
  const hashes = new Map<string, string>();
  const seen = (key: string) => credentialSeen(hub, key);
  const trustProxy = opts.trustProxy ?? false;
  // the cookie the session middleware reads, and no other (a planted bare one is counted by its address)
  const sessionCookie =
    (opts.secureCookies ?? true) ? /(?:^|;\s*)__Host-wghub_session=([^;]*)/ : /(?:^|;\s*)wghub_session=([^;]*)/;

  /** Admits one request of `budget` for `key`, or says why not; the same rules whichever edge asks. */
  const take = (key: string, budget: Budget): Refusal | (() => void) | Promise<Refusal | (() => void)> => {
    const rules = hub.governance.rateLimits;
    if (!rules.enabled) return admitted;
    if (limiters?.rules !== rules) {
      const next = limiterFor(hub, rules, limiters);
      if (next.config !== limiters?.config) spent.clear();
      limiters = next;
    }
    const spentKey = `${budget} ${key}`;
    const known = spent.get(spentKey);
    if (known) {
      const left = known.until - Date.now();
      if (left > 0) return { retryAfter: Math.max(1, Math.ceil(left / 1000)), rule: known.rule };
      spent.delete(spentKey);
    }
    const counted = budget !== 'reads';
    const busy = counted ? (inFlight.get(key) ?? 0) : 0;
    if (busy >= rules.inFlight)
      return { retryAfter: 1, rule: `at most ${rules.inFlight} searches or writes at a time for one token or address` };
    // the slot is taken before the first await, so requests arriving together cannot all pass
    if (counted) inFlight.set(key, busy + 1);
    const release = () => {
      if (!counted) return;
      const left = (inFlight.get(key) ?? 1) - 1;
      if (left > 0) inFlight.set(key, left);
      else inFlight.delete(key);
    };
    const current = limiters;
    return (async () => {
      try {
        const whose = budget === 'registrations' ? 'for one address' : 'for one token or address';
        const over =
          (await spend(
            current.perSecond[budget],
            key,
            `at most ${rules.perSecond[budget]} ${budget} per second ${whose}`,
          )) ??
          (await spend(
            current.byBudget[budget],
            key,
            `at most ${rules[budget]} ${budget} per ${rules.windowSeconds} s ${whose}`,
          ));
        if (!over) return release;
        release();
        if (spent.size >= 10_000) spent.clear();
        spent.set(spentKey, { until: Date.now() + over.msBeforeNext, rule: over.rule });
        return { retryAfter: Math.max(1, Math.ceil(over.msBeforeNext / 1000)), rule: over.rule };
      } catch (e) {
        release();
        throw e;
      }
    })();
  };
  const answer = (key: string, budget: Budget, r: Refusal | (() => void)): Admission => {
    if (typeof r === 'function') return r;
    opts.onRefused?.(key, budget);
    return refuse(r.retryAfter, r.rule);
  };

  return {
    get enabled() {
      return hub.governance.rateLimits.enabled;
    },
    admit(req) {
      // A load balancer's health checks are never refused: on PostgreSQL the window is counted
      // for all processes at once, so one address's flood of reads (the proxy's own, when
      // WGHUB_TRUST_PROXY is not set) answered /readyz 429 on every process and the balancer took
      // them all out. They cost a query at most, and the per-address budgets stay for the rest.
      if ((req.method === 'GET' || req.method === 'HEAD') && (req.path === '/healthz' || req.path === '/readyz'))
        return admitted;
      const budget = budgetOf(req.method, req.path);
      const { key, address, credential } = keyOf(req, trustProxy, hashes, sessionCookie, budget);
      if (key === address || seen(key)) {
        const r = take(key, budget);
        return r instanceof Promise ? r.then((x) => answer(key, budget, x)) : answer(key, budget, r);
      }
      // A token or session not seen signing anyone in yet: a made-up one in every request was a fresh
      // budget each, and a made-up session cookie was served as a visitor's request, so a visitor sending
      // a new one each time was never limited (attack round 31). Such a request is counted against itself,
      // as a credential seen is (a token's budget is one across processes, the window shared on
      // PostgreSQL, whichever process sees it first), and then admitted on its address's budget, as a
      // visitor's is: in flight, per second and per window, before it runs (charging the address once
      // answered let a burst of them in at once, and none while the address had requests in flight).
      // Its own budget first, so a real token over its own budget spends none of its address's. Only
      // when the address refuses is the credential looked up (one query, one at a time per address, so
      // a flood of made-up ones is refused without filling the pool): a real one, not yet seen by this
      // process since it started, goes on, so a person is not refused for someone else's flood.
      const onAddress = async (own: () => void, x: Refusal | (() => void)): Promise<Admission> => {
        if (typeof x === 'function')
          return () => {
            own();
            x();
          };
        const lookup = `${budget} ${address}`;
        let signs = false;
        if (!lookingUp.has(lookup)) {
          lookingUp.add(lookup);
          try {
            signs = await credentialSignsInNow(hub, credential!.kind, credential!.secret).catch(() => false);
          } finally {
            lookingUp.delete(lookup);
          }
        }
        if (signs) return own;
        own();
        return answer(address, budget, x);
      };
      const onOwn = async (own: Refusal | (() => void)): Promise<Admission> => {
        if (typeof own !== 'function') return answer(key, budget, own);
        let x: Refusal | (() => void);
        try {
          x = await take(address, budget);
        } catch (e) {
          own();
          throw e;
        }
        return onAddress(own, x);
      };
      const r = take(key, budget);
      return r instanceof Promise ? r.then(onOwn) : onOwn(r);
    },
    async admitAlso(req, budget) {
      const { key, address } = keyOf(req, trustProxy, hashes, sessionCookie, budget);
      const r = await take(key, budget);
      if (typeof r !== 'function') {
        opts.onRefused?.(key, budget);
        return r;
      }
      if (key === address || seen(key)) return r;
      // a credential no request has signed in with (a made-up cookie on an anonymous read, a made-up
      // token before its 401): its address pays too, as in `admit`, or a batch's messages and a tool's
      // searches were charged to a fresh budget each time
      let x: Refusal | (() => void);
      try {
        x = await take(address, budget);
      } catch (e) {
        r();
        throw e;
      }
      if (typeof x === 'function')
        return () => {
          r();
          x();
        };
      r();
      opts.onRefused?.(address, budget);
      return x;
    },
  };
}

/** The limits as Hono middleware (createHttpApp checks them before routing, with guardFetch). */
export function rateLimiting(hub: Hub, opts: RateLimitOptions = {}): MiddlewareHandler {
  const limiter = rateLimiter(hub, opts);
  return async (c, next) => {
    const socket = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket;
    const admission = await limiter.admit({
      method: c.req.method,
      path: c.req.path,
      header: (name) => c.req.header(name),
      address: socket?.remoteAddress,
    });
    if (admission instanceof Response) return admission;
    try {
      await next();
    } finally {
      admission();
    }
  };
}

// biome-ignore lint/suspicious/noExplicitAny: passed through untouched to the app's own fetch
type Fetch = (req: Request, env?: any, ctx?: any) => Response | Promise<Response>;
type NodeEnv = {
  incoming?: { headers: Record<string, string | string[] | undefined>; socket?: { remoteAddress?: string } };
};

/**
 * Checks the limits before `fetch` (the whole app) sees the request: a refusal costs no routing,
 * no body and no log line of its own, and a token lookup only for a credential this process has not
 * seen sign anyone in, once its address is spent (one at a time per address: `admit`). Under @hono/node-server the facts come
 * from Node's own request, so not even a Request object is built.
 */
export function guardFetch(limiter: RateLimiter, fetch: Fetch): Fetch {
  return async (req, env, ctx) => {
    // limits off: nothing to count (no path decoded, no key made, no slot to give back)
    if (!limiter.enabled) return fetch(req, env, ctx);
    const incoming = (env as NodeEnv | undefined)?.incoming;
    const admission = await limiter.admit({
      method: req.method,
      path: getPath(req), // decoded exactly as the router will see it, so no spelling dodges a budget
      header: incoming
        ? (name) => {
            const v = incoming.headers[name];
            return Array.isArray(v) ? v.join(', ') : v;
          }
        : (name) => req.headers.get(name) ?? undefined,
      address: incoming?.socket?.remoteAddress,
    });
    if (admission instanceof Response) return admission;
    try {
      return await fetch(req, env, ctx);
    } finally {
      admission();
    }
  };
}

/** Spends one point; past the budget, the rule and how long until the budget is back. */
async function spend(
  limiter: RateLimiterAbstract,
  key: string,
  rule: string,
): Promise<{ rule: string; msBeforeNext: number } | undefined> {
  try {
    await limiter.consume(key);
    return undefined;
  } catch (e) {
    if (!(e instanceof RateLimiterRes)) throw e;
    return { rule, msBeforeNext: e.msBeforeNext };
  }
}

function refuse(retryAfter: number, rule: string): Response {
  // every header given at once: reading or setting a response's headers afterwards costs a Headers
  // object per refusal; nosniff is set here because the app's own middleware never sees a refusal
  return problemResponse(429, 'rate-limited', 'Too many requests', `${rule}; try again in ${retryAfter} s`, {
    'Retry-After': String(retryAfter),
    'X-Content-Type-Options': 'nosniff',
  });
}
