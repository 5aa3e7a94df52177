// The invitation policy on its own: its state read from the clock, the state checked before the
// person (an expired one says so to everyone), only the person invited answers, and withdrawing is the
// group's rule for setting levels. Pure, so each case is one call.
import { describe, expect, it } from 'vitest';
import { defaultGovernance } from '../../support/hub.ts';
import {
  ALLOWED,
  invitationClosed,
  invitationListPolicy,
  invitationPolicy,
  invitationState,
  refused,
  type Viewer,
} from '../../../src/domain/policies/index.ts';

const g = defaultGovernance();
const ana: Viewer = { kind: 'person', handle: 'ana', role: 'contributor', agreed: true };
const bo: Viewer = { kind: 'person', handle: 'bo', role: 'member', agreed: true };
const facts = {
  state: 'open' as const,
  group: 'Hosting',
  expiresAt: '2026-03-09T12:00:00.000Z',
  invitee: true,
  handle: 'ana',
  level: 'member' as const,
  groupStatus: 'active' as const,
};
const notLead = refused("Only a group lead may change a member's level in the group");

describe('invitation policy', () => {
  it('reads an unanswered invitation as open until its expiry, then expired; an answer stays', () => {
    const at = (iso: string) => new Date(iso);
    const inv = { answer: null, expiresAt: '2026-03-09T12:00:00.000Z' };
    expect(invitationState(inv, at('2026-03-09T11:59:59Z'))).toBe('open');
    expect(invitationState(inv, at('2026-03-09T12:00:00Z'))).toBe('expired');
    expect(invitationState({ ...inv, answer: 'declined' }, at('2026-03-01T00:00:00Z'))).toBe('declined');
  });

  it('gone (410) for expired or withdrawn, answered (409) for accepted or declined, each naming the rule', () => {
    expect(invitationClosed('open', facts)).toBeNull();
    expect(invitationClosed('expired', facts)?.why).toBe('gone');
    expect(invitationClosed('withdrawn', { ...facts, answeredBy: 'sam' })).toEqual({
      why: 'gone',
      rule: 'withdrawn',
      reason: 'The invitation to Hosting was withdrawn by sam: a withdrawn invitation cannot be accepted or declined',
    });
    expect(invitationClosed('accepted', facts)?.why).toBe('answered');
    expect(invitationClosed('accepted', facts)?.rule).toBe('answered-once');
    expect(invitationClosed('expired', facts)?.rule).toBe('expired');
    expect(invitationClosed('superseded', facts)).toMatchObject({ why: 'gone', rule: 'superseded' });
  });

  it("names the level offered once, in the community's words (a refusal said the name mapped twice)", () => {
    const named = { ...g, levelNames: { participant: 'member', member: 'voting member' } };
    const notTheirs = invitationPolicy(named, bo, { ...facts, level: 'participant', invitee: false }, notLead).accept;
    expect(notTheirs.allowed ? '' : notTheirs.reason).toContain('nobody becomes a member of a group');
  });

  it('an invitation whose inviter may no longer set the levels cannot be accepted, and may still be declined', () => {
    const lost = refused('sam may no longer set the levels of Hosting');
    const can = invitationPolicy(g, ana, facts, notLead, lost);
    expect(can.accept).toEqual(lost);
    expect(can.decline).toEqual(ALLOWED);
  });

  it('only the person invited accepts or declines; withdrawing follows the group rule; the state comes first', () => {
    const theirs = invitationPolicy(g, ana, facts, notLead);
    expect(theirs).toEqual({ accept: ALLOWED, decline: ALLOWED, withdraw: notLead });
    const other = invitationPolicy(g, bo, { ...facts, invitee: false }, ALLOWED);
    expect(other.accept).toEqual(
      refused(
        'Only the person invited (ana) may accept this invitation: nobody becomes a member of a group but by their own act',
      ),
    );
    expect(other.withdraw).toEqual(ALLOWED);
    expect(invitationPolicy(g, { kind: 'operator' }, { ...facts, invitee: false }, ALLOWED).accept.allowed).toBe(false);
    expect(invitationPolicy(g, { kind: 'visitor' }, { ...facts, invitee: false }, ALLOWED).decline).toEqual(
      refused('Sign in first', 'sign-in'),
    );
    // expired: said to everyone, before whose it is
    const expired = invitationPolicy(g, bo, { ...facts, state: 'expired', invitee: false }, ALLOWED);
    expect(expired.accept.allowed || expired.withdraw.allowed).toBe(false);
    expect(!expired.accept.allowed && expired.accept.reason).toMatch(
      /^The invitation to Hosting expired on 2026-03-09/,
    );
    // accepting, like joining, asks for the agreements first; a retired group takes nobody
    expect(invitationPolicy(g, { ...ana, agreed: false }, facts, notLead).accept).toMatchObject({
      allowed: false,
      remedy: 'accept-agreements',
    });
    expect(invitationPolicy(g, ana, { ...facts, groupStatus: 'retired' }, notLead).accept.allowed).toBe(false);
    expect(invitationListPolicy('retired', ALLOWED).invite).toEqual(
      refused('The group is retired and takes no new members'),
    );
  });
});
