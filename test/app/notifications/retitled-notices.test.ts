// A decision's notices that asked something of their reader say what became of them once it moved on,
// in their titles as in their details, on both databases. Found: a "D-1 closes soon and waits for your
// answer" notice kept that title beside "It has closed: nothing left to answer"; an extension's "D-1 has
// more time" kept its old deadline once extended again, and its "answer by …" once the decision closed.
// The title they were told stays what the proof of who was told shows (notified.told).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/app/core/hub.ts';
import { Worker } from '../../../src/app/core/worker.ts';
import {
  closeDueDecisions,
  extendDecision,
  getDecision,
  openDecision,
  requestVote,
  withdrawDecision,
} from '../../../src/app/decisions/decisions.ts';
import { remindDecisionClosing } from '../../../src/app/notifications/closing.ts';
import { listInbox, markRead } from '../../../src/app/notifications/inbox.ts';
import { CLOSING_QUEUE } from '../../../src/app/notifications/notify.ts';
import { databases } from '../../support/databases.ts';
import type { TestHub } from '../../support/hub.ts';
import { hostingGroupWithMail } from '../../support/notifications.ts';

describe.each(databases)('notices say what became of them on $name', (database) => {
  let hub: TestHub;
  let lead: Actor, ana: Actor;
  beforeEach(async () => {
    // opened at 12:00 on 2 March: a minor item's deadline is 12:00 on 7 March
    ({ hub, lead, ana } = await hostingGroupWithMail(database));
  });
  afterEach(async () => hub?.close());

  const remind = () =>
    new Worker(hub, { [CLOSING_QUEUE]: (h, j) => remindDecisionClosing(h, j, { mail: false }) }).drain();
  const notices = async (ref: string) =>
    (await listInbox(hub, ana)).items
      .filter((n) => n.subject.ref === ref)
      .map((n) => ({ kind: n.kind, title: n.title, detail: n.detail }));
  const opened = (question: string) =>
    openDecision(hub, lead, { group: 'hosting', subject: { type: 'process' }, question, significance: 'minor' });

  it('a closing-soon reminder, once adopted, says it closed and how; the proof keeps what it told', async () => {
    const d = await opened('Adopt fortnightly content meetings?');
    hub.clock.advance(4 * 86_400_000);
    await remind();
    expect((await notices(d.ref)).find((n) => n.kind === 'decision-closing')?.title).toBe(
      `${d.ref} closes soon and waits for your answer: Adopt fortnightly content meetings?`,
    );
    hub.clock.advance(2 * 86_400_000);
    await closeDueDecisions(hub);
    const after = await notices(d.ref);
    expect(after.find((n) => n.kind === 'decision-closing')).toEqual({
      kind: 'decision-closing',
      title: `${d.ref} was closing soon, then has closed, adopted by lazy consensus: Adopt fortnightly content meetings?`,
      detail: 'It has closed: nothing left to answer (see the outcome notice)',
    });
    // a fact it told still holds: it opened
    expect(after.find((n) => n.kind === 'decision-opened')?.title).toBe(
      `${d.ref} opened: Adopt fortnightly content meetings?`,
    );
    // who was told what: the title as it was told, not as it reads now
    const told = (await getDecision(hub, d.ref, undefined, lead)).notified.told.filter(
      (t) => t.handle === 'ana' && t.kind === 'decision-closing',
    );
    expect(told.map((t) => t.title)).toEqual([
      `${d.ref} closes soon and waits for your answer: Adopt fortnightly content meetings?`,
    ]);
  });

  it('an extension read, then extended again and closed, says so each time', async () => {
    const d = await opened('Rotate the note-taker each meeting?');
    await extendDecision(hub, lead, d.ref, 1, { deadline: '2026-03-10T12:00:00Z', reason: 'Half the group is away' });
    // she reads it: news no longer folds into it
    await markRead(hub, ana);
    const v = (await getDecision(hub, d.ref)).version;
    await extendDecision(hub, lead, d.ref, v, { deadline: '2026-03-12T12:00:00Z', reason: 'A holiday' });
    const extended = (await notices(d.ref)).filter((n) => n.kind === 'decision-extended');
    expect(extended).toEqual([
      expect.objectContaining({
        title: `${d.ref} has more time: Rotate the note-taker each meeting?`,
        detail: expect.stringMatching(/^Extended by .*: A holiday\. · Now answer by /),
      }),
      {
        kind: 'decision-extended',
        title: `${d.ref} had more time, then more again: Rotate the note-taker each meeting?`,
        detail: 'It was extended again: see the latest extension notice for the new deadline',
      },
    ]);
    hub.clock.set('2026-03-12T13:00:00Z');
    await closeDueDecisions(hub);
    for (const n of (await notices(d.ref)).filter((x) => x.kind === 'decision-extended'))
      expect(n).toEqual({
        kind: 'decision-extended',
        title: `${d.ref} had more time, then has closed, adopted by lazy consensus: Rotate the note-taker each meeting?`,
        detail: 'It has closed: nothing left to answer (see the outcome notice)',
      });
  });

  it('a vote reminder, once the vote did not settle it, says it was escalated; a withdrawn one, that it was withdrawn', async () => {
    const e = await opened('Move the coordination meeting to 17:00 UTC?');
    await requestVote(hub, lead, e.ref);
    const closes = (await getDecision(hub, e.ref)).state.voteClosesAt!;
    hub.clock.set(new Date(new Date(closes).getTime() - 3_600_000).toISOString());
    await remind();
    expect((await notices(e.ref)).some((n) => n.kind === 'vote-closing')).toBe(true);
    hub.clock.set(new Date(new Date(closes).getTime() + 3_600_000).toISOString());
    await closeDueDecisions(hub);
    expect((await notices(e.ref)).find((n) => n.kind === 'vote-closing')?.title).toBe(
      `The vote on ${e.ref} was closing soon, then ${e.ref} was escalated: Move the coordination meeting to 17:00 UTC?`,
    );

    const w = await opened('Publish the hosting FAQ?');
    hub.clock.advance(4 * 86_400_000);
    await remind();
    await withdrawDecision(hub, lead, w.ref, { reason: 'Opened twice by mistake' });
    expect((await notices(w.ref)).find((n) => n.kind === 'decision-closing')).toEqual({
      kind: 'decision-closing',
      title: `${w.ref} was closing soon, then was withdrawn: Publish the hosting FAQ?`,
      detail: 'It was withdrawn: nothing to answer (see the withdrawal notice)',
    });
  });
});
