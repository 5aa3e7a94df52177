// Extending a decision's deadline, so that silence at its close is informed: whoever opened it or a
// lead of its group may, only while lazy consensus runs, to a later deadline at most
// LIMITS.decisionExtensionDays from now, with a reason, from the version they read. The old deadline
// closes nothing and its "closes soon" timer reminds nobody; the new one's does; the group is told.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/app/core/hub.ts';
import { Worker } from '../../../src/app/core/worker.ts';
import {
  closeDueDecisions,
  extendDecision,
  getDecision,
  openDecision,
  requestVote,
  respondToDecision,
  withdrawDecision,
} from '../../../src/app/decisions/decisions.ts';
import { remindDecisionClosing } from '../../../src/app/notifications/closing.ts';
import { listInbox } from '../../../src/app/notifications/inbox.ts';
import { CLOSING_QUEUE } from '../../../src/app/notifications/notify.ts';
import { databases } from '../../support/databases.ts';
import { hostingGroupWithMail } from '../../support/notifications.ts';
import type { TestHub } from '../../support/hub.ts';

describe.each(databases)('extending a decision’s deadline on $name', (database) => {
  let hub: TestHub;
  let lead: Actor, ana: Actor, bo: Actor;

  beforeEach(async () => {
    // opened at 12:00 on 2 March: a minor item's deadline is 12:00 on 7 March, its reminder 48 h before
    ({ hub, lead, ana, bo } = await hostingGroupWithMail(database));
  });
  afterEach(async () => hub?.close());

  const open = (by: Actor) =>
    openDecision(hub, by, {
      group: 'hosting',
      subject: { type: 'process' },
      question: 'Adopt fortnightly content meetings?',
      significance: 'minor',
    });
  const reason = 'Half the group was not reached: their mail bounced';
  const worker = () => new Worker(hub, { [CLOSING_QUEUE]: (h, j) => remindDecisionClosing(h, j, { mail: true }) });
  const closing = async (who: Actor) =>
    (await listInbox(hub, who)).items.filter((n) => n.kind === 'decision-closing').map((n) => n.detail);

  it('whoever opened it gives it a later deadline with a reason: the timeline shows it, the version moves', async () => {
    const opened = await open(lead);
    expect(opened).toMatchObject({ version: 1, deadline: '2026-03-07T12:00:00.000Z' });
    expect(opened.can.extend).toEqual({ allowed: true });
    const d = await extendDecision(hub, lead, 'D-1', 1, { deadline: '2026-03-10T12:00:00Z', reason });
    expect(d).toMatchObject({ version: 2, deadline: '2026-03-10T12:00:00.000Z', state: { phase: 'lazy-consensus' } });
    expect(d.timeline.at(-1)).toMatchObject({
      actor: 'lead',
      kind: 'decision.extended',
      after: { deadline: '2026-03-10T12:00:00.000Z', previousDeadline: '2026-03-07T12:00:00.000Z', reason },
    });
  });

  it('the old deadline closes nothing and its reminder tells nobody; the new one reminds, then closes it', async () => {
    await open(lead);
    await extendDecision(hub, lead, 'D-1', 1, { deadline: '2026-03-10T12:00:00Z', reason });
    hub.clock.set('2026-03-05T12:00:00Z'); // the old reminder's time
    expect(await worker().drain()).toBe(0);
    expect(await closing(bo)).toEqual([]);
    hub.clock.set('2026-03-07T12:30:00Z'); // past the old deadline
    expect(await closeDueDecisions(hub)).toEqual([]);
    expect((await getDecision(hub, 'D-1')).state).toMatchObject({ phase: 'lazy-consensus', outcome: 'pending' });
    hub.clock.set('2026-03-08T12:00:00Z'); // 48 h before the new deadline
    expect(await worker().drain()).toBe(1);
    expect(await closing(bo)).toEqual([
      'Answer by Tue 10 Mar 2026, 21:00 (Asia/Tokyo); silence by then counts as consent',
    ]);
    hub.clock.set('2026-03-10T12:01:00Z');
    expect(await closeDueDecisions(hub)).toEqual([{ ref: 'D-1', phase: 'closed', outcome: 'adopted' }]);
  });

  it('members already reminded of the old deadline are reminded again before the new one', async () => {
    await open(lead);
    hub.clock.set('2026-03-05T12:00:00Z');
    expect(await worker().drain()).toBe(1);
    expect(await closing(bo)).toHaveLength(1);
    await extendDecision(hub, lead, 'D-1', 1, { deadline: '2026-03-12T12:00:00Z', reason });
    hub.clock.set('2026-03-10T12:00:00Z');
    expect(await worker().drain()).toBe(1);
    expect(await closing(bo)).toEqual([
      'Answer by Thu 12 Mar 2026, 21:00 (Asia/Tokyo); silence by then counts as consent',
    ]);
  });

  it('the members are told the new deadline in their own zone and why; their earlier notice no longer names the old one', async () => {
    await open(lead);
    await respondToDecision(hub, ana, 'D-1', { kind: 'consent' });
    // read after ana's consent, which moved the version to 2
    await extendDecision(hub, lead, 'D-1', 2, { deadline: '2026-03-10T12:00:00Z', reason: `${reason}.` });
    for (const [who, at] of [
      [ana, 'Tue 10 Mar 2026, 05:00 (America/Los_Angeles)'],
      [bo, 'Tue 10 Mar 2026, 21:00 (Asia/Tokyo)'],
    ] as const) {
      const items = (await listInbox(hub, who)).items;
      expect(items[0]).toMatchObject({
        kind: 'decision-extended',
        title: 'D-1 has more time: Adopt fortnightly content meetings?',
        detail: `Extended by Lead (@lead): ${reason}. · Now answer by ${at}; silence by then counts as consent`,
        // immediate by default, and neither chose otherwise: mailed at once
        mail: 'queued',
      });
      expect(items.find((n) => n.kind === 'decision-opened')?.detail).toBe(
        'Its deadline was extended: see the extension notice for the new one',
      );
    }
    // whoever extended it is not told of it
    expect((await listInbox(hub, lead)).items.map((n) => n.kind)).not.toContain('decision-extended');
  });

  it('extended twice within one night: the reminder still comes, before bo’s night as before', async () => {
    await open(lead);
    // due 16:00 UTC on 5 March, 01:00 in Tokyo: bo's night, so bo is told at 21:00 Tokyo (12:00 UTC)
    await extendDecision(hub, lead, 'D-1', 1, { deadline: '2026-03-07T16:00:00Z', reason });
    hub.clock.set('2026-03-04T16:00:00Z');
    await worker().drain();
    // again, due 18:00 UTC (03:00 in Tokyo): the same night, so bo's time is the same moment
    hub.clock.set('2026-03-04T17:00:00Z');
    await extendDecision(hub, lead, 'D-1', 2, { deadline: '2026-03-07T18:00:00Z', reason });
    hub.clock.set('2026-03-04T18:00:00Z');
    await worker().drain();
    hub.clock.set('2026-03-05T12:00:00Z');
    await worker().drain();
    expect(await closing(bo)).toEqual([
      'Answer by Sun 8 Mar 2026, 03:00 (Asia/Tokyo); silence by then counts as consent',
    ]);
    hub.clock.set('2026-03-05T18:00:00Z');
    await worker().drain();
    expect(await closing(ana)).toHaveLength(1);
    expect(await closing(bo)).toHaveLength(1);
  });

  it('a later deadline within the bound, and a reason, are required, each named; nothing changes', async () => {
    await open(lead);
    const refused = (body: unknown) => extendDecision(hub, lead, 'D-1', 1, body);
    await expect(refused({ deadline: '2026-03-07T12:00:00Z', reason })).rejects.toMatchObject({
      kind: 'invalid_input',
      issues: [{ field: 'deadline', rule: expect.stringMatching(/^must be later than the current deadline/) }],
    });
    await expect(refused({ deadline: '2026-04-01T12:00:01Z', reason })).rejects.toMatchObject({
      issues: [
        {
          field: 'deadline',
          rule: expect.stringMatching(/^must be at most 30 days from now \(the latest is 2026-04-01T12:00:00.000Z\)/),
        },
      ],
    });
    await expect(refused({ deadline: 'next week', reason: '  ' })).rejects.toMatchObject({
      issues: [
        { field: 'deadline', rule: expect.stringMatching(/^must be an ISO date-time/) },
        { field: 'reason', rule: expect.stringMatching(/^must say why it is extended/) },
      ],
    });
    expect(await refused({ deadline: '2026-04-01T12:00:00Z', reason })).toMatchObject({ version: 2 });
  });

  it('or by a number of hours: whole, at least one, within the bound now, never with a deadline too; each named', async () => {
    await open(lead);
    const refused = (body: unknown) => extendDecision(hub, lead, 'D-1', 1, body);
    const rule = async (body: unknown) =>
      (await refused(body).then(
        () => [],
        (e: { issues: unknown }) => e.issues,
      )) as { field: string; rule: string }[];
    expect(await rule({ hours: 24, deadline: '2026-03-10T12:00:00Z', reason })).toEqual([
      { field: 'hours', rule: 'give either hours or a new deadline, not both: the one you give says how far it moves' },
    ]);
    expect(await rule({ reason })).toEqual([
      { field: 'hours', rule: 'is required: how many hours later than the current deadline, or else a new deadline' },
    ]);
    expect(await rule({ hours: 0, reason })).toEqual([
      { field: 'hours', rule: 'must be at least 1: an extension gives more time, never less' },
    ]);
    expect(await rule({ hours: 'a day', reason })).toEqual([
      { field: 'hours', rule: 'must be a whole number of hours, written in digits' },
    ]);
    expect(await rule({ hours: 2.5, reason })).toEqual([
      { field: 'hours', rule: 'must be a whole number of hours, written in digits' },
    ]);
    expect(await rule({ hours: 721, reason })).toEqual([{ field: 'hours', rule: 'must be at most 720 (30 days)' }]);
    // five days to the deadline: 30 days from now is 600 hours after it
    expect(await rule({ hours: 601, reason: ' ' })).toEqual([
      { field: 'reason', rule: expect.stringMatching(/^must say why it is extended/) },
      {
        field: 'hours',
        rule: 'must be at most 600 now: the deadline may be at most 30 days from now (the latest is 2026-04-01T12:00:00.000Z); extend it again nearer the time if more is needed',
      },
    ]);
    expect((await getDecision(hub, 'D-1')).version).toBe(1);
    const d = await extendDecision(hub, lead, 'D-1', 1, { hours: 72, reason });
    expect(d).toMatchObject({ version: 2, deadline: '2026-03-10T12:00:00.000Z' });
    expect(d.timeline.at(-1)).toMatchObject({
      kind: 'decision.extended',
      after: { deadline: '2026-03-10T12:00:00.000Z', previousDeadline: '2026-03-07T12:00:00.000Z', reason },
    });
    // as far as it may go: no hour more is left now
    expect((await extendDecision(hub, lead, 'D-1', 2, { hours: 528, reason })).deadline).toBe(
      '2026-04-01T12:00:00.000Z',
    );
    expect(await extendDecision(hub, lead, 'D-1', 3, { hours: 1, reason }).catch((e) => e.issues)).toEqual([
      {
        field: 'hours',
        rule: 'cannot be given now: the deadline is already as far as it may be, 30 days from now (2026-04-01T12:00:00.000Z); extend it again nearer the time if more is needed',
      },
    ]);
  });

  it('two facilitators from the same read: the second is refused with the decision as it stands, not overwriting', async () => {
    await open(ana);
    await extendDecision(hub, lead, 'D-1', 1, { deadline: '2026-03-10T12:00:00Z', reason });
    await expect(
      extendDecision(hub, ana, 'D-1', 1, { deadline: '2026-03-09T12:00:00Z', reason: 'Asked at the meeting' }),
    ).rejects.toMatchObject({
      kind: 'conflict',
      details: { currentVersion: 2, current: { deadline: '2026-03-10T12:00:00.000Z' } },
    });
    await expect(
      extendDecision(hub, ana, 'D-1', undefined, { deadline: '2026-03-11T12:00:00Z', reason }),
    ).rejects.toMatchObject({ kind: 'precondition_required' });
    expect((await getDecision(hub, 'D-1')).deadline).toBe('2026-03-10T12:00:00.000Z');
  });

  it('whoever opened it or a lead; only under lazy consensus: refused in a vote, once closed or withdrawn', async () => {
    await open(ana);
    const body = { deadline: '2026-03-10T12:00:00Z', reason };
    const message = "Only whoever opened it or a group lead may extend this decision's deadline";
    expect((await getDecision(hub, 'D-1', undefined, bo)).can.extend).toEqual({ allowed: false, reason: message });
    await expect(extendDecision(hub, bo, 'D-1', 1, body)).rejects.toMatchObject({ kind: 'forbidden', message });
    expect((await getDecision(hub, 'D-1', undefined, ana)).can.extend).toEqual({ allowed: true });
    expect((await getDecision(hub, 'D-1', undefined, lead)).can.extend).toEqual({ allowed: true });
    await requestVote(hub, lead, 'D-1');
    await expect(extendDecision(hub, lead, 'D-1', 2, body)).rejects.toMatchObject({
      kind: 'forbidden',
      message: expect.stringMatching(/^A vote is open/),
    });
    await openDecision(hub, lead, {
      group: 'hosting',
      subject: { type: 'process' },
      question: 'Publish meeting notes within two days?',
      significance: 'minor',
    });
    hub.clock.set('2026-03-07T12:00:01Z');
    expect((await getDecision(hub, 'D-2', undefined, lead)).can.extend).toMatchObject({
      allowed: false,
      reason: expect.stringMatching(/^The decision is closed/),
    });
    hub.clock.set('2026-03-03T12:00:00Z');
    await withdrawDecision(hub, lead, 'D-2', { reason: 'The wrong question' });
    expect((await getDecision(hub, 'D-2', undefined, lead)).can.extend).toEqual({
      allowed: false,
      reason: 'The decision was withdrawn',
    });
  });
});
