// Zero-downtime upgrade, rehearsed: an old release and this one side by side on one database. The
// old `wghub serve` (a git worktree of OLD, by default the commit before the newest migration was
// added) migrates the database to its own set and serves reads and writes under a steady load;
// meanwhile this checkout's `wghub migrate` adds the newer migrations and a new `wghub serve` starts
// beside it. The answer says what every process answered, and when: an upgrade is zero-downtime when
// the old one answered no 5xx and never failed to answer throughout, the new one answered no 5xx,
// and each reads what the other wrote. Used by scripts/upgrade-side-by-side.ts (by hand) and
// test/cli/upgrade-side-by-side.test.ts (in `.ci/run`).
import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type SQLiteDatabase from 'better-sqlite3';
import pg from 'pg';
import { freePort } from '../bench/support.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const MIGRATIONS = path.join(ROOT, 'src/store/migrations');

/** HTTP status → how many requests got it; 0 counts requests that got no answer at all. */
export type Counts = Record<number, number>;

export type UpgradeOptions = {
  /** The older release, any revision git knows; by default the commit before the newest migration was added. */
  old?: string;
  /**
   * The database both releases share: a PostgreSQL server (a schema of its own is made in it and
   * dropped after), or a SQLite file made in a temporary folder.
   */
  database: { postgres: string; schema?: string } | { sqlite: true };
  /** How long the old process is loaded alone before the migration, and both after the new one starts. */
  aloneMs?: number;
  bothMs?: number;
  /** Progress lines, as the rehearsal goes. */
  log?: (line: string) => void;
};

export type UpgradeResult = {
  /** The old release, abbreviated. */
  oldRev: string;
  /** Migrations applied when the old process served alone, after this release migrated, and those it added. */
  migrations: { before: string[]; after: string[]; added: string[] };
  /**
   * What each process answered. The old process's requests by when they ran: ended before the
   * migration began, in flight while it ran, begun after it ended.
   */
  statuses: { old: { before: Counts; migrating: Counts; after: Counts }; new: Counts };
  /** Each request answered 5xx or not at all, and why. */
  failures: string[];
  /** A process that exited while it should have served, with the end of its output. */
  exited: string[];
  /** The error lines the processes logged (level error or fatal, or not a log line: a stack), the first 40. */
  errorLogs: string[];
  /** Whose comments each process reads after the load ("old", "new"), and how many it reads. */
  reads: { byNew: { writers: string[]; comments: number }; byOld: { writers: string[]; comments: number } };
  newReadsOld: boolean;
  oldReadsNew: boolean;
  /** Start of the old process (migrating an empty database and loading the demo), the new migrations, start of the new process, all. */
  timings: { oldStartMs: number; migrateMs: number; newStartMs: number; totalMs: number };
  /** No 5xx, no request unanswered, no process exited, new migrations applied, each reads the other's writes. */
  ok: boolean;
};

function git(...args: string[]): string {
  return execFileSync('git', ['-C', ROOT, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    .toString()
    .trim();
}

/** The commit that first added a migration file. */
function addedIn(file: string): string {
  return git('log', '--diff-filter=A', '--format=%H', '--', `src/store/migrations/${file}`).split('\n').at(-1)!;
}

/**
 * The commit before the newest migration was added: the release the newest migrations upgrade. A
 * commit in between that holds a migration this release no longer has (renamed when two branches
 * took one number) was never a release: the rehearsal goes back to before that migration appeared.
 */
export function defaultOldRevision(): string {
  const ours = readdirSync(MIGRATIONS);
  let rev = `${addedIn(ours.sort().at(-1)!)}~1`;
  for (let hops = 0; hops < 20; hops++) {
    const theirs = git('ls-tree', '--name-only', rev, 'src/store/migrations/')
      .split('\n')
      .map((f) => f.slice(f.lastIndexOf('/') + 1))
      .filter(Boolean);
    const unknown = theirs.filter((f) => !ours.includes(f));
    if (!unknown.length) return rev;
    rev = `${addedIn(unknown[0]!)}~1`;
  }
  return rev;
}

function resolveRevision(rev: string): string {
  try {
    return git('rev-parse', '--verify', '--short', `${rev}^{commit}`);
  } catch {
    const shallow = git('rev-parse', '--is-shallow-repository') === 'true';
    throw new Error(
      `git does not know the old release ${rev}${shallow ? ': this clone is shallow, and the rehearsal checks out an older commit (git fetch --unshallow, or clone without --depth)' : ''}`,
    );
  }
}

const countsOf = (statuses: number[]): Counts => {
  const c: Counts = {};
  for (const s of statuses) c[s] = (c[s] ?? 0) + 1;
  return c;
};
export const failing = (c: Counts): number =>
  Object.entries(c)
    .filter(([s]) => Number(s) >= 500 || Number(s) === 0)
    .reduce((n, [, k]) => n + k, 0);
const total = (c: Counts): number => Object.values(c).reduce((n, k) => n + k, 0);
export const sumCounts = (...cs: Counts[]): Counts => {
  const out: Counts = {};
  for (const c of cs) for (const [s, n] of Object.entries(c)) out[Number(s)] = (out[Number(s)] ?? 0) + n;
  return out;
};

type SharedDatabase = { url: string; migrations(): Promise<string[]>; drop(): Promise<void> };

async function sharedDatabase(database: UpgradeOptions['database'], dir: string): Promise<SharedDatabase> {
  if ('sqlite' in database) {
    const file = path.join(dir, 'hub.sqlite');
    const SQLite = createRequire(import.meta.url)('better-sqlite3') as typeof SQLiteDatabase;
    return {
      url: `sqlite:${file}`,
      async migrations() {
        const db = new SQLite(file, { readonly: true });
        try {
          return (db.prepare('select name from kysely_migration order by name').all() as { name: string }[]).map(
            (r) => r.name,
          );
        } finally {
          db.close();
        }
      },
      async drop() {}, // the folder goes with the worktree's
    };
  }
  const schema = database.schema ?? `upgrade_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: database.postgres });
  await admin.connect();
  await admin.query(`create schema ${pg.escapeIdentifier(schema)}`);
  return {
    url: `${database.postgres}${database.postgres.includes('?') ? '&' : '?'}schema=${schema}`,
    async migrations() {
      const { rows } = await admin.query(
        `select name from ${pg.escapeIdentifier(schema)}.kysely_migration order by name`,
      );
      return rows.map((r) => r.name as string);
    },
    async drop() {
      try {
        await admin.query(`drop schema if exists ${pg.escapeIdentifier(schema)} cascade`);
      } finally {
        await admin.end();
      }
    },
  };
}

type Request = { start: number; end: number; status: number };

export async function rehearseUpgrade(opts: UpgradeOptions): Promise<UpgradeResult> {
  const log = opts.log ?? (() => {});
  const oldRev = resolveRevision(opts.old ?? defaultOldRevision());
  const t0 = performance.now();
  // a folder, worktree and database of its own: two rehearsals at once do not meet
  const dir = mkdtempSync(path.join(tmpdir(), 'wghub-upgrade-'));
  const oldTree = path.join(dir, `old-${path.basename(dir)}`);
  const children: ChildProcess[] = [];
  const exited: string[] = [];
  const outputs = new Map<string, () => string[]>();
  const failures: string[] = [];
  let stopping = false;
  let db: SharedDatabase | undefined;
  let worktree = false;
  try {
    git('worktree', 'add', '--detach', '-q', oldTree, oldRev);
    worktree = true;
    // the old release runs on this checkout's packages
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(oldTree, 'node_modules'));
    db = await sharedDatabase(opts.database, dir);
    const env = { ...process.env, WGHUB_DATABASE_URL: db.url, WGHUB_LOG_LEVEL: 'warn' };
    // asynchronous, so the load keeps running (a blocked client lets the server close its idle sockets)
    const run = async (tree: string, ...args: string[]) =>
      (await promisify(execFile)(path.join(tree, 'bin/wghub'), args, { env })).stdout;

    const serve = async (name: string, tree: string, args: string[]): Promise<string> => {
      const port = await freePort();
      const child = spawn(path.join(tree, 'bin/wghub'), ['serve', '--port', String(port), ...args], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.push(child);
      let out = '';
      let err = '';
      child.stdout!.on('data', (d) => (out += d));
      child.stderr!.on('data', (d) => (err += d));
      // pino's error lines (stdout), and what went to stderr (an error's stack)
      outputs.set(name, () => [
        ...out.split('\n').filter((l) => /"level":(5|6)\d/.test(l)),
        ...err.split('\n').filter((l) => l.trim()),
      ]);
      child.on('exit', (code, signal) => {
        if (stopping) return;
        exited.push(`${name}: exited (${code ?? signal}) ${(out + err).slice(-2000)}`);
        log(exited.at(-1)!);
      });
      const base = `http://127.0.0.1:${port}`;
      for (let i = 0; ; i++) {
        if (child.exitCode !== null)
          throw new Error(`${name} (${tree}): wghub serve exited with ${child.exitCode}\n${(out + err).slice(-2000)}`);
        try {
          if ((await fetch(`${base}/healthz`)).ok) return base;
        } catch {
          /* not yet */
        }
        if (i > 1800) throw new Error(`${name} (${tree}): wghub serve did not start within 3 minutes`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };

    const s0 = performance.now();
    const old = await serve('old', oldTree, []); // the old release migrates to its own set and loads the demo
    const oldStartMs = performance.now() - s0;
    const before = await db.migrations();
    log(`old ${oldRev} serving on its ${before.length} migrations (newest ${before.at(-1)})`);
    const token = JSON.parse(await run(oldTree, 'token', 'create', '--person', 'amara', '--json')).token as string;
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const created = await fetch(`${old}/api/proposals`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        title: 'Resumable streams behind load balancers',
        problem: 'A stream cut by a deploy cannot be resumed on another server process.',
        examples: ['A rolling deploy drops every open stream'],
        layer: 'working-group-artifact',
        group: 'hosting',
      }),
    });
    if (created.status !== 201)
      throw new Error(`the old process did not create a proposal: ${created.status} ${await created.text()}`);
    const ref = ((await created.json()) as { ref: string }).ref;

    // a steady load on a process: reads of the proposal, its page and its comments, and comment writes
    const requests = new Map<string, Request[]>();
    let stop = false;
    const load = (name: string, base: string) =>
      (async () => {
        const done: Request[] = [];
        requests.set(name, done);
        for (let i = 0; !stop; i++) {
          const url =
            i % 4 === 3
              ? `${base}/api/proposals/${ref}/comments`
              : `${base}${['/api/proposals/', '/proposals/', '/api/proposals/'][i % 4]}${ref}${i % 4 === 2 ? '/comments' : ''}`;
          const init: RequestInit =
            i % 4 === 3
              ? { method: 'POST', headers, body: JSON.stringify({ body: `Written through ${name}, ${i}.` }) }
              : { headers: i % 4 === 1 ? {} : { authorization: headers.authorization } };
          const start = performance.now();
          const status = await fetch(url, init).then(
            async (r) => {
              const body = await r.text();
              if (r.status >= 500) {
                failures.push(`${name}: ${init.method ?? 'GET'} ${url}: ${r.status} ${body.slice(0, 300)}`);
                log(failures.at(-1)!);
              }
              return r.status;
            },
            (e: Error) => {
              failures.push(
                `${name}: ${init.method ?? 'GET'} ${url}: ${e.message} (${(e.cause as Error | undefined)?.message ?? ''})`,
              );
              log(failures.at(-1)!);
              return 0; // no answer at all
            },
          );
          done.push({ start, end: performance.now(), status });
        }
      })();
    const loads = [load('old', old)];
    await new Promise((r) => setTimeout(r, opts.aloneMs ?? 1000));
    const m0 = performance.now();
    await run(ROOT, 'migrate'); // this release's migrations, while the old process serves
    const m1 = performance.now();
    const after = await db.migrations();
    const added = after.filter((m) => !before.includes(m));
    log(`new migrations applied in ${(m1 - m0).toFixed(0)} ms while the old process served: ${added.join(', ')}`);
    const n0 = performance.now();
    const fresh = await serve('new', ROOT, ['--no-demo']);
    const newStartMs = performance.now() - n0;
    loads.push(load('new', fresh));
    await new Promise((r) => setTimeout(r, opts.bothMs ?? 3000));
    // both processes loaded until the new one has written too: a fresh process's first requests (its
    // pages and modules loaded on first use) can take seconds on a busy machine, and a rehearsal in
    // which it wrote nothing proves nothing about writes through it (bounded: 60 s more at most)
    for (let waited = 0; waited < 60_000 && !requests.get('new')!.some((q) => q.status === 201); waited += 100)
      await new Promise((r) => setTimeout(r, 100));
    stop = true;
    await Promise.all(loads);

    // every comment, page by page, as each process reads it: whose writes does it see?
    const readAll = async (base: string) => {
      const writers = new Set<string>();
      let comments = 0;
      let cursor: string | undefined;
      do {
        const r = await fetch(
          `${base}/api/proposals/${ref}/comments?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
          { headers },
        );
        const page = (await r.json()) as { items?: { body: string }[]; nextCursor?: string | null };
        for (const c of page.items ?? []) {
          comments++;
          const by = /^Written through (\w+),/.exec(c.body)?.[1];
          if (by) writers.add(by);
        }
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return { writers: ['old', 'new'].filter((w) => writers.has(w)), comments };
    };
    // the last write through one process reaches the other's read cache a moment later
    let byNew = await readAll(fresh);
    let byOld = await readAll(old);
    for (
      let i = 0;
      i < 20 && (byNew.comments !== byOld.comments || byNew.writers.length < 2 || byOld.writers.length < 2);
      i++
    ) {
      await new Promise((r) => setTimeout(r, 100));
      byNew = await readAll(fresh);
      byOld = await readAll(old);
    }

    const oldRequests = requests.get('old')!;
    const statuses = {
      old: {
        before: countsOf(oldRequests.filter((q) => q.end < m0).map((q) => q.status)),
        migrating: countsOf(oldRequests.filter((q) => q.end >= m0 && q.start <= m1).map((q) => q.status)),
        after: countsOf(oldRequests.filter((q) => q.start > m1).map((q) => q.status)),
      },
      new: countsOf(requests.get('new')!.map((q) => q.status)),
    };
    const newReadsOld = byNew.writers.includes('old');
    const oldReadsNew = byOld.writers.includes('new');
    const errorLogs = [...outputs].flatMap(([name, output]) => output().map((l) => `${name}: ${l}`)).slice(0, 40);
    const answers = [...Object.values(statuses.old), statuses.new];
    return {
      oldRev,
      migrations: { before, after, added },
      statuses,
      failures,
      exited,
      errorLogs,
      reads: { byNew, byOld },
      newReadsOld,
      oldReadsNew,
      timings: { oldStartMs, migrateMs: m1 - m0, newStartMs, totalMs: performance.now() - t0 },
      ok:
        added.length > 0 &&
        answers.every((c) => failing(c) === 0) &&
        total(statuses.old.migrating) > 0 &&
        exited.length === 0 &&
        newReadsOld &&
        oldReadsNew,
    };
  } finally {
    // each step on its own: a failed one does not leave the others undone
    stopping = true;
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exitCode !== null || c.signalCode !== null) return resolve();
            const kill = setTimeout(() => c.kill('SIGKILL'), 10_000);
            c.once('exit', () => {
              clearTimeout(kill);
              resolve();
            });
            c.kill('SIGTERM');
          }),
      ),
    );
    await db?.drop().catch((e: Error) => log(`could not drop the rehearsal's database: ${e.message}`));
    if (worktree) {
      try {
        git('worktree', 'remove', '--force', oldTree);
      } catch (e) {
        log(`could not remove the worktree ${oldTree}: ${(e as Error).message}`);
      }
    }
    rmSync(dir, { recursive: true, force: true });
    if (worktree) {
      try {
        git('worktree', 'prune');
      } catch {
        /* only bookkeeping */
      }
    }
  }
}
