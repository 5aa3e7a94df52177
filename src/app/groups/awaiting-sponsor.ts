// Proposed groups that wait for a sponsor, as one who may sponsor them sees it: what needs them lists
// each (web home, REST /api/me/needs, MCP what_needs_me, `wghub me needs`). A group is listed while it
// is proposed, its sponsorship (the governance file's groups.sponsorship) is not met yet, this person
// has not sponsored it, and the group policy lets them sponsor it now (`can.sponsor`, the governance
// file's group.sponsor: core and lead maintainers by default). Sponsoring it, or the group leaving
// `proposed`, takes it off. The governance file gives no period for sponsoring a group, so it has no
// due time: it is listed oldest proposal first.
import type { GroupKind } from '../../domain/community.ts';
import { type SponsorshipState, sponsorshipState } from '../../domain/groups.ts';
import { groupPolicy } from '../../domain/policies/index.ts';
import type { PeopleTable } from '../../store/schema.ts';
import { viewerOf } from '../core/gate.ts';
import type { Actor, Hub } from '../core/hub.ts';
import { groupCan } from './group-can.ts';

/** At most this many proposed groups are read before the policy and the sponsorship rule filter them. */
const READ = 200;

export type AwaitingSponsor = {
  slug: string;
  name: string;
  kind: GroupKind;
  /** When it was proposed (its record's creation). */
  proposedAt: string;
  /** The rule, whether it is met (never, here) and who sponsors it so far, in words. */
  sponsorship: SponsorshipState;
};

/**
 * The proposed groups waiting for `person`'s sponsorship, oldest proposal first: at most `bound`, and
 * whether more may wait (more listed than the bound, or the read reached its own bound).
 */
export async function groupsAwaitingSponsorOf(
  hub: Hub,
  person: PeopleTable,
  bound: number,
): Promise<{ items: AwaitingSponsor[]; more: boolean }> {
  const db = hub.store.db;
  const actor: Actor = { kind: 'person', person };
  const rule = hub.governance.permissions['group.sponsor'];
  // a rule of roles alone answers alike for every group: one who may not sponsor reads no group at all
  const byRoleAlone = !rule.groupLevels?.length && !rule.relations?.length;
  if (
    byRoleAlone &&
    !groupPolicy(
      hub.governance,
      viewerOf(hub, actor),
      { groupLevel: null },
      { status: 'proposed', member: false, onlyLead: false, sponsoring: false },
    ).sponsor.allowed
  )
    return { items: [], more: false };
  const groups = await db
    .selectFrom('groups as g')
    // not the charter: up to 500,000 characters each, and nothing here reads it (attack round 24: a
    // hundred proposed groups made every maintainer's what-needs-me read 30 MB)
    .select(['g.id', 'g.slug', 'g.name', 'g.kind', 'g.status', 'g.created_at'])
    .where('g.status', '=', 'proposed')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('group_sponsors as s')
            .select('s.person_id')
            .whereRef('s.group_id', '=', 'g.id')
            .where('s.person_id', '=', person.id),
        ),
      ),
    )
    .orderBy('g.created_at')
    .orderBy('g.id')
    .limit(READ)
    .execute();
  if (!groups.length) return { items: [], more: false };
  const sponsors = await db
    .selectFrom('group_sponsors as s')
    .innerJoin('people as p', 'p.id', 's.person_id')
    .select(['s.group_id', 'p.handle', 's.role_at_sponsorship'])
    .where(
      's.group_id',
      'in',
      groups.map((g) => g.id),
    )
    .orderBy('s.sponsored_at')
    .orderBy('p.handle')
    .execute();
  const items: AwaitingSponsor[] = [];
  for (const g of groups) {
    const state = sponsorshipState(
      hub.governance,
      sponsors.filter((s) => s.group_id === g.id).map((s) => ({ handle: s.handle, role: s.role_at_sponsorship })),
    );
    if (state.met) continue;
    if (!byRoleAlone && !(await groupCan(db, hub, actor, g)).sponsor.allowed) continue;
    items.push({ slug: g.slug, name: g.name, kind: g.kind, proposedAt: g.created_at, sponsorship: state });
    if (items.length > bound) break;
  }
  return { items: items.slice(0, bound), more: items.length > bound || groups.length === READ };
}
