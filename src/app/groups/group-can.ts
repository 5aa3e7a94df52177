// The group policies for one actor now: the same answer the use cases act on and the views carry.
import type { ParticipationLevel } from '../../domain/community.ts';
import {
  groupPolicy,
  groupsPolicy,
  topicAreaPolicy,
  type Can,
  type GroupAction,
  type Verdict,
} from '../../domain/policies/index.ts';
import type { GroupsTable } from '../../store/schema.ts';
import { viewerOf } from '../core/gate.ts';
import { askAgainFrom } from './membership-request-reads.ts';
import { standingsIn } from './standing.ts';
import type { Actor, Hub, Tx } from '../core/hub.ts';

/**
 * `level`, when given, stands for the viewer's level (a topic's facilitator schedules its meetings as a
 * lead). `openDecisions`: the group's decisions still open (`openDecisionsIn`), given by a caller that
 * shows or acts on the move (the group's view, moveGroup), so `move` says a group is not retired under
 * them; read only there, never for each group of a list nor for every other verdict.
 */
export async function groupCan(
  db: Tx,
  hub: Hub,
  actor: Actor | null,
  /** only its id and status are read: a list may leave out the charter */
  g: Pick<GroupsTable, 'id' | 'status'>,
  level?: ParticipationLevel | null,
  openDecisions: readonly string[] = [],
): Promise<Can<GroupAction>> {
  const viewer = viewerOf(hub, actor);
  const me = actor?.kind === 'person' ? actor.person.id : null;
  const standings = await standingsIn(db, hub, g.id);
  const mine = standings.find((r) => r.personId === me);
  const groupLevel = mine ? mine.activeLevel : null;
  const leads = standings.filter((r) => r.activeLevel === 'lead');
  const sponsoring = me
    ? !!(await db
        .selectFrom('group_sponsors')
        .select('person_id')
        .where('group_id', '=', g.id)
        .where('person_id', '=', me)
        .executeTakeFirst())
    : false;
  return groupPolicy(
    hub.governance,
    viewer,
    { groupLevel: level !== undefined ? level : groupLevel },
    {
      status: g.status,
      openDecisions,
      member: !!mine,
      onlyLead: groupLevel === 'lead' && leads.length === 1,
      sponsoring,
      asked: me
        ? !!(await db
            .selectFrom('membership_requests')
            .select('id')
            .where('group_id', '=', g.id)
            .where('person_id', '=', me)
            .where('answered_at', 'is', null)
            .executeTakeFirst())
        : false,
      askAgainFrom: me ? await askAgainFrom(db, hub, g.id, me) : null,
      // a member or lead whose standing lapsed (emeritus) holds the level already: taking part returns it
      lapsed: !!mine && (mine.level === 'member' || mine.level === 'lead') && groupLevel !== mine.level,
    },
  );
}

/** May this actor edit this topic area: its facilitators, or the group's leads. */
export async function topicAreaCan(
  db: Tx,
  hub: Hub,
  actor: Actor | null,
  groupLevel: ParticipationLevel | null,
  topicAreaId: string,
): Promise<Can<'edit' | 'chooseFacilitators'>> {
  const facilitator =
    actor?.kind === 'person' &&
    !!(await db
      .selectFrom('topic_facilitators')
      .select('person_id')
      .where('topic_area_id', '=', topicAreaId)
      .where('person_id', '=', actor.person.id)
      .executeTakeFirst());
  return topicAreaPolicy(hub.governance, viewerOf(hub, actor), { groupLevel }, facilitator);
}

export function groupsCan(hub: Hub, actor: Actor | null): Can<'propose'> {
  return groupsPolicy(hub.governance, viewerOf(hub, actor));
}

/**
 * The groups in which this actor may do `action` now (open a decision, schedule a meeting), for a
 * form's choice of group; with the first refusal, to say why when there is none.
 */
export async function groupsAllowing(
  hub: Hub,
  actor: Actor | null,
  action: 'openDecision' | 'scheduleMeeting' | 'assignNoteTaker',
): Promise<{ groups: { slug: string; name: string }[]; refusal: Verdict | null }> {
  const db = hub.store.db;
  const rows = await db.selectFrom('groups').selectAll().orderBy('name').execute();
  // a topic area's facilitators schedule its meetings as a lead does
  const facilitates = new Set(
    action !== 'openDecision' && actor?.kind === 'person'
      ? (
          await db
            .selectFrom('topic_facilitators as f')
            .innerJoin('topic_areas as t', 't.id', 'f.topic_area_id')
            .select('t.group_id')
            .where('f.person_id', '=', actor.person.id)
            .execute()
        ).map((r) => r.group_id)
      : [],
  );
  const groups: { slug: string; name: string }[] = [];
  let refusal: Verdict | null = null;
  for (const g of rows) {
    const v = (await groupCan(db, hub, actor, g, facilitates.has(g.id) ? 'lead' : undefined))[action];
    if (v.allowed) groups.push({ slug: g.slug, name: g.name });
    else refusal ??= v;
  }
  return { groups, refusal: groups.length ? null : refusal };
}

/** Whether this actor may join each group now (by slug), for a list of groups with a join control on each. */
export async function joinVerdicts(hub: Hub, actor: Actor | null): Promise<Map<string, Verdict>> {
  const db = hub.store.db;
  const out = new Map<string, Verdict>();
  for (const g of await db.selectFrom('groups').selectAll().execute())
    out.set(g.slug, (await groupCan(db, hub, actor, g)).join);
  return out;
}

/** The levels a person may choose when joining (the governance file's self-service levels); none when they may not join. */
export function joinLevels(hub: Hub, join: Verdict): ParticipationLevel[] {
  return join.allowed ? [...hub.governance.membership.selfServiceLevels] : [];
}
