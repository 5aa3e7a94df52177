// One who gains a voice while a group's decisions are open is told of each that waits for their answer
// (standing-events.ts), inside the join's own transaction. What they are told, with decisions in every
// state a group can hold (under lazy consensus, in a vote, answered, voted, withdrawn, muted, opened
// by them, past the deadline and not yet recorded, about a proposal in a topic area muted or watched),
// and what it costs: the same queries however many
// are open (before, a full decision view each: its timeline, names, candidates, proof of who was told).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor, Reaction } from '../../../src/app/core/hub.ts';
import {
  castVote,
  openDecision,
  openDecisionsOnJoining,
  requestVote,
  respondToDecision,
  withdrawDecision,
  withdrawResponse,
} from '../../../src/app/decisions/decisions.ts';
import { joinGroup } from '../../../src/app/groups/groups.ts';
import { createTopicArea } from '../../../src/app/groups/topic-areas.ts';
import { createProposal } from '../../../src/app/proposals/proposals.ts';
import type { Notice } from '../../../src/app/notifications/recipients.ts';
import { openDecisionNotices } from '../../../src/app/notifications/standing-events.ts';
import { setSubscription } from '../../../src/app/notifications/subscriptions.ts';
import { databases } from '../../support/databases.ts';
import type { TestHub } from '../../support/hub.ts';
import { hostingGroupWithMail } from '../../support/notifications.ts';
import { countQueries, type QueryCounter } from '../../support/queries.ts';

describe.each(databases)('notices of open decisions on gaining a voice on $name', (database) => {
  let hub: TestHub;
  let lead: Actor, ana: Actor;
  let counter: QueryCounter;
  /** What `openDecisionNotices` gave for each event it answered, and the queries it sent for it. */
  let seen: { notices: Notice[][]; queries: number }[];

  beforeEach(async () => {
    ({ hub, lead, ana } = await hostingGroupWithMail(database));
    counter = countQueries(hub);
    seen = [];
    const watch: Reaction = async (trx, h, e) => {
      const before = counter.count;
      const notices = await openDecisionNotices(trx, h, e);
      if (notices.length) seen.push({ notices, queries: counter.count - before });
    };
    hub.reactions.push(watch);
  });
  afterEach(async () => hub?.close());

  const open = (question: string) =>
    openDecision(hub, lead, { group: 'hosting', subject: { type: 'process' }, question, significance: 'minor' });
  /** A proposal (P-n, in the order made) in topic area `topic` of hosting, and a decision (D-n) about it. */
  const openOn = async (topic: string, question: string) => {
    const p = await createProposal(hub, lead, {
      title: question,
      problem: 'Servers behind a load balancer lose sessions when a node restarts.',
      examples: ['Hosting WG incident in May'],
      layer: 'working-group-artifact',
      route: 'contribution',
      group: 'hosting',
      topicArea: topic,
    });
    return openDecision(hub, lead, {
      group: 'hosting',
      subject: { type: 'proposal', ref: p.ref },
      question,
      significance: 'minor',
    });
  };
  const topicAreas = async () => {
    for (const slug of ['scaling', 'auth'])
      await createTopicArea(hub, lead, 'hosting', { slug, name: `Area ${slug}`, goal: 'both', facilitators: ['lead'] });
  };
  const lapse = async () =>
    hub.store.db
      .updateTable('group_members')
      .set({ last_active_at: '2025-06-01T00:00:00.000Z' })
      .where('person_id', '=', ana.kind === 'person' ? ana.person.id : '')
      .execute();
  const comeBack = async () => {
    seen = [];
    await lapse();
    await joinGroup(hub, ana, 'hosting');
    expect(seen).toHaveLength(1);
    return seen[0]!;
  };

  it('told of each decision that waits for their answer, as before, and nothing of the others', async () => {
    // D-1: past its deadline by the time ana comes back, not yet recorded closed (adopted by silence)
    hub.clock.set('2026-02-20T12:00:00Z');
    await open('Adopt the old notes template?');
    hub.clock.set('2026-03-02T12:00:00Z');
    await open('Adopt fortnightly content meetings?'); // D-2: waits for her answer
    await open('Move the notes to the wiki?'); // D-3: she consented
    await respondToDecision(hub, ana, 'D-3', { kind: 'consent' });
    await open('Rename the group?'); // D-4: she consented, then withdrew her response
    await respondToDecision(hub, ana, 'D-4', { kind: 'consent' });
    await withdrawResponse(hub, ana, 'D-4');
    await open('Meet weekly?'); // D-5: in a vote
    await requestVote(hub, lead, 'D-5');
    await open('Archive the old notes?'); // D-6: in a vote she voted in
    await requestVote(hub, lead, 'D-6');
    await castVote(hub, ana, 'D-6', { choice: 'yes' });
    await open('Adopt a code of conduct?'); // D-7: withdrawn
    await withdrawDecision(hub, lead, 'D-7', { reason: 'a duplicate' });
    await open('Publish the minutes?'); // D-8: she muted it
    await setSubscription(hub, ana, { subjectType: 'decision', subjectRef: 'D-8', level: 'muted' });
    await openDecision(hub, ana, {
      group: 'hosting',
      subject: { type: 'process' },
      question: 'Keep a changelog?',
      significance: 'minor',
    }); // D-9: she opened it
    hub.clock.set('2026-03-03T12:00:00Z');
    const { notices } = await comeBack();
    const anaId = ana.kind === 'person' ? ana.person.id : '';
    const lines = notices.map((each) =>
      each.map((n) => [n.personId === anaId, n.kind, n.reason, n.subject.ref, n.groupSlug, n.title, n.deadline]),
    );
    expect(lines).toEqual([
      [
        [
          true,
          'decision-opened',
          'member',
          'D-2',
          'hosting',
          'D-2 is open, and your answer now counts: Adopt fortnightly content meetings?',
          '2026-03-07T12:00:00.000Z',
        ],
      ],
      [
        [
          true,
          'decision-opened',
          'member',
          'D-4',
          'hosting',
          'D-4 is open, and your answer now counts: Rename the group?',
          '2026-03-07T12:00:00.000Z',
        ],
      ],
      [
        [
          true,
          'vote-opened',
          'member',
          'D-5',
          'hosting',
          'D-5 is in a vote, and your vote now counts: Meet weekly?',
          notices[2]![0]!.deadline,
        ],
      ],
    ]);
    // the vote's notice names the vote's close, not the lazy-consensus deadline it replaced
    expect(notices[2]![0]!.deadline).not.toBe('2026-03-07T12:00:00.000Z');
    expect(notices.every((each) => each.every((n) => Object.keys(n).length === 7))).toBe(true);
  });

  it("a topic area counts as for every notice: the decision's own choice, then its topic area's, then its group's", async () => {
    await topicAreas();
    await setSubscription(hub, ana, { subjectType: 'topic', subjectRef: 'hosting/scaling', level: 'muted' });
    await setSubscription(hub, ana, { subjectType: 'topic', subjectRef: 'hosting/auth', level: 'watching' });
    await setSubscription(hub, ana, { subjectType: 'group', subjectRef: 'hosting', level: 'muted' });
    await openOn('scaling', 'Adopt the shared session store?'); // D-1: its topic area muted
    await openOn('scaling', 'Cap the sessions per node?'); // D-2: its topic area muted, the decision itself watched
    await setSubscription(hub, ana, { subjectType: 'decision', subjectRef: 'D-2', level: 'watching' });
    await openOn('auth', 'Require signed tokens?'); // D-3: the group muted, its topic area watched
    await open('Meet weekly?'); // D-4: about no proposal, the group muted
    const { notices } = await comeBack();
    expect(notices.map((each) => each.map((n) => n.subject.ref))).toEqual([['D-2'], ['D-3']]);
    // what she is told on coming back agrees: muted, never told, her silence counts as her own choice;
    // where she is told now, in time, it counts too
    expect((await openDecisionsOnJoining(hub, ana, 'hosting')).map((d) => [d.ref, d.voice])).toEqual([
      ['D-1', 'silence-counts'],
      ['D-2', 'silence-counts'],
      ['D-3', 'silence-counts'],
      ['D-4', 'silence-counts'],
    ]);
  });

  it('costs the same queries however many decisions about proposals in topic areas are open', async () => {
    await topicAreas();
    await setSubscription(hub, ana, { subjectType: 'topic', subjectRef: 'hosting/scaling', level: 'muted' });
    await openOn('scaling', 'Adopt the shared session store?');
    await openOn('auth', 'Require signed tokens?');
    const two = await comeBack();
    expect(two.notices).toHaveLength(1);
    await openOn('scaling', 'Cap the sessions per node?');
    await openOn('auth', 'Rotate the signing keys?');
    await openOn('auth', 'Publish the key set?');
    await open('Meet weekly?');
    const six = await comeBack();
    expect(six.notices).toHaveLength(4);
    expect(six.queries).toBe(two.queries);
  });

  it('costs the same queries however many decisions are open', async () => {
    await open('Adopt fortnightly content meetings?');
    await open('Move the notes to the wiki?');
    await requestVote(hub, lead, 'D-2');
    const two = await comeBack();
    expect(two.notices).toHaveLength(2);
    for (const q of ['Rename the group?', 'Meet weekly?', 'Archive the old notes?', 'Adopt a code of conduct?'])
      await open(q);
    await requestVote(hub, lead, 'D-4');
    // one past its deadline and not yet recorded closed: its state alone must not cost a proof of who was told
    hub.clock.set('2026-02-20T12:00:00Z');
    await open('Adopt the old notes template?');
    hub.clock.set('2026-03-03T12:00:00Z');
    const six = await comeBack();
    expect(six.notices).toHaveLength(6);
    expect(six.queries).toBe(two.queries);
  });
});
