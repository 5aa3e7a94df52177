// When GitHub may be called again with one set of credentials, for every process of the hub. GitHub
// answers a secondary rate limit (403 or 429, with `retry-after` or "wait at least a minute") or a
// spent primary one (`x-ratelimit-reset`) to whoever asked; Octokit's throttling plugin waits it
// out, but only for that client, in that process. The bridge notes the time here as the plugin is
// told of it, and every client of the hub waits until then before each request it starts:
//
// every process of the hub notes it in the shared `rate_limits` table (the one the HTTP budgets
// count in on PostgreSQL, http/rate-limits.ts), keyed `github-wait:…` by a hash of the credentials,
// and reads it before each request; the later of two times noted stands. On SQLite too: one process
// serves, but `wghub github sync` run by hand beside `wghub serve` is another on the same file, and
// before 2026-12-07 it went on calling GitHub while `serve` waited. A database that cannot be reached
// for it holds nothing up: the memory record stands in.
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Store } from '../../store/connect.ts';

export type GithubWaits = {
  /** Notes that GitHub asked these credentials (`scope`) to wait until `until` (epoch ms). */
  note(scope: string, until: number): Promise<void>;
  /** Resolves once GitHub may be called with these credentials, by any process of the hub. */
  turn(scope: string): Promise<void>;
  /** The time noted for these credentials, 0 if none (for tests and the status). */
  until(scope: string): Promise<number>;
  /**
   * Resolves when a write with these credentials may start: each write takes the next start free
   * (`spacingMs` after the last one taken, by any process of the hub) and waits for it, so the
   * hub's writes go one after another at GitHub's spacing however many processes make them.
   * `lane` keeps a spacing of its own (writes, and those that notify people). Times are the
   * database's clock. A process takes one start at a time per lane (its next write asks once the
   * last one's start has come), so the line ahead is at most one start per process; a next start
   * stored more than `WRITE_AHEAD` spacings ahead is more than that line explains, and is stale.
   */
  writeTurn(scope: string, lane: string, spacingMs: number): Promise<void>;
};

const byStore = new WeakMap<object, GithubWaits>();
const unshared = inMemory();

/** The hub's record for `store` (none given: one for this process). */
export function githubWaits(store?: Pick<Store, 'db' | 'kind'>): GithubWaits {
  if (!store) return unshared;
  let w = byStore.get(store.db);
  if (!w) {
    w = shared(store, inMemory());
    byStore.set(store.db, w);
  }
  return w;
}

/** The key of one set of credentials, never their text. */
export function waitScope(apiUrl: string, credentials: string): string {
  return `github-wait:${createHash('sha256').update(`${apiUrl}\n${credentials}`).digest('base64url').slice(0, 32)}`;
}

/**
 * How many spacings ahead a write's start may be taken, and the longest a write waits for its turn:
 * as many as processes of the hub write with one token at once (each holds one start at most). A
 * next start stored further ahead (by a clock that was off, or before 2026-12-07) is stale: the
 * line starts again from now.
 */
export const WRITE_AHEAD = 10;

const sleep = (ms: number) => (ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve());

/** The key of one lane of writes with one set of credentials (`scope` is `github-wait:…`). */
const writeKey = (scope: string, lane: string) => `github-${lane}:${scope.slice('github-wait:'.length)}`;

/**
 * `take` for one key at a time in this process: the next caller starts once the last one's
 * promise has settled. Writes queued in a process (many at once, before Octokit's throttling
 * plugin queues them: our hook runs ahead of it) thus hold one start of the shared line at a time,
 * not one each, so the line ahead stays within `WRITE_AHEAD` and stays spaced however long it is.
 */
function oneAtATime() {
  const last = new Map<string, Promise<void>>();
  return (key: string, take: () => Promise<void>): Promise<void> => {
    const next = (last.get(key) ?? Promise.resolve()).then(take, take);
    const settled = next.catch(() => {});
    last.set(key, settled);
    void settled.then(() => {
      if (last.get(key) === settled) last.delete(key);
    });
    return next;
  };
}

function inMemory(): GithubWaits {
  const times = new Map<string, number>();
  const starts = new Map<string, number>();
  const inTurn = oneAtATime();
  const w: GithubWaits = {
    writeTurn: (scope, lane, spacingMs) =>
      inTurn(writeKey(scope, lane), async () => {
        const key = writeKey(scope, lane);
        const now = Date.now();
        const next = starts.get(key) ?? 0;
        // further ahead than the line explains: stale, start again from now
        const start = next > now + WRITE_AHEAD * spacingMs ? now : Math.max(next, now);
        starts.set(key, start + spacingMs);
        await sleep(start - Date.now());
      }),
    async note(scope, until) {
      if (until > (times.get(scope) ?? 0)) times.set(scope, until);
    },
    async until(scope) {
      const t = times.get(scope) ?? 0;
      if (t && t <= Date.now()) times.delete(scope);
      return t;
    },
    turn: (scope) => waitFor(() => w.until(scope)),
  };
  return w;
}

function shared(store: Pick<Store, 'db' | 'kind'>, memory: GithubWaits): GithubWaits {
  const inTurn = oneAtATime();
  // the later of the two times: PostgreSQL's greatest(), SQLite's max() of two arguments
  const later = store.kind === 'postgres' ? sql`greatest` : sql`max`;
  // the database's clock in epoch ms (PostgreSQL's as the statement runs, SQLite's as it starts)
  const dbNow =
    store.kind === 'postgres'
      ? sql`(floor(extract(epoch from clock_timestamp()) * 1000))::bigint`
      : sql`cast((julianday('now') - 2440587.5) * 86400000 as integer)`;
  const w: GithubWaits = {
    // The row's `expire` is the next start free: taking it moves it on by the spacing, in one
    // statement, by the database's clock (one clock for every process: a process whose own clock is
    // off neither pushes the line ahead nor waits out another's error). Each process holds one start
    // at a time (`inTurn`), so the line ahead of now is one start per process at most: a next start
    // stored more than `WRITE_AHEAD` spacings ahead is more than the line explains (a clock that was
    // off, a row from before 2026-12-07), and the line starts again from now, once: the row then holds
    // a start near now. Starts taken by a process that died hold the line up one spacing each.
    // (Before 2026-12-07 a start was clamped to `WRITE_AHEAD` spacings ahead instead: with more
    // writes queued than that, every one after the tenth took the same start, all at once.)
    writeTurn: (scope, lane, spacingMs) =>
      inTurn(writeKey(scope, lane), async () => {
        const key = writeKey(scope, lane);
        const cap = WRITE_AHEAD * spacingMs;
        const row = await store.db
          .insertInto('rate_limits')
          .values({ key, points: 0, expire: sql<number>`${dbNow} + ${spacingMs}` })
          .onConflict((oc) =>
            oc.column('key').doUpdateSet({
              expire: sql`(case when coalesce(rate_limits.expire, 0) > ${dbNow} + ${cap} then ${dbNow} else ${later}(coalesce(rate_limits.expire, 0), ${dbNow}) end) + ${spacingMs}`,
            }),
          )
          .returning(['expire', sql<number>`${dbNow}`.as('now')])
          .executeTakeFirst()
          .catch(() => undefined);
        // a database that cannot be reached for it holds nothing up: this process spaces its own
        if (!row) return memory.writeTurn(scope, lane, spacingMs);
        await sleep(Math.min(Number(row.expire) - spacingMs - Number(row.now), cap));
      }),
    async note(scope, until) {
      await memory.note(scope, until);
      await store.db
        .insertInto('rate_limits')
        .values({ key: scope, points: 0, expire: Math.ceil(until) })
        .onConflict((oc) =>
          oc.column('key').doUpdateSet({ expire: sql`${later}(rate_limits.expire, excluded.expire)` }),
        )
        .execute()
        .catch(() => {});
    },
    async until(scope) {
      const mine = await memory.until(scope);
      const row = await store.db
        .selectFrom('rate_limits')
        .select('expire')
        .where('key', '=', scope)
        .executeTakeFirst()
        .catch(() => undefined);
      return Math.max(mine, Number(row?.expire ?? 0));
    },
    // a time this process knows is still ahead is waited without asking; then the table is read again
    turn: (scope) =>
      waitFor(async () => {
        const mine = await memory.until(scope);
        return mine > Date.now() ? mine : w.until(scope);
      }),
  };
  return w;
}

/** Waits until the time `read` gives has passed, reading it again after each wait (another process may have moved it on). */
async function waitFor(read: () => Promise<number>): Promise<void> {
  for (;;) {
    const left = (await read()) - Date.now();
    if (left <= 0) return;
    await sleep(left);
  }
}
