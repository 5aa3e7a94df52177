// The directory of groups with their topic areas (name and goal), for the welcome page, the
// groups list and the search filter: two queries, however many groups there are.
import type { TopicAreaGoal } from '../../domain/community.ts';
import { listGroups, type GroupSummary } from './groups.ts';
import type { Hub, Page } from '../core/hub.ts';
import { goalWords } from './topic-areas.ts';

export type DirectoryEntry = GroupSummary & {
  topics: { slug: string; name: string; goal: TopicAreaGoal; goalDescription: string }[];
};

export async function groupDirectory(hub: Hub): Promise<DirectoryEntry[]> {
  const groups = (await listGroups(hub, { limit: 100 })).items.filter((g) => g.status !== 'retired');
  return withTopics(hub, groups);
}

/**
 * A page of the groups list with their topic areas (the web's /groups): `listGroups`'s page, its
 * `cursor` and `limit` checked as REST's are (a cursor it did not give is refused naming it), so a page
 * here and a page of `GET /api/groups` agree; every status, each card saying it.
 */
export async function groupDirectoryPage(hub: Hub, raw: unknown): Promise<Page<DirectoryEntry>> {
  const page = await listGroups(hub, raw);
  return { items: await withTopics(hub, page.items), nextCursor: page.nextCursor };
}

async function withTopics(hub: Hub, groups: GroupSummary[]): Promise<DirectoryEntry[]> {
  if (!groups.length) return [];
  const topics = await hub.store.db
    .selectFrom('topic_areas as t')
    .innerJoin('groups as g', 'g.id', 't.group_id')
    .select(['g.slug as group', 't.slug', 't.name', 't.goal'])
    .where(
      'g.slug',
      'in',
      groups.map((g) => g.slug),
    )
    .orderBy('t.slug')
    .execute();
  const words = goalWords(hub.governance.community.protocol);
  return groups.map((g) => ({
    ...g,
    topics: topics
      .filter((t) => t.group === g.slug)
      .map((t) => ({
        slug: t.slug,
        name: t.name,
        goal: t.goal,
        goalDescription: words[t.goal],
      })),
  }));
}

/** Just the names, for pickers (one cheap query; no charter is parsed). */
/** A group's name as people call it ("Hosting"), or its slug when no live group has it. */
export async function groupName(hub: Hub, slug: string): Promise<string> {
  return (await groupNames(hub)).find((g) => g.slug === slug)?.name ?? slug;
}

export async function groupNames(hub: Hub): Promise<{ slug: string; name: string }[]> {
  return hub.store.db
    .selectFrom('groups')
    .select(['slug', 'name'])
    .where('status', '!=', 'retired')
    .orderBy('name')
    .execute();
}

/**
 * Topic areas' names by their shown reference ("hosting/horizontal-scaling"), for those given: one
 * query, however many (a page listing a person's choices read each group's topic areas per choice).
 */
export async function topicAreaNames(hub: Hub, refs: readonly string[]): Promise<Map<string, string>> {
  const pairs = refs.map((r) => r.split('/')).filter((p): p is [string, string] => p.length === 2 && !!p[0] && !!p[1]);
  if (!pairs.length) return new Map();
  const rows = await hub.store.db
    .selectFrom('topic_areas as t')
    .innerJoin('groups as g', 'g.id', 't.group_id')
    .select(['g.slug as group', 't.slug', 't.name'])
    .where('g.slug', 'in', [...new Set(pairs.map((p) => p[0]))])
    .where('t.slug', 'in', [...new Set(pairs.map((p) => p[1]))])
    .execute();
  return new Map(rows.map((r) => [`${r.group}/${r.slug}`, r.name]));
}
