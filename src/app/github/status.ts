// What an operator needs to see of the bridge: each configured repository, its last sync and how
// far an unfinished one got, the webhook deliveries, and the GitHub queues with their failures.
import { readJson } from '../../store/schema.ts';
import type { Hub } from '../core/hub.ts';
import { type FailedJob, failedJobs, type QueueStats, queueStats } from '../core/jobs.ts';
import type { RepoOnGithub } from './repos.ts';
import type { SyncSummary } from './sync.ts';
import { MIRRORED_EVENTS, SIGNATURE_MISSING } from './webhooks.ts';

/** What every edge says of a repository GitHub made private, archived or deleted. */
const ON_GITHUB_WORDS: Record<RepoOnGithub, string> = {
  private: 'made private on GitHub: no longer polled, what was mirrored stays',
  archived: 'archived on GitHub: no longer polled, what was mirrored stays',
  deleted: 'deleted on GitHub: no longer polled, what was mirrored stays',
};

export const GITHUB_QUEUES = ['github.delivery', 'github.writeback', 'github.sync'] as const;

export type GithubRepoStatus = {
  name: string;
  /** Its name on GitHub now: another when it was renamed or transferred since the hub mirrored it as `name`. */
  nameOnGithub: string;
  /** What GitHub made of it, as its last delivery said: private, archived or deleted (then it is polled no more), or null. */
  onGithub: { state: RepoOnGithub; since: string; says: string } | null;
  writeBack: boolean;
  lastSyncStartedAt: string | null;
  lastSyncFinishedAt: string | null;
  /** The page an interrupted sync resumes at; null when the last one finished. */
  resumesAtPage: number | null;
  lastError: string | null;
  lastSummary: Pick<SyncSummary, 'pulls' | 'seps' | 'comments' | 'teamMembers'> | null;
  mirrored: number;
  /** Plain GitHub issues mirrored (not pull requests), and comments on them; deleted ones not counted. */
  issues: { open: number; closed: number; comments: number };
  /** Pull requests mirrored, and the comments, reviews and review comments of their threads. */
  pulls: { count: number; comments: number };
  /** Discussions mirrored, their comments and replies, and how many are attached to a hub meeting; deleted ones not counted. */
  discussions: { count: number; comments: number; meetings: number };
};

export type GithubStatus = {
  configured: boolean;
  repositories: GithubRepoStatus[];
  /** `pending`: recorded and acknowledged, not applied yet. */
  deliveries: {
    received: number;
    pending: number;
    applied: number;
    ignored: number;
    failed: number;
    lastReceivedAt: string | null;
    /**
     * Deliveries of events the bridge mirrors for a repository the governance file does not name,
     * ignored: GitHub sends them (an App installed on more repositories, or a name spelled
     * otherwise), the hub mirrors nothing of them. The 20 with the latest deliveries.
     */
    unnamedRepositories: { repo: string | null; count: number; lastReceivedAt: string }[];
    /**
     * Deliveries refused for their signature (nothing of them stored): how many, and the last one's
     * reason and time; `secretMismatch` when the last refusal came after the last delivery taken
     * in, which is what a WGHUB_GITHUB_WEBHOOK_SECRET other than the App's looks like.
     */
    refused: { count: number; lastAt: string; lastReason: string; secretMismatch: boolean } | null;
  };
  queues: QueueStats[];
  failures: FailedJob[];
};

export async function githubStatus(hub: Hub): Promise<GithubStatus> {
  const db = hub.store.db;
  const mapping = hub.governance.github;
  const rows = await db.selectFrom('github_repos').selectAll().execute();
  const counts = await db
    .selectFrom('github_items')
    .select((eb) => ['repo', eb.fn.countAll<number>().as('n')])
    .groupBy('repo')
    .execute();
  const issueCounts = await db
    .selectFrom('github_issues')
    .select((eb) => ['repo', 'state', eb.fn.countAll<number>().as('n')])
    .where('deleted_at', 'is', null)
    .groupBy(['repo', 'state'])
    .execute();
  const commentCounts = await db
    .selectFrom('github_issue_comments')
    .select((eb) => ['repo', eb.fn.countAll<number>().as('n')])
    .where('deleted_at', 'is', null)
    .groupBy('repo')
    .execute();
  const itemCounts = await db
    .selectFrom('github_items')
    .select((eb) => ['repo', 'kind', eb.fn.countAll<number>().as('n')])
    .where('deleted_at', 'is', null)
    .groupBy(['repo', 'kind'])
    .execute();
  const discussionCounts = await db
    .selectFrom('github_discussions')
    .select((eb) => ['repo', eb.fn.countAll<number>().as('n'), eb.fn.count<number>('meeting_id').as('meetings')])
    .where('deleted_at', 'is', null)
    .groupBy('repo')
    .execute();
  const discussionCommentCounts = await db
    .selectFrom('github_discussion_comments')
    .select((eb) => ['repo', eb.fn.countAll<number>().as('n')])
    .where('deleted_at', 'is', null)
    .groupBy('repo')
    .execute();
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  const items = (repo: string, kinds: string[]) =>
    itemCounts.filter((c) => same(c.repo, repo) && kinds.includes(c.kind)).reduce((n, c) => n + Number(c.n), 0);
  const repositories = (mapping?.repositories ?? []).map((r): GithubRepoStatus => {
    const row = rows.find((x) => x.name.toLowerCase() === r.name.toLowerCase());
    const summary = readJson(row?.summary ?? null);
    const state = row?.github_state;
    return {
      name: r.name,
      nameOnGithub: row?.github_name ?? r.name,
      onGithub:
        state === 'private' || state === 'archived' || state === 'deleted'
          ? { state, since: row?.github_state_at ?? '', says: ON_GITHUB_WORDS[state] }
          : null,
      writeBack: r.writeBack,
      lastSyncStartedAt: row?.sync_started_at ?? null,
      lastSyncFinishedAt: row?.sync_finished_at ?? null,
      resumesAtPage: readJson(row?.cursor ?? null)?.page ?? null,
      lastError: row?.last_error ?? null,
      lastSummary: summary
        ? { pulls: summary.pulls, seps: summary.seps, comments: summary.comments, teamMembers: summary.teamMembers }
        : null,
      mirrored: Number(counts.find((c) => c.repo.toLowerCase() === r.name.toLowerCase())?.n ?? 0),
      issues: {
        open: Number(issueCounts.find((c) => same(c.repo, r.name) && c.state === 'open')?.n ?? 0),
        closed: Number(issueCounts.find((c) => same(c.repo, r.name) && c.state === 'closed')?.n ?? 0),
        comments: Number(commentCounts.find((c) => same(c.repo, r.name))?.n ?? 0),
      },
      pulls: { count: items(r.name, ['pull']), comments: items(r.name, ['issue_comment', 'review', 'review_comment']) },
      discussions: {
        count: Number(discussionCounts.find((c) => same(c.repo, r.name))?.n ?? 0),
        comments: Number(discussionCommentCounts.find((c) => same(c.repo, r.name))?.n ?? 0),
        meetings: Number(discussionCounts.find((c) => same(c.repo, r.name))?.meetings ?? 0),
      },
    };
  });
  const d = await db
    .selectFrom('github_deliveries')
    .select((eb) => [
      eb.fn.countAll<number>().as('received'),
      eb.fn.sum<number>(eb.case().when('outcome', 'is', null).then(1).else(0).end()).as('pending'),
      eb.fn.sum<number>(eb.case().when('outcome', '=', 'applied').then(1).else(0).end()).as('applied'),
      eb.fn.sum<number>(eb.case().when('outcome', '=', 'ignored').then(1).else(0).end()).as('ignored'),
      eb.fn.sum<number>(eb.case().when('outcome', '=', 'failed').then(1).else(0).end()).as('failed'),
      eb.fn.max<string>('received_at').as('last'),
    ])
    .executeTakeFirstOrThrow();
  // the last delivery ever received, its row kept or not: after a quiet month past the retention the
  // deliveries are gone, and a refusal older than the last one is no sign of a wrong secret
  // (the later of the two: an older release serving beside this one during an upgrade keeps no ids)
  const lastId =
    (
      await db
        .selectFrom('github_delivery_ids')
        .select('received_at')
        .orderBy('received_at', 'desc')
        .limit(1)
        .executeTakeFirst()
    )?.received_at ?? null;
  const last = !d.last || (lastId && lastId > d.last) ? lastId : d.last;
  // a named repository's deliveries under the name GitHub gave it since are its own
  const named = repositories.flatMap((r) => [r.name.toLowerCase(), r.nameOnGithub.toLowerCase()]);
  // the 20 with the latest deliveries, cut by the database: the deliveries kept are many (applied ones
  // for WGHUB_RETENTION_DAYS, failed ones longer: app/operations/retention.ts)
  const ignored = await db
    .selectFrom('github_deliveries')
    .select((eb) => ['repo', eb.fn.countAll<number>().as('n'), eb.fn.max<string>('received_at').as('last')])
    .where('outcome', '=', 'ignored')
    .where('repo', 'is not', null)
    .where('event', 'in', [...MIRRORED_EVENTS])
    .$if(named.length > 0, (q) => q.where((eb) => eb(eb.fn('lower', ['repo']), 'not in', named)))
    .groupBy('repo')
    .orderBy((eb) => eb.fn.max('received_at'), 'desc')
    .limit(20)
    .execute();
  const unnamedRepositories = ignored.map((i) => ({ repo: i.repo, count: Number(i.n), lastReceivedAt: i.last }));
  const refusalRows = await db.selectFrom('github_webhook_refusals').selectAll().execute();
  const lastRefusal = refusalRows.reduce<(typeof refusalRows)[number] | null>(
    (a, r) => (!a || r.last_at > a.last_at ? r : a),
    null,
  );
  const refused = lastRefusal
    ? {
        count: refusalRows.reduce((n, r) => n + Number(r.count), 0),
        lastAt: lastRefusal.last_at,
        lastReason: lastRefusal.reason,
        // a request with no signature at all is anyone's; a wrong one is what a mismatched secret sends
        secretMismatch: lastRefusal.reason !== SIGNATURE_MISSING && (!last || lastRefusal.last_at > last),
      }
    : null;
  const queues = (await queueStats(hub)).filter((q) => GITHUB_QUEUES.some((g) => g === q.queue));
  const failures = (await Promise.all(GITHUB_QUEUES.map((q) => failedJobs(hub, q, 20)))).flat();
  return {
    configured: Boolean(mapping?.repositories.length),
    repositories,
    deliveries: {
      received: Number(d.received ?? 0),
      pending: Number(d.pending ?? 0),
      applied: Number(d.applied ?? 0),
      ignored: Number(d.ignored ?? 0),
      failed: Number(d.failed ?? 0),
      lastReceivedAt: last,
      unnamedRepositories,
      refused,
    },
    queues,
    failures,
  };
}

/**
 * Whether this hub has anything of GitHub's to search: repositories named in the governance file, or
 * Discussions and issues mirrored before they were taken out. A community with neither is not offered
 * GitHub filters it could only ever get nothing from.
 */
export async function hasGithubContent(hub: Hub): Promise<boolean> {
  if (hub.governance.github?.repositories.length) return true;
  const mirrored = await hub.store.db
    .selectFrom('search_documents')
    .select('id')
    .where('kind', 'in', ['github-issue', 'github-discussion'])
    .limit(1)
    .executeTakeFirst();
  return mirrored !== undefined;
}
