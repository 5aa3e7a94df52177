// Each member's standing in a group as of now (emeritus computed from the clock, as on the group
// page): one read behind the group's policy, who answers requests to become a member and who hears of
// them, so a lead whose standing lapsed counts the same everywhere.
import type { ParticipationLevel } from '../../domain/community.ts';
import { membershipStanding } from '../../domain/groups.ts';
import type { Hub, Tx } from '../core/hub.ts';

export type Standing = {
  personId: string;
  /** The level on record. */
  level: ParticipationLevel;
  /** The level they hold now: null once emeritus (by the record or by the clock). */
  activeLevel: ParticipationLevel | null;
};

export async function standingsIn(db: Tx, hub: Hub, groupId: string): Promise<Standing[]> {
  const rows = await db
    .selectFrom('group_members')
    .select(['person_id', 'level', 'emeritus', 'last_active_at'])
    .where('group_id', '=', groupId)
    .execute();
  const now = hub.clock.now();
  return rows.map((r) => ({
    personId: r.person_id,
    level: r.level,
    activeLevel: membershipStanding(
      hub.governance,
      { level: r.level, emeritus: r.emeritus === 1, lastActiveAt: r.last_active_at },
      now,
    ).activeLevel,
  }));
}

/** The group's leads who lead now (not emeritus). */
export async function activeLeadIds(db: Tx, hub: Hub, groupId: string): Promise<string[]> {
  return (await standingsIn(db, hub, groupId)).filter((s) => s.activeLevel === 'lead').map((s) => s.personId);
}
