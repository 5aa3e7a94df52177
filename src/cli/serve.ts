import { withoutPassword } from '../domain/errors.ts';
import type { Hub } from '../app/core/hub.ts';
import { createLogger, type Logger } from '../app/core/logger.ts';
import { startTimers, timerHandlers, type Timer } from '../app/core/timers.ts';
import { runDormancy } from '../app/proposals/dormancy.ts';
import { closeDueDecisions } from '../app/decisions/decisions.ts';
import { pruneOAuth } from '../app/people/oauth.ts';
import { pruneRetained } from '../app/operations/retention.ts';
import { scheduleReconcile } from '../app/github/operate.ts';
import { githubConfigFromEnv } from '../app/github/config.ts';
import type { Server } from 'node:http';
import type { Hono } from 'hono';
import { createHttpApp, flushBeforeExit, markNotReady, markReady } from '../http/server.ts';
import { serveHub, stopServing } from '../http/node-server.ts';
import { VERSION } from '../version.ts';
import { allowedHostsFor, type McpHttpOptions } from '../mcp/http.ts';
import { Worker } from '../app/core/worker.ts';
import { jobHandlers } from './job-handlers.ts';
import { GITHUB_THREAD_QUEUES, startGithubThread, wantsGithubThread } from './github-thread.ts';
import { notifyOptions } from './hub-settings.ts';
import { drainMs, githubBigBodyMs, jobLeaseMs, keepAliveMs, shutdownGraceMs } from './serve-settings.ts';
import { remindMeetingDuties } from '../app/notifications/duties.ts';
import { inboundSmtpConfigFromEnv, inboundSmtpWarnings, startInboundSmtp } from '../app/notifications/inbound-smtp.ts';
import { mailConfigFromEnv } from '../app/notifications/mail-config.ts';
import { listenForChanges } from '../store/change-feed.ts';
import { FileClock, TEST_CLOCK_ENV } from './test-clock.ts';
import { searchRankingNote } from '../search/engine.ts';

const redact = withoutPassword;

/** The hub's clock work: they only record and remind; states are always computed when read. */
export function hubTimers(hub?: Hub, log?: Logger): Timer[] {
  const every = 15 * 60_000;
  const github = hub?.governance.github;
  return [
    { name: 'dormancy', everyMs: every, run: (hub) => runDormancy(hub, { kind: 'system', label: 'dormancy' }) },
    { name: 'close-decisions', everyMs: every, run: (hub) => closeDueDecisions(hub) },
    { name: 'meeting-duties', everyMs: every, run: (hub) => remindMeetingDuties(hub, notifyOptions()) },
    // open OAuth registration and refresh rotation leave rows behind: expired, revoked, never used
    { name: 'oauth-prune', everyMs: 60 * 60_000, run: pruneOAuth },
    // finished jobs, chat and digest claims, GitHub deliveries and expired links past their retention
    // (WGHUB_RETENTION_DAYS, WGHUB_RETENTION_FAILED_DAYS), a batch at a time
    {
      name: 'retention',
      everyMs: 60 * 60_000,
      run: async (hub) => {
        const r = await pruneRetained(hub);
        const deleted = Object.fromEntries(Object.entries(r.tables).map(([table, t]) => [table, t.deleted]));
        if (Object.values(deleted).some((n) => n > 0))
          log?.info({ deleted, more: r.more }, 'deleted finished work past its retention');
      },
    },
    // the reconcile repairs what missed webhook deliveries and write-backs left out
    ...(github?.repositories.length
      ? [{ name: 'github-reconcile', everyMs: github.reconcileEveryMinutes * 60_000, run: scheduleReconcile }]
      : []),
  ];
}

/** A hub on a test clock says so loudly at start: its time is whatever a file says. */
function warnTestClock(hub: Hub, log: Logger): void {
  if (!(hub.clock instanceof FileClock)) return;
  const file = hub.clock.file;
  log.warn(
    { file, now: hub.clock.now().toISOString() },
    `TEST CLOCK: ${TEST_CLOCK_ENV} is set, so this hub's time is what ${file} says; for tests only, never in production`,
  );
}

type Background = { stop(): Promise<void>; wake(): void };

/**
 * On PostgreSQL: hear other processes' writes (LISTEN/NOTIFY on a connection of its own), so this
 * process's read cache drops what they changed at once and its worker looks for the jobs they
 * enqueued; while the listener is down, the cache polls the log's head instead.
 */
export function followChanges(hub: Hub, log: Logger, wake: () => void = () => {}): { close(): Promise<void> } {
  if (hub.store.kind !== 'postgres') return { close: async () => {} };
  let announced = false;
  return listenForChanges(hub.store, {
    onChange(payload) {
      hub.reads.heard(payload);
      wake();
    },
    onState(listening, error) {
      hub.reads.followingChanges(listening);
      if (listening) log.info({ announced }, "listening for other processes' writes (LISTEN/NOTIFY)");
      else
        log.warn(
          { err: error?.message },
          "lost the LISTEN connection: polling for other processes' writes until it is back",
        );
      announced = true;
    },
  });
}

/**
 * The job worker and the timers that feed it: in `serve` (unless --no-worker) and in `worker`.
 * The GitHub queues get a thread of their own when the bridge is configured (github-thread.ts), so
 * a backfill never holds this event loop (nor the other jobs: the worker does one job at a time).
 */
export function startBackground(hub: Hub, log: Logger): Background {
  const timers = hubTimers(hub, log);
  // how long a claimed job stays with this process if it dies mid-job (default 5 minutes)
  const leaseMs = jobLeaseMs();
  const github = wantsGithubThread(hub) ? startGithubThread(hub, log, leaseMs ? { leaseMs } : {}) : null;
  const handlers = { ...jobHandlers(hub), ...timerHandlers(timers) };
  if (github) for (const q of GITHUB_THREAD_QUEUES) delete handlers[q];
  const worker = new Worker(hub, handlers, {
    ...(leaseMs ? { leaseMs } : {}),
    onError: (job, e) =>
      log.warn({ job: job.id, queue: job.queue, attempt: job.attempt, err: e }, 'job attempt failed'),
    onTrouble: (e, doing) => log.error({ err: e }, `job worker ${doing}`),
  });
  worker.start();
  const stopTimers = startTimers(hub, timers, (e) => log.error({ err: e }, 'could not schedule timers'));
  return {
    async stop() {
      stopTimers();
      await Promise.all([worker.stop(), github?.stop()]);
    },
    wake: () => {
      worker.wake();
      github?.wake();
    },
  };
}

/** Where the stop signals come from and how the process ends: `process` itself, or a test's stand-in. */
export type SignalledProcess = {
  on(signal: 'SIGINT' | 'SIGTERM', listener: (signal: NodeJS.Signals) => void): unknown;
  off(signal: 'SIGINT' | 'SIGTERM', listener: (signal: NodeJS.Signals) => void): unknown;
  exit(code: number): void;
};

/**
 * Handles SIGINT/SIGTERM from now on. Until `ready` is called (start-up is not done) a signal is
 * remembered, not acted on: the process neither dies of it nor stops half-started, and stops cleanly
 * as soon as `ready` says how. Then: run `drain` (serve on while a load balancer takes the process
 * out of rotation), then `close`, then exit 0; exit 1 if `close` takes longer than the grace period,
 * which counts from the drain's end. A second signal during the drain ends it (an operator who will
 * not wait); one after it exits 1 at once. `abandon` (start-up failed) leaves the signals alone again.
 */
export function onShutdown(
  log: Logger,
  proc: SignalledProcess = process,
): {
  ready(close: () => Promise<void>, drain?: (signal: string, cut: Promise<void>) => Promise<void>): void;
  abandon(): void;
} {
  const graceMs = shutdownGraceMs();
  let stage: 'starting' | 'serving' | 'draining' | 'closing' = 'starting';
  const early: string[] = [];
  let close: () => Promise<void> = async () => {};
  let drain: (signal: string, cut: Promise<void>) => Promise<void> = async () => {};
  let cut!: () => void;
  const stop = (signal: string) => {
    if (stage === 'starting') {
      log.info({ signal }, 'a signal while starting: stopping as soon as start-up is done');
      early.push(signal);
      return;
    }
    if (stage === 'draining') {
      log.info({ signal }, 'a second signal: the drain ends now');
      stage = 'closing';
      cut();
      return;
    }
    if (stage === 'closing') {
      log.error({ signal }, 'a signal while closing: exiting now');
      proc.exit(1);
      return;
    }
    stage = 'draining';
    log.info({ signal, graceMs }, 'shutting down');
    let grace: NodeJS.Timeout | undefined;
    drain(signal, new Promise<void>((r) => (cut = r)))
      .then(() => {
        stage = 'closing';
        grace = setTimeout(() => {
          log.error('shutdown took longer than the grace period; exiting');
          proc.exit(1);
        }, graceMs).unref();
        return close();
      })
      .then(
        () => {
          clearTimeout(grace);
          proc.exit(0);
        },
        (e) => {
          clearTimeout(grace);
          log.error({ err: e }, 'shutdown failed');
          proc.exit(1);
        },
      );
  };
  proc.on('SIGINT', stop);
  proc.on('SIGTERM', stop);
  return {
    ready(closing, draining) {
      if (stage !== 'starting') return;
      close = closing;
      if (draining) drain = draining;
      stage = 'serving';
      // the signals that came during start-up, in order, as if they came now
      for (const signal of early.splice(0)) stop(signal);
    },
    abandon() {
      proc.off('SIGINT', stop);
      proc.off('SIGTERM', stop);
    },
  };
}

/** Why /readyz answers 503 while `serve` starts: it listens before its start-up is done. */
export const STARTING_REASON = 'starting: listening, start-up not done yet';

/**
 * Why /readyz answers 503 while a stopping hub drains: the signal, and that it still serves what comes.
 */
export function drainingReason(signal: string, drainMs: number): string {
  return `shutting down (${signal}): still serving for WGHUB_DRAIN_MS (${drainMs} ms) while load balancers take this process out of rotation, then closing its connections`;
}

/**
 * How `serve` stops taking requests: first /readyz answers 503 naming the reason while every request
 * is still served as before, keep-alive and all, until `drained` (WGHUB_DRAIN_MS: a load balancer's
 * health checks see the 503 and send nothing more here); then no new connections, idle keep-alive
 * ones closed at once and busy ones as their answer goes out with `Connection: close`. Resolves once
 * every connection is closed.
 */
export async function drainAndStopServing(
  app: Hono,
  server: Server,
  opts: { reason: string; drained: Promise<void> },
): Promise<void> {
  markNotReady(app, opts.reason);
  await opts.drained;
  await stopServing(server);
}

/**
 * Where the addresses the hub hands out (sign-in callbacks, the OAuth issuer) come from, said at
 * start-up: WGHUB_PUBLIC_URL whatever Host a request names, else the Host header of trusted hosts only.
 */
function addressNote(env: NodeJS.ProcessEnv = process.env): string {
  const publicUrl = env.WGHUB_PUBLIC_URL?.trim().replace(/\/+$/, '');
  if (publicUrl) return `${publicUrl} (WGHUB_PUBLIC_URL), whatever Host header a request names`;
  const listed = env.WGHUB_ALLOWED_HOSTS?.trim();
  return `from the Host header, trusted only for the loopback names, the listen address${listed ? `, ${listed}` : ''} and --mcp-allowed-host (WGHUB_PUBLIC_URL unset: set it on any hub others reach)`;
}

/**
 * Where mail goes out and where its links point: a worker process may send it, which knows no
 * listen address, so links follow WGHUB_PUBLIC_URL alone; unset, they would point at the default
 * address whatever port this hub listens on, so the line says so.
 */
function mailNote(base: string, env: NodeJS.ProcessEnv = process.env): string {
  const mail = mailConfigFromEnv(env);
  if (!mail) return "none (WGHUB_SMTP_URL unset): news stays in each person's inbox on the hub";
  const smtp = redact(mail.smtpUrl);
  if (env.WGHUB_PUBLIC_URL?.trim()) return `${smtp}, links to ${mail.publicUrl}`;
  return `${smtp}, links to ${mail.publicUrl}${mail.publicUrl === base ? '' : ` (not this hub's ${base})`}: WGHUB_PUBLIC_URL unset, set it to where people reach this hub`;
}

/**
 * Whether the GitHub bridge can mirror: which repositories, through which API and as whom, and
 * whether GitHub's deliveries are taken in (without the webhook secret they are refused).
 */
function githubNote(hub: Hub, base: string, env: NodeJS.ProcessEnv = process.env): string {
  const repos = hub.governance.github?.repositories.map((r) => r.name) ?? [];
  if (!repos.length) return "off (the governance file's github.repositories names none)";
  const config = githubConfigFromEnv(env);
  const as =
    config.auth.kind === 'app'
      ? `as the GitHub App ${config.auth.appId}`
      : config.auth.kind === 'token'
        ? 'with WGHUB_GITHUB_TOKEN'
        : 'without credentials (neither WGHUB_GITHUB_TOKEN nor an App is set: public repositories only, at 60 requests an hour)';
  const hooks = config.webhookSecret
    ? `deliveries at ${base}/github/webhooks`
    : 'deliveries refused (WGHUB_GITHUB_WEBHOOK_SECRET unset): only the reconcile mirrors';
  return `${repos.join(', ')} through ${config.apiUrl} ${as}; ${hooks}; reconcile every ${hub.governance.github?.reconcileEveryMinutes ?? 60} minutes (\`wghub github status\`)`;
}

/**
 * Listens until SIGINT/SIGTERM. At the signal the timers and the worker stop (the job in hand
 * finishes, the rest of its batch goes back to the queue) and the drain starts: for WGHUB_DRAIN_MS
 * /readyz answers 503 while every request is still served; then it stops taking connections, lets
 * in-flight requests finish and closes the database pool. A signal during start-up (it listens
 * first, /readyz answering 503 until start-up is done) is acted on once start-up is done. `proc`:
 * where signals come from and how the process exits (tests pass a stand-in).
 */
export async function startServer(
  hub: Hub,
  opts: {
    host: string;
    port: number;
    databaseUrl: string;
    mcp?: McpHttpOptions & { extraHosts?: string[] };
    worker?: boolean;
    /** Another process started with this one is loading the demo: its people are on their way. */
    demoElsewhere?: boolean;
  },
  proc: SignalledProcess = process,
): Promise<void> {
  const log = createLogger();
  const app = createHttpApp(hub, undefined, {
    mcp: { ...opts.mcp, allowedHosts: allowedHostsFor(opts.host, opts.mcp?.extraHosts, process.env.WGHUB_PUBLIC_URL) },
    log,
    githubBigBodyMs: githubBigBodyMs(),
  });
  const inboundConfig = inboundSmtpConfigFromEnv();
  // before it listens: /healthz answers from then on, so a supervisor may signal it at once; the
  // signal is remembered and acted on once start-up is done, and no balancer sends it requests
  // before then (/readyz 503)
  const shutdown = onShutdown(log, proc);
  markNotReady(app, STARTING_REASON);
  const server = serveHub(app, { hostname: opts.host, port: opts.port, keepAliveMs: keepAliveMs() });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  }).catch((e) => {
    shutdown.abandon();
    throw e;
  });
  // Replies by mail: only when a reply domain and a listening port are configured.
  let inbound: Awaited<ReturnType<typeof startInboundSmtp>> | null = null;
  let background: Background | null = null;
  // from here on a failure (the banner's queries, the reply port taken) closes what was started:
  // a hub left listening half-started answered /readyz 503 for ever and ignored its signals
  try {
    // --port 0 listens on a free port: name the one taken
    const port = (server.address() as { port?: number } | null)?.port ?? opts.port;
    const base = `http://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${port}`;
    process.stdout.write(
      [
        `wghub ${VERSION} listening on ${base}`,
        `  web UI    ${base}/`,
        `  REST      ${base}/api`,
        `  OpenAPI   ${base}/api/openapi.json`,
        `  sign-in   ${signInNote()}`,
        `  addresses ${addressNote()}`,
        `  mail      ${mailNote(base)}`,
        `  github    ${githubNote(hub, base)}`,
        `  MCP       ${base}/mcp${opts.mcp?.anonymousReads ? ' (reads without a token)' : ''}`,
        `  database  ${redact(opts.databaseUrl)}`,
        `  search    ${await searchRankingNote(hub.store)}`,
        `  watch     ${base}/metrics  ${base}/healthz  ${base}/readyz`,
        `  jobs      ${opts.worker === false ? 'not here (--no-worker: run `wghub worker`)' : 'this process works the job queue'}`,
        // a hub started without the demo has nobody to sign in as: say how its operator adds themselves
        // (not to one whose demo another process is loading: its people are on their way)
        ...(opts.demoElsewhere
          ? ['  people    the demo community, loaded by another process started with this one']
          : (await hub.store.db.selectFrom('people').select('id').limit(1).executeTakeFirst())
            ? []
            : [
                '  people    nobody yet: add yourself first, with a role that may propose and sponsor groups:',
                '            wghub person add --handle you --name "Your Name" --role lead-maintainer',
              ]),
        ...(hub.clock instanceof FileClock
          ? [`  clock     TEST CLOCK from ${hub.clock.file} (${TEST_CLOCK_ENV}): for tests only, never in production`]
          : []),
        '',
      ].join('\n'),
    );
    inbound = inboundConfig
      ? await startInboundSmtp(hub, {
          ...inboundConfig,
          onReply: (r) =>
            log.info({ to: r.to.replace(/\+[0-9a-f]+@/i, '+…@'), ok: r.ok, detail: r.detail }, 'reply by mail'),
        })
      : null;
    if (inbound && inboundConfig) {
      process.stdout.write(
        `  replies   smtp://${inboundConfig.host}:${inbound.port} for reply+…@${inboundConfig.replyDomain}\n`,
      );
      for (const w of inboundSmtpWarnings(inboundConfig)) log.warn(w);
    }
    warnTestClock(hub, log);
    background = opts.worker === false ? null : startBackground(hub, log);
  } catch (e) {
    // a hub that failed half-way (a start-up query, the reply port taken) must not go on serving HTTP as if it had started
    shutdown.abandon();
    server.close();
    if ('closeAllConnections' in server) server.closeAllConnections();
    await inbound?.close();
    await hub.store.close();
    throw e;
  }
  const feed = followChanges(hub, log, background?.wake);
  const drainFor = drainMs();
  let serving: Promise<void> = Promise.resolve();
  let working: Promise<void> | undefined;
  markReady(app);
  shutdown.ready(
    async () => {
      await Promise.all([serving, working, feed.close(), inbound?.close()]);
      // no request comes in now: the refusals counted since each client's last log line are written
      flushBeforeExit(app);
      await hub.store.close();
    },
    async (signal, cut) => {
      // the job in hand finishes meanwhile, and no other is taken
      working = background?.stop();
      // awaited by the close below; until then a failure is not left unhandled
      working?.catch(() => {});
      if (drainFor) log.info({ drainMs: drainFor }, 'draining: /readyz answers 503, requests are still served');
      let drained!: () => void;
      serving = drainAndStopServing(app, server, {
        reason: drainingReason(signal, drainFor),
        drained: new Promise<void>((r) => (drained = r)),
      });
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([new Promise((r) => (timer = setTimeout(r, drainFor))), cut]);
      clearTimeout(timer);
      // idle keep-alive connections close at once, busy ones once their answer is out (with
      // Connection: close): none holds the stop open for the keep-alive time (65 s)
      drained();
    },
  );
}

/** `wghub worker`: jobs and timers, no HTTP, for operators who run them apart from the web processes. */
export async function startWorker(hub: Hub, opts: { databaseUrl: string }): Promise<void> {
  const log = createLogger();
  warnTestClock(hub, log);
  const background = startBackground(hub, log);
  const feed = followChanges(hub, log, background.wake);
  // the queue's poll timer is unref'd (a web process is held open by its server); on SQLite nothing
  // else holds a worker open, and a process on its way out dies of SIGTERM instead of stopping cleanly
  const keepAlive = setInterval(() => {}, 2 ** 30);
  onShutdown(log).ready(async () => {
    clearInterval(keepAlive);
    await Promise.all([background.stop(), feed.close()]);
    await hub.store.close();
  });
  // announced only once SIGTERM is handled, so whoever waits for this line may stop the worker
  process.stdout.write(`wghub ${VERSION} worker on ${redact(opts.databaseUrl)}: jobs and timers, no HTTP\n`);
}

/** Which sign-in the web UI offers, as `wghub serve` announces it (no secret in it). */
function signInNote(env = process.env): string {
  const ways = [
    ...(env.WGHUB_OIDC_ISSUER ? [`OpenID Connect (${env.WGHUB_OIDC_ISSUER})`] : []),
    ...(env.WGHUB_GITHUB_CLIENT_ID ? [`GitHub (client ${env.WGHUB_GITHUB_CLIENT_ID})`] : []),
  ];
  return ways.length
    ? ways.join(' and ')
    : 'demo mode: anyone may pick any person on record, no password (set WGHUB_OIDC_ISSUER or WGHUB_GITHUB_CLIENT_ID for real sign-in)';
}
