// The invitation cool-off as a pure rule: after a decline, inviteAgainDays; and at most so many
// invitations to one person in a window, possible again once the oldest counted leaves it.
import { describe, expect, it } from 'vitest';
import { inviteCoolOff, senderCoolOff } from '../../src/domain/invitation-cool-off.ts';

const now = new Date('2026-03-31T12:00:00Z');
const facts = { declinedAt: null, inviteAgainDays: 30, invitedAt: [], perPerson: 3, windowDays: 30 };

describe('inviteCoolOff', () => {
  it('allows an invitation with nothing declined and few sent', () => {
    expect(inviteCoolOff(facts, now)).toBeNull();
    expect(inviteCoolOff({ ...facts, invitedAt: ['2026-03-30T00:00:00Z', '2026-03-29T00:00:00Z'] }, now)).toBeNull();
  });

  it('holds inviting back for inviteAgainDays after a decline, to the instant; 0 days does not', () => {
    const declined = { ...facts, declinedAt: '2026-03-10T08:00:00.000Z' };
    expect(inviteCoolOff(declined, now)).toEqual({
      rule: 'invite-again-after-decline',
      from: '2026-04-09T08:00:00.000Z',
    });
    expect(inviteCoolOff(declined, new Date('2026-04-09T08:00:00.000Z'))).toBeNull();
    expect(inviteCoolOff({ ...declined, inviteAgainDays: 0 }, now)).toBeNull();
  });

  it('counts the invitations sent within the window, in any order, and says when the oldest counted leaves it', () => {
    const sent = ['2026-03-20T00:00:00.000Z', '2026-03-05T00:00:00.000Z', '2026-03-25T00:00:00.000Z'];
    expect(inviteCoolOff({ ...facts, invitedAt: sent }, now)).toEqual({
      rule: 'too-many-invitations-to-person',
      from: '2026-04-04T00:00:00.000Z',
      sent: 3,
    });
    // one older than the window is not counted
    expect(inviteCoolOff({ ...facts, invitedAt: [...sent.slice(0, 2), '2026-02-01T00:00:00.000Z'] }, now)).toBeNull();
    // four within it: possible again once the second oldest leaves it
    expect(inviteCoolOff({ ...facts, invitedAt: [...sent, '2026-03-06T00:00:00.000Z'] }, now)).toMatchObject({
      from: '2026-04-05T00:00:00.000Z',
      sent: 4,
    });
  });

  it('a decline still holding is named before the count', () => {
    expect(
      inviteCoolOff(
        { ...facts, declinedAt: '2026-03-30T00:00:00.000Z', invitedAt: ['2026-03-20Z', '2026-03-21Z', '2026-03-22Z'] },
        now,
      ),
    ).toMatchObject({ rule: 'invite-again-after-decline' });
  });
});

describe('senderCoolOff', () => {
  it('counts one sender’s invitations to one person within the window, and says when the oldest counted leaves it', () => {
    const f = { sentAt: ['2026-03-20T00:00:00.000Z', '2026-03-05T00:00:00.000Z'], perSender: 2, windowDays: 30 };
    expect(senderCoolOff(f, now)).toEqual({ from: '2026-04-04T00:00:00.000Z', sent: 2 });
    expect(senderCoolOff({ ...f, perSender: 3 }, now)).toBeNull();
    expect(senderCoolOff(f, new Date('2026-04-04T00:00:00.000Z'))).toBeNull();
  });
});
