// Migration 087: topic-area subscriptions keyed by a short name that two groups share move to the
// area of the person's own group; a name only one group has moves to that group's area.
import { describe, expect, it } from 'vitest';
import { loadGovernance } from '../../src/app/core/governance-file.ts';
import { createHub, SYSTEM } from '../../src/app/core/hub.ts';
import { placeInGroup, proposeGroup } from '../../src/app/groups/groups.ts';
import { createTopicArea } from '../../src/app/groups/topic-areas.ts';
import { ManualClock } from '../../src/domain/clock.ts';
import { openStore } from '../../src/store/connect.ts';
import { MIGRATIONS, migrateToLatest, migratorFor } from '../../src/store/migrate.ts';
import { databaseForProcess, databases } from '../support/databases.ts';
import { person } from '../support/hub.ts';

describe.each(databases)('topic subscription keys on $name', (database) => {
  it('moves short-name rows to GROUP/TOPIC, choosing the group the person belongs to', async () => {
    const target = await databaseForProcess(database);
    const store = openStore(target.url);
    try {
      const { '087-topic-subscription-keys': _later, ...before } = MIGRATIONS;
      expect((await migratorFor(store.db, before, store.schema).migrateToLatest()).error).toBeUndefined();
      const hub = createHub(store, loadGovernance(), { clock: new ManualClock('2026-03-02T12:00:00Z') });
      const lead = await person(hub, 'lead', { role: 'member' });
      await person(hub, 'bo');
      for (const slug of ['hosting', 'identity'])
        await proposeGroup(hub, lead, {
          slug,
          name: slug,
          kind: 'working',
          mission: 'A group for the migration test.',
          scopeIn: ['Everything'],
          leads: ['lead'],
        });
      await placeInGroup(hub, SYSTEM, 'identity', 'bo', { level: 'member' });
      for (const group of ['hosting', 'identity'])
        await createTopicArea(hub, lead, group, { slug: 'auth', name: 'Auth', goal: 'both', facilitators: ['lead'] });
      await createTopicArea(hub, lead, 'hosting', {
        slug: 'scaling',
        name: 'Scaling',
        goal: 'both',
        facilitators: ['lead'],
      });
      const ids = Object.fromEntries(
        (await store.db.selectFrom('people').select(['id', 'handle']).execute()).map((p) => [p.handle, p.id]),
      );
      const row = (who: string, ref: string, level: 'watching' | 'muted') => ({
        person_id: ids[who]!,
        subject_type: 'topic',
        subject_ref: ref,
        level,
        updated_at: '2026-03-01T00:00:00.000Z',
      });
      await store.db
        .insertInto('notification_subscriptions')
        .values([row('bo', 'auth', 'watching'), row('bo', 'scaling', 'muted'), row('lead', 'auth', 'muted')])
        .execute();

      expect((await migrateToLatest(store.db, store.schema)).applied).toContain('087-topic-subscription-keys');
      const after = await store.db
        .selectFrom('notification_subscriptions')
        .select(['person_id', 'subject_ref', 'level'])
        .orderBy('person_id')
        .orderBy('subject_ref')
        .execute();
      const byHandle = Object.fromEntries(Object.entries(ids).map(([h, id]) => [id, h]));
      expect(after.map((r) => [byHandle[r.person_id], r.subject_ref, r.level]).sort()).toEqual(
        [
          // bo belongs to identity only: his "auth" was identity's
          ['bo', 'hosting/scaling', 'muted'],
          ['bo', 'identity/auth', 'watching'],
          // lead leads both: the row keeps its reach over both areas, now one row each
          ['lead', 'hosting/auth', 'muted'],
          ['lead', 'identity/auth', 'muted'],
        ].sort(),
      );
    } finally {
      await store.close();
      target.cleanup();
    }
  });
});
