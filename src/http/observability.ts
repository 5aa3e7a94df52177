// What an operator watches: a request id on every request (taken from X-Request-Id when a proxy
// set a sane one), one JSON log line per request, Prometheus metrics at /metrics, and the two
// probes a load balancer or orchestrator asks: /healthz (the process answers) and /readyz (its
// database answers and has every migration this build knows, so it may take traffic).
import { randomUUID } from 'node:crypto';
import type { Hono, MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { sql } from 'kysely';
import type { Hub } from '../app/core/hub.ts';
import { queueStats, type QueueStats } from '../app/core/jobs.ts';
import { oldestFinishedJobs } from '../app/operations/retention.ts';
import type { Logger } from '../app/core/logger.ts';
import { type RequestContext, withRequest } from '../app/core/request-context.ts';
import { DatabaseTooNew, pendingMigrations } from '../store/migrate.ts';
import { credentialSignsIn } from './known-credentials.ts';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export type Observability = {
  middleware: MiddlewareHandler;
  registry: Registry;
  mount(app: Hono): void;
  /** Counts a request the rate limits refused before the app saw it (src/http/rate-limits.ts). */
  refused(key: string, budget: string): void;
  /**
   * Logs the refusals counted since each client's last line and not logged yet (a client's refusals
   * are one line per REFUSAL_LOG_MS): called on a graceful shutdown, once no request comes in any more,
   * so the last seconds of a flood are in the log rather than lost with the process.
   */
  flushRefusals(): void;
  /**
   * From now on /readyz answers 503 with this reason whatever the database says (the process is
   * starting, or stopping: a load balancer takes it out of rotation while it still serves), /healthz
   * still 200; null: /readyz asks the database again.
   */
  notReady(reason: string | null): void;
};

/** A refusing client is logged at most once in this many milliseconds, with how many were refused. */
const REFUSAL_LOG_MS = 10_000;

/** Refusing clients kept apart, each with its own count and line, before their counts are summed. */
export const REFUSING_CLIENTS = 10_000;

/** A route's label: its pattern (bounded), never the raw path (unbounded: every ref is new). */
function routeLabel(pattern: string): string {
  return pattern === '*' || pattern === '/*' || pattern === '' ? '(unmatched)' : pattern;
}

/** Route parameters that are secrets (a claim link's code, an unsubscribe token): never written to a log. */
const SECRET_PARAMS = new Set(['code', 'token']);

/** The path as logged: each segment matching a secret parameter of its route is masked. */
export function loggedPath(pattern: string, path: string): string {
  const names = pattern.split('/').map((n) => (n.startsWith(':') ? n.slice(1).replace(/\{.*$/, '') : null));
  if (!names.some((n) => n && SECRET_PARAMS.has(n))) return path;
  const parts = path.split('/');
  // a path that does not line up with its pattern (a wildcard) is logged as the pattern alone
  if (parts.length !== names.length) return pattern;
  return parts.map((p, i) => (names[i] && SECRET_PARAMS.has(names[i]!) ? '…' : p)).join('/');
}

/**
 * Answers made with the headers every answer gets already among their own (nosniff and this
 * request's X-Request-Id, see `answerBytes` in server.ts): setting them again would turn the answer's
 * plain headers into a fetch `Headers` for nothing.
 */
export const alreadyHeaded = new WeakSet<Response>();

export function observability(hub: Hub, opts: { log?: Logger } = {}): Observability {
  /** Why /readyz answers 503 while the process starts or stops (`notReady`), or null while it serves as usual. */
  let leaving: string | null = null;
  const registry = new Registry();
  // process CPU, memory, handles, GC and event-loop delay (nodejs_eventloop_lag_*)
  collectDefaultMetrics({ register: registry, prefix: 'wghub_' });
  const requests = new Counter({
    name: 'wghub_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'wghub_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method and route pattern',
    labelNames: ['method', 'route'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  new Gauge({
    name: 'wghub_read_cache_hit_ratio',
    help: 'Share of cached reads answered from memory since start (0 before the first read)',
    registers: [registry],
    collect() {
      const { hits, misses } = hub.reads.counts;
      this.set(hits + misses ? hits / (hits + misses) : 0);
    },
  });
  new Counter({
    name: 'wghub_read_cache_requests_total',
    help: 'Cached reads since start, by result (hit or miss)',
    labelNames: ['result'] as const,
    registers: [registry],
    collect() {
      this.reset();
      this.inc({ result: 'hit' }, hub.reads.counts.hits);
      this.inc({ result: 'miss' }, hub.reads.counts.misses);
    },
  });
  const pool = hub.store.pool;
  if (pool) {
    new Gauge({
      name: 'wghub_db_pool_connections',
      help: 'PostgreSQL pool connections of this process, by state (total, idle, waiting clients, max)',
      labelNames: ['state'] as const,
      registers: [registry],
      collect() {
        const s = pool();
        for (const [state, n] of Object.entries(s)) this.set({ state }, n);
      },
    });
  }
  // The queue is shared by every process: each reports the same depth, so sum() across processes
  // over-counts; use max() in dashboards.
  // One read of the queue serves every queue metric of a scrape (they are collected together).
  let reading: { at: number; stats: Promise<QueueStats[] | null> } | null = null;
  const readQueue = () => {
    const t = performance.now();
    if (!reading || t - reading.at > 1000) reading = { at: t, stats: queueStats(hub).catch(() => null) };
    return reading.stats;
  };
  new Gauge({
    name: 'wghub_job_queue_jobs',
    help: 'Jobs in the shared queue, by queue and state (pending, running, failed)',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const q of (await readQueue()) ?? []) {
        this.set({ queue: q.queue, state: 'pending' }, q.pending);
        this.set({ queue: q.queue, state: 'running' }, q.running);
        this.set({ queue: q.queue, state: 'failed' }, q.failed);
      }
    },
  });
  new Gauge({
    name: 'wghub_job_queue_oldest_pending_seconds',
    help: 'Age of the oldest job still waiting, by queue',
    labelNames: ['queue'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const now = hub.clock.now().getTime();
      for (const q of (await readQueue()) ?? []) {
        this.set({ queue: q.queue }, q.oldestPendingAt ? (now - Date.parse(q.oldestPendingAt)) / 1000 : 0);
      }
    },
  });
  // the retention timer deletes finished jobs past WGHUB_RETENTION_DAYS (failed: WGHUB_RETENTION_FAILED_DAYS);
  // an age above it and an hour says the timer is not running
  new Gauge({
    name: 'wghub_job_queue_oldest_finished_seconds',
    help: 'Age of the oldest finished job kept, by state (done, failed): retention holds it under its days',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const oldest = await oldestFinishedJobs(hub).catch(() => null);
      if (!oldest) return;
      const now = hub.clock.now().getTime();
      for (const state of ['done', 'failed'] as const) {
        const at = oldest[state];
        this.set({ state }, at ? (now - Date.parse(at)) / 1000 : 0);
      }
    },
  });
  new Gauge({
    name: 'wghub_job_queue_scrape_ok',
    help: '1 when the queue could be read for this scrape',
    registers: [registry],
    async collect() {
      this.set((await readQueue()) ? 1 : 0);
    },
  });

  const log = opts.log;
  const middleware: MiddlewareHandler = async (c, next) => {
    const given = c.req.header('x-request-id');
    const requestId = given && REQUEST_ID.test(given) ? given : randomUUID();
    const started = performance.now();
    const context: RequestContext = { requestId };
    await withRequest(context, () => next());
    const seconds = (performance.now() - started) / 1000;
    const route = routeLabel(routePath(c));
    const method = c.req.method;
    const status = c.res.status;
    requests.inc({ method, route, status: String(status) });
    duration.observe({ method, route }, seconds);
    // an answer that carries this request's X-Request-Id already (answerBytes, server.ts) is left as it is
    if (!alreadyHeaded.has(c.res)) {
      try {
        c.res.headers.set('X-Request-Id', requestId);
      } catch {
        c.res = new Response(c.res.body, c.res);
        c.res.headers.set('X-Request-Id', requestId);
      }
    }
    if (log) {
      const line = {
        requestId,
        method,
        route,
        path: loggedPath(route, c.req.path),
        status,
        ms: Math.round(seconds * 10_000) / 10,
      };
      // a starting or stopping process's /readyz says 503 on purpose: nothing failed
      if (status >= 500 && !(leaving !== null && route === '/readyz'))
        log.error(context.failure ? { ...line, err: context.failure } : line, 'request failed');
      else log.info(line, 'request');
    } else if (context.failure) console.error(context.failure);
  };

  // A flood is thousands of refusals a second: each is counted, and each client's refusals are
  // logged as one line per REFUSAL_LOG_MS (the first at once), never a line per request.
  const refusals = new Counter({
    name: 'wghub_http_requests_refused_total',
    help: 'Requests refused by the rate limits before the app saw them (429), by budget',
    labelNames: ['budget'] as const,
    registers: [registry],
  });
  const lastLogged = new Map<string, { at: number; since: number; budget: string }>();
  const refusalsOf = new Map<string, { inc(): void }>(); // a label lookup per refusal is a flood's cost too
  const refused = (key: string, budget: string) => {
    let count = refusalsOf.get(budget);
    if (!count) {
      count = refusals.labels({ budget });
      refusalsOf.set(budget, count);
    }
    count.inc();
    if (!log) return;
    const now = Date.now();
    const seen = lastLogged.get(key);
    if (seen && now - seen.at < REFUSAL_LOG_MS) {
      seen.since++;
      return;
    }
    // a full map is summed into one line before it is forgotten: no client's count is lost with it,
    // and the request that fills it writes one line, not one per client (up to 10,000, in its turn)
    if (lastLogged.size >= REFUSING_CLIENTS) summariseRefusals();
    lastLogged.set(key, { at: now, since: 0, budget });
    // the client is a hashed token or session, or an address: never the secret itself
    log.warn({ client: key, budget, refusedSinceLastLine: seen?.since ?? 0, status: 429 }, 'rate limited');
  };
  const summariseRefusals = () => {
    const byBudget: Record<string, number> = {};
    let clients = 0;
    for (const seen of lastLogged.values())
      if (seen.since > 0) {
        clients++;
        byBudget[seen.budget] = (byBudget[seen.budget] ?? 0) + seen.since;
      }
    if (clients && log)
      log.warn(
        { clients, refusedSinceLastLine: byBudget, status: 429 },
        'rate limited: more refusing clients than are kept apart, their counts summed',
      );
    lastLogged.clear();
  };
  const flushRefusals = () => {
    for (const [key, seen] of lastLogged)
      if (seen.since > 0 && log)
        log.warn(
          { client: key, budget: seen.budget, refusedSinceLastLine: seen.since, status: 429, last: true },
          'rate limited',
        );
    lastLogged.clear();
  };

  return {
    refused,
    flushRefusals,
    notReady: (reason) => {
      leaving = reason;
    },
    middleware,
    registry,
    mount(app) {
      app.get('/healthz', (c) => c.json({ ok: true }));
      app.get('/readyz', async (c) => {
        if (leaving !== null) return c.json({ ready: false, reason: leaving }, 503);
        try {
          await sql`select 1`.execute(hub.store.db);
        } catch (e) {
          return c.json({ ready: false, reason: `the database does not answer: ${(e as Error).message}` }, 503);
        }
        // a newer wghub migrated it (a rolling upgrade under way): this process serves until it is replaced
        const pending = await pendingMigrations(hub.store.db, hub.store.schema).catch((e: unknown) => {
          if (e instanceof DatabaseTooNew) return [];
          throw e;
        });
        if (pending.length) {
          return c.json(
            { ready: false, reason: `migrations not yet applied: ${pending.join(', ')} (run \`wghub migrate\`)` },
            503,
          );
        }
        return c.json({ ready: true });
      });
      app.get('/metrics', async (c) => {
        // Metrics name routes and queues, never people; WGHUB_METRICS_TOKEN keeps them from strangers.
        const token = process.env.WGHUB_METRICS_TOKEN;
        if (token && c.req.header('authorization') !== `Bearer ${token}`) {
          return c.text('metrics need "Authorization: Bearer WGHUB_METRICS_TOKEN"\n', 401);
        }
        // the scraper's token is a budget of its own, as an API token is: not its address's (rate-limits.ts)
        if (token) credentialSignsIn(hub, 'token', token);
        return c.body(await registry.metrics(), 200, { 'Content-Type': registry.contentType });
      });
    },
  };
}
