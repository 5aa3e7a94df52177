// On PostgreSQL the GitHub bridge's queued work (the backfill and reconcile of `github.sync`,
// applying webhook deliveries, write-back) runs in a thread of its own, with its own hub and pool on
// the same database, so the event loop that answers requests never runs a backfill: a webhook is
// acknowledged, and a page answered, while a sync of thousands of pull requests goes on beside them
// (docs/github.md#performance). The serving thread still records each delivery and its job; this thread claims the
// jobs like any worker process would (the queue is the hand-over, so nothing is lost if it stops).
import { Worker as Thread } from 'node:worker_threads';
import type { Hub } from '../app/core/hub.ts';
import type { Logger } from '../app/core/logger.ts';
import { SYNC_QUEUE } from '../app/github/operate.ts';
import { DELIVERY_QUEUE } from '../app/github/webhooks.ts';
import { WRITEBACK_QUEUE } from '../app/github/writeback.ts';

/** The queues the GitHub thread works on; the serving thread's worker leaves them to it. */
export const GITHUB_THREAD_QUEUES: readonly string[] = [SYNC_QUEUE, DELIVERY_QUEUE, WRITEBACK_QUEUE];

/** What the thread is given: where the database is and the rules in force (validated already). */
export type GithubThreadData = { databaseUrl: string; governance: Hub['governance']; leaseMs?: number };

export type GithubThread = { wake(): void; stop(): Promise<void> };

/**
 * Whether this hub's GitHub work gets a thread: on PostgreSQL, when the governance file names
 * repositories (a hub without the bridge pays no thread). Not on SQLite: there one connection
 * writes at a time and its driver waits for the lock synchronously, so the serving thread would
 * stand still whenever the GitHub thread holds the lock, and a transaction that read before the
 * other's commit fails (SQLITE_BUSY_SNAPSHOT). Measured in docs/github.md#performance: on SQLite
 * the backfill stays on the serving thread, in small transactions with a turn of the event loop
 * between them.
 */
export function wantsGithubThread(hub: Hub): boolean {
  return hub.store.kind === 'postgres' && Boolean(hub.governance.github?.repositories.length);
}

const RESTART_MS = 1000;

/** The thread's module, beside this one (.ts from a checkout, .js from a build). */
export const githubThreadEntry = (): URL =>
  new URL(`./github-thread-main${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);

/** Starts the thread; if it dies, it is started again (its jobs wait in the queue meanwhile). */
export function startGithubThread(hub: Hub, log: Logger, opts: { leaseMs?: number } = {}): GithubThread {
  const entry = githubThreadEntry();
  const data: GithubThreadData = {
    databaseUrl: hub.store.url,
    governance: hub.governance,
    ...(opts.leaseMs ? { leaseMs: opts.leaseMs } : {}),
  };
  let thread: Thread | null = null;
  let stopping = false;
  let restart: NodeJS.Timeout | null = null;
  const start = () => {
    // its work is one job at a time: a small pool of its own (PostgreSQL) is enough
    const t = new Thread(entry, { workerData: data, env: { ...process.env, WGHUB_DATABASE_POOL: '2' } });
    t.unref();
    t.on('error', (e) => log.error({ err: e }, 'the GitHub thread failed'));
    t.on('exit', (code) => {
      if (thread === t) thread = null;
      if (stopping) return;
      log.warn({ code }, `the GitHub thread stopped; starting it again in ${RESTART_MS} ms`);
      restart = setTimeout(start, RESTART_MS);
      restart.unref();
    });
    thread = t;
  };
  start();
  // a delivery or a "sync now" recorded here is taken up at once rather than at the thread's next poll
  const wake = () => thread?.postMessage('wake');
  hub.committed.add(wake);
  return {
    wake,
    async stop() {
      stopping = true;
      hub.committed.delete(wake);
      if (restart) clearTimeout(restart);
      const t = thread;
      if (!t) return;
      // the job in hand finishes (or, past the grace period, the process exits and its lease frees it)
      const exited = new Promise<void>((resolve) => t.once('exit', () => resolve()));
      t.postMessage('stop');
      await exited;
    },
  };
}
