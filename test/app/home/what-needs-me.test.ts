// "What needs me" as a member meets it: the decision they have not answered with its deadline,
// gone once they answer; the advisory one for a participant; the notes owed by the note-taker
// only; the lead's membership request; action items beyond the bound counted, not listed; one read
// of the home kept per person whatever `since` a caller sends; an invitation to a group until it is
// answered or runs out; and nobody but a person has such a list.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM, type Actor } from '../../../src/app/core/hub.ts';
import { openDecision, respondToDecision } from '../../../src/app/decisions/decisions.ts';
import { askToBeMember } from '../../../src/app/groups/membership-requests.ts';
import { moveGroup, placeInGroup, proposeGroup, sponsorGroup } from '../../../src/app/groups/groups.ts';
import { acceptInvitation, inviteToGroup } from '../../../src/app/groups/invitations.ts';
import { whatNeedsMe, type Need } from '../../../src/app/home/what-needs-me.ts';
import { scheduleMeeting } from '../../../src/app/meetings/meetings.ts';
import { createProposal, moveProposal } from '../../../src/app/proposals/proposals.ts';
import { addActionItem, recordNotes } from '../../../src/app/meetings/outcomes.ts';
import { LIMITS } from '../../../src/domain/limits.ts';
import { databases } from '../../support/databases.ts';
import { asActor, hostingGroup, openTestHub, person, type TestHub } from '../../support/hub.ts';
import { removeMember } from '../../../src/app/groups/leave-group.ts';

describe.each(databases)('what needs me on $name', (database) => {
  let hub: TestHub;
  let lead: Actor, ana: Actor, part: Actor;

  beforeEach(async () => {
    hub = await openTestHub(database, '2026-03-02T12:00:00Z');
    lead = await person(hub, 'lead', { role: 'member' });
    ana = await person(hub, 'ana');
    part = await person(hub, 'part');
    await hostingGroup(hub, lead, 'lead');
    await placeInGroup(hub, SYSTEM, 'hosting', 'ana', { level: 'member' });
    await placeInGroup(hub, SYSTEM, 'hosting', 'part', { level: 'participant' });
  });
  afterEach(async () => hub?.close());

  const of = async (who: Actor, kind: Need['kind']) =>
    (await whatNeedsMe(hub, who)).items.filter((n) => n.kind === kind);

  it('a decision awaiting my voice is listed with its deadline until I answer; a participant sees it as advisory', async () => {
    const d = await openDecision(hub, lead, {
      group: 'hosting',
      subject: { type: 'process' },
      question: 'Adopt fortnightly content meetings?',
      significance: 'minor',
    });
    expect(await of(ana, 'decision')).toEqual([
      {
        kind: 'decision',
        ref: 'D-1',
        title: 'Adopt fortnightly content meetings?',
        group: 'hosting',
        asked: 'Consent, raise a concern or block by the deadline: silence by then counts as consent',
        due: d.deadline,
        dueMeans: 'deadline',
        late: false,
        path: '/decisions/D-1#respond',
        phase: 'lazy-consensus',
      },
    ]);
    // the participant's answer is shown, not counted: told so, never as one that waits on their voice
    expect(await of(part, 'decision')).toEqual([]);
    expect((await of(part, 'advisory')).map((n) => [n.ref, n.due, n.asked])).toEqual([
      [
        'D-1',
        d.deadline,
        'Answer if you wish: your answer is shown to the group but not counted (only its members and leads count)',
      ],
    ]);
    await respondToDecision(hub, ana, 'D-1', { kind: 'consent' });
    expect(await of(ana, 'decision')).toEqual([]);
    const mine = await whatNeedsMe(hub, ana);
    expect(mine.counts.decision).toEqual({ listed: 0, total: 0 });
    expect(mine.handle).toBe('ana');
    // the lead who opened it has not answered: still theirs
    expect((await of(lead, 'decision')).map((n) => n.ref)).toEqual(['D-1']);
  });

  it('notes owed reach the note-taker only, until published; action items past the bound are counted', async () => {
    await scheduleMeeting(hub, lead, {
      group: 'hosting',
      kind: 'content',
      title: 'Session affinity deep dive',
      startsAt: '2026-03-10T16:00:00Z',
      durationMinutes: 60,
      noteTaker: 'ana',
    });
    // before it starts it is a meeting to attend, for each member alike
    expect((await of(part, 'meeting')).map((n) => [n.ref, n.due, n.dueMeans])).toEqual([
      ['M-1', '2026-03-10T16:00:00.000Z', 'starts'],
    ]);
    hub.clock.set('2026-03-10T18:00:00Z');
    const owed = await of(ana, 'notes');
    expect(owed).toEqual([
      expect.objectContaining({
        ref: 'M-1',
        group: 'hosting',
        dueMeans: 'notes due',
        late: false,
        path: '/meetings/M-1#notes',
      }),
    ]);
    expect(owed[0]!.due).toMatch(/^2026-03-1\d/);
    expect(await of(lead, 'notes')).toEqual([]);
    expect(await of(part, 'notes')).toEqual([]);
    hub.clock.set('2026-03-14T09:00:00Z');
    expect((await of(ana, 'notes')).map((n) => n.late)).toEqual([true]);
    await recordNotes(hub, ana, 'M-1', undefined, { notes: 'Affinity by cookie, not by IP.' });
    expect(await of(ana, 'notes')).toEqual([]);

    const cap = LIMITS.needsPerKind;
    for (let i = 0; i <= cap; i++)
      await addActionItem(hub, lead, 'M-1', { owner: 'part', description: `Check cluster ${i}`, due: '2026-03-20' });
    const needs = await whatNeedsMe(hub, part);
    expect(needs.counts['action-item']).toEqual({ listed: cap, total: cap + 1 });
    expect(needs.items.filter((n) => n.kind === 'action-item')).toHaveLength(cap);
    expect(needs.items.find((n) => n.kind === 'action-item')).toMatchObject({
      ref: 'M-1',
      group: 'hosting',
      due: '2026-03-20',
      late: false,
      path: '/meetings/M-1#actions',
    });
    hub.clock.set('2026-03-21T09:00:00Z');
    expect((await of(part, 'action-item'))[0]!.late).toBe(true);
  });

  it('notes owed past the meetings read are not counted as none: the total says more may wait', async () => {
    await scheduleMeeting(hub, lead, {
      group: 'hosting',
      kind: 'content',
      title: 'Short sync',
      startsAt: '2026-03-10T16:00:00Z',
      durationMinutes: 30,
      noteTaker: 'ana',
    });
    // as many meetings as the list reads, begun earlier and still going (no notes due yet): the one
    // whose notes are due comes after them
    const one = await hub.store.db.selectFrom('meetings').selectAll().executeTakeFirstOrThrow();
    for (let i = 0; i < LIMITS.needsPerKind; i++)
      await hub.store.db
        .insertInto('meetings')
        .values({
          ...one,
          id: `${one.id}-${i}`,
          number: 100 + i,
          title: `Long workshop ${i}`,
          starts_at: '2026-03-10T15:00:00.000Z',
          duration_minutes: 240,
        })
        .execute();
    hub.clock.set('2026-03-10T17:00:00Z');
    const needs = await whatNeedsMe(hub, ana);
    expect(needs.items.filter((n) => n.kind === 'notes')).toEqual([]);
    expect(needs.counts.notes).toEqual({ listed: 0, total: null });
  });

  it('the proposals I wrote are listed, marked moved when they changed stage after `since`', async () => {
    const p = await createProposal(hub, ana, {
      title: 'Backoff headers for gateways',
      problem: 'Clients cannot tell how long to wait when a gateway sheds load.',
      examples: ['A 503 with no Retry-After'],
      layer: 'supporting-resource',
      group: 'hosting',
    });
    const listed = async (since?: string) =>
      (await whatNeedsMe(hub, ana, since ? { since } : {})).items.filter((n) => n.kind === 'proposal');
    expect(await listed()).toEqual([
      expect.objectContaining({
        ref: p.ref,
        group: 'hosting',
        why: ['author'],
        movedSince: false,
        path: `/proposals/${p.ref}`,
      }),
    ]);
    // filed after `since`, it has not moved: its filing is no change of stage
    expect((await listed('2026-03-02T13:00:00+02:00')).map((n) => n.movedSince)).toEqual([false]);
    hub.clock.advance(60_000);
    await moveProposal(hub, ana, p.ref, { to: 'prior-work-checked' });
    // a time in another zone is the same moment: an hour before the proposal, written as UTC+02:00
    expect((await listed('2026-03-02T13:00:00+02:00')).map((n) => n.movedSince)).toEqual([true]);
    hub.clock.advance(60_000);
    expect((await listed(hub.clock.now().toISOString())).map((n) => n.movedSince)).toEqual([false]);
    expect(await of(lead, 'proposal')).toEqual([]);
  });

  it('keeps one read of the home per person, whatever `since` each caller sends', async () => {
    // a script polling with a new `since` each time added an entry per call to the 2,000 of the read
    // cache, never read again, pushing other pages' out
    const p = await createProposal(hub, ana, {
      title: 'Backoff headers for gateways',
      problem: 'Clients cannot tell how long to wait when a gateway sheds load.',
      examples: ['A 503 with no Retry-After'],
      layer: 'supporting-resource',
      group: 'hosting',
    });
    hub.clock.advance(1000);
    await moveProposal(hub, ana, p.ref, { to: 'prior-work-checked' });
    const moved = async (since: string) =>
      (await whatNeedsMe(hub, ana, { since })).items.filter((n) => n.kind === 'proposal').map((n) => n.movedSince);
    expect(await moved('2026-03-02T11:00:00Z')).toEqual([true]);
    const misses = hub.reads.counts.misses;
    for (let i = 1; i <= 5; i++) {
      hub.clock.advance(1000);
      expect(await moved(hub.clock.now().toISOString())).toEqual([false]);
    }
    expect(await moved('2026-03-02T11:59:00Z')).toEqual([true]);
    expect(hub.reads.counts.misses - misses).toBe(0);
  });

  it("a lead sees who asks to join; the operator and someone else's list are not theirs", async () => {
    await askToBeMember(hub, part, 'hosting', {});
    expect(await of(lead, 'membership-request')).toEqual([
      expect.objectContaining({
        ref: '@part',
        group: 'hosting',
        title: 'Part (@part) asks to become a member of Hosting',
        path: '/groups/hosting#requests',
      }),
    ]);
    expect(await of(ana, 'membership-request')).toEqual([]);
    await expect(whatNeedsMe(hub, SYSTEM)).rejects.toMatchObject({
      kind: 'forbidden',
      message: expect.stringMatching(/act as one with --as HANDLE/),
    });
    await expect(whatNeedsMe(hub, ana, { since: 'yesterday' })).rejects.toMatchObject({
      issues: [{ field: 'since', rule: expect.stringMatching(/ISO date-time/) }],
    });
  });

  it('an invitation to a group waits on the person invited, with its expiry, until they answer it or it runs out', async () => {
    const outsider = await person(hub, 'out');
    const first = await inviteToGroup(hub, lead, 'hosting', { handle: 'out', level: 'member', expiresInDays: 7 });
    expect(await of(outsider, 'invitation')).toEqual([
      {
        kind: 'invitation',
        ref: 'hosting',
        title: 'Lead invites you to Hosting as a member',
        group: 'hosting',
        asked: 'Accept or decline the invitation: you become a member of Hosting only if you accept',
        due: '2026-03-09T12:00:00.000Z',
        dueMeans: 'expires',
        late: false,
        path: '/groups/hosting#invitation',
        id: first.id,
      },
    ]);
    expect((await whatNeedsMe(hub, outsider)).counts.invitation).toEqual({ listed: 1, total: 1 });
    // it is the person's own: the lead who offered it has nothing of it to answer
    expect(await of(lead, 'invitation')).toEqual([]);
    await acceptInvitation(hub, outsider, first.id);
    expect(await of(outsider, 'invitation')).toEqual([]);

    // one not answered leaves the list when it runs out, with no write
    const lateOne = await person(hub, 'late');
    await inviteToGroup(hub, lead, 'hosting', { handle: 'late', level: 'participant', expiresInDays: 1 });
    expect((await of(lateOne, 'invitation')).map((n) => n.dueMeans)).toEqual(['expires']);
    hub.clock.advanceDays(2);
    expect(await of(lateOne, 'invitation')).toEqual([]);

    // one whose inviter may no longer set the levels cannot be accepted: it says why, and that declining is theirs
    await person(hub, 'co', { role: 'member' });
    await placeInGroup(hub, lead, 'hosting', 'co', { level: 'lead' });
    const co = await person(hub, 'co2');
    await inviteToGroup(hub, await asActor(hub, 'co'), 'hosting', { handle: 'co2', level: 'member' });
    await removeMember(hub, lead, 'hosting', 'co');
    expect((await of(co, 'invitation')).map((n) => n.asked)).toEqual([
      "co may no longer set the levels of Hosting, so this invitation cannot be accepted: ask the group's leads to invite you again (you may decline it)",
    ]);
  });

  it('a proposed group waits on those who may sponsor it, undated, until they sponsor it, its sponsorship is met or it leaves proposed', async () => {
    const core = await person(hub, 'core', { role: 'core-maintainer' });
    const core2 = await person(hub, 'core2', { role: 'core-maintainer' });
    const chief = await person(hub, 'chief', { role: 'lead-maintainer' });
    expect(await of(core, 'sponsor-group')).toEqual([
      {
        kind: 'sponsor-group',
        ref: 'hosting',
        title: 'Hosting, a working group proposed on 2026-03-02, waits for its sponsors',
        group: 'hosting',
        asked:
          'Sponsor it if you vouch for it and its leadership: it becomes active only once sponsored by 2 core maintainers or 1 lead maintainer; it has no sponsors yet',
        due: null,
        dueMeans: null,
        late: false,
        path: '/groups/hosting#manage',
      },
    ]);
    expect((await whatNeedsMe(hub, core)).counts['sponsor-group']).toEqual({ listed: 1, total: 1 });
    // only those who may sponsor: its lead (a member on the ladder) and a contributor are not asked
    expect(await of(lead, 'sponsor-group')).toEqual([]);
    expect(await of(ana, 'sponsor-group')).toEqual([]);
    // one who sponsored it is asked no more; another core maintainer still is, as the rule needs two
    await sponsorGroup(hub, core, 'hosting');
    expect(await of(core, 'sponsor-group')).toEqual([]);
    expect((await of(core2, 'sponsor-group')).map((n) => n.asked)).toEqual([
      'Sponsor it if you vouch for it and its leadership: it becomes active only once sponsored by 2 core maintainers or 1 lead maintainer; it has core (core maintainer)',
    ]);
    // once its sponsorship is met nobody is asked for more
    await sponsorGroup(hub, core2, 'hosting');
    expect(await of(chief, 'sponsor-group')).toEqual([]);
    // a group that leaves proposed unsponsored is asked of nobody either
    await proposeGroup(hub, lead, {
      slug: 'registry',
      name: 'Registry',
      kind: 'interest',
      mission: 'Share how registries of MCP servers are run and found.',
      scopeIn: ['Registries'],
      leads: ['lead'],
    });
    expect((await of(chief, 'sponsor-group')).map((n) => n.title)).toEqual([
      'Registry, an interest group proposed on 2026-03-02, waits for its sponsors',
    ]);
    await moveGroup(hub, chief, 'registry', { to: 'retired' });
    expect(await of(chief, 'sponsor-group')).toEqual([]);
  });
});
