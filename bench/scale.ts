// Cost as a community grows: page and REST latency and size at 100 / 1,000 / 10,000 proposals and
// with 10 / 150 / 1,000 / 5,000 comments on one proposal, then a reader's latency while writers
// comment, next to idle. Requests go through the whole app in process (session, CSRF, gzip),
// signed in as a member who wrote every proposal (so the home has the most to show). Rows beyond
// the demo community are copied straight into the tables (cloned from real ones), as years of use
// would leave them.
// Usage: node bench/scale.ts [--db sqlite|postgres] [--n 100] [--proposals 100,1000,10000] [--comments 10,150,1000,5000]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { loadGovernance } from '../src/app/core/governance-file.ts';
import { createHub, type Actor } from '../src/app/core/hub.ts';
import { loadDemoCommunity } from '../src/app/demo/demo.ts';
import { personRow } from '../src/app/people/people.ts';
import { startWebSession } from '../src/app/people/web-sessions.ts';
import { addComment } from '../src/app/proposals/comments.ts';
import { createProposal } from '../src/app/proposals/proposals.ts';
import { storedRendering } from '../src/domain/comment-rendering.ts';
import { loadShippedModel } from '../src/domain/hints/shipped.ts';
import { createHttpApp } from '../src/http/server.ts';
import { openStore } from '../src/store/connect.ts';
import { writeJson } from '../src/store/schema.ts';
import { migrateToLatest } from '../src/store/migrate.ts';
import { percentile } from './support.ts';

await loadShippedModel(); // the hints model loads on first use (src/domain/hints/shipped.ts)

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: 'sqlite' },
    pg: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
    n: { type: 'string', default: '100' },
    proposals: { type: 'string', default: '100,1000,10000' },
    comments: { type: 'string', default: '10,150,1000,5000' },
    writers: { type: 'string', default: '0' },
  },
});
const N = Number(values.n);
const dir = mkdtempSync(path.join(tmpdir(), 'wghub-scale-'));
const schema = `scale_${process.pid}`;
if (values.db === 'postgres') {
  const admin = openStore(values.pg!);
  await sql`create schema ${sql.raw(schema)}`.execute(admin.db);
  await admin.close();
}
const store = openStore(
  values.db === 'postgres' ? `${values.pg}?schema=${schema}` : `sqlite:${path.join(dir, 'scale.sqlite')}`,
);
try {
  await migrateToLatest(store.db, store.schema);
  const hub = createHub(store, loadGovernance());
  await loadDemoCommunity(hub);
  const amaraRow = await personRow(store.db, 'amara');
  const amara: Actor = { kind: 'person', person: amaraRow };
  const session = await startWebSession(hub, amaraRow.id, 'demo', 24);
  const app = createHttpApp(hub, undefined, {
    web: { oidc: null, publicUrl: null, secureCookies: false, sessionHours: 24 },
  });
  const member = { Accept: 'text/html', 'Accept-Encoding': 'gzip', Cookie: `wghub_session=${session.secret}` };
  const visitor = { Accept: 'text/html', 'Accept-Encoding': 'gzip' };

  const template = await createProposal(hub, amara, {
    title: 'Resumable streams behind load balancers',
    problem: 'A stream cut by a deploy cannot be resumed on another server process.',
    examples: ['A rolling deploy drops every open stream'],
    layer: 'working-group-artifact',
    group: 'hosting',
  });
  const elsewhere = await createProposal(hub, amara, {
    title: 'Where the writes go',
    problem: 'Writes during the bench land on another proposal than the one measured.',
    examples: ['A busy neighbouring thread'],
    layer: 'working-group-artifact',
    group: 'hosting',
  });
  const row = await store.db
    .selectFrom('proposals')
    .selectAll()
    .where('number', '=', Number(template.ref.slice(2)))
    .executeTakeFirstOrThrow();

  async function measure(label: string, url: string, headers: Record<string, string>) {
    const times: number[] = [];
    let bytes = 0;
    for (let i = 0; i < N + 5; i++) {
      const t = performance.now();
      const res = await app.request(`http://localhost${url}`, { headers });
      const body = new Uint8Array(await res.arrayBuffer());
      if (i >= 5) times.push(performance.now() - t);
      if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
      bytes = body.length;
    }
    // one read right after a write (the cache is cold for what the write touched)
    await addComment(hub, amara, elsewhere.ref, { body: 'A write elsewhere.' });
    const t = performance.now();
    await (await app.request(`http://localhost${url}`, { headers })).arrayBuffer();
    const cold = performance.now() - t;
    const { 'Accept-Encoding': _gzip, ...plainHeaders } = headers;
    const plain = (await (await app.request(`http://localhost${url}`, { headers: plainHeaders })).arrayBuffer())
      .byteLength;
    console.log(
      `${label.padEnd(44)} p50 ${percentile(times, 50).toFixed(1).padStart(6)} ms  p95 ${percentile(times, 95).toFixed(1).padStart(6)} ms  after a write ${cold.toFixed(1).padStart(6)} ms  ${(plain / 1024).toFixed(1).padStart(7)} KB (${(bytes / 1024).toFixed(1)} KB sent)`,
    );
  }

  console.log(
    `\n${values.db}, ${new Date().toISOString()}, Node ${process.version}, load average ${(await import('node:os'))
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  let have = await store.db
    .selectFrom('proposals')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  let count = Number(have.n);
  let next = Number((await sql<{ n: number }>`select max(number) as n from proposals`.execute(store.db)).rows[0]!.n);
  for (const target of values.proposals!.split(',').filter(Boolean).map(Number)) {
    const add = Math.max(0, target - count);
    for (let i = 0; i < add; i += 500) {
      const batch = Array.from({ length: Math.min(500, add - i) }, (_, k) => {
        next += 1;
        return {
          ...row,
          id: `scale-p-${next}`,
          number: next,
          title: `${row.title} ${next}`,
          stage_changed_at: new Date(Date.parse(row.stage_changed_at) - next * 60_000).toISOString(),
        };
      });
      await store.db.insertInto('proposals').values(batch).execute();
      await store.db
        .insertInto('proposal_authors')
        .values(batch.map((p) => ({ proposal_id: p.id, person_id: amaraRow.id, position: 0 }) as never))
        .execute();
    }
    count += add;
    await addComment(hub, amara, elsewhere.ref, { body: 'A write to start afresh.' });
    console.log(`-- ${count.toLocaleString()} proposals`);
    await measure('  /proposals (member)', '/proposals', member);
    await measure('  / member home', '/', member);
    await measure(`  /proposals/${template.ref} (member)`, `/proposals/${template.ref}`, member);
    await measure('  GET /api/proposals', '/api/proposals', { 'Accept-Encoding': 'gzip' });
  }

  const people = await store.db.selectFrom('people').select('id').limit(12).execute();
  have = await store.db
    .selectFrom('comments')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('proposal_id', '=', row.id)
    .executeTakeFirstOrThrow();
  let comments = Number(have.n);
  for (const target of values.comments!.split(',').filter(Boolean).map(Number)) {
    const add = Math.max(0, target - comments);
    for (let i = 0; i < add; i += 500) {
      const batch = Array.from({ length: Math.min(500, add - i) }, (_, k) => {
        const n = comments + i + k;
        const body = `Comment ${n}: we see this at **our** deploys too; see #1 and @amara. ${'Some more words about sessions and streams. '.repeat(1 + (n % 8))}`;
        const at = new Date(Date.parse('2026-01-01T00:00:00Z') + n * 1000).toISOString();
        return {
          id: `scale-c-${String(n).padStart(6, '0')}`,
          proposal_id: row.id,
          parent_id: null,
          author_id: people[n % people.length]!.id,
          body,
          organisation: null,
          created_at: at,
          updated_at: at,
          version: 1,
          rendered: writeJson(storedRendering(body, 1)),
        };
      });
      await store.db.insertInto('comments').values(batch).execute();
    }
    comments += add;
    await addComment(hub, amara, elsewhere.ref, { body: 'A write to start afresh.' });
    console.log(`-- ${comments.toLocaleString()} comments on ${template.ref}`);
    await measure(`  /proposals/${template.ref} (member)`, `/proposals/${template.ref}`, member);
    await measure(`  /proposals/${template.ref} (visitor)`, `/proposals/${template.ref}`, visitor);
    await measure(`  GET /api/proposals/${template.ref}/comments`, `/api/proposals/${template.ref}/comments`, {
      'Accept-Encoding': 'gzip',
    });
  }

  // a reader during sustained writes, next to idle (all in this one process, as one `wghub serve`;
  // bench/processes.ts measures the same through a real server); --writers 0 skips it
  if (Number(values.writers) > 0) {
    const read = async (ms: number) => {
      const times: number[] = [];
      const end = performance.now() + ms;
      while (performance.now() < end) {
        const t = performance.now();
        await (await app.request(`http://localhost/proposals/${template.ref}`, { headers: member })).arrayBuffer();
        times.push(performance.now() - t);
      }
      return times;
    };
    const idle = await read(5000);
    let stop = false;
    let written = 0;
    const writers = Array.from({ length: Number(values.writers) }, async () => {
      while (!stop) {
        await addComment(hub, amara, elsewhere.ref, { body: `Write load ${written}` });
        written++;
        // Each write arrives as a request from a socket would, in a turn of the event loop of its
        // own. Without this, on SQLite (a synchronous driver behind promises) the writers were one
        // endless chain of microtasks: the reader's gzip callback never ran, so its phase never
        // ended, the writers never stopped, and the growing database file (memory-mapped) took
        // the process to 1.7 GB.
        await new Promise((r) => setImmediate(r));
      }
    });
    const before = { ...hub.reads.counts };
    const busy = await read(5000);
    stop = true;
    await Promise.all(writers);
    const hits = hub.reads.counts.hits - before.hits;
    const misses = hub.reads.counts.misses - before.misses;
    console.log(`read cache while writing: ${hits} hits, ${misses} misses (the reader's page stays cached)`);
    console.log(
      `reader /proposals/${template.ref}: idle p50 ${percentile(idle, 50).toFixed(1)} ms p99 ${percentile(idle, 99).toFixed(1)} ms; with ${values.writers} writers (${(written / 5).toFixed(0)} comments/s on another proposal) p50 ${percentile(busy, 50).toFixed(1)} ms p99 ${percentile(busy, 99).toFixed(1)} ms (${(percentile(busy, 50) / percentile(idle, 50)).toFixed(1)}×)`,
    );
  }
} finally {
  await store.close();
  if (values.db === 'postgres') {
    const admin = openStore(values.pg!);
    await sql`drop schema if exists ${sql.raw(schema)} cascade`.execute(admin.db);
    await admin.close();
  }
  rmSync(dir, { recursive: true, force: true });
}
