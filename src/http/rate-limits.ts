// Rate limits at the HTTP edge, from the governance file's `rateLimits` section: requests that
// carry a token (or a web session) count against that token, anonymous ones against the client's
// address, in four budgets: reads, searches, writes and evidence probes. One person's flood gets
// 429 with Retry-After; everyone else's budget is untouched.
//
// On SQLite (one process) counters live in memory (rate-limiter-flexible's RateLimiterMemory). On
// PostgreSQL every hub process counts in one table (RateLimiterPostgres, table `rate_limits`), so a
// client spreading requests over processes behind a load balancer gets the same budget; if the
// database cannot be reached for a count, an in-memory limiter of the same budget stands in.
//
// Two guards against one client crowding out the rest stay per process, in memory: a per-second
// budget (a window's allowance cannot be spent in one burst) and a cap on the searches, writes and
// probes of one client being handled at once (more answer 429 at once, which costs almost nothing).
import { createHash } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import {
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import type { Hub } from '../app/core/hub.ts';
import type { RateLimits } from '../domain/governance/schema.ts';
import { problemResponse } from './guards.ts';

export type Budget = 'reads' | 'searches' | 'writes' | 'probes';

/** Which budget a request spends. */
export function budgetOf(method: string, path: string): Budget {
  if (method === 'POST' && /\/evidence\/[^/]+\/verify$/.test(path)) return 'probes';
  if (/^\/(api\/)?(search|prior-work)(\/|$)/.test(path) || path === '/proposals/new/prior-work') return 'searches';
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return 'reads';
  // MCP requests are POSTs; most are reads, and verify_evidence also spends a probe in the use case
  if (path === '/mcp') return 'reads';
  return 'writes';
}

const hash = (s: string) => createHash('sha256').update(s).digest('base64url').slice(0, 22);

/** Who a request counts against: its token or session, else its address. */
function keyOf(c: Context, trustProxy: boolean): string {
  const bearer = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
  if (bearer) return `token:${hash(bearer)}`;
  const session = getCookie(c, 'wghub_session');
  if (session) return `session:${hash(session)}`;
  const forwarded = trustProxy ? c.req.header('x-forwarded-for')?.split(',')[0]?.trim() : undefined;
  const socket = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket;
  return `address:${forwarded || socket?.remoteAddress || 'unknown'}`;
}

type Limiters = {
  config: string;
  byBudget: Record<Budget, RateLimiterAbstract>;
  perSecond: Record<Budget, RateLimiterAbstract>;
};

const burst = (points: number) => new RateLimiterMemory({ points, duration: 1 });

function limiterFor(hub: Hub, rules: RateLimits, current: Limiters | undefined): Limiters {
  const config = JSON.stringify(rules);
  if (current?.config === config) return current;
  const pool = hub.store.pgPool;
  // new rules start new counters, in the shared table as in memory
  const generation = hash(config).slice(0, 8);
  const make = (points: number, budget: Budget): RateLimiterAbstract => {
    const memory = new RateLimiterMemory({ points, duration: rules.windowSeconds, keyPrefix: budget });
    if (!pool) return memory;
    return new RateLimiterPostgres({
      storeClient: pool,
      tableName: 'rate_limits',
      ...(hub.store.schema ? { schemaName: hub.store.schema } : {}),
      tableCreated: true,
      keyPrefix: `${budget}:${generation}`,
      points,
      duration: rules.windowSeconds,
      insuranceLimiter: memory,
    });
  };
  return {
    config,
    byBudget: {
      reads: make(rules.reads, 'reads'),
      searches: make(rules.searches, 'searches'),
      writes: make(rules.writes, 'writes'),
      probes: make(rules.probes, 'probes'),
    },
    perSecond: {
      reads: burst(rules.perSecond.reads),
      searches: burst(rules.perSecond.searches),
      writes: burst(rules.perSecond.writes),
      probes: burst(rules.perSecond.probes),
    },
  };
}

export function rateLimiting(hub: Hub, opts: { trustProxy?: boolean } = {}): MiddlewareHandler {
  let limiters: Limiters | undefined;
  // Searches, writes and probes being handled now, per token or address.
  const inFlight = new Map<string, number>();
  return async (c, next) => {
    const rules = hub.governance.rateLimits;
    if (!rules.enabled) return next();
    limiters = limiterFor(hub, rules, limiters);
    const budget = budgetOf(c.req.method, c.req.path);
    const key = keyOf(c, opts.trustProxy ?? false);
    const counted = budget !== 'reads';
    const busy = counted ? (inFlight.get(key) ?? 0) : 0;
    if (busy >= rules.inFlight)
      return refuse(1, `at most ${rules.inFlight} searches or writes at a time for one token or address`);
    // the slot is taken before the first await, so requests arriving together cannot all pass
    if (counted) inFlight.set(key, busy + 1);
    try {
      const refused =
        (await spend(limiters.perSecond[budget], key, `at most ${rules.perSecond[budget]} ${budget} per second`)) ??
        (await spend(
          limiters.byBudget[budget],
          key,
          `at most ${rules[budget]} ${budget} per ${rules.windowSeconds} s`,
        ));
      if (refused) return refused;
      await next();
    } finally {
      if (counted) {
        const left = (inFlight.get(key) ?? 1) - 1;
        if (left > 0) inFlight.set(key, left);
        else inFlight.delete(key);
      }
    }
  };
}

/** Spends one point; past the budget, the 429 to answer. */
async function spend(limiter: RateLimiterAbstract, key: string, rule: string): Promise<Response | undefined> {
  try {
    await limiter.consume(key);
    return undefined;
  } catch (e) {
    if (!(e instanceof RateLimiterRes)) throw e;
    return refuse(Math.max(1, Math.ceil(e.msBeforeNext / 1000)), `${rule} for one token or address`);
  }
}

function refuse(retryAfter: number, rule: string): Response {
  const res = problemResponse(429, 'rate-limited', 'Too many requests', `${rule}; try again in ${retryAfter} s`);
  res.headers.set('Retry-After', String(retryAfter));
  return res;
}
