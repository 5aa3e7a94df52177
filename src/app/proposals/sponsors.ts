// Whom an author can ask to sponsor a proposal: the people whose role on the contributor ladder may
// sponsor (the governance file's `proposals.sponsorRoles`), those in the proposal's group first. An
// author with no sponsor found no word on the page of who could be one.
import type { Hub } from '../core/hub.ts';

const MOST = 5;

export type PossibleSponsors = { handle: string; name: string; role: string; inGroup: boolean }[];

export async function possibleSponsors(hub: Hub, groupSlug: string | null): Promise<PossibleSponsors> {
  const db = hub.store.db;
  const roles = hub.governance.proposals.sponsorRoles;
  const group = groupSlug
    ? await db.selectFrom('groups').select('id').where('slug', '=', groupSlug).executeTakeFirst()
    : undefined;
  const inGroup = group
    ? await db
        .selectFrom('group_members as m')
        .innerJoin('people as p', 'p.id', 'm.person_id')
        .select(['p.handle', 'p.name', 'p.role'])
        .where('m.group_id', '=', group.id)
        // one who stepped back from the group (emeritus) is not named first as one of its own
        .where('m.emeritus', '=', 0)
        .where('p.role', 'in', roles)
        .orderBy('p.name')
        .limit(MOST)
        .execute()
    : [];
  const others = await db
    .selectFrom('people')
    .select(['handle', 'name', 'role'])
    .where('role', 'in', roles)
    .where(
      'handle',
      'not in',
      // a list that is never empty, so the query stays valid on both databases
      ['', ...inGroup.map((p) => p.handle)],
    )
    .orderBy('name')
    .limit(MOST - inGroup.length)
    .execute();
  return [
    ...inGroup.map((p) => ({ ...p, inGroup: true })),
    ...(inGroup.length < MOST ? others.map((p) => ({ ...p, inGroup: false })) : []),
  ];
}
