// Zero-downtime upgrade, rehearsed by hand: an old release and this one side by side on one
// PostgreSQL database (or, with --sqlite, one SQLite file), under a steady read/write load
// (scripts/upgrade-rehearsal.ts says how). Prints every status the old and new processes answered
// and exits 1 unless the old one answered no 5xx throughout, the new one none, and each reads what
// the other wrote. test/cli/upgrade-side-by-side.test.ts runs the same rehearsal in `.ci/run`.
// Usage: node scripts/upgrade-side-by-side.ts [--old REV] [--pg postgres://postgres@127.0.0.1:5432/test | --sqlite]
import { parseArgs } from 'node:util';
import { type Counts, defaultOldRevision, failing, rehearseUpgrade, sumCounts } from './upgrade-rehearsal.ts';

const { values } = parseArgs({
  options: {
    old: { type: 'string', default: defaultOldRevision() },
    pg: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
    sqlite: { type: 'boolean', default: false },
  },
});
const r = await rehearseUpgrade({
  old: values.old,
  database: values.sqlite ? { sqlite: true } : { postgres: values.pg! },
  log: (line) => console.log(line),
});
const show = (c: Counts) =>
  Object.entries(c)
    .map(([s, n]) => `${n}× ${s}`)
    .join(', ');
const old = sumCounts(r.statuses.old.before, r.statuses.old.migrating, r.statuses.old.after);
console.log(`old: ${show(old)} (while migrating: ${show(r.statuses.old.migrating)})`);
console.log(`new: ${show(r.statuses.new)}`);
const fivexx = failing(old) + failing(r.statuses.new) > 0;
const whose = (w: string[]) => w.map((x) => `Written through ${x}`).join(' and ') || 'of nobody';
console.log(
  `the new process reads comments ${whose(r.reads.byNew.writers)}, the old one ${whose(r.reads.byOld.writers)}; 5xx answers: ${fivexx ? 'some' : 'none'} (${(r.timings.totalMs / 1000).toFixed(0)} s in all; the old process started in ${(r.timings.oldStartMs / 1000).toFixed(1)} s, the new one in ${(r.timings.newStartMs / 1000).toFixed(1)} s)`,
);
for (const line of r.errorLogs) console.log(line);
if (!r.ok) process.exitCode = 1;
