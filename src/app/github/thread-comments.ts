// Comments on a mirrored GitHub thread: a plain issue's (issues.ts) or a Discussion's
// (discussions.ts), each kind in its own table and kept the same way. A comment is known by its
// repository and GitHub id; a copy is written only when it is newer than the stored one (or as new
// with another text), so an older or repeated delivery changes nothing; a comment deleted on GitHub
// keeps its row with a note in place of its text, so a late "created" cannot bring it back.
import { sql } from 'kysely';
import { indexGithubDiscussion, indexGithubIssue } from '../search/indexing.ts';
import { nowIso, record, type Hub, type Tx } from '../core/hub.ts';
import type { GithubIssueCommentsTable } from '../../store/schema.ts';
import { commentedFacts, GITHUB_ACTOR, isNews, personForLogin, watchedSince } from './mirror.ts';

/** The thread a comment is on. */
export type Thread = { kind: 'issue' | 'discussion'; repo: string; number: number };

/** A comment as GitHub shows it (from a webhook payload, a REST listing or a GraphQL node). */
export type ThreadComment = {
  id: string;
  /** The comment it replies to (Discussions only). */
  parentId?: string | null;
  body: string;
  url: string;
  login: string | null;
  createdAt: string;
  updatedAt: string;
};

export type Saved = 'added' | 'edited' | 'unchanged';

/** The thread as the event log names it. */
export const subjectOf = (t: Thread) => ({ type: `github-${t.kind}`, id: `${t.repo}#${t.number}` });

export const deletedCommentNote = (at: string) =>
  `_This comment was deleted on GitHub (${at.slice(0, 10)}); its text is no longer shown here._`;

const tableOf = (t: Thread) => (t.kind === 'issue' ? 'github_issue_comments' : 'github_discussion_comments');
// the column naming the thread, and the comment a reply answers (a plain issue's comments answer none)
const threadColumn = (t: Thread) => sql.ref<number>(t.kind === 'issue' ? 'issue_number' : 'discussion_number');
const parentColumn = (t: Thread) =>
  (t.kind === 'issue' ? sql<string | null>`null` : sql<string | null>`parent_github_id`).as('parent_github_id');

/** The thread's comments still shown (not deleted on GitHub). */
const liveComments = (trx: Tx, t: Thread) =>
  trx
    .selectFrom(tableOf(t))
    .select(['github_id', 'url', 'created_at', parentColumn(t)])
    .where('repo', '=', t.repo)
    .where(threadColumn(t), '=', t.number)
    .where('deleted_at', 'is', null)
    .execute();

function stored(trx: Tx, t: Thread, id: string) {
  return trx
    .selectFrom(tableOf(t))
    .select(['deleted_at', 'updated_at', 'body'])
    .where('repo', '=', t.repo)
    .where('github_id', '=', id)
    .executeTakeFirst();
}

// the columns both comment tables share, as the schema states them
type Columns = Pick<
  GithubIssueCommentsTable,
  'author_id' | 'body' | 'url' | 'created_at' | 'updated_at' | 'deleted_at'
>;

async function write(trx: Tx, t: Thread, c: Pick<ThreadComment, 'id' | 'parentId'>, known: boolean, set: Columns) {
  if (known)
    await trx.updateTable(tableOf(t)).set(set).where('repo', '=', t.repo).where('github_id', '=', c.id).execute();
  else if (t.kind === 'issue')
    await trx
      .insertInto('github_issue_comments')
      .values({ repo: t.repo, github_id: c.id, issue_number: t.number, ...set })
      .execute();
  else
    await trx
      .insertInto('github_discussion_comments')
      .values({
        repo: t.repo,
        github_id: c.id,
        discussion_number: t.number,
        parent_github_id: c.parentId ?? null,
        ...set,
      })
      .execute();
}

/** Search's copy of the thread (with its comments), when the thread is mirrored. */
export async function reindexThread(trx: Tx, t: Thread): Promise<void> {
  const row = await trx
    .selectFrom(t.kind === 'issue' ? 'github_issues' : 'github_discussions')
    .select('id')
    .where('repo', '=', t.repo)
    .where('number', '=', t.number)
    .executeTakeFirst();
  if (row) await (t.kind === 'issue' ? indexGithubIssue : indexGithubDiscussion)(trx, row.id);
}

/**
 * GitHub's copy of a comment, unless the stored one is as new or the comment was deleted; returns
 * what changed. A comment new to the hub is recorded (`github.issue-commented`,
 * `github.discussion-commented`) as news or as history, as a pull request's are (mirror.ts
 * `isNews`; `live`: a webhook delivered it). News tells the people it concerns
 * (notifications/github-threads.ts); history and edits tell nobody.
 */
export async function saveThreadComment(
  trx: Tx,
  hub: Hub,
  t: Thread,
  c: ThreadComment,
  opts: { live?: boolean } = {},
): Promise<Saved> {
  const known = await stored(trx, t, c.id);
  if (known?.deleted_at) return 'unchanged';
  if (known && (c.updatedAt < known.updated_at || (c.updatedAt === known.updated_at && c.body === known.body)))
    return 'unchanged';
  await write(trx, t, c, !!known, {
    author_id: c.login ? await personForLogin(trx, hub, c.login) : null,
    body: c.body,
    url: c.url,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    deleted_at: null,
  });
  if (known) return 'edited';
  const news = isNews(c.createdAt, await watchedSince(trx, t.repo), opts.live ?? false);
  const [facts] = await commentedFacts(trx, hub, [{ body: c.body, news }]);
  await record(trx, hub, GITHUB_ACTOR, `github.${t.kind}-commented`, subjectOf(t), null, {
    comment: c.id,
    ...(c.parentId ? { replyTo: c.parentId } : {}),
    from: c.url,
    ...facts,
  });
  return 'added';
}

/**
 * A comment deleted on GitHub: its text replaced by a note (or a tombstone if it was never seen),
 * the thread re-indexed and the hiding recorded; false when it was hidden already.
 */
export async function hideThreadComment(
  trx: Tx,
  hub: Hub,
  t: Thread,
  c: Pick<ThreadComment, 'id' | 'parentId' | 'url' | 'createdAt'>,
  at: string,
): Promise<boolean> {
  const known = await stored(trx, t, c.id);
  if (known?.deleted_at) return false;
  const hidden = { body: deletedCommentNote(at), deleted_at: at, updated_at: at };
  if (known)
    await trx.updateTable(tableOf(t)).set(hidden).where('repo', '=', t.repo).where('github_id', '=', c.id).execute();
  else await write(trx, t, c, false, { author_id: null, url: c.url, created_at: c.createdAt, ...hidden });
  await reindexThread(trx, t);
  await record(trx, hub, GITHUB_ACTOR, `github.${t.kind}-comment-hidden`, subjectOf(t), null, {
    comment: c.id,
    reason: 'deleted on GitHub',
    from: c.url,
  });
  return true;
}

/**
 * The thread's comments as GitHub lists them now (the backfill): each saved, and each mirrored
 * before and no longer listed hidden, as deleted on GitHub. Counts into `counts`; true when a
 * saved comment changed (the caller re-indexes the thread once).
 */
export async function mirrorThreadComments(
  trx: Tx,
  hub: Hub,
  t: Thread,
  listed: ThreadComment[],
  counts: Record<Saved | 'hidden', number>,
): Promise<boolean> {
  const had = await liveComments(trx, t);
  let changed = false;
  for (const c of listed) {
    const saved = await saveThreadComment(trx, hub, t, c);
    counts[saved]++;
    if (saved !== 'unchanged') changed = true;
  }
  const now = new Set(listed.map((c) => c.id));
  for (const h of had)
    if (
      !now.has(h.github_id) &&
      (await hideThreadComment(
        trx,
        hub,
        t,
        {
          id: h.github_id,
          parentId: h.parent_github_id,
          url: h.url,
          createdAt: h.created_at,
        },
        nowIso(hub),
      ))
    )
      counts.hidden++;
  return changed;
}

/**
 * A thread deleted (or moved away) on GitHub: its comments' text replaced by a note, the thread
 * re-indexed (out of search) and the hiding recorded. The caller has hidden the thread's own row.
 */
export async function hideThreadComments(
  trx: Tx,
  hub: Hub,
  t: Thread,
  at: string,
  why: { reason: string; from: string; movedTo?: string },
): Promise<void> {
  await trx
    .updateTable(tableOf(t))
    .set({ body: deletedCommentNote(at), deleted_at: at })
    .where('repo', '=', t.repo)
    .where(threadColumn(t), '=', t.number)
    .where('deleted_at', 'is', null)
    .execute();
  await reindexThread(trx, t);
  await record(trx, hub, GITHUB_ACTOR, `github.${t.kind}-hidden`, subjectOf(t), null, why);
}

/** The thread's comments for its page, oldest first, with their authors' handles (a reply names its parent). */
export function threadCommentsOf(db: Tx, t: Thread) {
  return db
    .selectFrom(tableOf(t))
    .select((eb) => [
      'github_id',
      parentColumn(t),
      'body',
      'url',
      'created_at',
      'deleted_at',
      eb
        .selectFrom('people')
        .select('people.handle')
        .where('people.id', '=', sql.ref<string>(`${tableOf(t)}.author_id`))
        .as('author'),
    ])
    .where('repo', '=', t.repo)
    .where(threadColumn(t), '=', t.number)
    .orderBy('created_at')
    .orderBy('github_id')
    .execute();
}
