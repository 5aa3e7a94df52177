// The kinds of notice no other test follows into the inbox, each from the event that causes it, on
// both databases: a block on a decision I answered (and on the one I opened), a vote opened, a
// meeting listed and its agenda published, my proposal moved and refused at a gate, and a dormancy
// reminder. Each row is checked for its kind, why the person was told, and the words they read.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM, type Actor } from '../../../src/app/core/hub.ts';
import {
  castVote,
  closeDueDecisions,
  openDecision,
  requestVote,
  respondToDecision,
} from '../../../src/app/decisions/decisions.ts';
import { Worker } from '../../../src/app/core/worker.ts';
import { remindDecisionClosing } from '../../../src/app/notifications/closing.ts';
import { listInbox } from '../../../src/app/notifications/inbox.ts';
import { CLOSING_QUEUE } from '../../../src/app/notifications/notify.ts';
import { addAgendaItem, publishAgenda } from '../../../src/app/meetings/agenda.ts';
import { scheduleMeeting } from '../../../src/app/meetings/meetings.ts';
import { runDormancy } from '../../../src/app/proposals/dormancy.ts';
import { createProposal, moveProposal, sponsorProposal } from '../../../src/app/proposals/proposals.ts';
import { databases } from '../../support/databases.ts';
import { person, type TestHub } from '../../support/hub.ts';
import { hostingGroupWithMail } from '../../support/notifications.ts';

describe.each(databases)('each kind reaches the inbox on $name', (database) => {
  let hub: TestHub;
  let lead: Actor, ana: Actor, bo: Actor;
  beforeEach(async () => {
    ({ hub, lead, ana, bo } = await hostingGroupWithMail(database));
  });
  afterEach(async () => hub?.close());

  const inbox = async (a: Actor, kind: string) =>
    (await listInbox(hub, a)).items.filter((n) => n.kind === kind).map((n) => ({ reason: n.reason, title: n.title }));

  it('a block reaches who answered and the opener; a vote opened reaches the members', async () => {
    const d = await openDecision(hub, lead, {
      group: 'hosting',
      subject: { type: 'process' },
      question: 'Adopt fortnightly content meetings?',
      significance: 'minor',
    });
    await respondToDecision(hub, ana, d.ref, { kind: 'consent' });
    await respondToDecision(hub, bo, d.ref, {
      kind: 'block',
      reason: 'Tokyo cannot attend any fortnightly slot proposed so far.',
      alternative: 'Rotate the slot between two times.',
    });
    const blocked = { title: 'D-1 blocked by Bo (@bo): Adopt fortnightly content meetings?' };
    expect(await inbox(ana, 'decision-blocked')).toEqual([{ ...blocked, reason: 'responded' }]);
    expect(await inbox(lead, 'decision-blocked')).toEqual([{ ...blocked, reason: 'opener' }]);
    expect(await inbox(bo, 'decision-blocked')).toEqual([]); // never told of one's own action
    await requestVote(hub, lead, d.ref);
    for (const who of [ana, bo])
      expect(await inbox(who, 'vote-opened')).toEqual([
        { reason: 'member', title: 'D-1 goes to a vote: Adopt fortnightly content meetings?' },
      ]);
    // the timer's later record of the phase is no second notice, and no 'block stood at the deadline'
    hub.clock.advance(60_000);
    await closeDueDecisions(hub);
    for (const who of [ana, bo])
      expect(await inbox(who, 'vote-opened')).toEqual([
        { reason: 'member', title: 'D-1 goes to a vote: Adopt fortnightly content meetings?' },
      ]);
    // the opening notice no longer promises that silence counts as consent by its old deadline
    const opened = (await listInbox(hub, ana)).items.find((n) => n.kind === 'decision-opened')!;
    expect(opened.detail).toBe('It went to a vote: only the votes cast count (see the vote notice)');
  });

  it('a block still standing at the deadline opens a vote, and the members are told of it as of any vote', async () => {
    const d = await openDecision(hub, lead, {
      group: 'hosting',
      subject: { type: 'process' },
      question: 'Adopt fortnightly content meetings?',
      significance: 'minor',
    });
    await respondToDecision(hub, bo, d.ref, {
      kind: 'block',
      reason: 'Tokyo cannot attend any fortnightly slot proposed so far.',
      alternative: 'Rotate the slot between two times.',
    });
    hub.clock.advance(6 * 86_400_000);
    expect(await closeDueDecisions(hub)).toEqual([{ ref: 'D-1', phase: 'vote', outcome: 'pending' }]);
    for (const who of [ana, lead])
      expect(await inbox(who, 'vote-opened')).toEqual([
        {
          reason: 'member',
          title: 'D-1 goes to a vote (a block stood at the deadline): Adopt fortnightly content meetings?',
        },
      ]);
    const vote = (await listInbox(hub, ana)).items.find((n) => n.kind === 'vote-opened')!;
    expect(vote.detail).toMatch(/^Vote by .*; in a vote, silence is not consent$/);
    // the opening notice no longer promises that silence counts as consent
    const opened = (await listInbox(hub, ana)).items.find((n) => n.kind === 'decision-opened')!;
    expect(opened.detail).toBe('It went to a vote: only the votes cast count (see the vote notice)');

    // nobody votes: it escalates, and those who name its resolver hear of it, as does the group
    const core = await person(hub, 'kai', { role: 'core-maintainer' });
    hub.clock.advance(8 * 86_400_000);
    expect(await closeDueDecisions(hub)).toEqual([{ ref: 'D-1', phase: 'escalated', outcome: 'pending' }]);
    const escalated =
      'D-1 escalated: the vote did not settle it, so a core maintainer resolves it: Adopt fortnightly content meetings?';
    // those who must act are told at once (an outcome waits for the digest)
    expect(await inbox(core, 'decision-escalated')).toEqual([{ reason: 'escalation', title: escalated }]);
    expect(hub.governance.notifications.kinds['decision-escalated']).toEqual({ immediate: true, enabled: true });
    expect(await inbox(ana, 'decision-outcome')).toEqual([{ reason: 'member', title: escalated }]);
  });

  it('once a decision is decided or escalated, its earlier notices asking for an answer say so, not "answer by …"', async () => {
    const d = await openDecision(hub, lead, {
      group: 'hosting',
      subject: { type: 'process' },
      question: 'Adopt fortnightly content meetings?',
      significance: 'minor',
    });
    // the closing-soon reminder, a day before the deadline
    hub.clock.advance(4 * 86_400_000);
    await new Worker(hub, { [CLOSING_QUEUE]: (h, j) => remindDecisionClosing(h, j, { mail: false }) }).drain();
    const asking = async () =>
      (await listInbox(hub, ana)).items
        .filter((n) => n.kind === 'decision-opened' || n.kind === 'decision-closing')
        .map((n) => [n.kind, n.detail]);
    expect((await asking()).map(([, detail]) => detail)).toEqual([
      expect.stringMatching(/^Answer by /),
      expect.stringMatching(/^Answer by /),
    ]);
    hub.clock.advance(2 * 86_400_000);
    expect(await closeDueDecisions(hub)).toEqual([{ ref: d.ref, phase: 'closed', outcome: 'adopted' }]);
    // one back after the deadline read "closes soon and waits for your answer", unread beside the outcome
    expect(await asking()).toEqual([
      ['decision-closing', 'It has closed: nothing left to answer (see the outcome notice)'],
      ['decision-opened', 'It has closed: nothing left to answer (see the outcome notice)'],
    ]);

    // a vote that does not reach quorum is escalated: the vote's notice no longer asks for a vote
    const e = await openDecision(hub, lead, {
      group: 'hosting',
      subject: { type: 'process' },
      question: 'Move the coordination meeting to 17:00 UTC?',
      significance: 'minor',
    });
    await requestVote(hub, lead, e.ref);
    hub.clock.advance(30 * 86_400_000);
    await closeDueDecisions(hub);
    const vote = (await listInbox(hub, ana)).items.find((n) => n.kind === 'vote-opened' && n.subject.ref === e.ref)!;
    expect(vote.detail).toBe('Answers have closed: it was escalated (see the escalation notice)');
  });

  it('an outcome reads in words: adopted by vote', async () => {
    const d = await openDecision(hub, lead, {
      group: 'hosting',
      subject: { type: 'process' },
      question: 'Adopt fortnightly content meetings?',
      significance: 'minor',
    });
    await requestVote(hub, lead, d.ref);
    for (const who of [lead, ana, bo]) await castVote(hub, who, d.ref, { choice: 'yes' });
    hub.clock.advance(8 * 86_400_000);
    await closeDueDecisions(hub);
    expect(await inbox(ana, 'decision-outcome')).toEqual([
      { reason: 'member', title: 'D-1 adopted by vote: Adopt fortnightly content meetings?' },
    ]);
  });

  it('a meeting listed and its agenda published reach the members', async () => {
    const m = await scheduleMeeting(hub, lead, {
      group: 'hosting',
      kind: 'process',
      title: 'Hosting planning',
      startsAt: '2026-03-20T16:00:00Z',
    });
    await addAgendaItem(hub, lead, m.ref, { title: 'Agree the guide outline' });
    await publishAgenda(hub, lead, m.ref);
    for (const who of [ana, bo]) {
      expect(await inbox(who, 'meeting-listed')).toEqual([
        { reason: 'member', title: `${m.ref} listed: Hosting planning` },
      ]);
      expect(await inbox(who, 'agenda-published')).toEqual([
        { reason: 'member', title: `${m.ref} agenda published: Hosting planning` },
      ]);
    }
    // each says when it meets, on the reader's own clock: "listed" alone sent them to the page to learn it
    const details = async (a: Actor) =>
      (await listInbox(hub, a)).items
        .filter((n) => n.kind === 'meeting-listed' || n.kind === 'agenda-published')
        .map((n) => n.detail);
    expect(await details(ana)).toEqual([
      'Meets Fri 20 Mar 2026, 09:00 (America/Los_Angeles)',
      'Meets Fri 20 Mar 2026, 09:00 (America/Los_Angeles)',
    ]);
    expect(await details(bo)).toEqual([
      'Meets Sat 21 Mar 2026, 01:00 (Asia/Tokyo)',
      'Meets Sat 21 Mar 2026, 01:00 (Asia/Tokyo)',
    ]);
  });

  it('my SEP moved, refused at a gate, and reminded after 90 days in draft', async () => {
    const kai = await person(hub, 'kai', { role: 'core-maintainer' });
    const sep = await createProposal(hub, ana, {
      title: 'Session affinity in the transport',
      problem: 'Hosted MCP servers lose the session when a request lands on another process.',
      examples: ['Two pods behind an ingress drop the Mcp-Session-Id'],
      layer: 'specification',
      route: 'sep',
      group: 'hosting',
    });
    await sponsorProposal(hub, kai, sep.ref);
    await moveProposal(hub, kai, sep.ref, { to: 'draft' });
    expect(await inbox(ana, 'proposal-moved')).toEqual([
      {
        reason: 'author',
        title: `${sep.ref} moved to draft and waits for its sponsor: Session affinity in the transport`,
      },
    ]);
    // a specification change needs supporters from several organisations and implementations: refused
    await moveProposal(hub, kai, sep.ref, { to: 'in-review' });
    await expect(moveProposal(hub, kai, sep.ref, { to: 'accepted' })).rejects.toThrow();
    expect(await inbox(ana, 'proposal-refused')).toEqual([
      {
        reason: 'author',
        title: `${sep.ref} was refused at the gate to accepted: Session affinity in the transport`,
      },
    ]);
    await moveProposal(hub, kai, sep.ref, { to: 'draft' });
    hub.clock.advanceDays(hub.governance.proposals.dormancy.staleDraftReminderDays);
    await runDormancy(hub, SYSTEM);
    expect((await inbox(ana, 'dormancy-reminder')).map((n) => n.reason)).toEqual(['author']);
    expect((await inbox(ana, 'dormancy-reminder'))[0]!.title).toMatch(
      new RegExp(`^${sep.ref} has been quiet for \\d+ days: Session affinity in the transport$`),
    );
  });
});
