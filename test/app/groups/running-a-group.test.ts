// A facilitator's jobs on a group, through the one gate: the view's `can` and the use case agree,
// refusals are in words, leaving ends membership and facilitation, and the only lead cannot leave;
// a lead removes someone added by mistake, but not the only lead.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Actor, SYSTEM } from '../../../src/app/core/hub.ts';
import {
  getGroupFor,
  joinGroup,
  moveGroup,
  placeInGroup,
  proposeGroup,
  setMemberLevel,
  sponsorGroup,
} from '../../../src/app/groups/groups.ts';
import { leaveGroup, removeMember } from '../../../src/app/groups/leave-group.ts';
import { createTopicArea, getTopicArea, updateTopicArea } from '../../../src/app/groups/topic-areas.ts';
import { scheduleMeeting } from '../../../src/app/meetings/meetings.ts';
import { databases } from '../../support/databases.ts';
import { openTestHub, person, type TestHub } from '../../support/hub.ts';

const proposal = {
  slug: 'hosting',
  name: 'Hosting',
  kind: 'working',
  mission: 'Share practices for hosting MCP servers at scale and propose changes where hosting hits limits.',
  scopeIn: ['Transport behaviour behind load balancers'],
  leads: ['sam'],
};

describe.each(databases)('running a group on $name', (database) => {
  let hub: TestHub;
  let sam: Actor;
  let priya: Actor;
  let jonas: Actor;
  let kai: Actor;
  let ines: Actor;
  beforeEach(async () => {
    hub = await openTestHub(database, '2026-01-10T12:00:00Z');
    sam = await person(hub, 'sam', { role: 'member' });
    priya = await person(hub, 'priya', { role: 'member' });
    jonas = await person(hub, 'jonas');
    kai = await person(hub, 'kai', { role: 'core-maintainer' });
    ines = await person(hub, 'ines', { role: 'core-maintainer' });
    await proposeGroup(hub, sam, proposal);
  });
  afterEach(async () => hub?.close());

  it("the group's `can` says what each viewer may do, and the use cases refuse in the same words", async () => {
    const visitor = await getGroupFor(hub, 'hosting', null);
    expect(visitor.can.setMemberLevel).toEqual({ allowed: false, reason: 'Sign in first', remedy: 'sign-in' });
    const lead = await getGroupFor(hub, 'hosting', sam);
    expect(lead.can.setMemberLevel.allowed).toBe(true);
    expect(lead.can.addTopicArea.allowed).toBe(true);
    expect(lead.can.sponsor).toMatchObject({ allowed: false, reason: expect.stringContaining('may sponsor a group') });

    const outsider = await getGroupFor(hub, 'hosting', jonas);
    expect(outsider.can.setMemberLevel).toMatchObject({ allowed: false });
    const reason = (outsider.can.setMemberLevel as { reason: string }).reason;
    expect(reason).toMatch(/^Only .*a group lead.* may change a member's level in the group$/);
    expect(reason).not.toContain('group.setMemberLevel');
    await expect(setMemberLevel(hub, jonas, 'hosting', 'jonas', { level: 'lead' })).rejects.toMatchObject({
      kind: 'forbidden',
      message: reason,
    });
    expect((await getGroupFor(hub, 'hosting', jonas)).members.map((m) => m.handle)).toEqual(['sam']);
  });

  it('sponsoring twice is refused, and a move says who may and what is missing', async () => {
    await sponsorGroup(hub, kai, 'hosting');
    expect((await getGroupFor(hub, 'hosting', kai)).can.sponsor).toMatchObject({
      allowed: false,
      reason: 'You already sponsor this group',
    });
    // a second sponsorship is already as asked (409, nothing to do), and recorded once
    await expect(sponsorGroup(hub, kai, 'hosting')).rejects.toMatchObject({
      kind: 'conflict',
      details: { rule: 'already-as-asked' },
      message: 'You already sponsor this group',
    });
    expect((await getGroupFor(hub, 'hosting', null)).sponsors).toHaveLength(1);

    expect((await getGroupFor(hub, 'hosting', sam)).can.move).toMatchObject({
      allowed: false,
      reason: expect.stringMatching(/^Only .*core maintainer.* may move a proposed group$/),
    });
    await expect(moveGroup(hub, kai, 'hosting', { to: 'active' })).rejects.toMatchObject({
      issues: [{ field: 'to', rule: expect.stringContaining('needs sponsorship') }],
    });
    await sponsorGroup(hub, ines, 'hosting');
    expect((await moveGroup(hub, kai, 'hosting', { to: 'active' })).status).toBe('active');
  });

  it('a member leaves, and stops facilitating the topic areas; the only lead must hand over first', async () => {
    await sponsorGroup(hub, kai, 'hosting');
    await sponsorGroup(hub, ines, 'hosting');
    await moveGroup(hub, kai, 'hosting', { to: 'active' });
    await joinGroup(hub, priya, 'hosting');
    await createTopicArea(hub, sam, 'hosting', {
      slug: 'scaling',
      name: 'Scaling',
      goal: 'both',
      facilitators: ['sam', 'priya'],
    });
    // a facilitator edits their topic area although only a participant of the group
    const t = await getTopicArea(hub, 'hosting', 'scaling', priya);
    expect(t.can.edit.allowed).toBe(true);
    await updateTopicArea(hub, priya, 'hosting', 'scaling', t.version, { cadence: 'every two weeks' });
    expect((await getTopicArea(hub, 'hosting', 'scaling', jonas)).can.edit.allowed).toBe(false);
    // who facilitates it is the group's choice: a facilitator may not add or drop another
    const mine = await getTopicArea(hub, 'hosting', 'scaling', priya);
    expect(mine.can.chooseFacilitators).toEqual({
      allowed: false,
      reason: expect.stringMatching(/^Only .* may choose this topic area's facilitators$/),
    });
    expect((await getTopicArea(hub, 'hosting', 'scaling', sam)).can.chooseFacilitators.allowed).toBe(true);
    for (const facilitators of [['priya'], ['sam', 'priya', 'jonas'], ['priya', 'jonas']])
      await expect(
        updateTopicArea(hub, priya, 'hosting', 'scaling', mine.version, { facilitators }),
      ).rejects.toMatchObject({ kind: 'forbidden' });
    // the list as it is (in any order) passes with the rest of her edit
    const kept = await updateTopicArea(hub, priya, 'hosting', 'scaling', mine.version, {
      facilitators: ['priya', 'sam'],
      cadence: 'every three weeks',
    });
    expect(kept.facilitators.map((f) => f.handle).sort()).toEqual(['priya', 'sam']);
    // a lead's edit with several slips hears of all of them at once, and nothing changes
    await expect(
      updateTopicArea(hub, sam, 'hosting', 'scaling', kept.version, {
        goal: 'everything' as never,
        facilitators: ['sam', 'jonas', 'nobody-zz'],
      }),
    ).rejects.toMatchObject({
      issues: expect.arrayContaining([
        expect.objectContaining({ field: 'goal' }),
        expect.objectContaining({ field: 'facilitators[1]' }),
        { field: 'facilitators[2]', rule: "no person 'nobody-zz'" },
      ]),
    });
    expect((await getTopicArea(hub, 'hosting', 'scaling')).version).toBe(kept.version);

    expect((await getGroupFor(hub, 'hosting', sam)).can.leave).toMatchObject({
      allowed: false,
      reason: expect.stringContaining('only lead'),
    });
    await expect(leaveGroup(hub, sam, 'hosting')).rejects.toMatchObject({ kind: 'forbidden' });
    expect((await getGroupFor(hub, 'hosting', jonas)).can.leave).toMatchObject({
      reason: 'You are not a member of this group',
    });

    const before = await getTopicArea(hub, 'hosting', 'scaling');
    const after = await leaveGroup(hub, priya, 'hosting');
    expect(after.map((m) => m.handle)).toEqual(['sam']);
    expect((await getTopicArea(hub, 'hosting', 'scaling')).facilitators.map((f) => f.handle)).toEqual(['sam']);
    // her leaving changed the topic area: the list read before it cannot bring her back
    await expect(
      updateTopicArea(hub, sam, 'hosting', 'scaling', before.version, { facilitators: ['sam', 'priya'] }),
    ).rejects.toMatchObject({ kind: 'conflict' });
    expect((await getGroupFor(hub, 'hosting', priya)).can.join.allowed).toBe(true);

    // with a second lead, the first may leave
    await placeInGroup(hub, sam, 'hosting', 'priya', { level: 'lead' });
    expect((await getGroupFor(hub, 'hosting', sam)).can.leave.allowed).toBe(true);
    await leaveGroup(hub, sam, 'hosting');
    expect((await getGroupFor(hub, 'hosting', null)).members.map((m) => [m.handle, m.level])).toEqual([
      ['priya', 'lead'],
    ]);
    const log = await hub.store.db
      .selectFrom('events')
      .select(['kind', 'before'])
      .where('kind', '=', 'group.member-left')
      .orderBy('seq')
      .execute();
    expect(log.map((e) => JSON.parse(e.before!).handle)).toEqual(['priya', 'sam']);
  });

  it('a lead removes someone from the group: membership and facilitation end; not the only lead', async () => {
    await joinGroup(hub, jonas, 'hosting');
    // a handle picked by mistake: priya was never meant to be in the group
    await placeInGroup(hub, sam, 'hosting', 'priya', { level: 'member' });
    await createTopicArea(hub, sam, 'hosting', {
      slug: 'scaling',
      name: 'Scaling',
      goal: 'both',
      facilitators: ['sam', 'priya'],
    });
    // one who does not run the group may not remove anyone, told in the policy's words
    await expect(removeMember(hub, jonas, 'hosting', 'priya')).rejects.toMatchObject({
      kind: 'forbidden',
      message: expect.stringMatching(/^Only .*a group lead.* may change a member's level in the group$/),
    });
    // nobody by that handle in the group is a membership that does not exist (as a person unknown
    // here is), for every edge alike; the only lead is refused (403) as leaving is, in words
    await expect(removeMember(hub, sam, 'hosting', 'kai')).rejects.toMatchObject({
      kind: 'not_found',
      message: 'kai is not in the group hosting',
      details: { what: 'member', key: 'kai' },
    });
    await expect(removeMember(hub, sam, 'hosting', 'nobody-here')).rejects.toMatchObject({
      kind: 'not_found',
      details: { what: 'person' },
    });
    await expect(removeMember(hub, sam, 'hosting', 'sam')).rejects.toMatchObject({
      kind: 'forbidden',
      message: "sam is the group's only active lead: make someone else a lead first",
    });

    const after = await removeMember(hub, sam, 'hosting', 'priya');
    expect(after.map((m) => m.handle).sort()).toEqual(['jonas', 'sam']);
    expect((await getTopicArea(hub, 'hosting', 'scaling')).facilitators.map((f) => f.handle)).toEqual(['sam']);
    expect((await getGroupFor(hub, 'hosting', priya)).can.join.allowed).toBe(true);
    const log = await hub.store.db
      .selectFrom('events')
      .select(['before'])
      .where('kind', '=', 'group.member-removed')
      .execute();
    expect(log.map((e) => JSON.parse(e.before!))).toMatchObject([
      { handle: 'priya', level: 'member', facilitated: ['scaling'] },
    ]);

    // with a second lead, a lead may be removed too
    await placeInGroup(hub, sam, 'hosting', 'priya', { level: 'lead' });
    await removeMember(hub, priya, 'hosting', 'sam');
    expect((await getGroupFor(hub, 'hosting', null)).members.map((m) => [m.handle, m.level])).toEqual([
      ['priya', 'lead'],
      ['jonas', 'participant'],
    ]);
  });

  it('a removal and a leave at the same moment: nobody removed acts after it, and the group keeps a lead', async () => {
    await person(hub, 'lee', { role: 'member' });
    // several groups at once, so the two transactions meet on PostgreSQL
    const slugs = ['g-one', 'g-two', 'g-three', 'g-four'];
    for (const slug of slugs) {
      await proposeGroup(hub, sam, { ...proposal, slug, name: `Group ${slug}` });
      await placeInGroup(hub, sam, slug, 'priya', { level: 'lead' });
      await placeInGroup(hub, sam, slug, 'lee', { level: 'lead' });
    }
    const settled = (p: Promise<unknown>) =>
      p.then(
        () => 'done',
        () => 'refused',
      );
    // sam removes priya while priya removes lee: priya's removal counts only if it came first
    const outcomes = await Promise.all(
      slugs.map((slug) =>
        Promise.all([settled(removeMember(hub, sam, slug, 'priya')), settled(removeMember(hub, priya, slug, 'lee'))]),
      ),
    );
    for (const [i, slug] of slugs.entries()) {
      const [, byPriya] = outcomes[i]!;
      const removals = await hub.store.db
        .selectFrom('events')
        .select(['seq', 'before'])
        .where('kind', '=', 'group.member-removed')
        .where('subject_id', '=', slug)
        .orderBy('seq')
        .execute();
      const order = removals.map((e) => (JSON.parse(e.before!) as { handle: string }).handle);
      if (byPriya === 'done') expect(order, slug).toEqual(['lee', 'priya']);
      else expect(order, slug).toEqual(['priya']);
    }
    // two leads; one leaves in one tab while removing the other in another: one of the two must be refused
    const pairs = ['g-five', 'g-six', 'g-seven', 'g-eight'];
    for (const slug of pairs) {
      await proposeGroup(hub, sam, { ...proposal, slug, name: `Group ${slug}` });
      await placeInGroup(hub, sam, slug, 'priya', { level: 'lead' });
    }
    await Promise.all(
      pairs.map((slug) =>
        Promise.all([settled(leaveGroup(hub, sam, slug)), settled(removeMember(hub, sam, slug, 'priya'))]),
      ),
    );
    for (const slug of pairs)
      expect(
        (await getGroupFor(hub, slug, null)).members.filter((m) => m.level === 'lead'),
        slug,
      ).toHaveLength(1);
  });

  it('a note-taker removed from the group (or leaving it) no longer owes the notes of its meetings', async () => {
    await placeInGroup(hub, sam, 'hosting', 'priya', { level: 'member' });
    const m = await scheduleMeeting(hub, sam, {
      group: 'hosting',
      kind: 'process',
      title: 'Sync',
      startsAt: '2026-01-20T16:00:00Z',
      noteTaker: 'priya',
    });
    expect(m.noteTaker).toBe('priya');
    await removeMember(hub, sam, 'hosting', 'priya');
    const row = await hub.store.db
      .selectFrom('meetings')
      .select(['note_taker_id', 'version'])
      .executeTakeFirstOrThrow();
    expect(row.note_taker_id).toBeNull();
    expect(row.version).toBeGreaterThan(m.version);
  });

  it('the only lead cannot step down to a lower level either; with another lead they can', async () => {
    await joinGroup(hub, priya, 'hosting');
    await expect(setMemberLevel(hub, sam, 'hosting', 'sam', { level: 'observer' })).rejects.toMatchObject({
      kind: 'forbidden',
      message: "sam is the group's only active lead: make someone else a lead first",
    });
    expect((await getGroupFor(hub, 'hosting', null)).members.find((m) => m.handle === 'sam')?.level).toBe('lead');
    await setMemberLevel(hub, sam, 'hosting', 'priya', { level: 'lead' });
    await setMemberLevel(hub, sam, 'hosting', 'sam', { level: 'participant' });
    const levels = (await getGroupFor(hub, 'hosting', null)).members.map((m) => [m.handle, m.level]);
    expect(levels).toEqual(
      expect.arrayContaining([
        ['priya', 'lead'],
        ['sam', 'participant'],
      ]),
    );
  });
  it('where leads lapse with time, one who has lapsed is not "another lead" to step down for', async () => {
    // a governance file whose leads lapse after its inactivity period, as members do by default
    const strict = {
      ...hub,
      governance: {
        ...hub.governance,
        membership: { ...hub.governance.membership, decayingLevels: ['member', 'lead'] as const },
      },
    } as typeof hub;
    await joinGroup(strict, priya, 'hosting');
    await setMemberLevel(strict, sam, 'hosting', 'priya', { level: 'lead' });
    await hub.store.db
      .updateTable('group_members')
      .set({ last_active_at: '2025-01-01T00:00:00.000Z' })
      .where('person_id', '=', priya.kind === 'person' ? priya.person.id : '')
      .execute();
    await expect(setMemberLevel(strict, sam, 'hosting', 'sam', { level: 'participant' })).rejects.toMatchObject({
      kind: 'forbidden',
      message: "sam is the group's only active lead: make someone else a lead first",
    });
    // once sam has lapsed too, nobody leads now: moving him leaves the group as it was, and is not refused
    await hub.store.db
      .updateTable('group_members')
      .set({ last_active_at: '2025-01-01T00:00:00.000Z' })
      .where('person_id', '=', sam.kind === 'person' ? sam.person.id : '')
      .execute();
    await setMemberLevel(strict, SYSTEM, 'hosting', 'sam', { level: 'member' });
    // the same file where leads keep their standing: priya still leads, and sam may step down
    await setMemberLevel(hub, SYSTEM, 'hosting', 'sam', { level: 'lead' });
    await setMemberLevel(hub, sam, 'hosting', 'sam', { level: 'participant' });
  });
});
