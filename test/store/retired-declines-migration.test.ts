// Migration 385: a request to become a member declined by retiring its group (attack round 25) is
// marked as the retirement's, so should the group come back its asker is not kept waiting
// askAgainDays after a decline its leads never made; one its leads declined stays theirs. On both databases.
import { describe, expect, it } from 'vitest';
import { loadGovernance } from '../../src/app/core/governance-file.ts';
import { createHub } from '../../src/app/core/hub.ts';
import { ManualClock } from '../../src/domain/clock.ts';
import { openStore } from '../../src/store/connect.ts';
import { MIGRATIONS, migrateToLatest, migratorFor } from '../../src/store/migrate.ts';
import { databaseForProcess, databases } from '../support/databases.ts';
import { hostingGroup, person } from '../support/hub.ts';

describe.each(databases)('migration 385 on $name', (database) => {
  it('marks the requests declined by a retirement, and keeps the leads’ declines theirs', async () => {
    const target = await databaseForProcess(database);
    const store = openStore(target.url);
    try {
      const { '385-membership-requests-retired': _later, ...before } = MIGRATIONS;
      expect((await migratorFor(store.db, before, store.schema).migrateToLatest()).error).toBeUndefined();
      const hub = createHub(store, loadGovernance(), { clock: new ManualClock('2026-11-02T09:00:00Z') });
      const sam = await person(hub, 'sam', { role: 'member' });
      await hostingGroup(hub, sam, 'sam');
      const g = await store.db
        .selectFrom('groups')
        .select('id')
        .where('slug', '=', 'hosting')
        .executeTakeFirstOrThrow();
      // a name holding LIKE's wildcards (found in review: the name went into a LIKE pattern unescaped,
      // so another reason matched it, and SQLite's LIKE ignores case)
      await store.db.updateTable('groups').set({ name: '50% Host_ing' }).where('id', '=', g.id).execute();
      for (const [handle, reason] of [
        ['ada', '50% Host_ing was retired by @cora'],
        ['bo', 'We need someone who ran 50% Host_ing was retired by nobody'],
        ['cy', 'Not yet: come to two meetings first'],
        ['dee', '50 percent Host-ing was retired by @cora'],
        ['eve', '50% host_ing was retired by @cora'],
      ] as const) {
        const p = await person(hub, handle);
        if (p.kind !== 'person') throw new Error('a person');
        await store.db
          .insertInto('membership_requests')
          .values({
            id: `r-${handle}`,
            group_id: g.id,
            person_id: p.person.id,
            note: '',
            requested_at: '2026-10-30T09:00:00Z',
            answer: 'declined',
            answer_reason: reason,
            answered_by: null,
            answered_at: '2026-10-31T09:00:00Z',
          })
          .execute();
      }

      expect((await migrateToLatest(store.db, store.schema)).applied).toContain('385-membership-requests-retired');
      const rows = await store.db
        .selectFrom('membership_requests')
        .select(['id', 'declined_by_retirement'])
        .orderBy('id')
        .execute();
      expect(rows.map((r) => [r.id, Number(r.declined_by_retirement)])).toEqual([
        ['r-ada', 1],
        ['r-bo', 0],
        ['r-cy', 0],
        ['r-dee', 0],
        ['r-eve', 0],
      ]);
    } finally {
      await store.close();
      target.cleanup();
    }
  });
});
