// Two `wghub serve` processes whose pools go through PgBouncer in transaction mode (Debian's
// pgbouncer, started here on loopback) and which LISTEN on a direct connection (WGHUB_LISTEN_URL),
// as docs/operations.md says to run them: both start and migrate at once through the pooler, a
// write through one is read through the other promptly, concurrent writes through both lose nothing
// and never answer 5xx, one token's rate limit is shared by both, a backup taken with their settings
// restores the same hub, and a pooler that does not set the hub's schema stops the start (which
// migrates first) instead of serving another schema's tables.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/store/migrate.ts';
import { databaseForProcess, databases, PG_URL } from '../support/databases.ts';
import { freePort, ROOT, runCli, startHub, stop, storedHandles, type Running } from '../support/process.ts';

const PGBOUNCER = process.env.WGHUB_PGBOUNCER ?? '/usr/sbin/pgbouncer';
const hasPostgres = databases.some((d) => d.name === 'postgres');

type Pooler = { child: ChildProcess; port: number; dir: string; output: () => string };

/**
 * PgBouncer in transaction mode in front of PG_URL's server. Database `hub` sets `schema` as the
 * search path of every server connection it opens (PgBouncer cannot pass the hub's own `options`
 * startup parameter on, so it ignores it); database `unset` does not.
 */
async function startPgbouncer(schema: string): Promise<Pooler> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'wghub-pgbouncer-'));
  // PgBouncer will not run as root: then it is started as nobody, who must read these files
  chmodSync(dir, 0o755);
  const server = new URL(PG_URL);
  const user = decodeURIComponent(server.username || 'postgres');
  const target = `host=${server.hostname} port=${server.port || '5432'} dbname=${server.pathname.slice(1)}`;
  const users = path.join(dir, 'userlist.txt');
  writeFileSync(users, `"${user}" ""\n`, { mode: 0o644 });
  const ini = path.join(dir, 'pgbouncer.ini');
  writeFileSync(
    ini,
    [
      '[databases]',
      `hub = ${target} connect_query='SET search_path TO ${schema}'`,
      `unset = ${target}`,
      '[pgbouncer]',
      `admin_users = ${user}`,
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = trust',
      `auth_file = ${users}`,
      'pool_mode = transaction',
      'ignore_startup_parameters = options',
      // fewer server connections than the two hubs' twenty clients, handed out in turn: one client's
      // consecutive transactions run on different server connections, as under load
      'default_pool_size = 4',
      'server_round_robin = 1',
      '',
    ].join('\n'),
    { mode: 0o644 },
  );
  const asRoot = process.getuid?.() === 0;
  const child = spawn(PGBOUNCER, [...(asRoot ? ['-u', 'nobody'] : []), ini], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let failed: Error | undefined;
  child.on('error', (e) => (failed = e));
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  for (let i = 0; ; i++) {
    if (failed)
      throw new Error(`could not start ${PGBOUNCER} (.ci/run installs Debian's pgbouncer): ${failed.message}`);
    if (child.exitCode !== null) throw new Error(`pgbouncer exited:\n${out}`);
    const client = new pg.Client({ connectionString: `postgres://${user}@127.0.0.1:${port}/hub` });
    try {
      await client.connect();
      await client.query('select 1');
      break;
    } catch (e) {
      if (i > 200) {
        child.kill('SIGKILL');
        throw new Error(`pgbouncer did not answer (${(e as Error).message}):\n${out}`);
      }
    } finally {
      await client.end().catch(() => {});
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, port, dir, output: () => out };
}

/** Advisory locks held by the server connections PgBouncer keeps (its admin console's SHOW SERVERS). */
async function advisoryLocksOfPooler(pooler: Pooler): Promise<string[]> {
  const server = new URL(PG_URL);
  const admin = new pg.Client({
    connectionString: `postgres://${server.username || 'postgres'}@127.0.0.1:${pooler.port}/pgbouncer`,
  });
  await admin.connect();
  let pids: number[];
  try {
    pids = (await admin.query<{ remote_pid: string }>('SHOW SERVERS')).rows.map((r) => Number(r.remote_pid));
  } finally {
    await admin.end();
  }
  const direct = new pg.Client({ connectionString: PG_URL });
  await direct.connect();
  try {
    const { rows } = await direct.query<{ lock: string }>(
      `select pid || ' holds ' || classid || ':' || objid as lock from pg_locks
       where locktype = 'advisory' and granted and pid = any($1::int[])`,
      [pids],
    );
    return rows.map((r) => r.lock);
  } finally {
    await direct.end();
  }
}

function pooledUrl(pooler: Pooler, database: string, schema: string): string {
  const u = new URL(PG_URL);
  u.host = `127.0.0.1:${pooler.port}`;
  u.pathname = `/${database}`;
  u.searchParams.set('schema', schema);
  return u.toString();
}

const json = (token: string, body: unknown) => ({
  method: 'POST',
  headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
});

const group = (slug: string) => ({
  slug,
  name: `Pooled ${slug}`,
  kind: 'working',
  mission: 'Share practices for hosting MCP servers at scale and propose changes where hosting hits limits.',
  scopeIn: ['Transport behaviour behind connection poolers'],
  leads: ['lena-core'],
});

describe.skipIf(!hasPostgres)('two hub processes whose pools go through PgBouncer in transaction mode', () => {
  let pooler: Pooler;
  let schema: string;
  let a: Running;
  let b: Running;
  let env: Record<string, string>;
  let lena: string;
  let kai: string;

  beforeAll(async () => {
    const db = await databaseForProcess(databases.find((d) => d.name === 'postgres')!);
    schema = new URL(db.url).searchParams.get('schema')!;
    pooler = await startPgbouncer(schema);
    // six searches a minute per token, so the shared budget is seen quickly (the rest as shipped)
    const governance = path.join(pooler.dir, 'governance.yaml');
    const rules = readFileSync(path.join(ROOT, 'governance/default.yaml'), 'utf8');
    expect(rules).toMatch(/^ {2}searches: 300$/m);
    writeFileSync(governance, rules.replace(/^ {2}searches: 300$/m, '  searches: 6'));
    env = {
      WGHUB_DATABASE_URL: pooledUrl(pooler, 'hub', schema),
      WGHUB_LISTEN_URL: PG_URL,
      WGHUB_GOVERNANCE: governance,
      WGHUB_LOG_LEVEL: 'warn',
    };
    // both start at once on the empty schema and migrate through the pooler; A loads the demo
    [a, b] = await Promise.all([startHub(env, [], 60_000), startHub(env, ['--no-demo'], 60_000)]);
    lena = JSON.parse((await runCli(['token', 'create', '--person', 'lena-core', '--json'], env)).stdout).token;
    kai = JSON.parse((await runCli(['token', 'create', '--person', 'kai-core', '--json'], env)).stdout).token;
  }, 120_000);

  afterAll(async () => {
    const alive = [a, b].filter((r) => r && r.child.exitCode === null && r.child.signalCode === null);
    await Promise.all(alive.map((r) => stop(r)));
    if (pooler) {
      await new Promise<void>((resolve) => {
        if (pooler.child.exitCode !== null) return resolve();
        pooler.child.once('exit', () => resolve());
        pooler.child.kill('SIGTERM');
      });
      rmSync(pooler.dir, { recursive: true, force: true });
    }
  });

  it('both processes started together through the pooler serve, each migration applied once in their schema', async () => {
    const direct = new pg.Client({ connectionString: PG_URL });
    await direct.connect();
    try {
      const rows = await direct.query<{ name: string }>(`select name from "${schema}".kysely_migration order by name`);
      expect(rows.rows.map((r) => r.name)).toEqual(Object.keys(MIGRATIONS).toSorted());
      const events = await direct.query<{ n: string }>(`select count(*) as n from "${schema}".events`);
      expect(Number(events.rows[0]!.n)).toBeGreaterThan(0); // the demo, loaded through the pooler
    } finally {
      await direct.end();
    }
    for (const hub of [a, b]) expect((await fetch(`${hub.base}/readyz`)).status).toBe(200);
    expect(a.output()).not.toMatch(/error/i);
    expect(b.output()).not.toMatch(/error/i);
    // the migration lock went with the migration: none is left on a server connection of the pooler,
    // where the next process that migrates (an upgrade) would wait for it
    expect(await advisoryLocksOfPooler(pooler)).toEqual([]);
  });

  // before the writes below: once every server connection has a named statement prepared, and every
  // client believes it has, naming statements goes unpunished until the pooler opens a new connection
  it('one token gets one search budget across both processes', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const hub = i % 2 ? b : a;
      const r = await fetch(`${hub.base}/api/search?q=hosting`, { headers: { Authorization: `Bearer ${kai}` } });
      statuses.push(r.status);
    }
    // six searches a minute in all, not six per process
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429, 429]);
  });

  it('a write through either process is read through the other promptly (LISTEN/NOTIFY beside the pooler)', async () => {
    // Three rounds, each way: a process that heard nothing would see a write only at its safety
    // re-read of the event log, every 5 s, so the second round at the latest would wait seconds.
    const polls: string[] = [];
    for (let round = 0; round < 3; round++) {
      const [writer, reader] = round % 2 ? [b, a] : [a, b];
      const slug = `pooled-${round}`;
      const made = await fetch(`${writer.base}/api/groups`, json(lena, group(slug)));
      expect(made.status, await made.clone().text()).toBe(201);
      // the reader has the group in its read cache, with no sponsor yet
      for (let i = 0; i < 3; i++) {
        const g = await (await fetch(`${reader.base}/api/groups/${slug}`)).json();
        expect(g.sponsors).toHaveLength(0);
      }
      const sponsored = await fetch(`${writer.base}/api/groups/${slug}/sponsors`, json(kai, {}));
      expect(sponsored.status).toBeLessThan(300);
      const acknowledged = performance.now();
      let seenAfter = Infinity;
      while (performance.now() - acknowledged < 10_000) {
        const asked = performance.now() - acknowledged;
        const g = await (await fetch(`${reader.base}/api/groups/${slug}`)).json();
        if (g.sponsors.length === 1) {
          seenAfter = asked;
          break;
        }
      }
      polls.push(`round ${round}: seen by a read asked ${Math.round(seenAfter)} ms after the write`);
      // a read asked this long after the write was acknowledged already sees it
      expect(seenAfter, polls.join('; ')).toBeLessThan(1000);
    }
  }, 60_000);

  it('concurrent writes through both processes lose nothing and never answer 5xx', async () => {
    const statuses: number[] = [];
    const acknowledged: string[] = [];
    const writer = (hub: Running, token: string, name: string) =>
      (async () => {
        for (let i = 0; i < 40; i++) {
          const handle = `${name}-${i}`;
          for (;;) {
            const r = await fetch(`${hub.base}/api/people`, json(token, { handle, name: handle, timeZone: 'UTC' }));
            statuses.push(r.status);
            if (r.status === 201) {
              acknowledged.push(handle);
              break;
            }
            // a token's writes per second and in flight are bounded: wait as a client should, then retry
            if (r.status === 429) await new Promise((res) => setTimeout(res, 100));
            else break;
          }
        }
      })();
    await Promise.all([writer(a, lena, 'pa'), writer(b, lena, 'pb'), writer(a, kai, 'pc'), writer(b, kai, 'pd')]);
    const counts: Record<number, number> = {};
    for (const st of statuses) counts[st] = (counts[st] ?? 0) + 1;
    expect(
      statuses.filter((s) => s !== 201 && s !== 429),
      JSON.stringify(counts),
    ).toEqual([]);
    expect(acknowledged).toHaveLength(160);

    for (const hub of [a, b]) {
      const stored = await storedHandles(hub.base);
      expect(acknowledged.filter((h) => !stored.has(h))).toEqual([]);
      expect((await (await fetch(`${hub.base}/api/events/verify`)).json()).ok).toBe(true);
    }
  }, 120_000);

  it("a backup taken with the processes' settings (pool through PgBouncer) restores to the same hub, its log verified", async () => {
    const file = path.join(pooler.dir, 'pooled.backup');
    const backup = await runCli(['backup', file, '--json'], env);
    expect(backup.code, backup.stderr).toBe(0);
    // a database of its own, as a backup restores into the schema name it was taken from
    const name = `wghub_restore_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`create database ${name}`);
    try {
      const target = new URL(PG_URL);
      target.pathname = `/${name}`;
      target.searchParams.set('schema', schema);
      const restore = await runCli(['restore', file, '--json'], { ...env, WGHUB_DATABASE_URL: target.toString() });
      expect(restore.code, restore.stderr).toBe(0);
      expect(JSON.parse(restore.stdout).chain.ok).toBe(true);
      const count = async (url: string) => {
        const c = new pg.Client({ connectionString: url });
        await c.connect();
        try {
          const q = (table: string) => c.query<{ n: string }>(`select count(*) as n from ${schema}.${table}`);
          return { people: Number((await q('people')).rows[0]!.n), events: Number((await q('events')).rows[0]!.n) };
        } finally {
          await c.end();
        }
      };
      const direct = new URL(PG_URL);
      direct.pathname = target.pathname;
      // nothing writes between the backup and here, so the restored hub is the whole hub
      expect(await count(direct.toString())).toEqual(await count(PG_URL));
    } finally {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  }, 120_000);

  it('through a pooled database that does not set the hub schema, migrating (as every start does) stops, naming the setting', async () => {
    const r = await runCli(['migrate'], { ...env, WGHUB_DATABASE_URL: pooledUrl(pooler, 'unset', schema) });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(schema);
    expect(r.stderr).toMatch(/search_path/);
  });
});
