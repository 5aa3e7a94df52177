// GitHub Discussions mirrored into the hub, the same way for the backfill (GraphQL: GitHub's REST
// API has no listing of a repository's Discussions) and for the `discussion` and
// `discussion_comment` webhooks. The governance file's `discussionCategories` say what a category
// stands for: a Discussion in the notes (or agendas) category whose title names the date of a
// hub meeting and that meeting's title or group is attached to that meeting (its page links it);
// every Discussion, matched or not, has a page of its own and is found by search. An older or
// repeated copy changes nothing; a deleted Discussion or comment keeps a note in place of its
// text, and a late "created" cannot bring it back. The hub's own notes Discussions (written back
// by writeback.ts, with their `<!-- wghub:notes M-n -->` marker) are not mirrored back.
import { RequestError } from '@octokit/request-error';
import type { DiscussionCounts } from '../../domain/github/sync-records.ts';
import { inTransaction, nowIso, record, type Hub, type Tx } from '../core/hub.ts';
import { indexGithubDiscussion } from '../search/indexing.ts';
import type { GithubClient } from './client.ts';
import { personForLogin } from './mirror.ts';
import {
  hideThreadComments,
  mirrorThreadComments,
  reindexThread,
  type Saved,
  type Thread,
  subjectOf,
  type ThreadComment,
  threadCommentsOf,
} from './thread-comments.ts';
import { ownerAndName } from '../../domain/governance/github.ts';
import { LIMITS } from '../../domain/limits.ts';

export type DiscussionKind = 'notes' | 'agendas' | 'quarterly';

/** A Discussion as the bridge needs it, from a webhook payload or a GraphQL node. */
export type DiscussionFacts = {
  number: number;
  title: string;
  body: string;
  url: string;
  category: string;
  login: string | null;
  createdAt: string;
  updatedAt: string;
};

export type DiscussionCommentFacts = {
  id: number | string;
  parentId: number | string | null;
  body: string;
  url: string;
  login: string | null;
  createdAt: string;
  updatedAt: string;
};

export type { DiscussionCounts };
export const emptyDiscussionCounts = (): DiscussionCounts => ({
  added: 0,
  edited: 0,
  unchanged: 0,
  hidden: 0,
  meetings: 0,
});

export const deletedDiscussionNote = (at: string, why = 'deleted') =>
  `_This Discussion was ${why} on GitHub (${at.slice(0, 10)}); its text is no longer shown here._`;

/** What the governance file makes of a category (case does not matter), or null. */
export function kindOfCategory(hub: Hub, category: string): DiscussionKind | null {
  const c = hub.governance.github?.discussionCategories ?? {};
  for (const k of ['notes', 'agendas', 'quarterly'] as const)
    if (c[k] && c[k]!.toLowerCase() === category.toLowerCase()) return k;
  return null;
}

/** The hub wrote this one (meeting notes written back): it is already the meeting's. */
export const isHubDiscussion = (body: string) => /<!-- wghub:notes M-\d+ -->/.test(body);

const words = (s: string) =>
  ` ${s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()} `;

/**
 * The meeting a notes or agenda Discussion belongs to: one held (not cancelled) on the date its
 * title names (YYYY-MM-DD; without one, the day it was posted), whose title or group's name the
 * Discussion's title contains. Two such meetings that day, or none: no match.
 */
export async function matchMeeting(trx: Tx, d: Pick<DiscussionFacts, 'title' | 'createdAt'>): Promise<string | null> {
  const date = /\b(\d{4}-\d{2}-\d{2})\b/.exec(d.title)?.[1] ?? d.createdAt.slice(0, 10);
  const day = await trx
    .selectFrom('meetings as m')
    .innerJoin('groups as g', 'g.id', 'm.group_id')
    .select(['m.id', 'm.title', 'g.name as group'])
    .where('m.starts_at', '>=', `${date}T00:00:00`)
    .where('m.starts_at', '<', `${date}T23:59:59.999Z`)
    .where('m.cancelled_at', 'is', null)
    .execute();
  const title = words(d.title);
  const hits = day.filter((m) => title.includes(words(m.title)) || title.includes(words(m.group)));
  return hits.length === 1 ? hits[0]!.id : null;
}

/** The Discussion as GitHub shows it; returns what changed. */
export async function saveDiscussion(trx: Tx, hub: Hub, repo: string, d: DiscussionFacts): Promise<Saved> {
  const existing = await trx
    .selectFrom('github_discussions')
    .selectAll()
    .where('repo', '=', repo)
    .where('number', '=', d.number)
    .executeTakeFirst();
  if (existing?.deleted_at) return 'unchanged';
  if (existing && d.updatedAt < existing.updated_at) return 'unchanged';
  if (
    existing &&
    existing.title === d.title &&
    existing.body === d.body &&
    existing.category === d.category &&
    existing.updated_at === d.updatedAt
  )
    return 'unchanged';
  const kind = kindOfCategory(hub, d.category);
  const meetingId = kind === 'notes' || kind === 'agendas' ? await matchMeeting(trx, d) : null;
  const row = {
    category: d.category,
    kind,
    meeting_id: meetingId,
    title: d.title,
    body: d.body,
    author_id: d.login ? await personForLogin(trx, hub, d.login) : null,
    url: d.url,
    created_at: d.createdAt,
    updated_at: d.updatedAt,
  };
  const id = existing?.id ?? hub.newId();
  if (existing) await trx.updateTable('github_discussions').set(row).where('id', '=', id).execute();
  else
    await trx
      .insertInto('github_discussions')
      .values({ id, repo, number: d.number, deleted_at: null, ...row })
      .execute();
  await indexGithubDiscussion(trx, id);
  await record(
    trx,
    hub,
    { kind: 'system', label: 'github' },
    existing ? 'github.discussion-updated' : 'github.discussion-mirrored',
    subjectOf(thread(repo, d.number)),
    existing ? { title: existing.title, category: existing.category, meeting: existing.meeting_id } : null,
    { title: row.title, category: row.category, kind, meeting: meetingId, from: d.url },
  );
  return existing ? 'edited' : 'added';
}

const thread = (repo: string, number: number): Thread => ({ kind: 'discussion', repo, number });
const threadComment = (c: DiscussionCommentFacts): ThreadComment => ({
  ...c,
  id: String(c.id),
  parentId: c.parentId === null ? null : String(c.parentId),
});

/**
 * A Discussion deleted (or transferred away) on GitHub: its text and its comments' text replaced by
 * a note, out of search; it stays so. One never seen is kept as a tombstone.
 */
export async function hideDiscussion(
  trx: Tx,
  hub: Hub,
  repo: string,
  d: DiscussionFacts,
  at: string,
  why: 'deleted' | 'transferred' = 'deleted',
): Promise<boolean> {
  const existing = await trx
    .selectFrom('github_discussions')
    .select(['id', 'deleted_at'])
    .where('repo', '=', repo)
    .where('number', '=', d.number)
    .executeTakeFirst();
  if (existing?.deleted_at) return false;
  if (!existing) await saveDiscussion(trx, hub, repo, d);
  const note = deletedDiscussionNote(at, why === 'transferred' ? 'moved to another repository' : 'deleted');
  await trx
    .updateTable('github_discussions')
    .set({ body: note, deleted_at: at })
    .where('repo', '=', repo)
    .where('number', '=', d.number)
    .execute();
  await hideThreadComments(trx, hub, thread(repo, d.number), at, {
    reason: why === 'transferred' ? 'moved to another repository on GitHub' : 'deleted on GitHub',
    from: d.url,
  });
  return true;
}

// ---- the backfill (GraphQL) ----

/**
 * GitHub gave up answering a query rather than refusing it: its "Something went wrong while executing
 * your query. This may be the result of a timeout" (an error with no type, which the retry plugin
 * turns into a 500 and asks again, four times), or a 502/504 from its GraphQL endpoint, outlasting
 * the client's retries. A refusal has a type (FORBIDDEN, NOT_FOUND).
 */
export function gaveUp(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  if (e.name === 'GraphqlResponseError') {
    const errors = (e as { errors?: { type?: string }[] }).errors ?? [];
    return errors.length > 0 && errors.every((x) => !x.type || x.type === 'INTERNAL' || x.type === 'TIMEOUT');
  }
  return (
    e instanceof RequestError &&
    (e.status === 502 ||
      e.status === 504 ||
      (e.status === 500 && /Something went wrong while executing your query/.test(e.message)))
  );
}

type Author = { login: string } | null;
type CommentNode = {
  databaseId: number;
  body: string;
  url: string;
  createdAt: string;
  updatedAt: string;
  author: Author;
};
type TopComment = CommentNode & { replies: { nodes: CommentNode[] } };
type Connection<T> = { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: T[] };
export type DiscussionNode = {
  id: string;
  number: number;
  title: string;
  body: string;
  url: string;
  createdAt: string;
  updatedAt: string;
  author: Author;
  category: { name: string };
  comments: Connection<TopComment>;
};

const COMMENT_FIELDS = 'databaseId body url createdAt updatedAt author { login }';
const COMMENTS = `pageInfo { hasNextPage endCursor } nodes { ${COMMENT_FIELDS} replies(first: 50) { nodes { ${COMMENT_FIELDS} } } }`;

/** One page of a repository's Discussions, oldest first, each with its first comments and their replies. */
export const DISCUSSIONS_QUERY = `query MirrorDiscussions($owner: String!, $name: String!, $first: Int!, $after: String) {
  repository(owner: $owner, name: $name) {
    discussions(first: $first, after: $after, orderBy: { field: CREATED_AT, direction: ASC }) {
      pageInfo { hasNextPage endCursor }
      nodes { id number title body url createdAt updatedAt author { login } category { name }
        comments(first: 50) { ${COMMENTS} } } } } }`;

/** The further comments of a Discussion with more than one page of them. */
export const DISCUSSION_COMMENTS_QUERY = `query MirrorDiscussionComments($id: ID!, $after: String) {
  node(id: $id) { ... on Discussion { comments(first: 50, after: $after) { ${COMMENTS} } } } }`;

const factsOfComment = (c: CommentNode, parentId: number | null): DiscussionCommentFacts => ({
  id: c.databaseId,
  parentId,
  body: c.body,
  url: c.url,
  login: c.author?.login ?? null,
  createdAt: c.createdAt,
  updatedAt: c.updatedAt,
});

/** A Discussion's comments and replies, every page of them. */
async function allComments(client: GithubClient, node: DiscussionNode): Promise<DiscussionCommentFacts[]> {
  const out: DiscussionCommentFacts[] = [];
  let page: Connection<TopComment> = node.comments;
  for (;;) {
    for (const c of page.nodes) {
      out.push(factsOfComment(c, null));
      for (const r of c.replies.nodes) out.push(factsOfComment(r, c.databaseId));
    }
    if (!page.pageInfo.hasNextPage) return out;
    const more = await client.graphql<{ node: { comments: Connection<TopComment> } }>(DISCUSSION_COMMENTS_QUERY, {
      id: node.id,
      after: page.pageInfo.endCursor,
    });
    page = more.node.comments;
  }
}

export const discussionFacts = (n: DiscussionNode): DiscussionFacts => ({
  number: n.number,
  title: n.title,
  body: n.body,
  url: n.url,
  category: n.category.name,
  login: n.author?.login ?? null,
  createdAt: n.createdAt,
  updatedAt: n.updatedAt,
});

/** Mirrors one Discussion with its comments; a comment mirrored before and no longer listed was deleted. */
async function mirrorDiscussion(
  hub: Hub,
  client: GithubClient,
  repo: string,
  node: DiscussionNode,
  counts: DiscussionCounts,
  comments: DiscussionCounts,
): Promise<void> {
  if (isHubDiscussion(node.body)) return;
  const listed = await allComments(client, node);
  await inTransaction(hub, async (trx) => {
    const r = await saveDiscussion(trx, hub, repo, discussionFacts(node));
    counts[r]++;
    const t = thread(repo, node.number);
    if (await mirrorThreadComments(trx, hub, t, listed.map(threadComment), comments)) await reindexThread(trx, t);
  });
}

/** Discussions per GraphQL page: each brings up to 50 comments with 50 replies each, well inside GitHub's node limit. */
export const DISCUSSIONS_PER_PAGE = 20;

/**
 * The backfill's Discussions: every Discussion of the repository, oldest first, with comments.
 * A Discussion mirrored before and no longer listed by a complete listing was deleted on GitHub.
 * Resumable: `reached` is told the GraphQL cursor after each page mirrored, and a run given it as
 * `after` goes on from there. A resumed listing is not complete, so it hides nothing; the next
 * whole one does.
 */
export async function syncDiscussions(
  hub: Hub,
  client: GithubClient,
  repo: string,
  opts: {
    yieldBetween?: () => Promise<void>;
    after?: string | null;
    reached?: (after: string) => Promise<void>;
    perPage?: number;
  } = {},
): Promise<{ discussions: DiscussionCounts; discussionComments: DiscussionCounts }> {
  const [owner, name] = ownerAndName(repo);
  const counts = emptyDiscussionCounts();
  const comments = emptyDiscussionCounts();
  const seen = new Set<number>();
  const complete = !opts.after;
  let after: string | null = opts.after ?? null;
  let first = opts.perPage ?? DISCUSSIONS_PER_PAGE;
  for (;;) {
    let page: { repository: { discussions: Connection<DiscussionNode> } };
    try {
      page = await client.graphql(DISCUSSIONS_QUERY, { owner, name, first, after });
    } catch (e) {
      // GitHub gave up on the page (long Discussions with many comments take too long to answer):
      // the same page asked again would fail again, every reconcile, so ask for fewer at a time
      if (first > 1 && gaveUp(e)) {
        first = Math.max(1, Math.floor(first / 2));
        continue;
      }
      throw e;
    }
    for (const node of page.repository.discussions.nodes) {
      seen.add(node.number);
      await opts.yieldBetween?.();
      await mirrorDiscussion(hub, client, repo, node, counts, comments);
    }
    const info = page.repository.discussions.pageInfo;
    if (info.endCursor) await opts.reached?.(info.endCursor);
    if (!info.hasNextPage) break;
    after = info.endCursor;
  }
  const gone = complete
    ? await hub.store.db
        .selectFrom('github_discussions')
        .selectAll()
        .where('repo', '=', repo)
        .where('deleted_at', 'is', null)
        .execute()
    : [];
  for (const g of gone.filter((x) => !seen.has(x.number)))
    if (
      await inTransaction(hub, (trx) =>
        hideDiscussion(
          trx,
          hub,
          repo,
          {
            number: g.number,
            title: g.title,
            body: g.body,
            url: g.url,
            category: g.category,
            login: null,
            createdAt: g.created_at,
            updatedAt: g.updated_at,
          },
          nowIso(hub),
        ),
      )
    )
      counts.hidden++;
  counts.meetings = Number(
    (
      await hub.store.db
        .selectFrom('github_discussions')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('repo', '=', repo)
        .where('meeting_id', 'is not', null)
        .where('deleted_at', 'is', null)
        .executeTakeFirstOrThrow()
    ).n,
  );
  return { discussions: counts, discussionComments: comments };
}

/** The page's view of one mirrored Discussion. */
export async function getMirroredDiscussion(hub: Hub, repo: string, number: number) {
  // a number no column holds names nothing (PostgreSQL would refuse it as out of range)
  if (!Number.isInteger(number) || number < 1 || number > LIMITS.maxNumber) return null;
  const db = hub.store.db;
  const d = await db
    .selectFrom('github_discussions as d')
    .leftJoin('people as p', 'p.id', 'd.author_id')
    .leftJoin('meetings as m', 'm.id', 'd.meeting_id')
    .selectAll('d')
    .select(['p.handle as author', 'm.number as meeting_number', 'm.title as meeting_title'])
    .where((eb) => eb(eb.fn('lower', ['d.repo']), '=', repo.toLowerCase()))
    .where('d.number', '=', number)
    .executeTakeFirst();
  if (!d) return null;
  const comments = await threadCommentsOf(db, thread(d.repo, d.number));
  return {
    ...d,
    meeting: d.meeting_number === null ? null : { ref: `M-${d.meeting_number}`, title: d.meeting_title ?? '' },
    comments,
  };
}

/** The Discussions attached to a meeting (its notes or agenda on GitHub). */
export async function discussionsOfMeeting(hub: Hub, meetingRef: string) {
  const n = Number(/^M-(\d+)$/i.exec(meetingRef)?.[1] ?? Number.NaN);
  if (!Number.isInteger(n)) return [];
  return hub.store.db
    .selectFrom('github_discussions as d')
    .innerJoin('meetings as m', 'm.id', 'd.meeting_id')
    .select(['d.repo', 'd.number', 'd.title', 'd.kind', 'd.url'])
    .where('m.number', '=', n)
    .where('d.deleted_at', 'is', null)
    .orderBy('d.number')
    .execute();
}
