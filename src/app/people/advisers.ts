// Whom to ask about the contribution terms (the guide: "contact one of the group administrators for
// advice"): a group's leads who lead now, or, without a group or a lead, the community's moderators
// (without moderators, its lead maintainers, else its core maintainers).
// Forms where content is added name them beside the governance file's contribution note.
import type { Hub } from '../core/hub.ts';
import { activeLeadIds } from '../groups/standing.ts';
import { roleName } from '../../domain/governance/words.ts';
import { SlugRef } from '../../domain/community.ts';

/** `who` reads inside a sentence ("Ask the lead of Hosting: …"), singular for one person. */
export type Advisers = { who: string; people: { handle: string; name: string }[] };

const MOST = 5;

export async function contributionAdvisers(hub: Hub, groupSlug?: string | null): Promise<Advisers> {
  const db = hub.store.db;
  // a form sent back names the group as it was sent: one no slug could be names none, and is never
  // looked up (a U+0000 in it took the new-proposal form, and the person's text, with a database error
  // on PostgreSQL, where the form named the field on SQLite; attack round 32)
  const slug = groupSlug ? SlugRef.safeParse(groupSlug).data : undefined;
  if (slug) {
    const group = await db.selectFrom('groups').select(['id', 'name']).where('slug', '=', slug).executeTakeFirst();
    const ids = group ? (await activeLeadIds(db, hub, group.id)).slice(0, MOST) : [];
    if (group && ids.length) {
      const people = await db
        .selectFrom('people')
        .select(['handle', 'name'])
        .where('id', 'in', ids)
        .orderBy('name')
        .execute();
      return { who: `the ${people.length === 1 ? 'lead' : 'leads'} of ${group.name}`, people };
    }
  }
  // a community without moderators still names someone: its lead maintainers, else its core maintainers
  // each role by the community's name for it ("the steering committee chair")
  for (const role of ['moderator', 'lead-maintainer', 'core-maintainer'] as const) {
    const one = `the ${roleName(hub.governance, role)}`;
    const many = `${one}s`;
    const people = await db
      .selectFrom('people')
      .select(['handle', 'name'])
      .where('role', '=', role)
      .orderBy('name')
      .limit(MOST)
      .execute();
    if (people.length) return { who: people.length === 1 ? one : many, people };
  }
  return { who: 'the moderators', people: [] };
}
