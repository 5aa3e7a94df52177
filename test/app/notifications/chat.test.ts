// Chat webhooks with a real HTTP receiver on the loopback: a decision opened in a group reaches its
// Discord, Slack and signed JSON hooks in each one's shape (the JSON's HMAC checks out with the
// secret), a receiver that is down gets the message later, one that refuses it for good is not
// retried, only those who may edit the charter manage hooks, and the weekly summary says what moved
// and what waits.
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Actor, inTransaction, SYSTEM } from '../../../src/app/core/hub.ts';
import { readJson } from '../../../src/store/schema.ts';
import { Worker } from '../../../src/app/core/worker.ts';
import {
  castVote,
  closeDueDecisions,
  extendDecision,
  openDecision,
  requestVote,
  respondToDecision,
} from '../../../src/app/decisions/decisions.ts';
import { placeInGroup, proposeGroup } from '../../../src/app/groups/groups.ts';
import {
  addWebhook,
  CHAT_QUEUE,
  CHAT_SUMMARY_QUEUE,
  chatReaction,
  listWebhooks,
  postWeeklySummary,
  removeWebhook,
  sendChat,
} from '../../../src/app/notifications/chat.ts';
import { remindDecisionClosing } from '../../../src/app/notifications/closing.ts';
import { jobHandlers } from '../../../src/cli/job-handlers.ts';
import { CLOSING_QUEUE, notificationsReaction } from '../../../src/app/notifications/notify.ts';
import { scheduleMeeting } from '../../../src/app/meetings/meetings.ts';
import { recordNotes } from '../../../src/app/meetings/outcomes.ts';
import { publicOnlyFetch } from '../../../src/app/core/public-fetch.ts';
import { databases } from '../../support/databases.ts';
import { openTestHub, person, type TestHub } from '../../support/hub.ts';

type Hit = { path: string; headers: Record<string, string | string[] | undefined>; body: string };

describe.each(databases)('chat webhooks on $name', (database) => {
  let hub: TestHub;
  let lead: Actor, ana: Actor;
  let receiver: Server;
  let base: string;
  const hits: Hit[] = [];
  let answer: (path: string) => number = () => 204;
  const http = publicOnlyFetch(['127.0.0.1']);
  let worker: Worker;

  beforeEach(async () => {
    hits.length = 0;
    answer = () => 204;
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        hits.push({ path: req.url ?? '', headers: req.headers, body });
        res.statusCode = answer(req.url ?? '');
        res.end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(receiver.address() as { port: number }).port}`;
    hub = await openTestHub(database, '2026-03-02T12:00:00Z');
    // the receiver is on the loopback: the operator's setting lets hooks reach it
    hub.settings = { ...hub.settings, webhookAllowedHosts: ['127.0.0.1'] };
    hub.reactions.push(chatReaction('https://wg.example.org'));
    lead = await person(hub, 'lead', { role: 'member' });
    ana = await person(hub, 'ana');
    await proposeGroup(hub, lead, {
      slug: 'hosting',
      name: 'Hosting',
      kind: 'working',
      mission: 'Share practices for hosting MCP servers at scale.',
      scopeIn: ['Scaling'],
      leads: ['lead'],
    });
    await placeInGroup(hub, SYSTEM, 'hosting', 'ana', { level: 'member' });
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

  const open = (question = 'Adopt *fortnightly* meetings? @everyone') =>
    openDecision(hub, lead, { group: 'hosting', subject: { type: 'process' }, question, significance: 'minor' });

  it('a decision opened reaches Discord, Slack and signed JSON hooks, each in its own shape', async () => {
    await addWebhook(hub, lead, 'hosting', { format: 'discord', url: `${base}/discord/123/SECRET-PART` });
    await addWebhook(hub, lead, 'hosting', { format: 'slack', url: `${base}/slack/T0/B0/xyz` });
    const secret = 'a-shared-secret-of-some-length';
    await addWebhook(hub, lead, 'hosting', { format: 'json', url: `${base}/json`, secret });
    await open();
    expect(await worker.drain()).toBeGreaterThanOrEqual(3);
    const by = (p: string) => hits.find((h) => h.path.startsWith(p))!;
    const discord = JSON.parse(by('/discord').body);
    expect(discord.content).toBe(
      '**D\\-1 opened: Adopt \\*fortnightly\\* meetings? @everyone**\nSilence is consent: object by 2026\\-03\\-07 12:00 UTC\n<https://wg.example.org/decisions/D-1>',
    );
    expect(discord.allowed_mentions).toEqual({ parse: [] });
    expect(JSON.parse(by('/slack').body).text).toBe(
      '*D-1 opened: Adopt *fortnightly* meetings? @everyone*\nSilence is consent: object by 2026-03-07 12:00 UTC\n<https://wg.example.org/decisions/D-1|Open on the hub>',
    );
    const json = by('/json');
    expect(JSON.parse(json.body)).toEqual({
      event: 'decision-opened',
      group: 'hosting',
      title: 'D-1 opened: Adopt *fortnightly* meetings? @everyone',
      url: 'https://wg.example.org/decisions/D-1',
      lines: ['Silence is consent: object by 2026-03-07 12:00 UTC'],
      at: '2026-03-02T12:00:00.000Z',
    });
    expect(json.headers['x-wghub-event']).toBe('decision-opened');
    expect(json.headers['x-wghub-signature-256']).toBe(
      `sha256=${createHmac('sha256', secret).update(json.body).digest('hex')}`,
    );
    expect(by('/discord').headers['x-wghub-signature-256']).toBeUndefined();
    // the list shows only where each goes: the rest of a Discord or Slack URL is its credential
    const listed = await listWebhooks(hub, lead, 'hosting');
    expect(listed.items.map((w) => [w.format, w.target, w.signed])).toEqual([
      ['discord', `${base}/…`, false],
      ['slack', `${base}/…`, false],
      ['json', `${base}/…`, true],
    ]);
  });

  it("`wghub serve`'s own handlers deliver a chat message too, to the hosts the operator allows", async () => {
    // the handlers `serve` and `worker` run, whose address-checking fetch loads with the first message
    const served = new Worker(hub, jobHandlers(hub), { onError: () => {} });
    await addWebhook(hub, lead, 'hosting', {
      format: 'json',
      url: `${base}/served`,
      secret: 'a-shared-secret-of-some-length',
    });
    await open();
    await served.drain();
    expect(hits.filter((h) => h.path === '/served')).toHaveLength(1);
    expect(JSON.parse(hits.find((h) => h.path === '/served')!.body)).toMatchObject({
      event: 'decision-opened',
      url: 'https://wg.example.org/decisions/D-1',
    });
  });

  it('a receiver that is down gets the message on a retry; one that refuses it for good is not retried', async () => {
    const flakyHook = await addWebhook(hub, lead, 'hosting', { format: 'slack', url: `${base}/flaky` });
    const goneHook = await addWebhook(hub, lead, 'hosting', { format: 'slack', url: `${base}/gone` });
    let flaky = 1;
    answer = (p) => (p === '/gone' ? 404 : p === '/flaky' && flaky-- > 0 ? 503 : 204);
    await open('Meet fortnightly?');
    await worker.drain();
    const job = async (hook: string) =>
      (await hub.store.db.selectFrom('jobs').selectAll().where('queue', '=', CHAT_QUEUE).execute()).find(
        (j) => JSON.parse(j.payload).webhook === hook,
      )!;
    expect(await job(flakyHook.id)).toMatchObject({ attempts: 1, done_at: null, failed_at: null });
    expect(await job(goneHook.id)).toMatchObject({ attempts: 1, done_at: null, failed_at: expect.any(String) });
    expect((await job(goneHook.id)).last_error).toContain('refused the message: HTTP 404');
    hub.clock.advance(10 * 60_000);
    await worker.drain();
    expect(hits.filter((h) => h.path === '/flaky')).toHaveLength(2);
    expect(hits.filter((h) => h.path === '/gone')).toHaveLength(1);
    expect(await job(flakyHook.id)).toMatchObject({ attempts: 2, failed_at: null, done_at: expect.any(String) });
  });

  it('the closing-soon timer tells the chat too, while the decision is still open', async () => {
    hub.reactions.push(notificationsReaction({ mail: false }));
    await addWebhook(hub, lead, 'hosting', { format: 'slack', url: `${base}/slack` });
    await open('Meet fortnightly?');
    const closing = new Worker(hub, {
      [CLOSING_QUEUE]: (h, j) => remindDecisionClosing(h, j, { mail: false, publicUrl: 'https://wg.example.org' }),
      [CHAT_QUEUE]: (h, j) => sendChat(h, j, http.fetch as typeof fetch),
    });
    hub.clock.set('2026-03-05T12:00:00Z');
    await closing.drain();
    expect(hits.map((h) => JSON.parse(h.body).text.split('\n')[0])).toEqual([
      '*D-1 opened: Meet fortnightly?*',
      '*D-1 closes soon: Meet fortnightly?*',
    ]);
  });

  it('a deadline extended reaches the hooks once: the new deadline, by whom and why, in the community’s words', async () => {
    // a community that cites its documents as RFC-12, not SEP-12
    hub.governance.proposals.routes.sep.shortName = 'RFC';
    await addWebhook(hub, lead, 'hosting', {
      format: 'json',
      url: `${base}/json`,
      secret: 'a-shared-secret-of-some-length',
    });
    await open('Adopt SEP-12 for the content meetings?');
    await worker.drain();
    hits.length = 0;
    hub.clock.set('2026-03-04T09:30:00Z');
    await extendDecision(hub, lead, 'D-1', 1, { hours: 48, reason: 'Ana asked for time to read SEP-12 first.' });
    await worker.drain();
    expect(hits.map((h) => [h.headers['x-wghub-event'], JSON.parse(h.body)])).toEqual([
      [
        'decision-extended',
        {
          event: 'decision-extended',
          group: 'hosting',
          title: 'D-1 has more time: Adopt RFC-12 for the content meetings?',
          url: 'https://wg.example.org/decisions/D-1',
          lines: [
            'New deadline: 2026-03-09 12:00 UTC (was 2026-03-07 12:00 UTC); silence by then counts as consent',
            'Extended by Lead (@lead): Ana asked for time to read RFC-12 first',
          ],
          at: '2026-03-04T09:30:00.000Z',
        },
      ],
    ]);
    // once per extension: the same event reacted to again (a retried write's reaction) posts nothing more
    const row = await hub.store.db
      .selectFrom('events')
      .selectAll()
      .where('kind', '=', 'decision.extended')
      .executeTakeFirstOrThrow();
    await inTransaction(hub, (trx) =>
      chatReaction('https://wg.example.org')(trx, hub, {
        seq: Number(row.seq),
        at: row.at,
        actor: lead,
        kind: row.kind,
        subject: { type: row.subject_type, id: row.subject_id },
        before: readJson(row.before!),
        after: readJson(row.after!),
      }),
    );
    expect(await worker.drain()).toBe(0);
    // a second extension is an announcement of its own, by whoever made it: here the operator, without a reason's stop doubled
    hits.length = 0;
    await extendDecision(hub, SYSTEM, 'D-1', 2, { deadline: '2026-03-10T12:00:00Z', reason: 'More time.' });
    await worker.drain();
    expect(hits.map((h) => JSON.parse(h.body).lines)).toEqual([
      [
        'New deadline: 2026-03-10 12:00 UTC (was 2026-03-09 12:00 UTC); silence by then counts as consent',
        "Extended by the hub's operator: More time",
      ],
    ]);
  });

  it('the outcome and a meeting’s published notes reach the hooks too', async () => {
    await addWebhook(hub, lead, 'hosting', {
      format: 'json',
      url: `${base}/json`,
      secret: 'a-shared-secret-of-some-length',
    });
    await open('Adopt fortnightly meetings?');
    const m = await scheduleMeeting(hub, lead, {
      group: 'hosting',
      kind: 'process',
      title: 'Hosting planning',
      startsAt: '2026-03-05T16:00:00Z',
    });
    await worker.drain();
    hits.length = 0;
    hub.clock.set('2026-03-05T17:30:00Z');
    await recordNotes(hub, lead, m.ref, m.version, { notes: '# Hosting planning\n\nAgreed the outline.' });
    hub.clock.set('2026-03-07T12:00:01Z');
    await closeDueDecisions(hub); // D-1's deadline passed with no block
    await worker.drain();
    const bodies = hits.map((h) => JSON.parse(h.body) as { event: string; title: string; url: string });
    expect(bodies.map((b) => [b.event, b.title, b.url])).toEqual([
      ['notes-published', `${m.ref} notes published: Hosting planning`, `https://wg.example.org/meetings/${m.ref}`],
      ['decision-outcome', 'D-1 adopted: Adopt fortnightly meetings?', 'https://wg.example.org/decisions/D-1'],
    ]);
  });

  it('a vote opened (on request, or by a block standing at the deadline), its closing, an escalation and a vote’s outcome reach the hooks, once each', async () => {
    hub.reactions.push(notificationsReaction({ mail: false }));
    // in the community's words: it calls its core maintainers stewards
    hub.governance.roleNames = { ...hub.governance.roleNames, 'core-maintainer': 'steward' };
    await addWebhook(hub, lead, 'hosting', {
      format: 'json',
      url: `${base}/json`,
      secret: 'a-shared-secret-of-some-length',
    });
    const timers = new Worker(hub, {
      [CLOSING_QUEUE]: (h, j) => remindDecisionClosing(h, j, { mail: false, publicUrl: 'https://wg.example.org' }),
    });
    const block = {
      kind: 'block',
      reason: 'Fortnightly is too rare for the content we have.',
      alternative: 'Weekly content meetings.',
    };
    await open('Adopt fortnightly meetings?');
    await respondToDecision(hub, ana, 'D-1', block);
    await open('Move the call to Thursdays?');
    await respondToDecision(hub, ana, 'D-2', block);
    await worker.drain();
    hits.length = 0;
    const posted = async () => {
      await timers.drain();
      await worker.drain();
      const out = hits.map((h) => JSON.parse(h.body) as { event: string; title: string; lines: string[] });
      hits.length = 0;
      return out.map((b) => [b.event, b.title, b.lines]);
    };
    await requestVote(hub, lead, 'D-1');
    expect(await posted()).toEqual([
      [
        'vote-opened',
        'D-1 goes to a vote: Adopt fortnightly meetings?',
        ['Vote yes, no or abstain by 2026-03-09 12:00 UTC; in a vote, silence is not consent'],
      ],
    ]);
    // the deadline: D-1's vote (asked for) is not posted again; D-2's block stood, so its vote opens
    hub.clock.set('2026-03-07T12:00:01Z');
    await closeDueDecisions(hub);
    expect(await posted()).toEqual([
      [
        'vote-opened',
        'D-2 goes to a vote (a block stood at the deadline): Move the call to Thursdays?',
        ['Vote yes, no or abstain by 2026-03-14 12:00 UTC; in a vote, silence is not consent'],
      ],
      [
        'vote-closing',
        'The vote on D-1 closes soon: Adopt fortnightly meetings?',
        ['Vote yes, no or abstain by 2026-03-09 12:00 UTC; in a vote, silence is not consent'],
      ],
    ]);
    await castVote(hub, ana, 'D-2', { choice: 'yes' });
    await castVote(hub, lead, 'D-2', { choice: 'yes' });
    // nobody voted on D-1: without quorum it escalates to the core maintainers
    hub.clock.set('2026-03-09T12:00:01Z');
    await closeDueDecisions(hub);
    await closeDueDecisions(hub);
    const [escalated, week] = await posted();
    // Monday's summary came due meanwhile: D-2's vote waits, past its lazy-consensus deadline, and
    // D-1 waits on the core maintainers (the stewards, as this community calls them)
    expect(week).toEqual([
      'weekly-summary',
      'Hosting: the week',
      [
        'Waits:',
        '- D-2 vote open until 2026-03-14: Move the call to Thursdays?',
        '- D-1 escalated to the stewards: Adopt fortnightly meetings?',
      ],
    ]);
    expect([escalated]).toEqual([
      [
        'decision-escalated',
        'D-1 escalated: the vote did not settle it, so a steward resolves it: Adopt fortnightly meetings?',
        ['The vote: 0 yes, 0 no, 0 abstain (routine matter: more than 1/2 of the yes and no votes)'],
      ],
    ]);
    hub.clock.set('2026-03-12T12:00:00Z');
    expect(await posted()).toEqual([
      [
        'vote-closing',
        'The vote on D-2 closes soon: Move the call to Thursdays?',
        ['Vote yes, no or abstain by 2026-03-14 12:00 UTC; in a vote, silence is not consent'],
      ],
    ]);
    hub.clock.set('2026-03-14T12:00:01Z');
    await closeDueDecisions(hub);
    expect(await posted()).toEqual([
      [
        'decision-outcome',
        'D-2 adopted by vote: Move the call to Thursdays?',
        ['The vote: 2 yes, 0 no, 0 abstain (routine matter: more than 1/2 of the yes and no votes)'],
      ],
    ]);
    await closeDueDecisions(hub);
    expect(await posted()).toEqual([]);
  });

  it('only those who may edit the charter manage hooks; a JSON hook without a secret names the field', async () => {
    await expect(addWebhook(hub, ana, 'hosting', { format: 'discord', url: `${base}/x` })).rejects.toMatchObject({
      kind: 'forbidden',
    });
    await expect(addWebhook(hub, lead, 'hosting', { format: 'json', url: `${base}/x` })).rejects.toMatchObject({
      issues: [
        {
          field: 'secret',
          rule: 'a generic JSON webhook needs a secret: the receiver checks X-Wghub-Signature-256 with it',
        },
      ],
    });
    await expect(
      addWebhook(hub, lead, 'hosting', { format: 'slack', url: 'ftp://example.org/x' }),
    ).rejects.toMatchObject({ issues: [{ field: 'url' }] });
    const w = await addWebhook(hub, lead, 'hosting', { format: 'discord', url: `${base}/x` });
    await removeWebhook(hub, lead, 'hosting', w.id);
    await open();
    await worker.drain();
    expect(hits).toEqual([]);
  });

  it('the weekly summary on Monday morning: what was decided, what waits; then next week’s is queued', async () => {
    await addWebhook(hub, lead, 'hosting', {
      format: 'json',
      url: `${base}/json`,
      secret: 'a-shared-secret-of-some-length',
    });
    await open('Adopt fortnightly meetings?');
    hub.clock.set('2026-03-05T10:00:00Z');
    await open('Move the call to Thursdays?');
    // a vote asked for before its lazy-consensus deadline waits until the vote closes, not until then
    await open('Rotate the note-taker?');
    await requestVote(hub, lead, 'D-3');
    await worker.drain();
    hits.length = 0;
    hub.clock.set('2026-03-09T09:00:00Z');
    await closeDueDecisions(hub); // D-1's deadline passed with no block
    await worker.drain();
    const summary = hits.map((h) => JSON.parse(h.body)).find((b) => b.event === 'weekly-summary');
    expect(summary).toMatchObject({
      group: 'hosting',
      title: 'Hosting: the week',
      url: 'https://wg.example.org/groups/hosting',
    });
    expect(summary.lines).toEqual([
      'Moved:',
      '- D-1 adopted: Adopt fortnightly meetings?',
      'Waits:',
      '- D-2 open until 2026-03-10: Move the call to Thursdays?',
      '- D-3 vote open until 2026-03-12: Rotate the note-taker?',
    ]);
    const next = await hub.store.db
      .selectFrom('jobs')
      .select('run_at')
      .where('queue', '=', CHAT_SUMMARY_QUEUE)
      .where('done_at', 'is', null)
      .execute();
    expect(next.map((j) => j.run_at)).toEqual(['2026-03-16T09:00:00.000Z']);
  });
});
