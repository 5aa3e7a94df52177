// Zero-downtime upgrade, rehearsed: an old release and this one side by side on one PostgreSQL
// database. The old `wghub serve` (a git worktree of OLD, by default the commit before the newest
// migration was added) migrates the database to its own set and serves reads and writes under a
// steady load; meanwhile this checkout's `wghub migrate` adds the newer migrations and a new
// `wghub serve` starts beside it. Prints every status the old and new processes answered: an
// upgrade is zero-downtime when the old one answered no 5xx throughout and the new one reads what the
// old one wrote.
// Usage: node scripts/upgrade-side-by-side.ts [--old REV] [--pg postgres://postgres@127.0.0.1:5432/test]
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import pg from 'pg';
import { freePort } from '../bench/support.ts';

const root = path.resolve(import.meta.dirname, '..');
const git = (...args: string[]) =>
  execFileSync('git', ['-C', root, ...args])
    .toString()
    .trim();
const newest = readdirSync(path.join(root, 'src/store/migrations')).sort().at(-1)!;
const { values } = parseArgs({
  options: {
    old: {
      type: 'string',
      default: `${git('log', '--diff-filter=A', '--format=%H', '--', `src/store/migrations/${newest}`).split('\n').at(-1)}~1`,
    },
    pg: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
  },
});
const oldRev = git('rev-parse', '--short', values.old!);
const dir = mkdtempSync(path.join(tmpdir(), 'wghub-upgrade-'));
const oldTree = path.join(dir, 'old');
git('worktree', 'add', '--detach', '-q', oldTree, oldRev);
symlinkSync(path.join(root, 'node_modules'), path.join(oldTree, 'node_modules'));
const schema = `upgrade_${process.pid}`;
const admin = new pg.Client({ connectionString: values.pg });
await admin.connect();
await admin.query(`create schema ${schema}`);
const env = { ...process.env, WGHUB_DATABASE_URL: `${values.pg}?schema=${schema}`, WGHUB_LOG_LEVEL: 'warn' };
// asynchronous, so the load keeps running (a blocked client lets the server close its idle sockets)
const run = async (tree: string, ...args: string[]) =>
  (await promisify(execFile)(path.join(tree, 'bin/wghub'), args, { env })).stdout;
const children: ChildProcess[] = [];

let stopping = false;

async function serve(tree: string, args: string[]): Promise<string> {
  const port = await freePort();
  const child = spawn(path.join(tree, 'bin/wghub'), ['serve', '--port', String(port), ...args], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.push(child);
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  child.on('exit', (code, signal) => {
    if (!stopping) console.log(`${tree}: exited (${code ?? signal}) ${err.slice(-2000)}`);
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`${tree}: wghub serve exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${base}/healthz`)).ok) return base;
    } catch {
      /* not yet */
    }
    if (i > 1800) throw new Error(`${tree}: wghub serve did not start`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

try {
  const t0 = performance.now();
  const old = await serve(oldTree, []); // the old release migrates to its own set and loads the demo
  const migrationsOf = async () =>
    (await admin.query(`select name from ${schema}.kysely_migration order by name`)).rows.map((r) => r.name as string);
  const before = await migrationsOf();
  console.log(`old ${oldRev} serving on its ${before.length} migrations (newest ${before.at(-1)})`);
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
  const ref = ((await created.json()) as { ref: string }).ref;

  // a steady load on a process: reads of the proposal, its page and its comments, and comment writes
  const statuses = new Map<string, Map<number, number>>();
  let stop = false;
  const load = (name: string, base: string) =>
    (async () => {
      const seen = statuses.get(name) ?? new Map<number, number>();
      statuses.set(name, seen);
      for (let i = 0; !stop; i++) {
        const url =
          i % 4 === 3
            ? `${base}/api/proposals/${ref}/comments`
            : `${base}${['/api/proposals/', '/proposals/', '/api/proposals/'][i % 4]}${ref}${i % 4 === 2 ? '/comments' : ''}`;
        const init: RequestInit =
          i % 4 === 3
            ? { method: 'POST', headers, body: JSON.stringify({ body: `Written through ${name}, ${i}.` }) }
            : { headers: i % 4 === 1 ? {} : { authorization: headers.authorization } };
        const status = await fetch(url, init).then(
          async (r) => {
            await r.arrayBuffer();
            return r.status;
          },
          (e: Error) => {
            console.log(`${name}: ${url}: ${e.message} (${(e.cause as Error | undefined)?.message ?? ''})`);
            return 0; // no answer at all
          },
        );
        seen.set(status, (seen.get(status) ?? 0) + 1);
      }
    })();
  const loads = [load('old', old)];
  await new Promise((r) => setTimeout(r, 1000));
  const m0 = performance.now();
  await run(root, 'migrate'); // this release's migrations, while the old process serves
  const after = await migrationsOf();
  console.log(
    `new migrations applied in ${(performance.now() - m0).toFixed(0)} ms while the old process served: ${after.filter((m) => !before.includes(m)).join(', ')}`,
  );
  const fresh = await serve(root, ['--no-demo']);
  loads.push(load('new', fresh));
  await new Promise((r) => setTimeout(r, 3000));
  stop = true;
  await Promise.all(loads);
  const written = await (await fetch(`${fresh}/api/proposals/${ref}/comments?limit=200`, { headers })).json();
  const authors = new Set(((written as { items?: { body: string }[] }).items ?? []).map((c) => c.body.split(',')[0]));
  for (const [name, seen] of statuses) console.log(`${name}: ${[...seen].map(([s, n]) => `${n}× ${s}`).join(', ')}`);
  const fivexx = [...statuses.values()].flatMap((s) => [...s].filter(([code]) => code >= 500 || code === 0));
  console.log(
    `the new process reads comments ${[...authors].join(' and ')}; 5xx answers: ${fivexx.length ? 'some' : 'none'} (${((performance.now() - t0) / 1000).toFixed(0)} s in all)`,
  );
  if (fivexx.length || !authors.has('Written through old')) process.exitCode = 1;
} finally {
  stopping = true;
  for (const c of children) c.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 500));
  await admin.query(`drop schema if exists ${schema} cascade`);
  await admin.end();
  git('worktree', 'remove', '--force', oldTree);
  if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
}
