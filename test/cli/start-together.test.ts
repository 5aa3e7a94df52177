// Three `wghub serve` processes started at the same moment on an empty database, as a deploy's
// replicas or a web and a worker unit at boot are: every one migrates, loads the demo when the hub
// is empty, and serves. Before, on SQLite the later ones stopped at their first CREATE TABLE ("table
// people already exists": Kysely's SQLite migration lock is a no-op), and on either database all but
// one stopped at the demo's first person ("handle 'lena-core' is already taken", exit 2).
import { afterAll, describe, expect, it } from 'vitest';
import { databaseForProcess, databases } from '../support/databases.ts';
import { startHub, stop, type Running } from '../support/process.ts';

describe.each(databases)('three processes started together on an empty $name database', (database) => {
  const started: Running[] = [];
  let cleanup = () => {};
  afterAll(async () => {
    await Promise.all(started.map((r) => stop(r)));
    cleanup();
  });

  it('all three migrate and serve, and the demo community is loaded once', async () => {
    const db = await databaseForProcess(database);
    cleanup = db.cleanup;
    const env = { WGHUB_DATABASE_URL: db.url, WGHUB_LOG_LEVEL: 'warn' };
    const results = await Promise.allSettled([0, 1, 2].map(() => startHub(env, [], 90_000)));
    for (const r of results) if (r.status === 'fulfilled') started.push(r.value);
    // a process that stopped says why in its output, which the rejection carries
    expect(
      results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason)),
    ).toEqual([]);
    for (const hub of started) expect((await fetch(`${hub.base}/readyz`)).status).toBe(200);
    const loaders = started.filter((hub) => hub.output().includes('loaded the demo community'));
    expect(loaders).toHaveLength(1);
    // one that found the demo being loaded (not already there) serves it as on its way: none tells
    // its operator to add themselves to an empty hub
    for (const hub of started.filter((h) => h.output().includes('another process is loading the demo community')))
      expect(hub.output()).toContain('people    the demo community, loaded by another process');
    for (const hub of started) expect(hub.output()).not.toContain('nobody yet');
    const people: { items: { handle: string }[] } = await (
      await fetch(`${started[0]!.base}/api/people?limit=200`)
    ).json();
    expect(people.items.map((p) => p.handle).toSorted()).toEqual([
      'amara',
      'ines-core',
      'jonas',
      'kai-core',
      'lena-core',
      'priya',
      'sam-lead',
    ]);
    const groups: { items: unknown[] } = await (await fetch(`${started[2]!.base}/api/groups`)).json();
    expect(groups.items.length).toBeGreaterThan(0);
  }, 180_000);
});
