import { describe, expect, it } from 'vitest';
import { loadGovernance } from '../../../src/app/core/governance-file.ts';
import { createHub, inTransaction } from '../../../src/app/core/hub.ts';
import { enqueue } from '../../../src/app/core/jobs.ts';
import { Worker } from '../../../src/app/core/worker.ts';
import { SYNC_QUEUE } from '../../../src/app/github/operate.ts';
import { SyncInProgress, syncRepository } from '../../../src/app/github/sync.ts';
import { githubJobHandlers } from '../../../src/cli/job-handlers.ts';
import { openStore } from '../../../src/store/connect.ts';
import { databases } from '../../support/databases.ts';
import { standinClient, standinConfig } from '../../support/github.ts';
import { MCP_REPO, mcpRepository } from '../../support/github-standin.ts';

// Two processes (two hubs, each with its own pool) on one PostgreSQL database, with a lease far
// shorter than the sync: the sync's job and its claim on the repository are renewed while it runs.
const pg = databases.find((d) => d.name === 'postgres');

describe.skipIf(!pg)('a long GitHub sync across processes on PostgreSQL', { timeout: 60_000 }, () => {
  it('keeps its job and its repository while it runs past the lease, and the other process skips it', async () => {
    const LEASE = 600;
    const storeA = await pg!.open();
    const storeB = openStore(storeA.url);
    const governance = structuredClone(loadGovernance());
    governance.github!.repositories = [{ name: MCP_REPO, writeBack: false, issues: true }];
    const a = createHub(storeA, governance);
    const b = createHub(storeB, governance);
    const standin = mcpRepository();
    for (const n of [...standin.pulls.keys()]) if (n !== 2207) standin.pulls.delete(n);
    await standin.start();
    // every answer takes a while: the sync lasts several leases (at 60 ms an answer, a quiet machine
    // finished the sync in 1.3 s, before the loop below had tried the second sync by hand)
    standin.latencyMs = 150;
    const config = { ...standinConfig(standin), leaseMs: LEASE };
    const quiet = { onError: () => {}, leaseMs: LEASE, pollMs: 60_000 };
    const wa = new Worker(a, githubJobHandlers(config), { ...quiet, id: 'process-a' });
    const wb = new Worker(b, githubJobHandlers(config), { ...quiet, id: 'process-b' });
    try {
      await inTransaction(a, (trx) =>
        enqueue(trx, a, { queue: SYNC_QUEUE, key: 'sync-1', payload: { repo: MCP_REPO } }),
      );
      const started = Date.now();
      const running = wa.drain();
      let tookByB = 0;
      let refusedByHand: unknown = null;
      let done = false;
      void running.then(() => {
        done = true;
      });
      while (!done) {
        await new Promise((r) => setTimeout(r, LEASE / 2));
        if (done) break;
        tookByB += await wb.runOnce();
        if (!refusedByHand && Date.now() - started > LEASE * 2)
          refusedByHand = await syncRepository(b, await standinClient(standin), MCP_REPO, { leaseMs: LEASE }).catch(
            (e) => e,
          );
      }
      expect(await running).toBe(1);
      // the sync ran well past its lease, and nobody else took its job or started the same sync
      expect(Date.now() - started).toBeGreaterThan(LEASE * 2);
      expect(tookByB).toBe(0);
      expect(refusedByHand).toBeInstanceOf(SyncInProgress);
      expect((refusedByHand as Error).message).toMatch(/a sync of .* is already running/);
      const job = await storeA.db.selectFrom('jobs').selectAll().where('key', '=', 'sync-1').executeTakeFirstOrThrow();
      expect(job).toMatchObject({ attempts: 1, failed_at: null });
      expect(job.done_at).not.toBeNull();
      const firstPage = standin.requests.filter((r) => r.url.startsWith(`/repos/${MCP_REPO}/pulls?`));
      expect(firstPage).toHaveLength(1);
      // done, the repository is free for the next sync, whichever process runs it
      expect(
        await storeB.db.selectFrom('github_repos').select(['sync_owner', 'sync_lease_until']).executeTakeFirstOrThrow(),
      ).toEqual({ sync_owner: null, sync_lease_until: null });
    } finally {
      await wa.stop();
      await wb.stop();
      await standin.stop();
      await storeB.close();
      await storeA.close();
    }
  });

  it('a sync whose process died (its lease not renewed) is taken over', async () => {
    const storeA = await pg!.open();
    const governance = structuredClone(loadGovernance());
    governance.github!.repositories = [{ name: MCP_REPO, writeBack: false, issues: true }];
    const a = createHub(storeA, governance);
    const standin = mcpRepository();
    for (const n of [...standin.pulls.keys()]) if (n !== 2207) standin.pulls.delete(n);
    await standin.start();
    try {
      await storeA.db
        .insertInto('github_repos')
        .values({
          name: MCP_REPO,
          cursor: null,
          sync_started_at: new Date(Date.now() - 60_000).toISOString(),
          sync_finished_at: null,
          summary: null,
          last_error: null,
          created_at: new Date().toISOString(),
          sync_owner: 'a process killed mid-sync',
          sync_lease_until: new Date(Date.now() - 1000).toISOString(),
        })
        .execute();
      const s = await syncRepository(a, await standinClient(standin), MCP_REPO, { leaseMs: 300 });
      expect(s.seps.created).toBe(1);
      const row = await storeA.db.selectFrom('github_repos').selectAll().executeTakeFirstOrThrow();
      expect(row).toMatchObject({ sync_owner: null, sync_lease_until: null });
    } finally {
      await standin.stop();
      await storeA.close();
    }
  });
});
