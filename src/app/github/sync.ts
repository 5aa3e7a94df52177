// `wghub github sync REPO`: the backfill. Pull requests page by page (oldest first); a PR that adds
// or changes a SEP file becomes that SEP's proposal through the SEP importer, and its comments and
// reviews its thread; then the configured teams. Idempotent (an item whose updated_at has not
// moved is not fetched again; a list page answered 304 to its ETag is skipped, and GitHub does
// not count it), and resumable: the cursor (the next page) is stored after each page, so an
// interrupted run goes on where it stopped. Rate limits and 5xx are waited out by the client.
import { readJson, writeJson } from '../../store/schema.ts';
import { RequestError } from '@octokit/request-error';
import path from 'node:path';
import { hostname } from 'node:os';
import { invalid, InvalidInput } from '../../domain/errors.ts';
import { mirroredAsBefore } from './repos.ts';
import { ownerAndName, sepNumberOfPath, type GithubMapping } from '../../domain/governance/index.ts';
import type { Hub } from '../core/hub.ts';
import { inTransaction, nowIso, record, type Tx } from '../core/hub.ts';
import { importSepText, linkSepRelations, type SepLink } from '../imports/seps.ts';
import { sepFacts } from '../../domain/sep/index.ts';
import { proposalRow, refOf } from '../proposals/proposals.ts';
import { listPullsPage } from './list-pages.ts';
import type { GithubClient } from './client.ts';
import { pullComment, pullReview } from './pull-thread.ts';
import { syncOwnersFiles, teamNow } from './owners.ts';
import { syncIssues } from './issues.ts';
import { gaveUp, syncDiscussions } from './discussions.ts';
import type { SyncCursor, SyncSummary } from '../../domain/github/sync-records.ts';
import {
  type CommentFacts,
  contentHash,
  GITHUB_ACTOR,
  mirrorNewComments,
  type NewComment,
  prepareNewComment,
  recordOnProposal,
  mirrorComment,
  mirroredItem,
  personForLogin,
  saveCommits,
  pullState,
  saveItem,
  notNewer,
} from './mirror.ts';
import { loadShippedModel } from '../../domain/hints/shipped.ts';

export const PAGE_SIZE = 50;

export type { SyncSummary };

export type SyncProgress = { page: number; pulls: number; number: number; title: string };

export function githubMapping(hub: Hub): GithubMapping {
  const g = hub.governance.github;
  if (!g) throw invalid('github', 'the governance file has no github section: add one (see docs/github.md)');
  return g;
}

export function requireRepository(hub: Hub, repo: string) {
  const r = githubMapping(hub).repositories.find((x) => x.name.toLowerCase() === repo.toLowerCase());
  if (!r)
    throw invalid(
      'repo',
      `${repo} is not one of the governance file's github.repositories (${
        githubMapping(hub)
          .repositories.map((x) => x.name)
          .join(', ') || 'none named'
      })`,
    );
  return r;
}

/**
 * A sync that failed before it began (the App's key refused, the App not installed on the
 * repository: found as its client is made) is the status's last error too, as one that failed midway.
 */
export async function noteSyncFailure(hub: Hub, repo: string, message: string): Promise<void> {
  await ensureRepoRow(hub, repo);
  await hub.store.db.updateTable('github_repos').set({ last_error: message }).where('name', '=', repo).execute();
}

/** The repository's row; its `created_at` is when the hub began watching it (`watchedSince`). */
export async function ensureRepoRow(hub: Hub, repo: string, db: Tx = hub.store.db) {
  await db
    .insertInto('github_repos')
    .values({
      name: repo,
      cursor: null,
      sync_started_at: null,
      sync_finished_at: null,
      summary: null,
      last_error: null,
      created_at: nowIso(hub),
      sync_owner: null,
      sync_lease_until: null,
    })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
}

type PullJson = {
  number: number;
  title: string;
  html_url: string;
  updated_at: string;
  created_at: string;
  user: { login: string } | null;
  head: { sha: string };
  labels: { name?: string }[];
  assignees?: ({ login: string } | null)[] | null;
  state?: string;
  draft?: boolean | null;
  merged_at?: string | null;
};

/** How long a sync's claim on its repository holds unless renewed (it is renewed every third of it). */
export const SYNC_LEASE_MS = 5 * 60_000;

/** Another process is syncing this repository now (its lease is live): this one does nothing. */
export class SyncInProgress extends Error {
  readonly repo: string;
  constructor(repo: string, owner: string | null, until: string | null) {
    super(
      `a sync of ${repo} is already running (${owner ?? 'another process'}, its lease renewed until ${until ?? 'soon'}); nothing done: it mirrors the same`,
    );
    this.repo = repo;
  }
}

/**
 * The sync's claim on its repository: taken when no other live one holds it (none, or its holder
 * stopped renewing it: a process killed mid-sync), renewed every third of the lease while the sync
 * runs, and let go at the end. A sync that finds its claim taken by another stops at its next page.
 */
async function claimRepository(hub: Hub, repo: string, leaseMs: number) {
  const db = hub.store.db;
  const me = `${hostname()}:${process.pid}:${hub.newId()}`;
  const until = () => new Date(hub.clock.now().getTime() + leaseMs).toISOString();
  const taken = await db
    .updateTable('github_repos')
    .set({ sync_owner: me, sync_lease_until: until() })
    .where('name', '=', repo)
    .where((eb) => eb.or([eb('sync_lease_until', 'is', null), eb('sync_lease_until', '<', nowIso(hub))]))
    .returning('name')
    .executeTakeFirst();
  if (!taken) {
    const live = await db
      .selectFrom('github_repos')
      .select(['sync_owner', 'sync_lease_until'])
      .where('name', '=', repo)
      .executeTakeFirst();
    throw new SyncInProgress(repo, live?.sync_owner ?? null, live?.sync_lease_until ?? null);
  }
  let lost = false;
  let renewing: Promise<unknown> = Promise.resolve();
  const heartbeat = setInterval(
    () => {
      renewing = renewing
        .then(async () => {
          const r = await db
            .updateTable('github_repos')
            .set({ sync_lease_until: until() })
            .where('name', '=', repo)
            .where('sync_owner', '=', me)
            .executeTakeFirst();
          if (Number(r.numUpdatedRows) === 0) lost = true;
        })
        .catch(() => {}); // a missed beat is made up by the next; the lease is three beats long
    },
    Math.max(10, Math.floor(leaseMs / 3)),
  );
  heartbeat.unref();
  return {
    /** Throws when another process took the repository over (this one stalled past its lease). */
    check() {
      if (lost) throw new Error(`the sync of ${repo} lost its lease to another process; it goes on there`);
    },
    async release() {
      clearInterval(heartbeat);
      await renewing;
      await db
        .updateTable('github_repos')
        .set({ sync_owner: null, sync_lease_until: null })
        .where('name', '=', repo)
        .where('sync_owner', '=', me)
        .execute();
    },
  };
}

export async function syncRepository(
  hub: Hub,
  client: GithubClient,
  repoName: string,
  opts: {
    onProgress?: (p: SyncProgress) => void;
    pageSize?: number;
    discussionsPerPage?: number;
    /** How long the claim on the repository holds unless renewed (SYNC_LEASE_MS). */
    leaseMs?: number;
  } = {},
): Promise<SyncSummary> {
  const repo = requireRepository(hub, repoName).name;
  // renamed on GitHub after the hub mirrored it: a sync under the new name would mirror it all again beside the copies
  const before = await mirroredAsBefore(hub.store.db, repo);
  if (before)
    throw invalid(
      'repo',
      `GitHub renamed or moved ${before} to ${repo} after the hub mirrored it as ${before}: keep ${before} in the governance file's github.repositories (the hub follows it by its GitHub id and shows it as ${repo})`,
    );
  await ensureRepoRow(hub, repo);
  const claim = await claimRepository(hub, repo, opts.leaseMs ?? SYNC_LEASE_MS);
  try {
    return await syncClaimed(hub, client, repo, opts, claim.check);
  } finally {
    await claim.release();
  }
}

async function syncClaimed(
  hub: Hub,
  client: GithubClient,
  repo: string,
  opts: Parameters<typeof syncRepository>[3] & {},
  stillOurs: () => void,
): Promise<SyncSummary> {
  const perPage = opts.pageSize ?? PAGE_SIZE;
  const [owner] = ownerAndName(repo);
  const db = hub.store.db;
  const row = await db.selectFrom('github_repos').selectAll().where('name', '=', repo).executeTakeFirstOrThrow();
  const cursor: SyncCursor = readJson(row.cursor) ?? { page: 1 };
  // each stage keeps what the others saved, so a run stopped in the issues or the Discussions resumes there
  const saveAt = (at: Partial<SyncCursor>) => {
    stillOurs();
    return saveCursor(hub, repo, Object.assign(cursor, at));
  };
  const summary = emptySummary(row.cursor ? cursor.page : null);
  await db
    .updateTable('github_repos')
    .set({ sync_started_at: nowIso(hub), last_error: null })
    .where('name', '=', repo)
    .execute();
  try {
    for (let page = cursor.page; ; page++) {
      const listed = await listPullsPage(hub, client, repo, page, perPage);
      summary.pages++;
      if (listed.unchanged) {
        // the page is as it was when every item on it was mirrored
        summary.pagesUnchanged++;
        await saveAt({ page: page + 1 });
        if (!listed.next) break;
        continue;
      }
      for (const pr of listed.items) {
        opts.onProgress?.({ page, pulls: summary.pulls + 1, number: pr.number, title: pr.title });
        await syncPull(hub, client, repo, pr, summary);
        summary.pulls++;
      }
      await listed.remember();
      await saveAt({ page: page + 1 });
      if (!listed.next) break;
    }
    if (requireRepository(hub, repo).issues)
      Object.assign(
        summary,
        await syncIssues(hub, client, repo, perPage, {
          from: cursor.issuesPage ?? 1,
          reached: (issuesPage) => saveAt({ issuesPage }),
        }),
      );
    try {
      Object.assign(
        summary,
        await syncDiscussions(hub, client, repo, {
          yieldBetween: yieldToRequests,
          after: cursor.discussionsAfter ?? null,
          reached: (discussionsAfter) => saveAt({ discussionsAfter }),
          ...(opts.discussionsPerPage ? { perPage: opts.discussionsPerPage } : {}),
        }),
      );
    } catch (e) {
      // Discussions turned off, or the App not given Discussions: Read; the rest of the mirror stands
      // (octokit's GraphqlResponseError: GitHub answered, with errors instead of data). GitHub giving
      // up on a page even one at a time fails the sync instead, which resumes there on its next try.
      if (!(e instanceof Error && e.name === 'GraphqlResponseError') || gaveUp(e)) throw e;
      summary.warnings.push(`Discussions not mirrored: ${e.message.slice(0, 300)}`);
    }
    await linkRelations(hub, repo, summary);
    summary.teamMembers = await syncTeams(hub, client, owner);
    summary.owners = await syncOwnersFiles(hub, client, repo);
  } catch (e) {
    await db
      .updateTable('github_repos')
      .set({ last_error: describeFailure(e) })
      .where('name', '=', repo)
      .execute();
    throw e;
  }
  const finished = nowIso(hub);
  await inTransaction(hub, async (trx) => {
    await trx
      .updateTable('github_repos')
      .set({ cursor: null, sync_finished_at: finished, summary: writeJson(summary), last_error: null })
      .where('name', '=', repo)
      .execute();
    await record(trx, hub, GITHUB_ACTOR, 'github.synced', { type: 'github-repo', id: repo }, null, {
      pulls: summary.pulls,
      issues: summary.issues,
      seps: summary.seps,
      comments: summary.comments,
    });
  });
  return summary;
}

async function saveCursor(hub: Hub, repo: string, cursor: SyncCursor): Promise<void> {
  await hub.store.db
    .updateTable('github_repos')
    .set({ cursor: writeJson(cursor) })
    .where('name', '=', repo)
    .execute();
}

/**
 * What went wrong, in words an operator can act on, without any credential: which setting to
 * check (a refused token or App key, a repository the App is not installed on or the token cannot
 * see, an API address that does not answer, a permission missing), or when to run again.
 */
export function describeFailure(e: unknown): string {
  if (e instanceof RequestError) {
    // a GraphQL error the retry plugin raises names the endpoint as asked ('/graphql'), not its address
    const url = new URL(e.request.url, 'https://api.github.com');
    const what = `${e.request.method} ${url.pathname}`;
    const headers = e.response?.headers ?? {};
    const said = e.message.replace(/ - https:\/\/docs\.github\.com\S*$/, '').slice(0, 200);
    if (!e.response)
      return `could not reach GitHub's API at ${url.origin} (${said}) during ${what}: check WGHUB_GITHUB_API_URL (https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise) and the network; run again to resume`;
    if (e.status === 401)
      return /^\/app\/|\/installation$/.test(url.pathname)
        ? `GitHub refused the GitHub App's credentials (401 ${said} to ${what}): check WGHUB_GITHUB_APP_ID and the App's private key (WGHUB_GITHUB_PRIVATE_KEY or WGHUB_GITHUB_PRIVATE_KEY_FILE)`
        : `GitHub refused the credentials (401 ${said} to ${what}): check WGHUB_GITHUB_TOKEN, or WGHUB_GITHUB_APP_ID and the App's private key`;
    const rateLimited =
      e.status === 429 ||
      headers['x-ratelimit-remaining'] === '0' ||
      headers['retry-after'] !== undefined ||
      /rate limit/i.test(e.message);
    if ((e.status === 403 || e.status === 429) && rateLimited) {
      const reset = Number(headers['x-ratelimit-reset']);
      const until =
        reset > 0 ? ` until ${new Date(reset * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC` : '';
      return `GitHub refused ${what} (${e.status}, rate limited${until}); run again later to resume`;
    }
    if (e.status === 403)
      return `GitHub refused ${what} (403 ${said}): the token or the GitHub App lacks a permission the bridge needs (docs/github.md, "Create the GitHub App", lists them)`;
    const repo = /^(?:\/api\/v3)?\/repos\/([^/]+)\/([^/]+)(\/installation|\/pulls|\/issues)?$/.exec(url.pathname);
    if (e.status === 404 && repo?.[3] === '/installation')
      return `the GitHub App is not installed on ${repo[1]}/${repo[2]} (404 to ${what}): install it on the repository (the organisation's settings → GitHub Apps → Configure → Repository access), or take the repository out of github.repositories`;
    if (e.status === 404 && repo)
      return `GitHub shows no repository ${repo[1]}/${repo[2]} to these credentials (404 to ${what}): check its name in github.repositories, that the token or the GitHub App can read it (a private repository needs one that can), and WGHUB_GITHUB_API_URL (${url.origin})`;
    if (e.status >= 500) return `GitHub failed ${what} (${e.status}); run again to resume`;
    return `GitHub answered ${e.status} to ${what}: ${said}`;
  }
  return (e instanceof Error ? e.message : String(e)).slice(0, 500);
}

/**
 * Mirrors one pull request (and, if it carries a SEP file, its proposal and thread). `live`: the
 * comment or review a webhook delivered, when the pull request is mirrored to take it in.
 */
export async function syncPull(
  hub: Hub,
  client: GithubClient,
  repo: string,
  pr: PullJson,
  summary: SyncSummary = emptySummary(),
  live?: { kind: string; id: number },
): Promise<string | null> {
  const [owner, name] = ownerAndName(repo);
  const mapping = githubMapping(hub);
  const db = hub.store.db;
  const known = await mirroredItem(db, repo, 'pull', pr.number);
  if (known && known.github_updated_at === pr.updated_at) {
    summary.pullsUnchanged++;
    return known.hub_type === 'proposal' ? known.hub_id : null;
  }
  const files = await client.paginate(client.rest.pulls.listFiles, {
    owner,
    repo: name,
    pull_number: pr.number,
    per_page: 100,
  });
  const sepFile = files.find((f) => f.status !== 'removed' && sepNumberOfPath(mapping.sepPath, f.filename) !== null);
  const item = {
    repo,
    kind: 'pull',
    githubId: pr.number,
    number: pr.number,
    url: pr.html_url,
    login: pr.user?.login ?? null,
    createdAt: pr.created_at,
    updatedAt: pr.updated_at,
    hash: null,
    labels: pr.labels.map((l) => l.name ?? '').filter(Boolean),
    assignees: (pr.assignees ?? []).flatMap((a) => (a?.login ? [a.login] : [])),
    state: pullState(pr),
  };
  if (!sepFile) {
    await inTransaction(hub, (trx) => saveItem(trx, hub, { ...item, hubType: 'none', hubId: '' }));
    return null;
  }
  const { data } = await client.rest.repos.getContent({ owner, repo: name, path: sepFile.filename, ref: pr.head.sha });
  if (Array.isArray(data) || data.type !== 'file' || !('content' in data))
    throw new Error(`${sepFile.filename} on PR #${pr.number} is not a file`);
  const text = Buffer.from(data.content, 'base64').toString('utf8');
  let imported: Awaited<ReturnType<typeof importSepText>>;
  await yieldToRequests();
  try {
    imported = await importSepText(hub, GITHUB_ACTOR, text, path.basename(sepFile.filename), (w) =>
      summary.warnings.push(`#${pr.number}: ${w}`),
    );
  } catch (e) {
    if (!(e instanceof InvalidInput)) throw e;
    summary.warnings.push(`#${pr.number} ${sepFile.filename}: ${e.issues.map((i) => i.rule).join('; ')}; not mirrored`);
    await inTransaction(hub, (trx) => saveItem(trx, hub, { ...item, hubType: 'none', hubId: '' }));
    return null;
  }
  summary.seps[imported.status === 'created' ? 'created' : imported.status === 'updated' ? 'updated' : 'unchanged']++;
  const proposal = await proposalRow(db, imported.ref, hub.governance);
  // the pull request's lists, asked for at once (the client's throttling still paces them); when, so that
  // a review's listed text never overwrites an edit delivered since (mirror.ts `CommentFacts.present`)
  const listedAt = nowIso(hub);
  const [comments, reviews, reviewComments, listedCommits] = await Promise.all([
    client.paginate(client.rest.issues.listComments, { owner, repo: name, issue_number: pr.number, per_page: 100 }),
    client.paginate(client.rest.pulls.listReviews, { owner, repo: name, pull_number: pr.number, per_page: 100 }),
    client.paginate(client.rest.pulls.listReviewComments, {
      owner,
      repo: name,
      pull_number: pr.number,
      per_page: 100,
    }),
    client.paginate(client.rest.pulls.listCommits, { owner, repo: name, pull_number: pr.number, per_page: 100 }),
  ]);
  // the commits on it: their authors' pushes are activity for the SEP timers (dormancy.ts)
  const commits = listedCommits.flatMap((c) => {
    const at = c.commit.committer?.date ?? c.commit.author?.date;
    return at
      ? [{ repo, number: pr.number, sha: c.sha, proposalId: proposal.id, login: c.author?.login ?? null, at }]
      : [];
  });
  const thread: CommentFacts[] = [
    ...comments.map((c) => pullComment('issue_comment', c)),
    // GitHub's present text of each review, applied when it differs (a listed review says when it was
    // submitted, not when it was last edited) unless an edit made since it was asked for is mirrored
    ...reviews.map((r) => pullReview(r, { present: listedAt })),
    ...reviewComments.map((c) => pullComment('review_comment', c)),
  ].flatMap((c) => (c ? [{ ...c, repo, proposalId: proposal.id }] : []));
  await mirrorThread(hub, thread, summary, live);
  // the PR is recorded last: a run stopped before this point fetches it again (its comments are idempotent)
  await inTransaction(hub, async (trx) => {
    await saveItem(trx, hub, { ...item, hubType: 'proposal', hubId: proposal.id });
    await saveCommits(trx, commits);
    await sponsorFromAssignee(trx, hub, proposal, item.assignees, pr.html_url);
    await recordLabelChanges(trx, hub, repo, pr.number, proposal, readJson(known?.labels ?? null), item.labels);
  });
  return proposal.id;
}

/**
 * A SEP's sponsor is the maintainer assigned to its pull request: when the SEP file names no
 * sponsor, the first assignee becomes the proposal's sponsor (recorded, with the PR it came from).
 * A sponsor the file or the hub already records is never replaced.
 */
async function sponsorFromAssignee(
  trx: Tx,
  hub: Hub,
  proposal: { id: string; number: number; sep_number: number | null },
  assignees: string[],
  url: string,
): Promise<void> {
  const login = assignees[0];
  if (!login) return;
  const row = await trx.selectFrom('proposals').select('sponsor_id').where('id', '=', proposal.id).executeTakeFirst();
  if (!row || row.sponsor_id) return;
  const sponsor = await personForLogin(trx, hub, login);
  await trx.updateTable('proposals').set({ sponsor_id: sponsor }).where('id', '=', proposal.id).execute();
  await recordOnProposal(trx, hub, proposal, 'proposal.sponsor-from-github', null, {
    sponsor: login,
    why: 'assigned to the pull request on GitHub',
    from: url,
  });
}

/**
 * Someone changed a stage label by hand on GitHub (removed the hub's `in-review`, say): the change
 * shows in the proposal's history. The hub does not put the label back (see docs/github.md: it
 * sets labels when the proposal's stage changes, and otherwise leaves people's choices alone).
 */
async function recordLabelChanges(
  trx: Tx,
  hub: Hub,
  repo: string,
  number: number,
  proposal: { number: number; sep_number: number | null },
  before: string[] | null,
  now: string[],
): Promise<void> {
  if (before === null) return;
  const mapping = githubMapping(hub);
  // with write-back on, the hub's own label moves are not news: only what contradicts them is
  const wb = requireRepository(hub, repo).writeBack
    ? await trx
        .selectFrom('github_writeback')
        .select('labels')
        .where('repo', '=', repo)
        .where('number', '=', number)
        .executeTakeFirst()
    : undefined;
  const ours = readJson(wb?.labels ?? null)?.label?.toLowerCase() ?? null;
  const mapped = new Set(
    [...Object.values(mapping.labels.sep), ...Object.values(mapping.labels.contribution)].map((l) => l.toLowerCase()),
  );
  const had = new Set(before.map((l) => l.toLowerCase()));
  const has = new Set(now.map((l) => l.toLowerCase()));
  const removed = [...had].filter((l) => mapped.has(l) && !has.has(l) && (!wb || l === ours));
  const added = [...has].filter((l) => mapped.has(l) && !had.has(l) && (!wb || l !== ours));
  if (!removed.length && !added.length) return;
  await recordOnProposal(
    trx,
    hub,
    proposal,
    'proposal.github-labels-changed',
    { labels: [...had] },
    { labels: now, added, removed },
  );
}

/**
 * Changed comments (an edit, a late copy) are written a few per transaction, with a turn of the
 * event loop before each: on SQLite a transaction holds the one connection and its statements never
 * yield, so a long thread written at once would keep webhook acknowledgements and page reads
 * waiting behind it.
 */
export const COMMENTS_PER_TRANSACTION = 4;

/**
 * New comments (nearly all of a backfill) are written in bulk, this many per transaction: rendered
 * beforehand, outside it, so on SQLite a transaction holds the writer for a few milliseconds; on
 * PostgreSQL fewer, larger transactions mean fewer round trips.
 */
export const NEW_COMMENTS_PER_TRANSACTION = { sqlite: 10, postgres: 50 } as const;

export async function mirrorThread(
  hub: Hub,
  thread: CommentFacts[],
  summary: SyncSummary,
  live?: { kind: string; id: number },
): Promise<void> {
  if (!thread.length) return;
  const db = hub.store.db;
  // what is mirrored already, in one read: an unchanged copy costs no transaction
  const known = new Map<
    string,
    { deleted_at: string | null; content_hash: string | null; github_updated_at: string | null }
  >();
  const key = (kind: string, id: string | number) => `${kind}:${id}`;
  for (let i = 0; i < thread.length; i += 300) {
    const part = thread.slice(i, i + 300);
    for (const r of await db
      .selectFrom('github_items')
      .select(['kind', 'github_id', 'deleted_at', 'content_hash', 'github_updated_at'])
      .where('repo', '=', part[0]!.repo)
      .where('kind', 'in', [...new Set(part.map((c) => c.kind))])
      .where(
        'github_id',
        'in',
        part.map((c) => String(c.id)),
      )
      .execute())
      known.set(key(r.kind, r.github_id), r);
  }
  const fresh: CommentFacts[] = [];
  const changed: CommentFacts[] = [];
  for (const c of thread) {
    const k = known.get(key(c.kind, c.id));
    if (!k) fresh.push(c);
    else if (k.deleted_at || k.content_hash === contentHash(c.body) || notNewer(c, k.github_updated_at))
      summary.comments.unchanged++;
    else changed.push(c);
  }
  // each comment's hints are stored with it: the model loads before any transaction, not inside one
  if (changed.length || fresh.length) await loadShippedModel();
  for (let i = 0; i < changed.length; i += COMMENTS_PER_TRANSACTION) {
    await yieldToRequests();
    await inTransaction(hub, async (trx) => {
      for (const c of changed.slice(i, i + COMMENTS_PER_TRANSACTION))
        summary.comments[await mirrorComment(trx, hub, c)]++;
    });
  }
  if (!fresh.length) return;
  // one proposal per thread: read once
  const proposal = await db
    .selectFrom('proposals as p')
    .leftJoin('groups as g', 'g.id', 'p.group_id')
    .select(['p.id', 'p.number', 'p.sep_number', 'p.title', 'g.slug as group'])
    .where('p.id', '=', fresh[0]!.proposalId)
    .executeTakeFirstOrThrow();
  const per = NEW_COMMENTS_PER_TRANSACTION[hub.store.kind];
  for (let i = 0; i < fresh.length; i += per) {
    const batch: NewComment[] = [];
    for (const c of fresh.slice(i, i + per)) batch.push(prepareNewComment(hub, c));
    await yieldToRequests();
    await inTransaction(hub, (trx) => mirrorNewComments(trx, hub, proposal, batch, live));
    summary.comments.added += batch.length;
  }
}

/** Lets requests that arrived meanwhile (a webhook, a page) run before the backfill's next write. */
export const yieldToRequests = (): Promise<void> => new Promise((r) => setImmediate(r));

/** A summary with nothing counted yet; `resumedFromPage`: the page a resumed run starts at. */
function emptySummary(resumedFromPage: number | null = null): SyncSummary {
  return {
    pages: 0,
    pagesUnchanged: 0,
    pulls: 0,
    pullsUnchanged: 0,
    seps: { created: 0, updated: 0, unchanged: 0 },
    comments: { added: 0, edited: 0, unchanged: 0 },
    teamMembers: 0,
    warnings: [],
    resumedFromPage,
  };
}

/** The configured teams of this owner: members who joined get the team's role if theirs is lower; those who left are recorded. */
async function syncTeams(hub: Hub, client: GithubClient, owner: string): Promise<number> {
  const mapping = githubMapping(hub);
  let n = 0;
  for (const t of mapping.teams.filter((x) => x.org.toLowerCase() === owner.toLowerCase())) {
    const members = (
      await client.paginate(client.rest.teams.listMembersInOrg, { org: t.org, team_slug: t.team, per_page: 100 })
    ).filter((m) => m !== null);
    n += members.length;
    await inTransaction(hub, (trx) =>
      teamNow(
        trx,
        hub,
        t,
        members.map((m) => m.login),
      ),
    );
  }
  return n;
}

/** The relations SEP headers name (Supersedes, Related), linked once every SEP of the repository is in. */
async function linkRelations(hub: Hub, repo: string, summary: SyncSummary): Promise<void> {
  const rows = await hub.store.db
    .selectFrom('github_items as i')
    .innerJoin('proposals as p', 'p.id', 'i.hub_id')
    .select(['p.number', 'p.sep_number', 'p.source'])
    .where('i.repo', '=', repo)
    .where('i.kind', '=', 'pull')
    .where('i.hub_type', '=', 'proposal')
    .execute();
  const links: SepLink[] = [];
  for (const r of rows) {
    if (!r.source) continue;
    const facts = sepFacts(readJson(r.source).document);
    const from = refOf(r);
    links.push(
      ...facts.supersedes.map((to) => ({ from, kind: 'supersedes' as const, to })),
      ...facts.related.map((to) => ({ from, kind: 'related' as const, to })),
    );
  }
  await linkSepRelations(hub, GITHUB_ACTOR, links, summary.warnings);
}
