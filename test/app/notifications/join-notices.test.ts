// One who gains a voice while a group's decisions are open is told of each that waits for their answer
// (standing-events.ts), inside the join's own transaction. What they are told, with decisions in every
// state a group can hold (under lazy consensus, in a vote, answered, voted, withdrawn, muted, opened
// by them, past the deadline and not yet recorded), and what it costs: the same queries however many
// are open (before, a full decision view each: its timeline, names, candidates, proof of who was told).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor, Reaction } from '../../../src/app/core/hub.ts';
import {
  castVote,
  openDecision,
  requestVote,
  respondToDecision,
  withdrawDecision,
  withdrawResponse,
} from '../../../src/app/decisions/decisions.ts';
import { joinGroup } from '../../../src/app/groups/groups.ts';
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
