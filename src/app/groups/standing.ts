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
  return standingsOf(hub, await memberRows(db, [groupId]));
}

type MemberRow = {
  group_id: string;
  person_id: string;
  level: ParticipationLevel;
  emeritus: number;
  last_active_at: string;
};

function memberRows(db: Tx, groupIds: string[], level?: ParticipationLevel): Promise<MemberRow[]> {
  let q = db
    .selectFrom('group_members')
    .select(['group_id', 'person_id', 'level', 'emeritus', 'last_active_at'])
    .where('group_id', 'in', groupIds);
  if (level) q = q.where('level', '=', level);
  return q.execute();
}

function standingsOf(hub: Hub, rows: MemberRow[]): (Standing & { groupId: string })[] {
  const now = hub.clock.now();
  return rows.map((r) => ({
    groupId: r.group_id,
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
  return standingsOf(hub, await memberRows(db, [groupId], 'lead'))
    .filter((s) => s.activeLevel === 'lead')
    .map((s) => s.personId);
}

/** Of `groupIds`, those with no lead who leads now: read in one query, not one per group. */
export async function withoutActiveLead(db: Tx, hub: Hub, groupIds: string[]): Promise<string[]> {
  if (!groupIds.length) return [];
  const led = new Set(
    standingsOf(hub, await memberRows(db, groupIds, 'lead'))
      .filter((s) => s.activeLevel === 'lead')
      .map((s) => s.groupId),
  );
  return groupIds.filter((id) => !led.has(id));
}
