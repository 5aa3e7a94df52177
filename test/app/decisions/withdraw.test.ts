// Withdrawing a decision opened by mistake (a duplicate, a wrong question): whoever opened it or a
// lead of its group may, while it is open, with a reason; it closes as withdrawn at once, the close
// job never reports it, nobody can answer it any more, and the group is told "D-1 withdrawn: …".
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM, type Actor } from '../../../src/app/core/hub.ts';
import {
  castVote,
  closeDueDecisions,
  getDecision,
  openDecision,
  requestVote,
  respondToDecision,
  withdrawDecision,
} from '../../../src/app/decisions/decisions.ts';
import { listInbox } from '../../../src/app/notifications/inbox.ts';
import { tailEvents } from '../../../src/store/events.ts';
import { databases } from '../../support/databases.ts';
import { hostingGroupWithMail } from '../../support/notifications.ts';
import type { TestHub } from '../../support/hub.ts';

describe.each(databases)('withdrawing a decision on $name', (database) => {
  let hub: TestHub;
  let lead: Actor, ana: Actor, bo: Actor;

  beforeEach(async () => {
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

  it('whoever opened it withdraws it with a reason: closed as withdrawn, saying who, when and why', async () => {
    await open(ana);
    hub.clock.set('2026-03-03T09:00:00Z');
    const d = await withdrawDecision(hub, ana, 'D-1', { reason: 'A duplicate of the question in the charter' });
    expect(d.state).toMatchObject({
      phase: 'closed',
      outcome: 'withdrawn',
      why: ['withdrawn by ana at 2026-03-03T09:00:00.000Z: A duplicate of the question in the charter'],
    });
    expect(d.can.withdraw).toEqual({
      allowed: false,
      reason: 'The decision is already withdrawn by @ana at 2026-03-03T09:00:00.000Z',
    });
    // the timeline shows it, by whom, with the reason
    expect(d.timeline.at(-1)).toMatchObject({
      actor: 'ana',
      kind: 'decision.outcome',
      after: { outcome: 'withdrawn', reason: 'A duplicate of the question in the charter' },
    });
    // as it stood before the withdrawal, it was open
    expect((await getDecision(hub, 'D-1', '2026-03-03T08:59:00Z')).state.phase).toBe('lazy-consensus');
  });

  it('a lead of the group may withdraw a member’s decision; another member may not, told why in words', async () => {
    await open(ana);
    expect((await getDecision(hub, 'D-1', undefined, bo)).can.withdraw).toEqual({
      allowed: false,
      reason: 'Only whoever opened it or a group lead may withdraw this decision',
    });
    await expect(withdrawDecision(hub, bo, 'D-1', { reason: 'Not needed' })).rejects.toMatchObject({
      kind: 'forbidden',
      message: 'Only whoever opened it or a group lead may withdraw this decision',
    });
    expect((await getDecision(hub, 'D-1')).state.outcome).toBe('pending');
    expect((await getDecision(hub, 'D-1', undefined, lead)).can.withdraw).toEqual({ allowed: true });
    const d = await withdrawDecision(hub, lead, 'D-1', { reason: 'The wrong question' });
    expect(d.state.why[0]).toMatch(/^withdrawn by lead at .*: The wrong question$/);
  });

  it('a reason is required, one line, naming the field', async () => {
    await open(ana);
    await expect(withdrawDecision(hub, ana, 'D-1', {})).rejects.toMatchObject({
      kind: 'invalid_input',
      issues: [{ field: 'reason' }],
    });
    await expect(withdrawDecision(hub, ana, 'D-1', { reason: '   ' })).rejects.toMatchObject({
      issues: [{ field: 'reason', rule: expect.stringMatching(/^must say why it is withdrawn/) }],
    });
    await expect(withdrawDecision(hub, ana, 'D-1', { reason: 'x'.repeat(301) })).rejects.toMatchObject({
      issues: [{ field: 'reason', rule: 'must be at most 300 characters' }],
    });
    expect((await getDecision(hub, 'D-1')).state.outcome).toBe('pending');
  });

  it('a closed decision cannot be withdrawn; a withdrawn one is not answered, voted or withdrawn again', async () => {
    await open(lead);
    hub.clock.set('2026-03-07T12:00:00Z');
    await expect(withdrawDecision(hub, lead, 'D-1', { reason: 'Too late' })).rejects.toMatchObject({
      kind: 'forbidden',
      message: 'The decision is closed',
    });
    await closeDueDecisions(hub);
    await open(lead); // D-2: the same question, asked again once D-1 closed
    await requestVote(hub, lead, 'D-2');
    const d = await withdrawDecision(hub, lead, 'D-2', { reason: 'Asked in the wrong group' });
    expect(d.state).toMatchObject({ phase: 'closed', outcome: 'withdrawn', voteClosesAt: null });
    await expect(respondToDecision(hub, ana, 'D-2', { kind: 'consent' })).rejects.toMatchObject({
      kind: 'forbidden',
      message: 'The decision was withdrawn',
    });
    await expect(castVote(hub, ana, 'D-2', { choice: 'yes' })).rejects.toMatchObject({
      message: 'The decision was withdrawn',
    });
    // withdrawn again: already as asked (409, nothing to do), naming by whom and when; one event only
    await expect(withdrawDecision(hub, lead, 'D-2', { reason: 'Again' })).rejects.toMatchObject({
      kind: 'conflict',
      details: { rule: 'already-as-asked' },
      message: 'The decision is already withdrawn by @lead at 2026-03-07T12:00:00.000Z',
    });
    // one who may not withdraw it is told so, whatever its state
    await expect(withdrawDecision(hub, ana, 'D-2', { reason: 'Again' })).rejects.toMatchObject({ kind: 'forbidden' });
    const outcomes = await hub.store.db
      .selectFrom('events')
      .select('seq')
      .where('kind', '=', 'decision.outcome')
      .where('subject_id', '=', 'D-2')
      .execute();
    expect(outcomes).toHaveLength(1);
  });

  it('the close job never reports a withdrawn decision, even past its deadline; its question may be asked again', async () => {
    await open(lead);
    await withdrawDecision(hub, lead, 'D-1', { reason: 'The wrong wording' });
    expect((await open(lead)).ref).toBe('D-2');
    expect(await closeDueDecisions(hub)).toEqual([]);
    hub.clock.set('2026-04-01T00:00:00Z');
    expect(await closeDueDecisions(hub)).toEqual([{ ref: 'D-2', phase: 'closed', outcome: 'adopted' }]);
    expect((await getDecision(hub, 'D-1')).state.outcome).toBe('withdrawn');
    const outcomes = (await tailEvents(hub.store.db, 50)).filter((e) => e.kind === 'decision.outcome');
    expect(outcomes.map((e) => e.subject_id).sort()).toEqual(['D-1', 'D-2']);
  });

  it('the group’s members hear of it as "D-1 withdrawn: <question>"; whoever withdrew it is not told', async () => {
    await open(lead);
    await respondToDecision(hub, bo, 'D-1', { kind: 'consent' });
    await withdrawDecision(hub, lead, 'D-1', { reason: 'A duplicate of D-0.' });
    for (const who of [ana, bo])
      expect((await listInbox(hub, who)).items.map((n) => [n.kind, n.title, n.detail])).toEqual([
        [
          'decision-outcome',
          'D-1 withdrawn: Adopt fortnightly content meetings?',
          'Withdrawn by lead: A duplicate of D-0. Nothing to answer.',
        ],
        // the earlier notice no longer asks for an answer by the deadline
        [
          'decision-opened',
          'D-1 opened: Adopt fortnightly content meetings?',
          'It was withdrawn: nothing to answer (see the withdrawal notice)',
        ],
      ]);
    expect((await listInbox(hub, lead)).items.filter((n) => n.kind === 'decision-outcome')).toEqual([]);
  });

  it('the operator at the command line may withdraw one', async () => {
    await open(ana);
    const d = await withdrawDecision(hub, SYSTEM, 'D-1', { reason: 'Opened in error' });
    expect(d.state.why[0]).toMatch(/^withdrawn by operator at .*: Opened in error$/);
  });
});
