// What refusing one over-limit request costs the hub: the real HTTP app (createHttpApp, SQLite,
// logging to /dev/null as `wghub serve` logs to stdout), in-process, one token that has spent its
// write budget sending comment POSTs one after another. Prints CPU time (user + system) and wall
// time per request; CPU time is the figure a busy shared machine barely moves. The Request objects
// are built by this script, so a few µs of each figure are the script's own.
// Usage: node bench/refusal-cost.ts [--requests 20000]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { destination, pino } from 'pino';
import { loadGovernance } from '../src/app/core/governance-file.ts';
import { createHub, SYSTEM } from '../src/app/core/hub.ts';
import { createPerson } from '../src/app/people/people.ts';
import { createToken } from '../src/app/people/tokens.ts';
import { createHttpApp } from '../src/http/server.ts';
import { openStore } from '../src/store/connect.ts';
import { migrateToLatest } from '../src/store/migrate.ts';

const { values } = parseArgs({ options: { requests: { type: 'string', default: '20000' } } });
const dir = mkdtempSync(path.join(tmpdir(), 'wghub-refusal-'));
const store = openStore(`sqlite:${path.join(dir, 'hub.sqlite')}`);
await migrateToLatest(store.db, store.schema);
const hub = createHub(store, loadGovernance());
await createPerson(hub, SYSTEM, {
  handle: 'ada',
  name: 'Ada',
  timeZone: 'Europe/Berlin',
  role: 'contributor',
  affiliations: [],
});
const token = (await createToken(hub, SYSTEM, 'ada')).token;
const log = pino({ level: 'info' }, destination({ dest: '/dev/null', sync: true }));
const app = createHttpApp(hub, undefined, { log });
const body = JSON.stringify({ body: 'flood '.repeat(200) });
const post = () =>
  app.fetch(
    new Request('http://hub/api/proposals/P-1/comments', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body,
    }),
  );
let allowed = 0;
while ((await post()).status !== 429) allowed++;
// a first pass warms the code paths; the second is measured
for (const n of [2000, Number(values.requests)]) {
  let refused = 0;
  const cpu = process.cpuUsage();
  const t = performance.now();
  for (let i = 0; i < n; i++) {
    const r = await post();
    if (r.status === 429) refused++;
    await r.arrayBuffer();
  }
  const used = process.cpuUsage(cpu);
  if (n === 2000) continue;
  console.log(`write budget spent after ${allowed} requests; then ${n} requests, ${refused} refused (429)`);
  console.log(
    `per request: ${((used.user + used.system) / n).toFixed(1)} µs CPU, ${(((performance.now() - t) * 1000) / n).toFixed(1)} µs wall`,
  );
}
await store.close();
rmSync(dir, { recursive: true, force: true });
