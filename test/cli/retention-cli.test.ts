// `wghub jobs prune` run from a shell: its days come from that shell's environment, which may not be the
// service's. It says which days it would use and what they would delete, and deletes only with --yes.
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/connect.ts';
import { writeJson } from '../../src/store/schema.ts';
import { databaseForProcess, databases } from '../support/databases.ts';
import { runCli } from '../support/process.ts';

const DAY = 86_400_000;

describe.each(databases)('wghub jobs prune on $name', (database) => {
  it('says the days it reads and what they would delete, and deletes nothing without --yes', async () => {
    const db = await databaseForProcess(database);
    // whatever the shell running the tests has, these runs name their own days (or none)
    const env = { WGHUB_DATABASE_URL: db.url, WGHUB_RETENTION_DAYS: '', WGHUB_RETENTION_FAILED_DAYS: '' };
    try {
      expect((await runCli(['migrate'], env)).code).toBe(0);
      const store = openStore(db.url);
      const jobs = () => store.db.selectFrom('jobs').select('key').orderBy('key').execute();
      try {
        const at = new Date(Date.now() - 40 * DAY).toISOString();
        await store.db
          .insertInto('jobs')
          .values({
            id: 'j-40',
            queue: 'mail',
            key: 'done-40-days-ago',
            payload: writeJson({}),
            run_at: at,
            attempts: 1,
            max_attempts: 8,
            created_at: at,
            done_at: at,
          })
          .execute();

        // a shell without the service's settings: 30 days, said so, and the job is only counted
        const dry = await runCli(['jobs', 'prune'], env);
        expect(dry.code).toBe(0);
        expect(dry.stdout).toMatch(
          /\(30 days, WGHUB_RETENTION_DAYS\), failed before .* \(90 days, WGHUB_RETENTION_FAILED_DAYS\)/,
        );
        expect(dry.stdout).toMatch(/jobs\.done +1 would be deleted/);
        expect(dry.stdout).toContain('nothing deleted');
        expect(await jobs()).toEqual([{ key: 'done-40-days-ago' }]);
        const json = JSON.parse((await runCli(['--json', 'jobs', 'prune'], env)).stdout);
        expect(json).toMatchObject({ retention: { finishedDays: 30, failedDays: 90 }, tables: { 'jobs.done': 1 } });

        // the service's own days (a year): nothing is past them
        const kept = await runCli(['jobs', 'prune', '--yes'], { ...env, WGHUB_RETENTION_DAYS: '365' });
        expect(kept.stdout).toMatch(/\(365 days, WGHUB_RETENTION_DAYS\)/);
        expect(kept.stdout).toMatch(/jobs\.done +0 deleted/);
        expect(await jobs()).toEqual([{ key: 'done-40-days-ago' }]);

        const pruned = await runCli(['jobs', 'prune', '--yes'], env);
        expect(pruned.stdout).toMatch(/jobs\.done +1 deleted/);
        expect(await jobs()).toEqual([]);
      } finally {
        await store.close();
      }
    } finally {
      db.cleanup();
    }
  }, 60_000);
});
