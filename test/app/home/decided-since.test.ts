// "Decided since your last visit" (the home's list) names a decision adopted by a vote a block opened at
// its deadline, though the deadline came before the last visit: the vote closed after it (review of
// fresh eyes 4: only a vote asked for by members was read, so one opened by a block was never listed),
// and one escalated since: the group's answers closed on it as on one decided.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/app/core/hub.ts';
import {
  castVote,
  getDecision,
  openDecision,
  requestVote,
  respondToDecision,
} from '../../../src/app/decisions/decisions.ts';
import { decidedSince } from '../../../src/app/home/decided-since.ts';
import { personRow } from '../../../src/app/people/people.ts';
import { placeInGroup } from '../../../src/app/groups/groups.ts';
import { SYSTEM } from '../../../src/app/core/hub.ts';
import { databases } from '../../support/databases.ts';
import { person, type TestHub } from '../../support/hub.ts';
import { hostingGroupWithMail } from '../../support/notifications.ts';

describe.each(databases)('decided since the last visit on $name', (database) => {
  let hub: TestHub;
  let lead: Actor;
  let ana: Actor;
  let bo: Actor;
  beforeEach(async () => {
    ({ hub, lead, ana, bo } = await hostingGroupWithMail(database));
  });
  afterEach(async () => hub?.close());

  const at = (iso: string, hours: number) => new Date(new Date(iso).getTime() + hours * 3_600_000).toISOString();

  it('a vote a block opened, closed after the last visit, is listed with its outcome and the vote given', async () => {
    const d = await openDecision(hub, lead, {
      group: 'hosting',
      subject: { type: 'process' },
      question: 'Meet fortnightly from April?',
      significance: 'minor',
    });
    await respondToDecision(hub, bo, d.ref, { kind: 'block', reason: 'Too often.', alternative: 'Monthly.' });
    hub.clock.set(at(d.deadline, 1));
    expect((await getDecision(hub, d.ref)).state.phase).toBe('vote');
    for (const who of [lead, ana]) await castVote(hub, who, d.ref, { choice: 'yes' });
    const lastVisit = at(d.deadline, 2);
    const closes = (await getDecision(hub, d.ref)).state.voteClosesAt!;
    hub.clock.set(at(closes, 24));
    const { items } = await decidedSince(hub, await personRow(hub.store.db, 'ana'), lastVisit);
    expect(items.map((i) => [i.ref, i.outcome, i.yours])).toEqual([[d.ref, 'adopted-by-vote', 'voted yes']]);
  });

  it('an escalation since the last visit is listed: the vote did not settle it and answers have closed', async () => {
    const d = await openDecision(hub, lead, {
      group: 'hosting',
      subject: { type: 'process' },
      question: 'Move the coordination meeting to 17:00 UTC?',
      significance: 'minor',
    });
    await requestVote(hub, lead, d.ref);
    await castVote(hub, ana, d.ref, { choice: 'no' });
    const closes = (await getDecision(hub, d.ref)).state.voteClosesAt!;
    const lastVisit = at(closes, -1);
    hub.clock.set(at(closes, 2));
    const state = (await getDecision(hub, d.ref)).state;
    expect(state.phase).toBe('escalated');
    const { items } = await decidedSince(hub, await personRow(hub.store.db, 'ana'), lastVisit);
    expect(items).toEqual([
      expect.objectContaining({
        ref: d.ref,
        outcome: 'escalated',
        closedAt: closes,
        escalationDueAt: state.escalationDueAt,
        yours: 'voted no',
      }),
    ]);
    // once seen, it is not listed again
    expect((await decidedSince(hub, await personRow(hub.store.db, 'ana'), at(closes, 1))).items).toEqual([]);
  });

  it('says silence counted only to one whose answer counted: a member, not an observer nor one emeritus', async () => {
    await person(hub, 'cy');
    await placeInGroup(hub, SYSTEM, 'hosting', 'cy', { level: 'observer' });
    const d = await openDecision(hub, lead, {
      group: 'hosting',
      subject: { type: 'process' },
      question: 'Rotate the note-taker each meeting?',
      significance: 'minor',
    });
    const lastVisit = at(d.deadline, -1);
    hub.clock.set(at(d.deadline, 2));
    const counted = async (handle: string) =>
      (await decidedSince(hub, await personRow(hub.store.db, handle), lastVisit)).items.map((i) => [
        i.outcome,
        i.yours,
        i.silenceCounted,
      ]);
    expect(await counted('ana')).toEqual([['adopted', null, true]]);
    expect(await counted('cy')).toEqual([['adopted', null, false]]);
    await hub.store.db
      .updateTable('group_members')
      .set({ emeritus: 1 })
      .where('person_id', '=', (await personRow(hub.store.db, 'bo')).id)
      .execute();
    expect(await counted('bo')).toEqual([['adopted', null, false]]);
  });
});
