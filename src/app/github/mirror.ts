// Writing what GitHub says into the hub, the same way for the backfill and for webhooks: a login
// becomes a person (an unknown one a person without an account), a comment or review becomes a
// comment in the proposal's thread, and every mirrored item keeps a row naming its original.
// Applying the same item twice, or an older copy after a newer one, changes nothing.
import { referencePrefix } from '../../domain/governance/index.ts';
import { documentWords } from '../../domain/governance/words.ts';
import { readJson, writeJson } from '../../store/schema.ts';
import { githubPull } from '../../domain/github/pull-link.ts';
import { type StoredRendering, storedRendering } from '../../domain/comment-rendering.ts';
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { Handle, isReservedHandle } from '../../domain/community.ts';
import { affiliationOn } from '../../domain/people.ts';
import type { GithubItemsTable } from '../../store/schema.ts';
import { changedWithoutEvent, nowIso, record, recordMany, type Actor, type Hub, type Tx } from '../core/hub.ts';
import { ensurePerson } from '../people/known-people.ts';
import { findPersonRow } from '../people/people.ts';
import { refOf } from '../proposals/proposals.ts';
import { indexComment, indexNewComments } from '../search/indexing.ts';
import { findMentions } from '../../domain/markdown.ts';
import { loadShippedModel } from '../../domain/hints/shipped.ts';
import { isDismissedReview } from './pull-thread.ts';

/** The bridge's own name in the event log. */
export const GITHUB_ACTOR: Actor = { kind: 'system', label: 'github' };

/** What the bridge did to a proposal, in its history. */
export const recordOnProposal = (
  trx: Tx,
  hub: Hub,
  proposal: { number: number; sep_number: number | null },
  kind: string,
  before: Record<string, unknown> | null,
  after: Record<string, unknown>,
) => record(trx, hub, GITHUB_ACTOR, kind, { type: 'proposal', id: refOf(proposal) }, before, after);

export function contentHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

/**
 * The person a GitHub login belongs to: by their recorded GitHub login, then by handle; else recorded
 * now. `accountId`, GitHub's numeric id of the account when the payload or listing gives it, is
 * recorded for a person who has none yet, so signing in by that login later checks it is the same
 * account (github-sign-in.ts): GitHub frees a renamed login for anyone to register.
 */
export async function personForLogin(
  trx: Tx,
  hub: Hub,
  login: string,
  accountId?: number | bigint | null,
): Promise<string> {
  // the account the hub already knows, under whatever login it had: a login renamed on GitHub
  // stays its person's (their new login becomes the one on record), never a second person
  if (accountId != null) {
    const known = await trx
      .selectFrom('people')
      .select(['id', 'handle', 'github'])
      .where('github_account_id', '=', String(accountId))
      .executeTakeFirst();
    if (known) {
      if (known.github?.toLowerCase() !== login.toLowerCase()) await followRename(trx, hub, known, login);
      return known.id;
    }
    // the login on record is another account's: GitHub freed it when that account was renamed, and
    // this one took it. Its person is not this one (a stranger's comments read as a maintainer's)
    const freed = await trx
      .selectFrom('people')
      .select(['id', 'handle', 'github'])
      .where((eb) => eb(eb.fn('lower', ['github']), '=', login.toLowerCase()))
      .where('github_account_id', 'is not', null)
      .where('github_account_id', '!=', String(accountId))
      .execute();
    for (const p of freed) await loginTakenOver(trx, hub, p, accountId);
  }
  const id = await personOfLogin(trx, hub, login);
  if (accountId != null)
    await trx
      .updateTable('people')
      .set({ github_account_id: String(accountId) })
      .where('id', '=', id)
      .where('github_account_id', 'is', null)
      .where((eb) => eb(eb.fn('lower', ['github']), '=', login.toLowerCase()))
      .execute();
  return id;
}

/**
 * A GitHub account the hub knows (by its id) met under a new login: the login on record becomes the
 * new one (`person.github-renamed`), unless someone else here already has it on record (the mirror
 * met it before it knew the account): then the account's person keeps theirs, and two records of
 * one person are a moderator's to join.
 */
async function followRename(
  trx: Tx,
  hub: Hub,
  person: { id: string; handle: string; github: string | null },
  login: string,
): Promise<void> {
  const taken = await trx
    .selectFrom('people')
    .select('id')
    .where((eb) => eb(eb.fn('lower', ['github']), '=', login.toLowerCase()))
    .executeTakeFirst();
  if (taken) return;
  await setGithubLogin(trx, hub, person, login);
}

/**
 * A person whose GitHub login on record now belongs to another account (`accountId`): the login is
 * no longer theirs, so it is taken off their record (`person.github-renamed` to none) and the mirror
 * makes the account that has it now a person of its own. Their new login is recorded when the mirror
 * next meets their account (`followRename`), or when they sign in with GitHub.
 */
async function loginTakenOver(
  trx: Tx,
  hub: Hub,
  person: { id: string; handle: string; github: string | null },
  accountId: number | bigint,
): Promise<void> {
  await setGithubLogin(trx, hub, person, null, {
    why: `GitHub account ${accountId} has the login ${person.github} now: this person's account was renamed`,
  });
}

/** A person's GitHub login as the mirror now knows it (or none), logged as `person.github-renamed`. */
async function setGithubLogin(
  trx: Tx,
  hub: Hub,
  person: { id: string; handle: string; github: string | null },
  login: string | null,
  said: { why?: string } = {},
): Promise<void> {
  await trx
    .updateTable('people')
    .set((eb) => ({ github: login, version: eb('version', '+', 1), updated_at: nowIso(hub) }))
    .where('id', '=', person.id)
    .execute();
  await record(
    trx,
    hub,
    GITHUB_ACTOR,
    'person.github-renamed',
    { type: 'person', id: person.handle },
    { github: person.github },
    { github: login, ...said },
  );
}

/**
 * A handle nobody holds for a person the mirror makes from a GitHub login: the login's, then -2,
 * -3… A local person whose handle is the login is not taken to be them (anyone may register any
 * free login on GitHub): only the GitHub login on record links a person (docs/github.md).
 */
async function freeHandleFor(trx: Tx, login: string): Promise<string> {
  const cleaned = login.replace(/\[bot\]$/, '-bot').replace(/[^A-Za-z0-9-]/g, '-');
  const base = Handle.safeParse(cleaned).success ? cleaned : `gh-${contentHash(login).slice(0, 12)}`;
  for (let n = 1; n <= 100; n++) {
    const handle = n === 1 ? base : `${base.slice(0, 34)}-${n}`;
    // 'operator' stands for the hub's operator: that login gets operator-2, as a sign-in does
    if (!isReservedHandle(handle) && !(await findPersonRow(trx, handle))) return handle;
  }
  // a hundred people named after one login: a name from its hash (taken only by chance)
  for (let n = 0; ; n++) {
    const handle = `gh-${contentHash(`${login}#${n}`).slice(0, 12)}`;
    if (!(await findPersonRow(trx, handle))) return handle;
  }
}

async function personOfLogin(trx: Tx, hub: Hub, login: string): Promise<string> {
  const byGithub = await trx
    .selectFrom('people')
    .select('id')
    .where((eb) => eb(eb.fn('lower', ['github']), '=', login.toLowerCase()))
    .executeTakeFirst();
  if (byGithub) return byGithub.id;
  return (
    await ensurePerson(trx, hub, GITHUB_ACTOR, {
      handle: await freeHandleFor(trx, login),
      name: login,
      github: login,
      discord: null,
      organisation: null,
    })
  ).id;
}

export async function mirroredItem(
  db: Tx,
  repo: string,
  kind: string,
  githubId: string | number,
): Promise<GithubItemsTable | undefined> {
  return db
    .selectFrom('github_items')
    .selectAll()
    .where('repo', '=', repo)
    .where('kind', '=', kind)
    .where('github_id', '=', String(githubId))
    .executeTakeFirst();
}

export type ItemFacts = {
  repo: string;
  kind: string;
  githubId: string | number;
  number: number | null;
  hubType: string;
  hubId: string;
  url: string;
  login: string | null;
  createdAt: string | null;
  updatedAt: string | null;
  hash: string | null;
  /** A pull request's or issue's labels as GitHub shows them now. */
  labels?: string[];
  /** Who it is assigned to on GitHub now (logins). */
  assignees?: string[];
  /** A pull request's state on GitHub now (`pullState`). */
  state?: PullState;
};

export type PullState = 'open' | 'draft' | 'merged' | 'closed';

/** A pull request's state as GitHub's REST API and webhooks give it: merged, closed unmerged, a draft, or open. */
export const pullState = (pr: { state?: string; draft?: boolean | null; merged_at?: string | null }): PullState =>
  pr.merged_at ? 'merged' : pr.state === 'closed' ? 'closed' : pr.draft ? 'draft' : 'open';

export async function saveItem(trx: Tx, hub: Hub, f: ItemFacts): Promise<void> {
  const row = {
    repo: f.repo,
    kind: f.kind,
    github_id: String(f.githubId),
    number: f.number,
    hub_type: f.hubType,
    hub_id: f.hubId,
    url: f.url,
    author_login: f.login,
    github_created_at: f.createdAt,
    github_updated_at: f.updatedAt,
    content_hash: f.hash,
    deleted_at: null,
    mirrored_at: nowIso(hub),
    ...(f.labels ? { labels: writeJson(f.labels) } : {}),
    ...(f.assignees ? { assignees: writeJson(f.assignees) } : {}),
    ...(f.state ? { state: f.state } : {}),
  };
  // a proposal's view shows its pull request or issue (proposals.ts): a link made, moved or
  // re-pointed drops cached reads, though it records no event
  const before = await trx
    .selectFrom('github_items')
    .select(['hub_type', 'hub_id', 'url', 'state'])
    .where('repo', '=', row.repo)
    .where('kind', '=', row.kind)
    .where('github_id', '=', row.github_id)
    .executeTakeFirst();
  const linked = (t: string | undefined) => t === 'proposal';
  if (
    (linked(before?.hub_type) || linked(row.hub_type)) &&
    (before?.hub_type !== row.hub_type ||
      before?.hub_id !== row.hub_id ||
      before?.url !== row.url ||
      (f.state !== undefined && before?.state !== f.state))
  )
    await changedWithoutEvent(trx, hub, null);
  else if (row.kind === 'pull' && row.number !== null && f.state !== undefined && before?.state !== f.state) {
    // and a pull request's state, where a contribution names it by link (its view's pullRequest):
    // only those proposals' pages are dropped, in this process and the others; a pull request no
    // proposal names (most of a first sync) drops nothing
    const naming = await proposalsNamingPull(trx, row.repo, row.number);
    if (naming.length)
      await changedWithoutEvent(
        trx,
        hub,
        naming.map((ref) => `proposal:${ref}`),
      );
  }
  await trx
    .insertInto('github_items')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['repo', 'kind', 'github_id']).doUpdateSet({
        number: row.number,
        hub_type: row.hub_type,
        hub_id: row.hub_id,
        url: row.url,
        author_login: row.author_login,
        github_updated_at: row.github_updated_at,
        content_hash: row.content_hash,
        mirrored_at: row.mirrored_at,
        ...(f.labels ? { labels: writeJson(f.labels) } : {}),
        ...(f.assignees ? { assignees: writeJson(f.assignees) } : {}),
        ...(f.state ? { state: f.state } : {}),
      }),
    )
    .execute();
}

/** The proposals (stored refs, SEP-12) whose pull request link names this GitHub pull request. */
async function proposalsNamingPull(trx: Tx, repo: string, number: number): Promise<string[]> {
  // the link holds `/pull/N`: only those rows are read and their link parsed as the view parses it
  const rows = await trx
    .selectFrom('proposals')
    .select(['number', 'sep_number', 'links'])
    .where(sql<string>`lower(links)`, 'like', `%/pull/${number}%`)
    .execute();
  if (!rows.length) return [];
  // the repository as configured, or as GitHub names it now (renamed or moved since)
  const named = await trx.selectFrom('github_repos').select('github_name').where('name', '=', repo).executeTakeFirst();
  const names = new Set([repo, named?.github_name].flatMap((n) => (n ? [n.toLowerCase()] : [])));
  return rows
    .filter((p) => {
      const pull = githubPull(readJson(p.links)?.pullRequest ?? '');
      return pull?.number === number && names.has(pull.repo.toLowerCase());
    })
    .map((p) => refOf(p));
}

export type CommentFacts = {
  repo: string;
  /** issue_comment | review | review_comment */
  kind: string;
  id: number | string;
  proposalId: string;
  login: string;
  /** GitHub's numeric id of the author's account, when the source gives it. */
  accountId?: number | bigint | null;
  body: string;
  createdAt: string;
  updatedAt: string;
  url: string;
  /**
   * A review dismissed on GitHub: final (no review comes back from it), and GitHub keeps its
   * submitted time, the only time a review carries, so it is applied over the copy of the same time.
   */
  final?: boolean;
  /**
   * A review's text as edited (an `edited` delivery) or as GitHub lists it now (the backfill and the
   * reconcile): GitHub keeps a review's submitted time when its text is edited, so this is applied
   * over a copy of the same time, but never over a dismissal (final). An edit's delivery says when
   * it was made (`review.updated_at`, its `updatedAt`): of two edits, the newer stands, whichever
   * came last.
   */
  retext?: boolean;
  /**
   * GitHub's present text as a listing shows it (the backfill, the reconcile), and when that listing
   * was asked for (the hub's clock, before the request): a review listed carries no time of its last
   * edit, so it is applied whenever its text differs (the edit delivered last may be older than what
   * GitHub shows), keeping the time of the newest edit known; but not over an edit made at or after
   * the second it was asked for (`listedBefore`): the listing may predate that edit. A dismissal listed
   * is applied still (final).
   */
  present?: string;
};

/**
 * Whether a listing asked for at `listedAt` may be older than the mirrored edit of `editedAt`: the edit
 * was made at or after the second the listing was asked for (GitHub's times are whole seconds).
 */
export function listedBefore(listedAt: string, editedAt: string | null): boolean {
  if (!editedAt) return false;
  return Date.parse(editedAt) >= Math.floor(Date.parse(listedAt) / 1000) * 1000;
}

/**
 * Whether a copy of this time is not to be applied over the mirrored one of `knownAt`: older, or as
 * old and not an edit. A dismissal (final: no review comes back from one) and GitHub's present text
 * are applied whatever their time, which for a review is its submitted time, older than its edits
 * (the present text, though, not over an edit made since the listing was asked for: `mirrorComment`).
 */
export function notNewer(
  c: Pick<CommentFacts, 'updatedAt' | 'final' | 'retext' | 'present'>,
  knownAt: string | null,
): boolean {
  if (!knownAt || c.final || c.present) return false;
  return c.updatedAt < knownAt || (c.updatedAt === knownAt && !c.retext);
}

/**
 * When the hub began watching a repository: its row in `github_repos`, made by the first sync or the
 * first delivery applied. Null when neither has happened.
 */
export async function watchedSince(trx: Tx, repo: string): Promise<string | null> {
  const row = await trx.selectFrom('github_repos').select('created_at').where('name', '=', repo).executeTakeFirst();
  return row?.created_at ?? null;
}

/**
 * Whether a comment new to the hub is news to the people of its proposal, or history. A comment a
 * webhook delivers (`live`) is news; one a listing finds (the backfill, the reconcile) is news when
 * GitHub dates it at or after the moment the hub began watching the repository (a delivery missed
 * since then), and history otherwise: a first backfill of years of threads tells nobody anything.
 */
export function isNews(createdAt: string, since: string | null, live: boolean): boolean {
  if (live) return true;
  return since !== null && Date.parse(createdAt) >= Date.parse(since);
}

/**
 * What a mirrored comment's event (`proposal.commented`, or a mirrored issue's or Discussion's
 * `github.issue-commented`, `github.discussion-commented`) says beyond the comment: history is marked
 * `historical` (the notifications pass it by); news names the people its `@login`s mention, by
 * the GitHub login the hub knows them by (a login nobody in the hub has is nobody to tell).
 */
export async function commentedFacts(
  trx: Tx,
  hub: Hub,
  items: { body: string; news: boolean }[],
): Promise<({ historical: true } | { mentions: { people: string[]; items: string[] } })[]> {
  // a document cited as this community does (RFC-12) is found as SEP-12 is
  const prefix = referencePrefix(hub.governance);
  const found = items.map((i) => (i.news ? findMentions(i.body, prefix) : null));
  const logins = [...new Set(found.flatMap((m) => m?.people ?? []).map((l) => l.toLowerCase()))];
  const handles = new Map<string, string>();
  for (let i = 0; i < logins.length; i += 200) {
    const rows = await trx
      .selectFrom('people')
      .select(['handle', 'github'])
      .where((eb) => eb(eb.fn('lower', ['github']), 'in', logins.slice(i, i + 200)))
      .execute();
    for (const r of rows) if (r.github) handles.set(r.github.toLowerCase(), r.handle);
  }
  return found.map((m) =>
    m
      ? {
          mentions: {
            people: [...new Set(m.people.flatMap((l) => handles.get(l.toLowerCase()) ?? []))],
            items: m.items,
          },
        }
      : { historical: true as const },
  );
}

/**
 * A GitHub comment or review in the proposal's thread; returns what changed. `live`: a webhook
 * delivered it (a new one is news; see `isNews`).
 */
export async function mirrorComment(
  trx: Tx,
  hub: Hub,
  c: CommentFacts,
  opts: { live?: boolean } = {},
): Promise<'added' | 'edited' | 'unchanged'> {
  await loadShippedModel(); // a comment's hints are stored with it (the model loads on first use)
  const hash = contentHash(c.body);
  const known = await mirroredItem(trx, c.repo, c.kind, c.id);
  const proposal = await trx
    .selectFrom('proposals')
    .select(['id', 'number', 'sep_number'])
    .where('id', '=', c.proposalId)
    .executeTakeFirstOrThrow();
  if (known) {
    // a deleted comment stays hidden; an older or identical copy (a replay, a late delivery) changes nothing
    if (known.deleted_at || known.content_hash === hash) return 'unchanged';
    if (notNewer(c, known.github_updated_at)) return 'unchanged';
    // a listing asked for before the edit mirrored since (its delivery came while the reconcile ran) is stale
    if (c.present && !c.final && listedBefore(c.present, known.github_updated_at)) return 'unchanged';
    const row = await trx.selectFrom('comments').selectAll().where('id', '=', known.hub_id).executeTakeFirstOrThrow();
    // an edit (or a listing) of the review as it stood before its dismissal does not undo the dismissal
    if (c.retext && !c.final && isDismissedReview(row.body)) return 'unchanged';
    // GitHub's present text keeps the time of the newest edit known (made before the listing was asked
    // for), so an older edit delivered later stays older
    if (c.present && known.github_updated_at && known.github_updated_at > c.updatedAt)
      c = { ...c, updatedAt: known.github_updated_at };
    await trx
      .updateTable('comments')
      .set({
        body: c.body,
        updated_at: c.updatedAt,
        version: row.version + 1,
        rendered: writeJson(storedRendering(c.body, row.version + 1, documentWords(hub.governance).prefix)),
      })
      .where('id', '=', row.id)
      .execute();
    await trx
      .insertInto('comment_revisions')
      .values({ comment_id: row.id, revision: row.version + 1, body: c.body, edited_at: c.updatedAt })
      .execute();
    await indexComment(trx, row.id);
    await saveItem(trx, hub, { ...itemOf(c, row.id), hash });
    await recordOnProposal(
      trx,
      hub,
      proposal,
      'proposal.comment-edited',
      // revisions, not text, as an edit made here records (proposals/comments.ts)
      { comment: row.id, revision: row.version },
      { comment: row.id, revision: row.version + 1, on: c.url },
    );
    return 'edited';
  }
  const authorId = await personForLogin(trx, hub, c.login, c.accountId);
  const affs = await trx
    .selectFrom('affiliations as a')
    .innerJoin('organisations as o', 'o.id', 'a.organisation_id')
    .select(['o.name as organisation', 'a.from_date as from', 'a.to_date as to'])
    .where('a.person_id', '=', authorId)
    .execute();
  const id = hub.newId();
  await trx
    .insertInto('comments')
    .values({
      id,
      proposal_id: c.proposalId,
      parent_id: null,
      author_id: authorId,
      body: c.body,
      // affiliation comes from the hub's own record, never guessed from GitHub
      organisation: affiliationOn(affs, c.createdAt)?.organisation ?? null,
      created_at: c.createdAt,
      updated_at: c.updatedAt,
      version: 1,
      rendered: writeJson(storedRendering(c.body, 1, documentWords(hub.governance).prefix)),
    })
    .execute();
  await trx
    .insertInto('comment_revisions')
    .values({ comment_id: id, revision: 1, body: c.body, edited_at: c.updatedAt })
    .execute();
  await indexComment(trx, id);
  await saveItem(trx, hub, { ...itemOf(c, id), hash });
  const news = isNews(c.createdAt, await watchedSince(trx, c.repo), opts.live ?? false);
  const [facts] = await commentedFacts(trx, hub, [{ body: c.body, news }]);
  await recordOnProposal(trx, hub, proposal, 'proposal.commented', null, {
    comment: id,
    from: c.url,
    ...facts,
  });
  return 'added';
}

/** A comment new to the hub, prepared outside any transaction (its id, hash and rendering). */
export type NewComment = {
  facts: CommentFacts;
  id: string;
  hash: string;
  rendered: ReturnType<typeof writeJson<StoredRendering>>;
};

/** A new comment's row; its hints need the shipped model loaded (`loadShippedModel()`). */
export function prepareNewComment(hub: Hub, c: CommentFacts): NewComment {
  return {
    facts: c,
    id: hub.newId(),
    hash: contentHash(c.body),
    rendered: writeJson(storedRendering(c.body, 1, documentWords(hub.governance).prefix)),
  };
}

/**
 * Comments new to the hub, all on one proposal, written in bulk (a backfill's thread): the same
 * rows, search documents, mirror links and `proposal.commented` events as `mirrorComment` writes
 * for each, with a few statements for the lot instead of a dozen per comment. `live`: the comment
 * a webhook delivered, when it came along with its pull request's thread (news; see `isNews`).
 */
export async function mirrorNewComments(
  trx: Tx,
  hub: Hub,
  proposal: { id: string; number: number; sep_number: number | null; title: string; group: string | null },
  comments: NewComment[],
  live?: { kind: string; id: string | number },
): Promise<void> {
  if (!comments.length) return;
  const authors = new Map<string, string>();
  for (const c of comments)
    if (!authors.has(c.facts.login))
      authors.set(c.facts.login, await personForLogin(trx, hub, c.facts.login, c.facts.accountId));
  const affs = await trx
    .selectFrom('affiliations as a')
    .innerJoin('organisations as o', 'o.id', 'a.organisation_id')
    .select(['a.person_id', 'o.name as organisation', 'a.from_date as from', 'a.to_date as to'])
    .where('a.person_id', 'in', [...new Set(authors.values())])
    .execute();
  const rows = comments.map((c) => {
    const authorId = authors.get(c.facts.login)!;
    return {
      id: c.id,
      proposal_id: proposal.id,
      parent_id: null,
      author_id: authorId,
      body: c.facts.body,
      // affiliation comes from the hub's own record, never guessed from GitHub
      organisation:
        affiliationOn(
          affs.filter((a) => a.person_id === authorId),
          c.facts.createdAt,
        )?.organisation ?? null,
      created_at: c.facts.createdAt,
      updated_at: c.facts.updatedAt,
      version: 1,
      rendered: c.rendered,
    };
  });
  const now = nowIso(hub);
  for (let i = 0; i < rows.length; i += 100) {
    const part = rows.slice(i, i + 100);
    await trx.insertInto('comments').values(part).execute();
    await trx
      .insertInto('comment_revisions')
      .values(part.map((r) => ({ comment_id: r.id, revision: 1, body: r.body, edited_at: r.updated_at })))
      .execute();
    await trx
      .insertInto('github_items')
      .values(
        comments.slice(i, i + 100).map((c) => ({
          repo: c.facts.repo,
          kind: c.facts.kind,
          github_id: String(c.facts.id),
          number: null,
          hub_type: 'comment',
          hub_id: c.id,
          url: c.facts.url,
          author_login: c.facts.login,
          github_created_at: c.facts.createdAt,
          github_updated_at: c.facts.updatedAt,
          content_hash: c.hash,
          deleted_at: null,
          mirrored_at: now,
        })),
      )
      .execute();
  }
  const ref = refOf(proposal);
  await indexNewComments(trx, rows, { ref, title: proposal.title, group: proposal.group });
  const since = await watchedSince(trx, comments[0]!.facts.repo);
  const facts = await commentedFacts(
    trx,
    hub,
    comments.map((c) => ({
      body: c.facts.body,
      news: isNews(
        c.facts.createdAt,
        since,
        live !== undefined && live.kind === c.facts.kind && String(live.id) === String(c.facts.id),
      ),
    })),
  );
  await recordMany(
    trx,
    hub,
    GITHUB_ACTOR,
    comments.map((c, i) => ({
      kind: 'proposal.commented',
      subject: { type: 'proposal', id: ref },
      before: null,
      after: { comment: c.id, from: c.facts.url, ...facts[i] },
    })),
    // what a comment changes in cached reads: this proposal's pages (as a comment made here)
    [`proposal:${ref}`],
  );
}

function itemOf(c: CommentFacts, hubId: string): Omit<ItemFacts, 'hash'> {
  return {
    repo: c.repo,
    kind: c.kind,
    githubId: c.id,
    number: null,
    hubType: 'comment',
    hubId,
    url: c.url,
    login: c.login,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

/** A comment deleted on GitHub: its text is removed from the hub (history too) and a note says why. */
export async function hideDeletedComment(
  trx: Tx,
  hub: Hub,
  repo: string,
  kind: string,
  id: number | string,
  at: string,
): Promise<boolean> {
  await loadShippedModel(); // a comment's hints are stored with it (the model loads on first use)
  const known = await mirroredItem(trx, repo, kind, id);
  if (!known || known.deleted_at) return false;
  const note = `_This comment was deleted on GitHub (${at.slice(0, 10)}); its text is no longer shown here._`;
  const row = await trx.selectFrom('comments').selectAll().where('id', '=', known.hub_id).executeTakeFirst();
  if (row) {
    await trx
      .updateTable('comments')
      .set({
        body: note,
        updated_at: at,
        version: row.version + 1,
        rendered: writeJson(storedRendering(note, row.version + 1, documentWords(hub.governance).prefix)),
      })
      .where('id', '=', row.id)
      .execute();
    await trx.deleteFrom('comment_revisions').where('comment_id', '=', row.id).execute();
    await trx
      .insertInto('comment_revisions')
      .values({ comment_id: row.id, revision: row.version + 1, body: note, edited_at: at })
      .execute();
    await indexComment(trx, row.id);
    const proposal = await trx
      .selectFrom('proposals')
      .select(['number', 'sep_number'])
      .where('id', '=', row.proposal_id)
      .executeTakeFirstOrThrow();
    await recordOnProposal(trx, hub, proposal, 'proposal.comment-hidden', null, {
      comment: row.id,
      reason: 'deleted on GitHub',
      from: known.url,
    });
  }
  await trx
    .updateTable('github_items')
    .set({ deleted_at: at, mirrored_at: nowIso(hub) })
    .where('repo', '=', repo)
    .where('kind', '=', kind)
    .where('github_id', '=', String(id))
    .execute();
  return true;
}

export type CommitFacts = {
  repo: string;
  number: number;
  sha: string;
  proposalId: string;
  login: string | null;
  at: string;
};

/**
 * Commits on a mirrored pull request, kept once each (by sha): the SEP timers count those of the
 * proposal's responsible people as their activity (app/proposals/dormancy.ts).
 */
export async function saveCommits(trx: Tx, commits: CommitFacts[]): Promise<void> {
  for (let i = 0; i < commits.length; i += 200)
    await trx
      .insertInto('github_commits')
      .values(
        commits.slice(i, i + 200).map((c) => ({
          repo: c.repo,
          number: c.number,
          sha: c.sha,
          proposal_id: c.proposalId,
          login: c.login,
          at: c.at,
        })),
      )
      .onConflict((oc) => oc.columns(['repo', 'number', 'sha']).doNothing())
      .execute();
}

/** The GitHub original of a hub object, if it is mirrored. */
export async function githubLink(db: Tx, hubType: string, hubId: string): Promise<string | null> {
  const row = await db
    .selectFrom('github_items')
    .select('url')
    .where('hub_type', '=', hubType)
    .where('hub_id', '=', hubId)
    .executeTakeFirst();
  return row?.url ?? null;
}
