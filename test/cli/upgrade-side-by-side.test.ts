// Zero-downtime upgrade, on PostgreSQL and on one SQLite file: the release before the newest migration (a git worktree of
// it) serves under a steady load of reads and comment writes while this release's `wghub migrate`
// adds the newer migrations, then this release's `wghub serve` starts beside it and both are loaded.
// The old process must answer throughout, never 5xx; the new one never 5xx; each must read the
// comments written through the other. scripts/upgrade-rehearsal.ts does the rehearsal
// (scripts/upgrade-side-by-side.ts runs it by hand, against any older release).
import { beforeAll, describe, expect, it } from 'vitest';
import { type Counts, rehearseUpgrade, sumCounts, type UpgradeResult } from '../../scripts/upgrade-rehearsal.ts';
import { MIGRATIONS } from '../../src/store/migrate.ts';
import { databases, PG_URL } from '../support/databases.ts';
import { newSchemaName } from '../support/pg-recycle.ts';

const hasPostgres = databases.some((d) => d.name === 'postgres');

// On SQLite both processes write one file; since 2026-12-03 a write transaction begins IMMEDIATE and
// waits for the other process's lock, so neither side may answer a 5xx there either.
const rehearsals = [
  {
    name: 'PostgreSQL',
    skip: !hasPostgres,
    // a schema named like every test schema (t_<pid>_…): a run killed midway leaves none behind for long
    database: () => ({ postgres: PG_URL, schema: newSchemaName() }),
  },
  { name: 'SQLite', skip: false, database: () => ({ sqlite: true as const }) },
];

const failing = (c: Counts) =>
  Object.fromEntries(Object.entries(c).filter(([status]) => Number(status) >= 500 || Number(status) === 0));

describe.each(rehearsals)('an upgrade with the old and the new release side by side on $name', ({ skip, database }) => {
  if (skip) return;
  let r: UpgradeResult;
  const lines: string[] = [];
  // what the rehearsal said, for a failure's message
  const story = () =>
    [
      ...lines,
      ...r.failures.slice(0, 10),
      ...r.exited,
      ...r.errorLogs,
      JSON.stringify({ statuses: r.statuses, reads: r.reads, timings: r.timings }),
    ].join('\n');

  beforeAll(async () => {
    r = await rehearseUpgrade({
      database: database(),
      // short load windows (the script's own are 1 s and 3 s): the load runs all through the migration
      // anyway, and both processes are loaded until the new one has written too
      aloneMs: 300,
      bothMs: 500,
      log: (line) => lines.push(line),
    });
  }, 240_000);

  it("applies this release's newer migrations while the old release serves", () => {
    expect(r.migrations.added.length, story()).toBeGreaterThan(0);
    expect(r.migrations.before.length + r.migrations.added.length).toBe(r.migrations.after.length);
    expect(r.migrations.after).toEqual(Object.keys(MIGRATIONS).toSorted());
    // requests to the old process were in flight while the migrations ran, and it went on answering after
    const migrating = Object.values(r.statuses.old.migrating).reduce((n, k) => n + k, 0);
    expect(migrating, story()).toBeGreaterThan(0);
    expect(r.statuses.old.after[201] ?? 0, story()).toBeGreaterThan(0);
  });

  it('the old process answers every request, none with a 5xx, before, during and after the migration', () => {
    const all = sumCounts(r.statuses.old.before, r.statuses.old.migrating, r.statuses.old.after);
    expect(all[200] ?? 0, story()).toBeGreaterThan(0);
    expect(failing(all), story()).toEqual({});
    expect(r.exited, story()).toEqual([]);
  });

  it('the new process, beside the old one, answers no 5xx', () => {
    expect(r.statuses.new[200] ?? 0, story()).toBeGreaterThan(0);
    expect(r.statuses.new[201] ?? 0, story()).toBeGreaterThan(0);
    expect(failing(r.statuses.new), story()).toEqual({});
  });

  it('the new process reads the comments written through the old one, and the old those written through the new', () => {
    expect(r.reads.byNew.writers, story()).toEqual(['old', 'new']);
    expect(r.reads.byOld.writers, story()).toEqual(['old', 'new']);
    // the same thread through both
    expect(r.reads.byOld.comments, story()).toBe(r.reads.byNew.comments);
    expect(r.ok, story()).toBe(true);
  });
});
