// Plain GitHub issues (not pull requests) mirrored into the hub, the same way for the backfill and
// for webhooks: the issue's title, body, state and labels, its author as a person (an unknown one
// a person without an account), its comments, and the link to the original. An older or repeated
// copy changes nothing (updated_at decides); a deleted issue or comment keeps its row with a note
// in place of its text, so a late "created" delivery cannot bring it back.
import { readJson, writeJson } from '../../store/schema.ts';
import { inTransaction, nowIso, record, type Hub, type Tx } from '../core/hub.ts';
import type { GithubClient } from './client.ts';
import { listIssuesPage } from './list-pages.ts';
import { contentHash, GITHUB_ACTOR, mirroredItem, personForLogin, saveItem } from './mirror.ts';
import { indexGithubIssue } from '../search/indexing.ts';
import {
  hideThreadComments,
  mirrorThreadComments,
  reindexThread,
  type Saved,
  subjectOf,
  type Thread,
  type ThreadComment,
  threadCommentsOf,
} from './thread-comments.ts';
import { ownerAndName } from '../../domain/governance/github.ts';
import { followRename } from './repos.ts';
import { LIMITS } from '../../domain/limits.ts';
import { RequestError } from '@octokit/request-error';

type User = { login: string; id?: number | bigint } | null | undefined;
export type IssueJson = {
  number: number;
  title: string;
  body?: string | null;
  state?: string;
  html_url: string;
  created_at: string;
  updated_at: string;
  user?: User;
  labels?: (string | { name?: string })[];
  assignees?: ({ login: string } | null)[] | null;
  pull_request?: unknown;
};
export type IssueCommentJson = {
  id: number;
  body?: string | null;
  user?: User;
  created_at: string;
  updated_at: string;
  html_url: string;
};

import type { IssueCounts } from '../../domain/github/sync-records.ts';

export type { IssueCounts };
export const emptyCounts = (): IssueCounts => ({ added: 0, edited: 0, unchanged: 0, hidden: 0 });

export const deletedIssueNote = (at: string) =>
  `_This issue was deleted on GitHub (${at.slice(0, 10)}); its text is no longer shown here._`;

/**
 * An issue transferred to another repository; `to`: its new address, when GitHub's is a web address.
 * The address is in `<…>`: bare, the emphasis's closing `_` was read as part of it (a link to
 * `…/issues/7_`, GitHub's 404, and the underscores shown).
 */
export const movedIssueNote = (at: string, to: string | undefined) =>
  to && /^https:\/\/[^\s<>()[\]]+$/.test(to)
    ? `_This issue was moved to another repository on GitHub (${at.slice(0, 10)}): <${to}>_`
    : `_This issue was moved to another repository on GitHub (${at.slice(0, 10)}); its text is no longer shown here._`;

const labelNames = (labels: IssueJson['labels']): string[] =>
  (labels ?? []).map((l) => (typeof l === 'string' ? l : (l.name ?? ''))).filter(Boolean);

const thread = (repo: string, number: number): Thread => ({ kind: 'issue', repo, number });

/** The issue as GitHub shows it; returns what changed. */
export async function saveIssue(trx: Tx, hub: Hub, repo: string, issue: IssueJson): Promise<Saved> {
  const known = await mirroredItem(trx, repo, 'issue', issue.number);
  if (known?.deleted_at) return 'unchanged';
  if (known?.github_updated_at && issue.updated_at <= known.github_updated_at) return 'unchanged';
  const authorId = issue.user?.login ? await personForLogin(trx, hub, issue.user.login, issue.user.id) : null;
  const row = {
    title: issue.title,
    body: issue.body ?? '',
    state: issue.state === 'closed' ? 'closed' : 'open',
    author_id: authorId,
    labels: writeJson(labelNames(issue.labels)),
    url: issue.html_url,
    created_at: issue.created_at,
    updated_at: issue.updated_at,
  };
  const existing = await trx
    .selectFrom('github_issues')
    .selectAll()
    .where('repo', '=', repo)
    .where('number', '=', issue.number)
    .executeTakeFirst();
  const id = existing?.id ?? hub.newId();
  if (existing) await trx.updateTable('github_issues').set(row).where('id', '=', id).execute();
  else
    await trx
      .insertInto('github_issues')
      .values({ id, repo, number: issue.number, deleted_at: null, ...row })
      .execute();
  await saveItem(trx, hub, {
    repo,
    kind: 'issue',
    githubId: issue.number,
    number: issue.number,
    hubType: 'github-issue',
    hubId: id,
    url: issue.html_url,
    login: issue.user?.login ?? null,
    createdAt: issue.created_at,
    updatedAt: issue.updated_at,
    hash: contentHash(`${row.title}\n${row.body}`),
    labels: labelNames(issue.labels),
    assignees: (issue.assignees ?? []).flatMap((a) => (a?.login ? [a.login] : [])),
  });
  await indexGithubIssue(trx, id);
  await record(
    trx,
    hub,
    GITHUB_ACTOR,
    existing ? 'github.issue-updated' : 'github.issue-mirrored',
    subjectOf(thread(repo, issue.number)),
    existing ? { title: existing.title, state: existing.state, labels: readJson(existing.labels) } : null,
    { title: row.title, state: row.state, labels: readJson(row.labels), from: issue.html_url },
  );
  return existing ? 'edited' : 'added';
}

/** A comment on a plain issue, as GitHub's REST API and webhooks give it. */
const threadComment = (c: IssueCommentJson): ThreadComment => ({
  id: String(c.id),
  body: c.body ?? '',
  url: c.html_url,
  login: c.user?.login ?? null,
  createdAt: c.created_at,
  updatedAt: c.updated_at,
});

/**
 * An issue deleted on GitHub (or transferred to another repository, `moved`): its text and its
 * comments' text replaced by a note; it stays so.
 */
export async function hideIssue(
  trx: Tx,
  hub: Hub,
  repo: string,
  issue: IssueJson,
  at: string,
  moved?: { movedTo: string | undefined },
): Promise<boolean> {
  const known = await mirroredItem(trx, repo, 'issue', issue.number);
  if (known?.deleted_at) return false;
  if (!known) await saveIssue(trx, hub, repo, issue);
  await trx
    .updateTable('github_issues')
    .set({ body: moved ? movedIssueNote(at, moved.movedTo) : deletedIssueNote(at), deleted_at: at })
    .where('repo', '=', repo)
    .where('number', '=', issue.number)
    .execute();
  await trx
    .updateTable('github_items')
    .set({ deleted_at: at, mirrored_at: nowIso(hub) })
    .where('repo', '=', repo)
    .where('kind', '=', 'issue')
    .where('github_id', '=', String(issue.number))
    .execute();
  await hideThreadComments(trx, hub, thread(repo, issue.number), at, {
    reason: moved ? 'moved to another repository on GitHub' : 'deleted on GitHub',
    from: issue.html_url,
    ...(moved?.movedTo ? { movedTo: moved.movedTo } : {}),
  });
  return true;
}

/**
 * One issue with its comments, as GitHub shows them now. An issue whose updated_at has not moved
 * is not fetched again; a comment mirrored before and no longer listed was deleted on GitHub.
 */
export async function mirrorIssue(
  hub: Hub,
  client: GithubClient,
  repo: string,
  issue: IssueJson,
  issues: IssueCounts,
  comments: IssueCounts,
): Promise<void> {
  const known = await mirroredItem(hub.store.db, repo, 'issue', issue.number);
  if (known && (known.deleted_at || known.github_updated_at === issue.updated_at)) {
    issues.unchanged++;
    return;
  }
  const [owner, name] = ownerAndName(repo);
  const listed = await client.paginate(client.rest.issues.listComments, {
    owner,
    repo: name,
    issue_number: issue.number,
    per_page: 100,
  });
  // one transaction: a run stopped before it commits fetches the issue again. The issue goes first,
  // so a new comment's notice knows whose issue it is on; search indexes it once its comments are in.
  await inTransaction(hub, async (trx) => {
    issues[await saveIssue(trx, hub, repo, issue)]++;
    const t = thread(repo, issue.number);
    if (await mirrorThreadComments(trx, hub, t, listed.map(threadComment), comments)) await reindexThread(trx, t);
  });
}

/**
 * The backfill's issues: the repository's issue list page by page, oldest first (GitHub lists pull
 * requests there too; those are skipped, the pull request listing mirrors them). A page answered
 * 304 to its stored ETag is as it was when every item on it was mirrored, and GitHub does not
 * count it against the rate limit.
 */
export async function syncIssues(
  hub: Hub,
  client: GithubClient,
  repo: string,
  perPage: number,
  /** Resuming: the page to start at, and where to note each page done (the next one to read). */
  resume: { from?: number; reached?: (nextPage: number) => Promise<void> } = {},
): Promise<{ issues: IssueCounts; issueComments: IssueCounts }> {
  const issues = emptyCounts();
  const comments = emptyCounts();
  for (let page = resume.from ?? 1; ; page++) {
    const listed = await listIssuesPage(hub, client, repo, page, perPage);
    if (!listed.unchanged) {
      for (const issue of listed.items)
        if (!issue.pull_request) await mirrorIssue(hub, client, repo, issue, issues, comments);
      // a page read again whose ETag is kept only when every issue it no longer lists was accounted for
      if (await followGone(hub, client, repo, page, listed, issues)) await listed.remember();
    }
    await resume.reached?.(page + 1);
    if (!listed.next) break;
  }
  return { issues, issueComments: comments };
}

/**
 * Issues mirrored as this repository's that a page read again no longer lists where they belong
 * (between its first and last number; from 1 on the first page, and on past the last page; an empty
 * page past the first bounds nothing and says nothing is gone): moved to another repository, or
 * deleted, while the delivery that said so was lost. Each is asked for by number: GitHub redirects a
 * moved issue's address to where it is now (its `repository_url` names the other repository, not
 * this one under the name GitHub gives it since a rename), answers 410 for a deleted one and 404 for
 * one these credentials no longer see; each is hidden with the note a delivery would have left (`transferred`, `deleted`).
 * An issue answered under a name the hub does not know for this repository asks GitHub once what it
 * calls the repository now (`followRename`): renamed or moved while its `repository` delivery was
 * lost, the new name is recorded as the delivery would have, and the issue stays. Another answer
 * (an outage, a rate limit, or, before the hub knows the repository's id, an answer that may be another
 * repository's under the freed name) hides nothing and fails no sync: false, so the page is read again next time.
 */
async function followGone(
  hub: Hub,
  client: GithubClient,
  repo: string,
  page: number,
  listed: { items: IssueJson[]; next: boolean },
  counts: IssueCounts,
): Promise<boolean> {
  const numbers = listed.items.map((i) => i.number);
  // an empty page past the first is read past the end (a sync resumed after its listing was done,
  // or one issue fewer since): it bounds nothing, so it says nothing is gone
  if (page > 1 && !numbers.length) return true;
  const from = page === 1 ? 1 : Math.min(...numbers);
  const to = listed.next && numbers.length ? Math.max(...numbers) : LIMITS.maxNumber;
  const missing = await hub.store.db
    .selectFrom('github_issues')
    .select(['number', 'title', 'url', 'created_at', 'updated_at'])
    .where('repo', '=', repo)
    .where('deleted_at', 'is', null)
    .where('number', '>=', from)
    .where('number', '<=', to)
    .execute();
  const [owner, name] = ownerAndName(repo);
  // GitHub answers a repository renamed or moved since under the name it gives it now (the old one
  // redirects): an issue there is still here
  const mirrored = await hub.store.db
    .selectFrom('github_repos')
    .select(['github_name', 'github_id'])
    .where('name', '=', repo)
    .executeTakeFirst();
  const here = [repo, mirrored?.github_name].filter(Boolean).map((n) => `/repos/${n!.toLowerCase()}`);
  const stillHere = (data: { repository_url: string; repository?: { id: number } }) =>
    here.some((h) => data.repository_url.toLowerCase().endsWith(h)) ||
    Boolean(mirrored?.github_id && data.repository && String(data.repository.id) === mirrored.github_id);
  let accounted = true;
  let askedName = false;
  for (const m of missing.filter((m) => !numbers.includes(m.number))) {
    let gone: { movedTo: string | undefined } | 'deleted';
    try {
      const { data } = await client.rest.issues.get({ owner, repo: name, issue_number: m.number });
      if (stillHere(data)) continue;
      // answered under a name the hub does not know: the repository itself may have been renamed or
      // moved while the delivery that said so was lost; GitHub says what it calls it now (once a page)
      if (!askedName) {
        askedName = true;
        // not answered (an outage, a rate limit, a 404): nothing is hidden on an answer not had
        // (nor on an answer that may be another repository's, made since under the freed name)
        const now = await followRename(hub, client, repo, data.repository?.id).catch(() => undefined);
        if (now === undefined) {
          askedName = false;
          accounted = false;
          continue;
        }
        if (now) here.push(`/repos/${now.toLowerCase()}`);
        if (stillHere(data)) continue;
      }
      gone = { movedTo: data.html_url };
    } catch (e) {
      const status = e instanceof RequestError ? e.status : 0;
      if (status === 410) gone = 'deleted';
      else if (status === 404) gone = { movedTo: undefined };
      else {
        accounted = false;
        continue;
      }
    }
    const issue: IssueJson = {
      number: m.number,
      title: m.title,
      html_url: m.url,
      created_at: m.created_at,
      updated_at: m.updated_at,
    };
    if (
      await inTransaction(hub, (trx) =>
        hideIssue(trx, hub, repo, issue, nowIso(hub), gone === 'deleted' ? undefined : gone),
      )
    )
      counts.hidden++;
  }
  return accounted;
}

/** The page's view of one mirrored plain issue: the issue, its assignees and labels, its comments. */
export async function getMirroredIssue(hub: Hub, repo: string, number: number) {
  // a number no column holds names nothing (PostgreSQL would refuse it as out of range)
  if (!Number.isInteger(number) || number < 1 || number > LIMITS.maxNumber) return null;
  const db = hub.store.db;
  const i = await db
    .selectFrom('github_issues as i')
    .leftJoin('people as p', 'p.id', 'i.author_id')
    .leftJoin('github_items as gi', (j) =>
      j.onRef('gi.repo', '=', 'i.repo').on('gi.kind', '=', 'issue').onRef('gi.hub_id', '=', 'i.id'),
    )
    .selectAll('i')
    .select(['p.handle as author', 'gi.assignees'])
    .where((eb) => eb(eb.fn('lower', ['i.repo']), '=', repo.toLowerCase()))
    .where('i.number', '=', number)
    .executeTakeFirst();
  if (!i) return null;
  const comments = await threadCommentsOf(db, thread(i.repo, i.number));
  return {
    ...i,
    labels: readJson(i.labels),
    assignees: readJson(i.assignees) ?? [],
    comments,
  };
}
