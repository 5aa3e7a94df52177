// An escalated decision in a community whose roles, groups and levels have names of their own
// (Sensorium, test/support/sensorium.ts): who resolves it is its governance file's
// `decisions.escalation.candidateRole` by the community's name for it, wherever the hub says so:
// the decision's reasons, refusals, its page, the member's home and "what needs me", the group's
// notices and chat posts, the weekly summary and the quarterly update; never "core maintainer".
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM, type Actor } from '../../../src/app/core/hub.ts';
import {
  closeDueDecisions,
  getDecision,
  openDecision,
  openDecisionsIn,
  respondToDecision,
} from '../../../src/app/decisions/decisions.ts';
import { groupRow, placeInGroup, proposeGroup } from '../../../src/app/groups/groups.ts';
import { whatNeedsMe } from '../../../src/app/home/what-needs-me.ts';
import { draftQuarterlyUpdate } from '../../../src/app/meetings/quarterly.ts';
import { contributionAdvisers } from '../../../src/app/people/advisers.ts';
import { addWebhook, CHAT_QUEUE, chatReaction, weeklySummary } from '../../../src/app/notifications/chat.ts';
import { notificationsReaction } from '../../../src/app/notifications/notify.ts';
import { createHttpApp } from '../../../src/http/server.ts';
import { appendEvent } from '../../../src/store/events.ts';
import { readJson } from '../../../src/store/schema.ts';
import { databases } from '../../support/databases.ts';
import { asActor, openTestHub, person, type TestHub } from '../../support/hub.ts';
import { sensoriumGovernance } from '../../support/sensorium.ts';
import { pageText, signInAs } from '../../support/web-client.ts';

const CORE = /\bcore maintainers?\b/i;

describe.each(databases)('an escalation in the community’s words on $name', (database) => {
  let hub: TestHub;
  let lead: Actor;
  beforeEach(async () => {
    hub = await openTestHub(database, '2026-03-02T12:00:00Z');
    hub.governance = sensoriumGovernance();
    hub.reactions.push(notificationsReaction({ mail: false }), chatReaction('https://hub.sensorium.example'));
    lead = await person(hub, 'lead', { role: 'member', org: 'Galactic Hosting Corporation' });
    await person(hub, 'ana', { org: 'Nebula Tools' });
    await person(hub, 'sc', { role: 'core-maintainer', org: 'Independent Research' });
    await proposeGroup(hub, lead, {
      slug: 'hosting',
      name: 'Hosting',
      kind: 'working',
      mission: 'Share practices for hosting Sensorium servers at scale.',
      scopeIn: ['Scaling'],
      leads: ['lead'],
    });
    await placeInGroup(hub, SYSTEM, 'hosting', 'ana', { level: 'member' });
    await addWebhook(hub, lead, 'hosting', { format: 'discord', url: 'https://chat.sensorium.example/hook' });
    await openDecision(hub, lead, {
      group: 'hosting',
      subject: { type: 'process' },
      question: 'Adopt fortnightly meetings?',
      significance: 'minor',
    });
    await respondToDecision(hub, await asActor(hub, 'ana'), 'D-1', {
      kind: 'block',
      reason: 'Fortnightly is too rare for the content we have.',
      alternative: 'Weekly content meetings.',
    });
    // the block stands at the deadline: a vote opens; nobody votes, so it escalates
    hub.clock.set('2026-03-07T12:00:01Z');
    await closeDueDecisions(hub);
    hub.clock.set('2026-03-14T12:00:01Z');
    await closeDueDecisions(hub);
  });
  afterEach(async () => hub?.close());

  it('the decision, its refusals, notices, chat, summaries and the quarterly update name a steering committee member', async () => {
    const d = await getDecision(hub, 'D-1');
    expect(d.state.phase).toBe('escalated');
    expect(d.state.why).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/: escalated to the steering committee members$/),
        expect.stringMatching(/^awaiting a designated steering committee member; initial response due/),
      ]),
    );
    expect(d.can.guide).toEqual({ allowed: false, reason: 'No steering committee member is designated yet' });
    expect((await getDecision(hub, 'D-1', undefined, lead)).can.extend).toEqual({
      allowed: false,
      reason: 'The decision is escalated: its steering committee member resolves it, and its deadline has passed',
    });

    // those who may name the resolver are told at once, the group hears it too
    const notices = await hub.store.db
      .selectFrom('notifications')
      .select('title')
      .where('kind', 'in', ['decision-escalated', 'decision-outcome'])
      .execute();
    expect(new Set(notices.map((n) => n.title))).toEqual(
      new Set([
        'D-1 escalated: the vote did not settle it, so a steering committee member resolves it: Adopt fortnightly meetings?',
      ]),
    );

    // the group's chat, as posted and in the week's summary
    const posts = await hub.store.db.selectFrom('jobs').select('payload').where('queue', '=', CHAT_QUEUE).execute();
    const titles = posts.map((p) => (readJson(p.payload) as { message: { title: string } }).message.title);
    expect(titles).toContain(
      'D-1 escalated: the vote did not settle it, so a steering committee member resolves it: Adopt fortnightly meetings?',
    );
    const group = await hub.store.db
      .selectFrom('groups')
      .select('id')
      .where('slug', '=', 'hosting')
      .executeTakeFirstOrThrow();
    const week = await weeklySummary(hub, group.id, 'https://hub.sensorium.example');
    expect(week!.lines).toContain('- D-1 escalated to the steering committee members: Adopt fortnightly meetings?');

    // whoever may name the resolver is asked to, in the same words
    const needs = await whatNeedsMe(hub, await asActor(hub, 'sc'));
    expect(needs.items.find((i) => i.kind === 'designate')?.asked).toBe(
      'Escalated with nobody named to resolve it: name the steering committee member who does',
    );

    const update = await draftQuarterlyUpdate(hub, 'hosting', { due: '2026-04' });
    expect(update.markdown).toContain('# Hosting Special Interest Group: quarterly update');
    expect(update.markdown).toContain('Adopt fortnightly meetings?: escalated to a steering committee member');

    for (const text of [d.state.why.join(' '), ...titles, ...week!.lines, update.markdown])
      expect(text).not.toMatch(CORE);

    // with no moderators, whom a form names to ask about the contribution terms is named as the community names them
    expect((await contributionAdvisers(hub)).who).toBe('the steering committee member');
  });

  it('the decision page, the home page and the event log say who resolves it in the community’s words', async () => {
    const app = createHttpApp(hub, undefined, {
      web: { oidc: null, publicUrl: null, secureCookies: true, sessionHours: 24 },
    });
    const sc = await signInAs(app, 'sc');
    const page = pageText((await sc.get('/decisions/D-1')).html);
    expect(page).toContain('escalated to the steering committee members');
    expect(page).toContain('Escalation to the steering committee members');
    expect(page).toContain('No steering committee member designated yet.');
    expect(page).toContain('Designate the steering committee member who resolves it');
    expect(page).not.toMatch(CORE);
    const home = pageText((await sc.get('/')).html);
    expect(home).toContain('name the steering committee member who does, on its page');
    expect(home).not.toMatch(CORE);

    // the log's facts: the close job's reasons as recorded now, and one recorded in MCP's words
    // before the community renamed its roles, both read in its words; the stored row keeps its words
    await hub.store.db.transaction().execute(async (trx) => {
      await appendEvent(trx, {
        at: '2026-03-14T12:00:02.000Z',
        actor: 'system',
        kind: 'decision.phase-changed',
        subjectType: 'decision',
        subjectId: 'D-1',
        before: null,
        after: { phase: 'escalated', why: ['the vote did not pass (0 yes, 1 no): escalated to the core maintainers'] },
      });
    });
    const log = (await (await app.request('/api/events?limit=20')).json()) as {
      items: { kind: string; after: { why?: string[] } | null }[];
    };
    const whys = log.items.filter((e) => e.kind === 'decision.phase-changed').flatMap((e) => e.after?.why ?? []);
    expect(whys).toContain('the vote did not pass (0 yes, 1 no): escalated to the steering committee members');
    expect(whys.filter((w) => /escalated to the/.test(w))).toHaveLength(2);
    expect(whys.join(' ')).not.toMatch(CORE);
    const stored = await hub.store.db
      .selectFrom('events')
      .select('after')
      .where('at', '=', '2026-03-14T12:00:02.000Z')
      .executeTakeFirstOrThrow();
    expect(stored.after).toContain('escalated to the core maintainers');
    expect((await (await app.request('/api/events/verify')).json()) as { ok: boolean }).toMatchObject({ ok: true });
  });
  it('an escalation past its initial response still holds the group, but gives its view no time to go stale by', async () => {
    const due = (await getDecision(hub, 'D-1')).state.escalationDueAt!;
    hub.clock.set(new Date(Date.parse(due) + 60_000).toISOString());
    const group = await groupRow(hub.store.db, 'hosting');
    // open until someone answers it (a write); a time already past would keep the group's view from
    // being cached at all
    expect(await openDecisionsIn(hub.store.db, hub, group.id)).toEqual({ refs: ['D-1'], closesAt: null });
  });
});
