// What operators do with the bridge, on every edge: see its state (repositories, last sync,
// queues, failures with the reason), ask for a sync now, and the reconcile that repairs what
// missed deliveries and missed write-backs left out. A sync runs on the worker (`github.sync`
// jobs), never in a web request; the periodic reconcile is a timer that enqueues one per
// repository and period, so it runs once across processes.
import { z } from 'zod';
import { readJson } from '../../store/schema.ts';
import { githubPolicy, type Can, type GithubAction } from '../../domain/policies/index.ts';
import { authorize, viewerOf } from '../core/gate.ts';
import { inTransaction, record, type Actor, type Hub, type Tx } from '../core/hub.ts';
import { enqueue } from '../core/jobs.ts';
import { parseInput } from '../core/validate.ts';
import { SyncNowInput } from './schemas.ts';
import type { GithubClient } from './client.ts';
import { GITHUB_ACTOR } from './mirror.ts';
import { githubStatus, type GithubStatus } from './status.ts';
import { githubMapping, requireRepository, syncRepository, type SyncSummary } from './sync.ts';
import { enqueueStatus } from './writeback.ts';

export const SYNC_QUEUE = 'github.sync';
/** A sync job: the repository to reconcile. */
export const SyncJob = z.object({ repo: z.string() });

export type GithubStatusView = GithubStatus & { can: Can<GithubAction> };

export function githubCan(hub: Hub, actor: Actor | null): Can<GithubAction> {
  return githubPolicy(hub.governance, viewerOf(hub, actor), {
    configured: Boolean(hub.governance.github?.repositories.length),
  });
}

/** The bridge's state for someone allowed to see it, with what they may do. */
export async function githubStatusFor(hub: Hub, actor: Actor | null): Promise<GithubStatusView> {
  const can = githubCan(hub, actor);
  authorize(can, 'viewStatus');
  const status = await githubStatus(hub);
  // the App may be installed on private repositories the community never named: their names are
  // the operator's to read (wghub github status), the others see how many deliveries went unmirrored
  const names = actor === null || actor.kind === 'system';
  const unnamedRepositories = names
    ? status.deliveries.unnamedRepositories
    : status.deliveries.unnamedRepositories.map((u) => ({ ...u, repo: null }));
  return { ...status, deliveries: { ...status.deliveries, unnamedRepositories }, can };
}

/**
 * "Sync now": queues a reconcile of REPO (or of every named repository) for the worker. A request
 * while one is still waiting for the same repository adds nothing.
 */
export async function requestSync(
  hub: Hub,
  actor: Actor,
  raw: unknown = {},
): Promise<{ queued: string[]; alreadyWaiting: string[] }> {
  authorize(githubCan(hub, actor), 'syncNow');
  const { repo } = parseInput(SyncNowInput, raw);
  const names = repo ? [requireRepository(hub, repo).name] : githubMapping(hub).repositories.map((r) => r.name);
  const queued: string[] = [];
  const alreadyWaiting: string[] = [];
  await inTransaction(hub, async (trx) => {
    for (const name of names) {
      if (await syncWaiting(trx, name)) {
        alreadyWaiting.push(name);
        continue;
      }
      await enqueue(trx, hub, {
        queue: SYNC_QUEUE,
        key: `${SYNC_QUEUE}:${name}:asked:${hub.newId()}`,
        payload: { repo: name } satisfies z.input<typeof SyncJob>,
        maxAttempts: 5,
      });
      queued.push(name);
    }
    if (queued.length)
      await record(trx, hub, actor, 'github.sync-requested', { type: 'github', id: 'bridge' }, null, {
        repositories: queued,
      });
  });
  return { queued, alreadyWaiting };
}

async function syncWaiting(db: Tx, repo: string): Promise<boolean> {
  const rows = await db
    .selectFrom('jobs')
    .select('payload')
    .where('queue', '=', SYNC_QUEUE)
    .where('done_at', 'is', null)
    .where('failed_at', 'is', null)
    .execute();
  return rows.some((r) => readJson(r.payload).repo === repo);
}

/** The periodic reconcile's timer: one sync job per named repository for this period (none for one GitHub made private, archived or deleted). */
export async function scheduleReconcile(hub: Hub): Promise<number> {
  const repos = hub.governance.github?.repositories ?? [];
  let n = 0;
  const period = hub.clock.now().toISOString().slice(0, 13);
  await inTransaction(hub, async (trx) => {
    // one GitHub made private, archived or deleted is polled no more (a sync asked for still runs)
    const gone = await trx.selectFrom('github_repos').select('name').where('github_state', 'is not', null).execute();
    for (const r of repos) {
      if (gone.some((g) => g.name.toLowerCase() === r.name.toLowerCase())) continue;
      if (await syncWaiting(trx, r.name)) continue;
      if (
        await enqueue(trx, hub, {
          queue: SYNC_QUEUE,
          key: `${SYNC_QUEUE}:${r.name}:reconcile:${period}`,
          payload: { repo: r.name } satisfies z.input<typeof SyncJob>,
          maxAttempts: 5,
        })
      )
        n++;
    }
  });
  return n;
}

export type ReconcileSummary = SyncSummary & { repo: string; writeBacksQueued: number };

/**
 * The reconcile: the backfill again (idempotent; it mirrors only what changed, so it repairs a
 * delivery that never came), then a write-back check of every mirrored proposal of a repository
 * with write-back on (a job whose state is already on GitHub does nothing).
 */
export async function reconcileRepository(
  hub: Hub,
  client: GithubClient,
  repoName: string,
  opts: Parameters<typeof syncRepository>[3] = {},
): Promise<ReconcileSummary> {
  const repo = requireRepository(hub, repoName);
  const summary = await syncRepository(hub, client, repo.name, opts);
  let writeBacksQueued = 0;
  if (repo.writeBack) {
    const items = await hub.store.db
      .selectFrom('github_items')
      .select(['number'])
      .where('repo', '=', repo.name)
      .where('kind', 'in', ['pull', 'issue'])
      .where('hub_type', '=', 'proposal')
      .where('deleted_at', 'is', null)
      .execute();
    const why = `reconcile:${hub.clock.now().toISOString()}`;
    await inTransaction(hub, async (trx) => {
      for (const i of items)
        if (i.number !== null && (await enqueueStatus(trx, hub, { repo: repo.name, number: Number(i.number) }, why)))
          writeBacksQueued++;
      await record(trx, hub, GITHUB_ACTOR, 'github.reconciled', { type: 'github-repo', id: repo.name }, null, {
        writeBacksChecked: writeBacksQueued,
      });
    });
  }
  return { ...summary, repo: repo.name, writeBacksQueued };
}
