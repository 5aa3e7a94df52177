// Rate limits at the HTTP edge, from the governance file's `rateLimits` section: requests that
// carry a token (or a web session) count against that token, anonymous ones against the client's
// address, in four budgets: reads, searches, writes and evidence probes. One person's flood gets
// 429 with Retry-After; everyone else's budget is untouched.
//
// Counters live in memory (rate-limiter-flexible's RateLimiterMemory), which is exact for one hub
// process. Several processes on one PostgreSQL database share counters by swapping in the same
// library's RateLimiterPostgres (same consume() interface, a table of its own) in `limiterFor`.
import { createHash } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
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
  byBudget: Record<Budget, RateLimiterMemory>;
  perSecond: Record<Budget, RateLimiterMemory>;
};

function limiterFor(rules: RateLimits, current: Limiters | undefined): Limiters {
  const config = JSON.stringify(rules);
  if (current?.config === config) return current;
  const make = (points: number, duration = rules.windowSeconds) => new RateLimiterMemory({ points, duration });
  const ps = rules.perSecond;
  return {
    config,
    byBudget: {
      reads: make(rules.reads),
      searches: make(rules.searches),
      writes: make(rules.writes),
      probes: make(rules.probes),
    },
    perSecond: {
      reads: make(ps.reads, 1),
      searches: make(ps.searches, 1),
      writes: make(ps.writes, 1),
      probes: make(ps.probes, 1),
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
    limiters = limiterFor(rules, limiters);
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
async function spend(limiter: RateLimiterMemory, key: string, rule: string): Promise<Response | undefined> {
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
