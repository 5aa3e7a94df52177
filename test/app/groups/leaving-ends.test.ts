// What leaving a group would end (whatLeavingEnds, the leave page's list) names an answer only where the
// tally counts it now and would not once its author left: a response is judged at the deadline once it
// passed, and a vote at the vote's close, whether or not the close job has recorded the decision closed.
// The list took every answer to a decision not recorded closed, so one past its deadline, whose answers
// the tally keeps whoever leaves, was listed as ending.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/app/core/hub.ts';
import { castVote, getDecision, openDecision, respondToDecision } from '../../../src/app/decisions/decisions.ts';
import { leaveGroup } from '../../../src/app/groups/leave-group.ts';
import { whatLeavingEnds } from '../../../src/app/groups/leaving.ts';
import { databases } from '../../support/databases.ts';
import type { TestHub } from '../../support/hub.ts';
import { hostingGroupWithMail } from '../../support/notifications.ts';

describe.each(databases)('what leaving ends, as the tally judges the answers, on $name', (database) => {
  let hub: TestHub;
  let lead: Actor;
  let ana: Actor;
  let bo: Actor;

  beforeEach(async () => {
    ({ hub, lead, ana, bo } = await hostingGroupWithMail(database));
  });
  afterEach(async () => hub?.close());

  const open = (question: string) =>
    openDecision(hub, lead, { group: 'hosting', subject: { type: 'process' }, question, significance: 'minor' });
  const ends = async () => (await whatLeavingEnds(hub, ana, 'hosting')).answers.map((a) => `${a.ref} ${a.answer}`);
  const hoursPast = (iso: string, hours: number) =>
    hub.clock.set(new Date(new Date(iso).getTime() + hours * 3_600_000).toISOString());

  it('names a response until the deadline, and none once the deadline passed, recorded closed or not', async () => {
    const d = await open('Meet fortnightly from April?');
    await respondToDecision(hub, ana, d.ref, { kind: 'consent' });
    expect(await ends()).toEqual(['D-1 consent']);
    hoursPast(d.deadline, 1);
    // adopted at the deadline with ana's consent counted; the close job has not run
    expect((await getDecision(hub, d.ref)).state.outcome).toBe('adopted');
    expect(await ends()).toEqual([]);
  });

  it('names a vote while the vote runs past the deadline, not the response judged at it, and none once it closed', async () => {
    const d = await open('Meet fortnightly from April?');
    await respondToDecision(hub, bo, d.ref, { kind: 'block', reason: 'Too often.', alternative: 'Monthly.' });
    await respondToDecision(hub, ana, d.ref, { kind: 'block', reason: 'Too often.', alternative: 'Monthly.' });
    expect(await ends()).toEqual(['D-1 block']);
    hoursPast(d.deadline, 1);
    // the vote is open: ana's block was judged at the deadline (it opened the vote) and stays so
    expect((await getDecision(hub, d.ref)).state.phase).toBe('vote');
    expect(await ends()).toEqual([]);
    await castVote(hub, ana, d.ref, { choice: 'no' });
    expect(await ends()).toEqual(['D-1 vote']);
    const closes = (await getDecision(hub, d.ref)).state.voteClosesAt!;
    hoursPast(closes, 1);
    expect(await ends()).toEqual([]);
  });

  it('leaving names in its event the answers it ended by the same rule: not a block the vote was opened on', async () => {
    const answersEnded = async () => {
      const e = await hub.store.db
        .selectFrom('events')
        .select('before')
        .where('kind', '=', 'group.member-left')
        .orderBy('seq', 'desc')
        .executeTakeFirstOrThrow();
      return (JSON.parse(e.before as string) as { answersEnded?: string[] }).answersEnded ?? [];
    };
    const kept = await open('Meet fortnightly from April?');
    await respondToDecision(hub, bo, kept.ref, { kind: 'block', reason: 'Too often.', alternative: 'Monthly.' });
    await respondToDecision(hub, ana, kept.ref, { kind: 'block', reason: 'Too often.', alternative: 'Monthly.' });
    hoursPast(kept.deadline, 1);
    const ended = await open('Rotate the note-taker each meeting?');
    await respondToDecision(hub, ana, ended.ref, { kind: 'consent' });
    expect(await ends()).toEqual([`${ended.ref} consent`]);
    await leaveGroup(hub, ana, 'hosting');
    // her block was judged at the deadline and opened the vote: it keeps counting, so it ended nothing
    expect(await answersEnded()).toEqual([ended.ref]);
  });
});
