// Migration 349: migration 343 left `membership_ended_at` null on every answer, so the answers of people
// who had left a group before the upgrade kept counting (a block of someone gone still stood on an open
// decision). On upgrade they stop counting from their leave (the group.member-left/-removed event after
// the answer) or, with no such event, from the upgrade; a current member's answer, an answer on a
// decision recorded closed and a never-member's advisory answer are left as they were. On both databases.
import { describe, expect, it } from 'vitest';
import { loadGovernance } from '../../src/app/core/governance-file.ts';
import { createHub, SYSTEM } from '../../src/app/core/hub.ts';
import { getDecision, openDecision, respondToDecision } from '../../src/app/decisions/decisions.ts';
import { placeInGroup } from '../../src/app/groups/groups.ts';
import { removeMember } from '../../src/app/groups/leave-group.ts';
import { ManualClock } from '../../src/domain/clock.ts';
import { openStore } from '../../src/store/connect.ts';
import { MIGRATIONS, migrateToLatest, migratorFor } from '../../src/store/migrate.ts';
import { databaseForProcess, databases } from '../support/databases.ts';
import { hostingGroup, person } from '../support/hub.ts';

describe.each(databases)('migration 349 on $name', (database) => {
  it('stops counting the standing answers of people no longer in the group, from when they left', async () => {
    const target = await databaseForProcess(database);
    const store = openStore(target.url);
    try {
      const { '349-answers-of-past-members': _later, ...before } = MIGRATIONS;
      expect((await migratorFor(store.db, before, store.schema).migrateToLatest()).error).toBeUndefined();
      // the hub's clock runs near the real one: an answer without a leave event stops counting from the
      // upgrade's real time; the decisions opened two days before it, their deadlines after it
      const start = Date.now() - 2 * 86_400_000;
      const clock = new ManualClock(new Date(start).toISOString());
      const hub = createHub(store, loadGovernance(), { clock });
      const lead = await person(hub, 'lead', { role: 'member' });
      await hostingGroup(hub, lead, 'lead');
      const [ana, bo, cy, di] = [
        await person(hub, 'ana'),
        await person(hub, 'bo'),
        await person(hub, 'cy'),
        await person(hub, 'di'),
      ];
      for (const h of ['ana', 'bo', 'cy']) await placeInGroup(hub, SYSTEM, 'hosting', h, { level: 'member' });
      const open = (question: string) =>
        openDecision(hub, lead, { group: 'hosting', subject: { type: 'process' }, question, significance: 'minor' });
      await open('Adopt fortnightly content meetings?');
      await open('Adopt a shared session store?');
      const block = { kind: 'block', reason: 'Not before April', alternative: 'Start in May' } as const;
      for (const a of [ana!, bo!, cy!, di!]) await respondToDecision(hub, a, 'D-1', block);
      await respondToDecision(hub, ana!, 'D-2', block);
      // D-2 recorded closed (as the close job records it): its answers are history
      await store.db
        .updateTable('decisions')
        .set({ recorded_state: 'closed:adopted' })
        .where('number', '=', 2)
        .execute();
      // ana was removed and bo's membership went without an event, before the upgrade: as the code
      // before migration 343 left them, their answers unmarked
      const removedAt = new Date(start + 86_400_000).toISOString();
      clock.set(removedAt);
      await removeMember(hub, lead, 'hosting', 'ana');
      const boId = bo!.kind === 'person' ? bo!.person.id : '';
      await store.db.deleteFrom('group_members').where('person_id', '=', boId).execute();
      await store.db.updateTable('decision_responses').set({ membership_ended_at: null }).execute();
      const pre = await getDecision(hub, 'D-1');
      expect(pre.state.standingBlocks.map((b) => b.handle).sort()).toEqual(['ana', 'bo', 'cy']);

      const upgradedFrom = new Date().toISOString();
      expect((await migrateToLatest(store.db, store.schema)).applied).toContain('349-answers-of-past-members');
      clock.set(new Date(Date.now() + 60_000).toISOString());
      const d = await getDecision(hub, 'D-1');
      expect(d.state.standingBlocks.map((b) => b.handle)).toEqual(['cy']);
      const by = (h: string) => d.responses.find((r) => r.handle === h)!;
      expect(by('ana')).toMatchObject({ counts: false, membershipEndedAt: removedAt });
      expect(by('bo').counts).toBe(false);
      expect(by('bo').membershipEndedAt! >= upgradedFrom).toBe(true);
      expect(by('cy')).toMatchObject({ counts: true, membershipEndedAt: null });
      // di was never in the group: still advisory, not "no longer in the group"
      expect(by('di')).toMatchObject({ counts: false, membershipEndedAt: null });
      const closed = await store.db
        .selectFrom('decision_responses')
        .innerJoin('decisions', 'decisions.id', 'decision_responses.decision_id')
        .select('membership_ended_at')
        .where('decisions.number', '=', 2)
        .execute();
      expect(closed).toEqual([{ membership_ended_at: null }]);
    } finally {
      await store.close();
      target.cleanup();
    }
  });
});
