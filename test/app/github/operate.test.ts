import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scheduleTimers, TIMER_QUEUE, timerHandlers } from '../../../src/app/core/timers.ts';
import { Worker } from '../../../src/app/core/worker.ts';
import { githubStatusFor, reconcileRepository, requestSync } from '../../../src/app/github/operate.ts';
import { createToken } from '../../../src/app/people/tokens.ts';
import { getProposal } from '../../../src/app/proposals/proposals.ts';
import { SYSTEM } from '../../../src/app/core/hub.ts';
import { githubJobHandlers } from '../../../src/cli/job-handlers.ts';
import { hubTimers } from '../../../src/cli/serve.ts';
import { createHttpApp } from '../../../src/http/server.ts';
import { databases } from '../../support/databases.ts';
import { mirrorRepo, standinClient, standinConfig } from '../../support/github.ts';
import { commentOnGithub, type GithubStandin, MCP_REPO, mcpRepository } from '../../support/github-standin.ts';
import { openTestHub, person, type TestHub } from '../../support/hub.ts';

describe.each(databases)('operating the GitHub bridge on $name', { timeout: 120_000 }, (database) => {
  let hub: TestHub;
  let standin: GithubStandin;
  let worker: Worker;
  beforeEach(async () => {
    hub = await openTestHub(database);
    mirrorRepo(hub, MCP_REPO, true);
    standin = mcpRepository();
    for (const n of [...standin.pulls.keys()]) if (n !== 2207 && n !== 2575) standin.pulls.delete(n);
    await standin.start();
    const timers = hubTimers(hub);
    worker = new Worker(
      hub,
      { ...githubJobHandlers(standinConfig(standin)), ...timerHandlers(timers) },
      {
        onError: () => {},
      },
    );
  });
  afterEach(async () => {
    await hub?.close();
    await standin?.stop();
  });

  const syncJobs = () =>
    hub.store.db.selectFrom('jobs').select(['key', 'done_at']).where('queue', '=', 'github.sync').execute();

  it('only those the governance file names see the state and may sync now; a sync runs on the worker once', async () => {
    const jonas = await person(hub, 'jonas');
    const mia = await person(hub, 'mia', { role: 'maintainer' });
    const kai = await person(hub, 'kai', { role: 'core-maintainer' });
    await expect(githubStatusFor(hub, null)).rejects.toMatchObject({ kind: 'forbidden', message: 'Sign in first' });
    await expect(githubStatusFor(hub, jonas)).rejects.toMatchObject({
      kind: 'forbidden',
      message: "Only a maintainer or above or a moderator may see the GitHub bridge's state",
    });
    const seen = await githubStatusFor(hub, mia);
    expect(seen.repositories).toMatchObject([{ name: MCP_REPO, writeBack: true, lastSyncFinishedAt: null }]);
    expect(seen.can.syncNow).toEqual({
      allowed: false,
      reason: 'Only a moderator, a core maintainer or a lead maintainer may start a GitHub sync',
    });
    await expect(requestSync(hub, mia)).rejects.toMatchObject({ kind: 'forbidden' });
    await expect(requestSync(hub, kai, { repo: 'not a repo' })).rejects.toMatchObject({
      issues: [{ field: 'repo', rule: 'must be owner/name, e.g. modelcontextprotocol/modelcontextprotocol' }],
    });
    await expect(requestSync(hub, kai, { repo: 'someone/else' })).rejects.toMatchObject({
      issues: [{ field: 'repo' }],
    });

    expect(await requestSync(hub, kai)).toEqual({ queued: [MCP_REPO], alreadyWaiting: [] });
    // a second click while it waits adds nothing
    expect(await requestSync(hub, kai, { repo: MCP_REPO })).toEqual({ queued: [], alreadyWaiting: [MCP_REPO] });
    expect(await syncJobs()).toHaveLength(1);
    await worker.drain();
    const after = await githubStatusFor(hub, kai);
    expect(after.repositories[0]).toMatchObject({ mirrored: 2 * 4, lastError: null, resumesAtPage: null });
    expect(after.repositories[0]!.lastSyncFinishedAt).toBe(hub.clock.now().toISOString());
    expect((await getProposal(hub, 'SEP-2575')).github).toBe(`https://github.com/${MCP_REPO}/pull/2575`);
    expect(after.can.syncNow).toEqual({ allowed: true });
  });

  it('the reconcile timer runs once per period across processes and repairs a missed delivery and a missed write-back', async () => {
    await reconcileRepository(hub, await standinClient(standin), MCP_REPO);
    await worker.drain(); // the first status comments
    const statusComments = () => standin.pulls.get(2575)!.comments.filter((c) => c.body.includes('wghub:status'));
    expect(statusComments()).toHaveLength(1);
    // someone deletes the hub's comment on GitHub, and a comment arrives without its webhook
    const pr = standin.pulls.get(2575)!;
    pr.comments = pr.comments.filter((c) => !c.body.includes('wghub:status'));
    await hub.store.db.updateTable('github_writeback').set({ status_hash: 'stale' }).execute();
    commentOnGithub(standin, 2575, 'kurtisvg', 'Missed by the webhook, found by the reconcile.');

    // two processes schedule the same period: one timer job
    const timers = hubTimers(hub);
    expect(timers.map((t) => t.name)).toContain('github-reconcile');
    hub.clock.advance(60 * 60_000);
    await scheduleTimers(hub, timers);
    await scheduleTimers(hub, timers);
    const timerJobs = await hub.store.db
      .selectFrom('jobs')
      .select('key')
      .where('queue', '=', TIMER_QUEUE)
      .where('key', 'like', 'timer:github-reconcile:%')
      .execute();
    expect(timerJobs).toHaveLength(1);
    hub.clock.advance(60 * 60_000);
    await worker.drain();
    expect((await syncJobs()).filter((j) => j.done_at)).toHaveLength(1);
    const thread = await hub.store.db
      .selectFrom('comments')
      .select('body')
      .where('body', '=', 'Missed by the webhook, found by the reconcile.')
      .execute();
    expect(thread).toHaveLength(1);
    expect(statusComments()).toHaveLength(1);
  });

  it('REST: GET /api/github/status and POST /api/github/sync, documented in OpenAPI', async () => {
    const app = createHttpApp(hub);
    await person(hub, 'jonas');
    await person(hub, 'kai', { role: 'core-maintainer' });
    const tokens = {
      jonas: (await createToken(hub, SYSTEM, 'jonas')).token,
      kai: (await createToken(hub, SYSTEM, 'kai')).token,
    };
    const call = (method: string, path: string, who: keyof typeof tokens, body?: unknown) =>
      app.request(path, {
        method,
        headers: { Authorization: `Bearer ${tokens[who]}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
    const refused = await call('GET', '/api/github/status', 'jonas');
    expect(refused.status).toBe(403);
    expect((await refused.json()).detail).toMatch(/Only a maintainer or above or a moderator may see/);
    const ok = await call('GET', '/api/github/status', 'kai');
    expect(ok.status).toBe(200);
    const body = await ok.json();
    expect(body).toMatchObject({
      configured: true,
      repositories: [{ name: MCP_REPO }],
      can: { syncNow: { allowed: true } },
    });
    expect(JSON.stringify(body)).not.toContain('ghs_test_token');
    const bad = await call('POST', '/api/github/sync', 'kai', { repo: 'nope' });
    expect(bad.status).toBe(422);
    const queued = await call('POST', '/api/github/sync', 'kai', {});
    expect(queued.status).toBe(202);
    expect(await queued.json()).toEqual({ queued: [MCP_REPO], alreadyWaiting: [] });
    const doc = await (await app.request('/api/openapi.json')).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/github/status', '/api/github/sync']));
  });
});
