// Migration 245: a request to become a member left open after a lead made its asker a member
// directly is closed as accepted on upgrade, so the leads' list shows no stale request; an open
// request of someone still below the member level stays open. On both databases.
import { describe, expect, it } from 'vitest';
import { loadGovernance } from '../../src/app/core/governance-file.ts';
import { createHub } from '../../src/app/core/hub.ts';
import { ManualClock } from '../../src/domain/clock.ts';
import { openStore } from '../../src/store/connect.ts';
import { MIGRATIONS, migrateToLatest, migratorFor } from '../../src/store/migrate.ts';
import { databaseForProcess, databases } from '../support/databases.ts';
import { hostingGroup, person } from '../support/hub.ts';

describe.each(databases)('migration 245 on $name', (database) => {
  it('closes the open requests of people who already hold the member level, and keeps the others open', async () => {
    const target = await databaseForProcess(database);
    const store = openStore(target.url);
    try {
      const { '245-settled-membership-requests': _later, ...before } = MIGRATIONS;
      expect((await migratorFor(store.db, before, store.schema).migrateToLatest()).error).toBeUndefined();
      const hub = createHub(store, loadGovernance(), { clock: new ManualClock('2026-11-02T09:00:00Z') });
      const sam = await person(hub, 'sam', { role: 'member' });
      await hostingGroup(hub, sam, 'sam');
      const g = await store.db
        .selectFrom('groups')
        .select('id')
        .where('slug', '=', 'hosting')
        .executeTakeFirstOrThrow();
      for (const [handle, level] of [
        ['ada', 'member'],
        ['bo', 'participant'],
      ] as const) {
        const p = await person(hub, handle);
        if (p.kind !== 'person') throw new Error('a person');
        await store.db
          .insertInto('group_members')
          .values({
            group_id: g.id,
            person_id: p.person.id,
            level,
            level_label: null,
            emeritus: 0,
            joined_at: '2026-11-01T09:00:00Z',
            last_active_at: '2026-11-01T09:00:00Z',
          })
          .execute();
        await store.db
          .insertInto('membership_requests')
          .values({
            id: `r-${handle}`,
            group_id: g.id,
            person_id: p.person.id,
            note: '',
            requested_at: '2026-10-30T09:00:00Z',
            answer: null,
            answer_reason: null,
            answered_by: null,
            answered_at: null,
          })
          .execute();
      }

      expect((await migrateToLatest(store.db, store.schema)).applied).toContain('245-settled-membership-requests');
      const rows = await store.db
        .selectFrom('membership_requests')
        .select(['id', 'answer', 'answered_by'])
        .select((eb) => eb('answered_at', 'is not', null).as('closed'))
        .orderBy('id')
        .execute();
      expect(rows.map((r) => [r.id, r.answer, r.answered_by, Boolean(r.closed)])).toEqual([
        ['r-ada', 'accepted', null, true],
        ['r-bo', null, null, false],
      ]);
    } finally {
      await store.close();
      target.cleanup();
    }
  });
});
