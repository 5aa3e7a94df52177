// Whether a lead may invite a person again, said on an invitation no longer open (`inviteAgain`) by the
// same rules inviting checks: it said "you may invite them again" while the hub would refuse. Both databases.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/app/core/hub.ts';
import { joinGroup, proposeGroup } from '../../../src/app/groups/groups.ts';
import {
  acceptInvitation,
  declineInvitation,
  getInvitation,
  inviteToGroup,
  listGroupInvitations,
  listMyInvitations,
  withdrawInvitation,
} from '../../../src/app/groups/invitations.ts';
import { LIMITS } from '../../../src/domain/limits.ts';
import { databases } from '../../support/databases.ts';
import { hostingGroup, openTestHub, person, type TestHub } from '../../support/hub.ts';

const DAY = 86_400_000;

describe.each(databases)('inviting again, said before trying, on $name', (database) => {
  let hub: TestHub;
  let sam: Actor, ana: Actor, bo: Actor;
  beforeEach(async () => {
    hub = await openTestHub(database, '2026-03-02T12:00:00Z');
    sam = await person(hub, 'sam', { role: 'member' });
    ana = await person(hub, 'ana');
    bo = await person(hub, 'bo');
    await hostingGroup(hub, sam, 'sam');
  });
  afterEach(async () => hub?.close());

  it('a declined invitation says from when the person may be invited again, and the hub agrees either side of it', async () => {
    const inv = await inviteToGroup(hub, sam, 'hosting', { handle: 'ana', level: 'participant' });
    expect(inv.inviteAgain).toBeNull();
    await declineInvitation(hub, ana, inv.id);
    const [declined] = (await listGroupInvitations(hub, sam, 'hosting')).recentlyDeclined;
    expect(declined!.inviteAgain).toEqual({
      allowed: false,
      rule: 'invite-again-after-decline',
      from: '2026-04-01T12:00:00.000Z',
      reason: expect.stringContaining('from Wed 2026-04-01 14:00 GMT+2'),
    });
    // the person who declined, who may not invite, is told nothing of it
    expect((await getInvitation(hub, ana, inv.id)).inviteAgain).toBeNull();
    await expect(inviteToGroup(hub, sam, 'hosting', { handle: 'ana', level: 'participant' })).rejects.toMatchObject({
      details: { rule: 'invite-again-after-decline', from: '2026-04-01T12:00:00.000Z' },
    });
    hub.clock.advance(30 * DAY);
    expect((await getInvitation(hub, sam, inv.id)).inviteAgain).toEqual({ allowed: true });
    expect((await inviteToGroup(hub, sam, 'hosting', { handle: 'ana', level: 'participant' })).state).toBe('open');
  });

  it('an expired invitation past the group’s bound on one person says when, not "you may invite them again"', async () => {
    for (let i = 0; i < LIMITS.invitationsToOnePerson - 1; i++) {
      const open = await inviteToGroup(hub, sam, 'hosting', { handle: 'bo', level: 'member' });
      await withdrawInvitation(hub, sam, 'hosting', open.id);
      hub.clock.advance(DAY);
    }
    await inviteToGroup(hub, sam, 'hosting', { handle: 'bo', level: 'member', expiresInDays: 1 });
    hub.clock.advance(2 * DAY);
    const [expired] = (await listGroupInvitations(hub, sam, 'hosting')).items;
    expect(expired).toMatchObject({ handle: 'bo', state: 'expired' });
    // the first was sent 2026-03-02 12:00: possible again once it leaves the 30 days
    expect(expired!.inviteAgain).toMatchObject({
      allowed: false,
      rule: 'too-many-invitations-to-person',
      from: '2026-04-01T12:00:00.000Z',
    });
    await expect(inviteToGroup(hub, sam, 'hosting', { handle: 'bo', level: 'member' })).rejects.toMatchObject({
      details: { rule: 'too-many-invitations-to-person', from: '2026-04-01T12:00:00.000Z' },
    });
    hub.clock.advance(Date.parse('2026-04-01T12:00:00.000Z') - hub.clock.now().getTime());
    expect((await listGroupInvitations(hub, sam, 'hosting')).items[0]!.inviteAgain).toEqual({ allowed: true });
  });

  it('one who joined since, or holds a newer open invitation, is said so; the open one says when it lapses', async () => {
    const first = await inviteToGroup(hub, sam, 'hosting', { handle: 'ana', level: 'member', expiresInDays: 1 });
    const other = await inviteToGroup(hub, sam, 'hosting', { handle: 'bo', level: 'member' });
    await declineInvitation(hub, bo, other.id);
    hub.clock.advance(2 * DAY);
    const lower = await inviteToGroup(hub, sam, 'hosting', { handle: 'bo', level: 'observer', expiresInDays: 3 });
    const boDeclined = (await listGroupInvitations(hub, sam, 'hosting')).recentlyDeclined[0]!;
    // the open one lapses first (in 3 days), but the member invitation she declined holds its 30 days
    // after: the date given is the latest of the two (it gave the open one's expiry, too early)
    expect(lower.expiresAt < '2026-04-01T12:00:00.000Z').toBe(true);
    expect(boDeclined.inviteAgain).toMatchObject({
      allowed: false,
      rule: 'already-invited',
      from: '2026-04-01T12:00:00.000Z',
    });
    expect(boDeclined.inviteAgain).not.toHaveProperty('reason', expect.stringContaining('may invite them again'));
    await joinGroup(hub, ana, 'hosting', { level: 'participant' });
    // joining closed her lapsed one; read by its id it says she is in the group now
    expect((await getInvitation(hub, sam, first.id)).inviteAgain).toEqual({
      allowed: false,
      rule: 'already-member',
      from: null,
      reason: 'Ana (@ana) is already in Hosting, as a participant: a member is not invited; set their level instead',
    });
  });

  it('an accepted invitation says nothing of inviting again: its answer once refused inviting the one who just accepted', async () => {
    const lee = await person(hub, 'lee', { role: 'member' });
    const inv = await inviteToGroup(hub, sam, 'hosting', { handle: 'lee', level: 'lead' });
    // accepting to lead, lee may set the group's levels: the answer is read as one who may invite
    const accepted = await acceptInvitation(hub, lee, inv.id);
    expect(accepted.state).toBe('accepted');
    expect(accepted.inviteAgain).toBeNull();
    expect((await getInvitation(hub, sam, inv.id)).inviteAgain).toBeNull();
  });

  it("the bound on one sender's invitations to one person is said to that sender, with its date", async () => {
    const lee = await person(hub, 'lee', { role: 'member' });
    const cy = await person(hub, 'cy', { role: 'member' });
    for (let i = 0; i < LIMITS.invitationsFromOneToOne; i++)
      await proposeGroup(hub, lee, {
        slug: `g${i}`,
        name: `Group g${i}`,
        kind: 'working',
        mission: 'Nothing at all, only another notice to one person.',
        scopeIn: ['Nothing'],
        leads: ['lee', 'cy'],
      });
    const g0 = (await listMyInvitations(hub, cy)).items.find((i) => i.group === 'g0')!;
    await withdrawInvitation(hub, lee, 'g0', g0.id);
    const read = await getInvitation(hub, lee, g0.id);
    expect(read.inviteAgain).toMatchObject({
      allowed: false,
      rule: 'too-many-invitations-from-you',
      from: '2026-04-01T12:00:00.000Z',
      reason: expect.stringMatching(/^You have invited Cy \(@cy\) 10 times/),
    });
    await expect(inviteToGroup(hub, lee, 'g0', { handle: 'cy', level: 'member' })).rejects.toMatchObject({
      details: { rule: 'too-many-invitations-from-you', from: '2026-04-01T12:00:00.000Z' },
    });
  });
});
