// Migration 410: "since your last visit" moves from web sessions to home_visits. A person with two
// sessions on record keeps what their home compared with (the start of the session before their
// newest) as the last time their home was seen; one with a single session, or none, has no row (their
// home compared with nothing, and still does). On both databases.
import { describe, expect, it } from 'vitest';
import { loadGovernance } from '../../src/app/core/governance-file.ts';
import { createHub } from '../../src/app/core/hub.ts';
import { ManualClock } from '../../src/domain/clock.ts';
import { openStore } from '../../src/store/connect.ts';
import { MIGRATIONS, migrateToLatest, migratorFor } from '../../src/store/migrate.ts';
import { databaseForProcess, databases } from '../support/databases.ts';
import { person } from '../support/hub.ts';

describe.each(databases)('migration 410 on $name', (database) => {
  it('seeds the last home view from the session before the newest, for those who had one', async () => {
    const target = await databaseForProcess(database);
    const store = openStore(target.url);
    try {
      const { '410-last-visits-and-told-titles': _later, ...before } = MIGRATIONS;
      expect((await migratorFor(store.db, before, store.schema).migrateToLatest()).error).toBeUndefined();
      const hub = createHub(store, loadGovernance(), { clock: new ManualClock('2026-11-02T09:00:00Z') });
      const ids: Record<string, string> = {};
      for (const handle of ['ada', 'bo', 'cy']) {
        const p = await person(hub, handle);
        if (p.kind === 'person') ids[handle] = p.person.id;
      }
      const session = (who: string, at: string, n: number) => ({
        id_hash: `${who}-${n}`,
        person_id: ids[who]!,
        csrf_token: 'x',
        via: 'demo',
        created_at: at,
        expires_at: '2026-12-31T00:00:00.000Z',
        ended_at: null,
      });
      await store.db
        .insertInto('web_sessions')
        .values([
          session('ada', '2026-10-01T08:00:00.000Z', 1),
          session('ada', '2026-10-20T08:00:00.000Z', 2),
          session('ada', '2026-11-01T08:00:00.000Z', 3),
          session('bo', '2026-10-30T08:00:00.000Z', 1),
        ])
        .execute();
      expect((await migrateToLatest(store.db, store.schema)).applied).toContain('410-last-visits-and-told-titles');
      const rows = async () =>
        await store.db.selectFrom('home_visits').select(['person_id', 'seen_at', 'since']).execute();
      const after = [{ person_id: ids.ada, seen_at: '2026-10-20T08:00:00.000Z', since: '2026-10-20T08:00:00.000Z' }];
      expect(await rows()).toEqual(after);
      // the notices' told titles start empty: every title so far is the one its reader was told
      expect(await store.db.selectFrom('notifications').select('told_title').execute()).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
