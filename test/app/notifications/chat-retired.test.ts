// A retired group's chat: its hooks hear of the retirement once, and of nothing more for it (a
// decision left open closing, its week); no new hook is added to it, those it has may still be
// removed. Both used to go on as if it were active: a hook could be added to a retired group, and the
// weekly summary kept posting (and queueing itself) for ever.
import { createServer, type Server } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/app/core/hub.ts';
import { Worker } from '../../../src/app/core/worker.ts';
import { closeDueDecisions, openDecision, withdrawDecision } from '../../../src/app/decisions/decisions.ts';
import { moveGroup } from '../../../src/app/groups/groups.ts';
import {
  addWebhook,
  CHAT_QUEUE,
  CHAT_SUMMARY_QUEUE,
  chatReaction,
  listWebhooks,
  postWeeklySummary,
  removeWebhook,
  sendChat,
  webhooksOf,
  withhold,
} from '../../../src/app/notifications/chat.ts';
import { publicOnlyFetch } from '../../../src/app/core/public-fetch.ts';
import { databases } from '../../support/databases.ts';
import { hostingGroup, openTestHub, person, type TestHub } from '../../support/hub.ts';

describe.each(databases)("a retired group's chat on $name", (database) => {
  let hub: TestHub;
  let lead: Actor, cora: Actor;
  let receiver: Server;
  let base: string;
  const posts: { event: string; title: string; lines: string[] }[] = [];
  /** How the chat service answers each post: 204, or a status it keeps failing with (503) until set back. */
  let answer = 204;
  const http = publicOnlyFetch(['127.0.0.1']);
  let worker: Worker;

  beforeEach(async () => {
    posts.length = 0;
    answer = 204;
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        if (answer < 300) posts.push(JSON.parse(body));
        res.statusCode = answer;
        res.end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(receiver.address() as { port: number }).port}`;
    hub = await openTestHub(database, '2026-03-02T12:00:00Z');
    hub.settings = { ...hub.settings, webhookAllowedHosts: ['127.0.0.1'] };
    hub.reactions.push(chatReaction('https://wg.example.org'));
    lead = await person(hub, 'lead', { role: 'member' });
    cora = await person(hub, 'cora', { role: 'core-maintainer' });
    await hostingGroup(hub, lead, 'lead');
    worker = new Worker(
      hub,
      {
        [CHAT_QUEUE]: (h, j) => sendChat(h, j, http.fetch as typeof fetch),
        [CHAT_SUMMARY_QUEUE]: (h, j) => postWeeklySummary(h, j, 'https://wg.example.org'),
      },
      { onError: () => {} },
    );
  });
  afterEach(async () => {
    await new Promise<void>((r) => receiver.close(() => r()));
    await hub?.close();
  });

  const hook = (path: string) =>
    addWebhook(hub, lead, 'hosting', {
      format: 'json',
      url: `${base}${path}`,
      secret: 'a-shared-secret-of-some-length',
    });

  it('its hooks hear of the retirement once, then nothing more: not a decision left open closing, not its week', async () => {
    await hook('/json');
    await openDecision(hub, lead, {
      group: 'hosting',
      subject: { type: 'process' },
      question: 'Meet fortnightly?',
      significance: 'minor',
    });
    await worker.drain();
    // a group is never retired under an open decision (test/http/retire-open-decisions.test.ts): ended first
    await withdrawDecision(hub, lead, 'D-1', { reason: 'The group is being retired' });
    await worker.drain();
    posts.length = 0;
    await moveGroup(hub, cora, 'hosting', { to: 'retired' });
    await worker.drain();
    expect(posts).toEqual([
      expect.objectContaining({
        event: 'group-retired',
        group: 'hosting',
        title: 'Hosting was retired by Cora (@cora)',
        url: 'https://wg.example.org/groups/hosting',
        lines: ['It takes no new work; nothing more is posted here for it.'],
      }),
    ]);
    posts.length = 0;
    // the Monday after: the withdrawn decision's deadline passes, and the week's summary is due
    hub.clock.set('2026-03-09T09:00:00Z');
    await closeDueDecisions(hub);
    await worker.drain();
    expect(posts).toEqual([]);
    // and the weekly job stops: nothing queued for the week after
    const next = await hub.store.db
      .selectFrom('jobs')
      .select('run_at')
      .where('queue', '=', CHAT_SUMMARY_QUEUE)
      .where('done_at', 'is', null)
      .execute();
    expect(next).toEqual([]);
  });

  it('no hook is added to a retired group (every edge reads why from `can`); one it has may still be removed', async () => {
    const kept = await hook('/kept');
    await moveGroup(hub, cora, 'hosting', { to: 'retired' });
    const why = 'The group is retired: nothing more is posted to its chat';
    await expect(hook('/new')).rejects.toMatchObject({ kind: 'forbidden', message: why });
    expect((await listWebhooks(hub, lead, 'hosting')).can.add).toEqual({ allowed: false, reason: why });
    expect((await webhooksOf(hub, lead, 'hosting')).can.add).toEqual({ allowed: false, reason: why });
    await expect(removeWebhook(hub, lead, 'hosting', kept.id)).resolves.toEqual({ removed: true });
    expect((await listWebhooks(hub, lead, 'hosting')).items).toEqual([]);
  });

  it('one who may not manage the hooks of a retired group is told that, on the page and when refused alike', async () => {
    await moveGroup(hub, cora, 'hosting', { to: 'retired' });
    const retired = 'The group is retired: nothing more is posted to its chat';
    const kai = await person(hub, 'kai', { role: 'member' });
    const shown = (await webhooksOf(hub, kai, 'hosting')).can.add;
    const why = await addWebhook(hub, kai, 'hosting', { format: 'json', url: `${base}/kai` }).then(
      () => 'added',
      (e: Error) => e.message,
    );
    expect(why).not.toBe(retired);
    expect(shown).toEqual({ allowed: false, reason: why });
    // a visitor is asked to sign in, as on an active group's page
    const visitor = (await webhooksOf(hub, null, 'hosting')).can.add;
    expect(visitor).toMatchObject({ allowed: false, reason: expect.not.stringContaining('retired') });
  });

  it('a group brought back from retirement has its week told again: the weekly job is queued anew', async () => {
    // a governance file may let a retired group come back; the default does not
    hub.governance.groups.transitions.push({
      from: 'retired',
      to: 'active',
      allowed: { roles: ['core-maintainer', 'lead-maintainer'] },
      requiresSponsorship: false,
    });
    await hook('/json');
    await moveGroup(hub, cora, 'hosting', { to: 'retired' });
    hub.clock.set('2026-03-09T09:00:00Z');
    await worker.drain();
    posts.length = 0;
    hub.clock.set('2026-03-11T12:00:00Z');
    await moveGroup(hub, cora, 'hosting', { to: 'active' });
    hub.clock.set('2026-03-16T09:00:00Z');
    await worker.drain();
    expect(posts.map((p) => p.title)).toEqual(['Hosting is active again, moved by Cora (@cora)', 'Hosting: the week']);
    // and the week after, as before it was retired
    posts.length = 0;
    hub.clock.set('2026-03-23T09:00:00Z');
    await worker.drain();
    expect(posts.map((p) => p.title)).toEqual(['Hosting: the week']);
  });

  it('a post queued before the retirement, or beside it, and not yet sent is not posted after it', async () => {
    await hook('/json');
    await openDecision(hub, lead, {
      group: 'hosting',
      subject: { type: 'process' },
      question: 'Meet fortnightly?',
      significance: 'minor',
    });
    await withdrawDecision(hub, lead, 'D-1', { reason: 'The group is being retired' });
    // the decision's posts (opened, withdrawn) wait in the queue as the group is retired
    await moveGroup(hub, cora, 'hosting', { to: 'retired' });
    await worker.drain();
    expect(posts.map((p) => p.event)).toEqual(['group-retired']);
  });

  it('what the chat missed while the group was retired is not resent when it comes back: the chat is told how many, its leads see them listed', async () => {
    hub.governance.groups.transitions.push({
      from: 'retired',
      to: 'active',
      allowed: { roles: ['core-maintainer', 'lead-maintainer'] },
      requiresSponsorship: false,
    });
    await hook('/json');
    await hook('/second');
    await openDecision(hub, lead, {
      group: 'hosting',
      subject: { type: 'process' },
      question: 'Meet fortnightly?',
      significance: 'minor',
    });
    await worker.drain();
    posts.length = 0;
    // its window closes while the group runs; the group is retired before the close job records it: its
    // outcome does not reach the chat (to two hooks, withheld once)
    hub.clock.set('2026-03-10T12:00:00Z');
    await moveGroup(hub, cora, 'hosting', { to: 'retired' });
    await closeDueDecisions(hub);
    await worker.drain();
    expect(posts.map((p) => p.event)).toEqual(['group-retired', 'group-retired']);
    const missed = (await listWebhooks(hub, lead, 'hosting')).withheld;
    expect(missed).toEqual([
      expect.objectContaining({ event: 'decision-outcome', title: expect.stringContaining('D-1') }),
    ]);
    expect((await webhooksOf(hub, lead, 'hosting')).withheld).toEqual(missed);
    // someone who may not manage the hooks is shown none of it
    expect((await webhooksOf(hub, await person(hub, 'kai'), 'hosting')).withheld).toEqual([]);
    posts.length = 0;
    hub.clock.set('2026-03-11T12:00:00Z');
    await moveGroup(hub, cora, 'hosting', { to: 'active' });
    await worker.drain();
    // once to each hook: that it is back and what it missed, and nothing of the missed post itself
    expect(posts).toEqual([
      expect.objectContaining({
        event: 'group-back',
        title: 'Hosting is active again, moved by Cora (@cora)',
        lines: [
          "One post was not sent here while it was retired, and is not sent now: what it told of has passed. The group's chat webhooks page lists it.",
        ],
      }),
      expect.objectContaining({ event: 'group-back' }),
    ]);
    // still listed for its leads after it is back
    expect((await listWebhooks(hub, lead, 'hosting')).withheld).toEqual(missed);
  });

  it('a post whose retry waited across the retirement is not posted once the group is back: withheld, after the chat was told it is back', async () => {
    hub.governance.groups.transitions.push({
      from: 'retired',
      to: 'active',
      allowed: { roles: ['core-maintainer', 'lead-maintainer'] },
      requiresSponsorship: false,
    });
    await hook('/json');
    // the chat service is down as the decision opens: its post waits out a retry (30 s)
    answer = 503;
    await openDecision(hub, lead, {
      group: 'hosting',
      subject: { type: 'process' },
      question: 'Meet fortnightly?',
      significance: 'minor',
    });
    await worker.drain();
    expect(posts).toEqual([]);
    answer = 204;
    hub.clock.set('2026-03-02T12:00:05Z');
    await withdrawDecision(hub, lead, 'D-1', { reason: 'The group is being retired' });
    hub.clock.set('2026-03-02T12:00:10Z');
    await moveGroup(hub, cora, 'hosting', { to: 'retired' });
    await worker.drain(); // the withdrawal's post is withheld as the group is retired
    hub.clock.set('2026-03-02T12:00:15Z');
    await moveGroup(hub, cora, 'hosting', { to: 'active' });
    await worker.drain();
    expect(posts.map((p) => p.event)).toEqual(['group-retired', 'group-back']);
    expect(posts[1]!.lines).toEqual([expect.stringContaining('One post was not sent')]);
    posts.length = 0;
    // the retry comes due after the group is back: what it tells of (opened before the retirement) is past
    hub.clock.set('2026-03-02T12:01:00Z');
    await worker.drain();
    expect(posts).toEqual([]);
    expect((await listWebhooks(hub, lead, 'hosting')).withheld.map((w) => w.event)).toEqual([
      'decision-opened',
      'decision-outcome',
    ]);
    // a post of what happened after the group came back is posted
    await openDecision(hub, lead, {
      group: 'hosting',
      subject: { type: 'process' },
      question: 'Meet weekly?',
      significance: 'minor',
    });
    await worker.drain();
    expect(posts.map((p) => p.event)).toEqual(['decision-opened']);
  });

  it("a group's withheld posts keep the newest 50: the oldest are dropped as more are withheld", async () => {
    await hook('/json');
    await moveGroup(hub, cora, 'hosting', { to: 'retired' });
    await worker.drain();
    const group = await hub.store.db
      .selectFrom('groups')
      .select('id')
      .where('slug', '=', 'hosting')
      .executeTakeFirstOrThrow();
    for (let i = 1; i <= 53; i++) {
      hub.clock.set(new Date(Date.parse('2026-03-03T00:00:00Z') + i * 60_000).toISOString());
      await withhold(hub.store.db, hub, group.id, {
        event: 'weekly-summary',
        group: 'hosting',
        title: `Week ${i}`,
        url: 'https://wg.example.org/groups/hosting',
        lines: [],
        at: hub.clock.now().toISOString(),
      });
    }
    const kept = await hub.store.db
      .selectFrom('chat_withheld')
      .select('title')
      .where('group_id', '=', group.id)
      .execute();
    expect(kept).toHaveLength(50);
    expect(kept.map((k) => k.title).sort()).toEqual(Array.from({ length: 50 }, (_, i) => `Week ${i + 4}`).sort());
    const listed = (await listWebhooks(hub, lead, 'hosting')).withheld.map((w) => w.title);
    expect(listed).toHaveLength(50);
    expect(listed[0]).toBe('Week 53');
    expect(listed.at(-1)).toBe('Week 4');
  });
});
