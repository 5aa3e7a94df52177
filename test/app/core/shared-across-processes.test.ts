// What several hub processes on one database must share, found by running two `wghub serve`, a
// `wghub worker` and haproxy on one PostgreSQL (2026-12-06). Two hubs on one database stand for two
// processes here (as in stale-reads-across-processes.test.ts): each has its own memory, and only
// the database between them.
//
// - A job is delivered at least once: a worker that dies (kill -9) or loses its lease after the
//   job's transaction committed and before it marked the job done leaves it to another worker,
//   which runs it again. The "closes soon" reminder then told every member a second time, and the
//   weekly chat summary was posted twice.
// - The evidence checks one person may start were counted in each process's memory: two processes
//   behind a load balancer gave a person twice the governance file's `rateLimits.probes`.
// - The confirmation-mail limits (one per 5 minutes, 5 a day per person and per address) were
//   counted, then written, with nothing held: requests at once through two processes all passed.
import { afterEach, describe, expect, it } from 'vitest';
import { claimJobs } from '../../../src/app/core/jobs.ts';
import { createHub, SYSTEM, type Actor, type Hub } from '../../../src/app/core/hub.ts';
import { Worker } from '../../../src/app/core/worker.ts';
import { openDecision } from '../../../src/app/decisions/decisions.ts';
import { verifyEvidence } from '../../../src/app/evidence/evidence-checks.ts';
import { placeInGroup } from '../../../src/app/groups/groups.ts';
import { CHAT_QUEUE, CHAT_SUMMARY_QUEUE, addWebhook, postWeeklySummary } from '../../../src/app/notifications/chat.ts';
import { remindDecisionClosing } from '../../../src/app/notifications/closing.ts';
import { listInbox, markRead } from '../../../src/app/notifications/inbox.ts';
import { CLOSING_QUEUE, MAIL_QUEUE } from '../../../src/app/notifications/notify.ts';
import { resendConfirmation } from '../../../src/app/people/email.ts';
import { addEvidence, createProposal } from '../../../src/app/proposals/proposals.ts';
import { openStore, type Store } from '../../../src/store/connect.ts';
import { databases } from '../../support/databases.ts';
import { hostingGroup, openTestHub, person, type TestHub } from '../../support/hub.ts';
import { hostingGroupWithMail } from '../../support/notifications.ts';

const LEASE_MS = 60_000;
const postgres = databases.find((d) => d.name === 'postgres');

describe.each(databases)('two hub processes on one $name database', (database) => {
  let a: TestHub | undefined;
  let storeB: Store | undefined;
  afterEach(async () => {
    await storeB?.close();
    await a?.close();
    a = storeB = undefined;
  });
  /** Process B: its own connections and memory, the same database, rules and clock as A. */
  const processB = (hub: TestHub): Hub => {
    storeB = openStore(hub.store.url);
    return createHub(storeB, hub.governance, { clock: hub.clock });
  };
  /** Process A's worker claims the due jobs of `queue` and runs them, then dies before marking them done. */
  const runThenDie = async (
    hub: Hub,
    queue: string,
    run: (job: Awaited<ReturnType<typeof claimJobs>>[0]) => Promise<void>,
  ) => {
    const claimed = await claimJobs(hub, { worker: 'a:dies', queues: [queue], limit: 10, leaseMs: LEASE_MS });
    expect(claimed).toHaveLength(1);
    for (const job of claimed) await run(job);
  };

  it('a "closes soon" reminder whose worker died after telling everyone is not told again by the worker that takes it over', async () => {
    const community = await hostingGroupWithMail(database);
    a = community.hub;
    const b = processB(a);
    await openDecision(a, community.lead, {
      group: 'hosting',
      subject: { type: 'process' },
      question: 'Adopt fortnightly content meetings?',
      significance: 'minor',
    });
    a.clock.set('2026-03-05T12:00:00Z'); // 48 h before the deadline
    await runThenDie(a, CLOSING_QUEUE, (job) => remindDecisionClosing(a!, job, { mail: true }));
    const closing = async (who: Actor) =>
      (await listInbox(a!, who)).items.filter((n) => n.kind === 'decision-closing').map((n) => n.read);
    expect(await closing(community.bo)).toEqual([false]);
    await markRead(a, community.bo); // bo reads it at once: it closes soon
    const mails = async () =>
      (await a!.store.db.selectFrom('jobs').select('id').where('queue', '=', MAIL_QUEUE).execute()).length;
    const mailed = await mails();

    // the lease runs out; process B's worker finds the job not done and runs it again
    a.clock.advance(LEASE_MS + 1000);
    const worker = new Worker(b, { [CLOSING_QUEUE]: (h, j) => remindDecisionClosing(h, j, { mail: true }) });
    expect(await worker.drain()).toBe(1);
    expect(await closing(community.bo)).toEqual([true]);
    expect(await closing(community.ana)).toEqual([false]);
    expect(await mails()).toBe(mailed);
  });

  it('a weekly chat summary whose worker died after queueing it is posted once', async () => {
    a = await openTestHub(database, '2026-03-02T12:00:00Z');
    const b = processB(a);
    const lead = await person(a, 'lead', { role: 'member' });
    await hostingGroup(a, lead, 'lead');
    await person(a, 'ana');
    await placeInGroup(a, SYSTEM, 'hosting', 'ana', { level: 'member' });
    await addWebhook(a, lead, 'hosting', { format: 'slack', url: 'https://chat.example.org/hooks/hosting' });
    await openDecision(a, lead, {
      group: 'hosting',
      subject: { type: 'process' },
      question: 'Adopt fortnightly meetings?',
      significance: 'minor',
    });
    a.clock.set('2026-03-09T09:00:00Z'); // Monday morning: the summary is due
    await runThenDie(a, CHAT_SUMMARY_QUEUE, (job) => postWeeklySummary(a!, job, 'https://wg.example.org'));
    a.clock.advance(LEASE_MS + 1000);
    const worker = new Worker(b, {
      [CHAT_SUMMARY_QUEUE]: (h, j) => postWeeklySummary(h, j, 'https://wg.example.org'),
    });
    expect(await worker.drain()).toBe(1);
    const posts = await a.store.db.selectFrom('jobs').select('payload').where('queue', '=', CHAT_QUEUE).execute();
    expect(posts.filter((p) => String(p.payload).includes('"weekly-summary"'))).toHaveLength(1);
  });

  it('confirmation mails asked for at once through both processes: one is sent, the others are refused', async () => {
    a = await openTestHub(database);
    const b = processB(a);
    const ana = await person(a, 'ana');
    // an address on record, never confirmed, and no confirmation mail asked for yet
    await a.store.db.updateTable('people').set({ email: 'ana@example.org' }).where('handle', '=', 'ana').execute();
    const asked = await Promise.allSettled([a, b, a, b].map((hub) => resendConfirmation(hub, ana, 'ana')));
    expect(asked.map((r) => r.status).filter((s) => s === 'fulfilled')).toHaveLength(1);
    for (const r of asked) if (r.status === 'rejected') expect(String(r.reason)).toMatch(/less than 5 minutes ago/);
    const sent = await a.store.db.selectFrom('email_confirmations').select('id').execute();
    expect(sent).toHaveLength(1);
  });
});

describe.skipIf(!postgres)('two hub processes on one PostgreSQL database', () => {
  let a: TestHub | undefined;
  let storeB: Store | undefined;
  afterEach(async () => {
    await storeB?.close();
    await a?.close();
  });

  it("share one person's budget of evidence checks: alternating processes does not double it", async () => {
    a = await openTestHub(postgres!);
    a.governance.rateLimits = { ...a.governance.rateLimits, enabled: true, probes: 3 };
    storeB = openStore(a.store.url);
    const b = createHub(storeB, a.governance, { clock: a.clock });
    const priya = await person(a, 'priya', { org: 'Nebula', role: 'maintainer' });
    await createProposal(a, priya, {
      title: 'Session affinity hints',
      problem: 'Gateways cannot route a session back to the server that holds its state.',
      layer: 'specification',
    });
    const p = await addEvidence(a, priya, 'P-1', {
      kind: 'implementation',
      description: 'Nebula gateway',
      url: 'https://mcp.nebula.example/mcp',
      organisation: 'Nebula',
    });
    const evidence = p.evidence.at(-1)!.id;
    const probe = async () => ({
      serverName: 'nebula',
      serverVersion: '1.0.0',
      protocolVersion: '2025-06-18',
      capabilities: [],
      experimental: [],
      extensions: [],
      toolNames: [],
    });
    const outcomes: string[] = [];
    for (const hub of [a, b, a, b, a, b])
      outcomes.push(
        await verifyEvidence(hub, priya, 'P-1', evidence, probe).then(
          (c) => c.status,
          (e: Error) => e.message,
        ),
      );
    expect(outcomes.slice(0, 3)).toEqual(['verified', 'verified', 'verified']);
    for (const o of outcomes.slice(3)) expect(o).toMatch(/^at most 3 evidence checks per \d+ s per person/);
  });
});
