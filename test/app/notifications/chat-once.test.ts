// A chat post is made once across hub processes. A job is delivered at least once: a worker that
// loses its lease (it stalled) or dies after posting leaves the job to another worker, which ran it
// again and posted the same notice a second time. Each post is now claimed before it is made and
// recorded sent after (`chat_deliveries`): the second worker posts nothing when the post is recorded,
// and waits out a claim still running instead of posting beside it. Two hubs on one database stand
// for two processes (as in test/app/core/shared-across-processes.test.ts).
import { afterEach, describe, expect, it } from 'vitest';
import { claimJobs } from '../../../src/app/core/jobs.ts';
import { type Actor, createHub, type Hub } from '../../../src/app/core/hub.ts';
import { Worker } from '../../../src/app/core/worker.ts';
import { openDecision, withdrawDecision } from '../../../src/app/decisions/decisions.ts';
import { moveGroup } from '../../../src/app/groups/groups.ts';
import {
  addWebhook,
  CHAT_CLAIM_MS,
  CHAT_QUEUE,
  chatReaction,
  listWebhooks,
  sendChat,
} from '../../../src/app/notifications/chat.ts';
import { openStore, type Store } from '../../../src/store/connect.ts';
import { databases } from '../../support/databases.ts';
import { hostingGroup, openTestHub, person, type TestHub } from '../../support/hub.ts';

const LEASE_MS = 5_000;

describe.each(databases)('a chat post across two hub processes on $name', (database) => {
  let a: TestHub | undefined;
  let storeB: Store | undefined;
  afterEach(async () => {
    await storeB?.close();
    await a?.close();
    a = storeB = undefined;
  });

  /** What the chat service received: each post's delivery headers. */
  const posts: { delivery: string | null; key: string | null }[] = [];
  /** The chat service: answers each post 204, or holds the answer of one in flight until `release`. */
  let hold = false;
  let release: () => void = () => {};
  const chat = (async (_url: string, init: RequestInit) => {
    const headers = new Headers(init.headers);
    posts.push({ delivery: headers.get('x-wghub-delivery'), key: headers.get('idempotency-key') });
    if (hold) await new Promise<void>((r) => (release = r));
    return new Response(null, { status: 204 });
  }) as typeof fetch;

  /** Process A with a group whose chat hook was told of a decision (one post queued), and process B. */
  const twoProcesses = async (): Promise<{ a: TestHub; b: Hub; lead: Actor }> => {
    posts.length = 0;
    hold = false;
    a = await openTestHub(database, '2026-03-02T12:00:00Z');
    a.reactions.push(chatReaction('https://wg.example.org'));
    storeB = openStore(a.store.url);
    const b = createHub(storeB, a.governance, { clock: a.clock });
    const lead = await person(a, 'lead', { role: 'member' });
    await hostingGroup(a, lead, 'lead');
    await addWebhook(a, lead, 'hosting', { format: 'slack', url: 'https://chat.example.org/hooks/hosting' });
    await openDecision(a, lead, {
      group: 'hosting',
      subject: { type: 'process' },
      question: 'Adopt fortnightly meetings?',
      significance: 'minor',
    });
    return { a, b, lead };
  };
  const workerOf = (hub: Hub) =>
    new Worker(hub, { [CHAT_QUEUE]: (h, j) => sendChat(h, j, chat) }, { leaseMs: LEASE_MS, onError: () => {} });
  const claimOnA = async (hub: Hub) => {
    const claimed = await claimJobs(hub, { worker: 'a:dies', queues: [CHAT_QUEUE], limit: 10, leaseMs: LEASE_MS });
    expect(claimed).toHaveLength(1);
    return claimed[0]!;
  };

  it('posted by a worker that died before marking its job done: the worker that takes the job over posts nothing', async () => {
    const { a, b } = await twoProcesses();
    await sendChat(a, await claimOnA(a), chat); // posted; the process dies before completing the job
    expect(posts).toHaveLength(1);
    a.clock.advance(LEASE_MS + 1000);
    expect(await workerOf(b).drain()).toBe(1);
    expect(posts).toHaveLength(1);
    const job = await a.store.db
      .selectFrom('jobs')
      .selectAll()
      .where('queue', '=', CHAT_QUEUE)
      .executeTakeFirstOrThrow();
    expect(job.done_at).not.toBeNull();
  });

  it('a worker whose lease ran out while its post was in flight: the other waits for the post, never posts beside it', async () => {
    const { a, b } = await twoProcesses();
    hold = true;
    const posting = sendChat(a, await claimOnA(a), chat);
    await expect.poll(() => posts.length).toBe(1);
    // A stalls waiting for the chat's answer past its lease; B claims the job
    a.clock.advance(LEASE_MS + 1000);
    expect(await workerOf(b).drain()).toBe(1);
    expect(posts).toHaveLength(1);
    const waiting = await a.store.db
      .selectFrom('jobs')
      .selectAll()
      .where('queue', '=', CHAT_QUEUE)
      .executeTakeFirstOrThrow();
    expect(waiting.done_at).toBeNull();
    expect(waiting.last_error).toMatch(/another worker is posting it/);
    // the chat answers A, which records the post; B's retry finds it sent
    release();
    await posting;
    a.clock.advance(CHAT_CLAIM_MS);
    expect(await workerOf(b).drain()).toBe(1);
    expect(posts).toHaveLength(1);
    const done = await a.store.db
      .selectFrom('jobs')
      .selectAll()
      .where('queue', '=', CHAT_QUEUE)
      .executeTakeFirstOrThrow();
    expect(done.done_at).not.toBeNull();
  });

  it('a worker that died while posting: once its claim runs out the post is made again, under the same delivery id and idempotency key', async () => {
    const { a, b } = await twoProcesses();
    hold = true;
    void sendChat(a, await claimOnA(a), chat); // never answered: A is killed mid-post
    await expect.poll(() => posts.length).toBe(1);
    hold = false;
    a.clock.advance(LEASE_MS + 1000);
    await workerOf(b).drain();
    expect(posts).toHaveLength(1); // the claim still runs: not posted beside a post that may be landing
    a.clock.advance(CHAT_CLAIM_MS);
    await workerOf(b).drain();
    expect(posts).toHaveLength(2);
    expect(posts[0]!.delivery).toBeTruthy();
    expect(posts[1]).toEqual(posts[0]);
    expect(posts[0]!.key).toBe(posts[0]!.delivery);
    release();
  });

  it('posted by a worker that died before marking its job done, the group retired since: not listed as withheld', async () => {
    const { a, b, lead } = await twoProcesses();
    await sendChat(a, await claimOnA(a), chat); // posted; the process dies before completing the job
    expect(posts).toHaveLength(1);
    await withdrawDecision(a, lead, 'D-1', { reason: 'The group is being retired' });
    await moveGroup(a, await person(a, 'cora', { role: 'core-maintainer' }), 'hosting', { to: 'retired' });
    a.clock.advance(LEASE_MS + 1000);
    await workerOf(b).drain();
    // the chat got the decision's opening (once) and the retirement; only the withdrawal, not sent, is withheld
    expect(posts).toHaveLength(2);
    const listed = await listWebhooks(a, lead, 'hosting');
    expect(listed.withheld.map((w) => w.event)).toEqual(['decision-outcome']);
  });
});
