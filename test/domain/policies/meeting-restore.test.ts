// Who may restore a cancelled meeting, and when: only while it is still to come (a one-off whose
// time has passed, or a series since begun, stays cancelled: restored, it would be meetings nobody
// held); one its series' end called off stays so.
import { describe, expect, it } from 'vitest';
import { loadGovernance } from '../../../src/app/core/governance-file.ts';
import { meetingPolicy, type Viewer } from '../../../src/domain/policies/index.ts';
import { AFTER_SERIES_END } from '../../../src/domain/policies/meeting.ts';

const g = loadGovernance();
const member: Viewer = { kind: 'person', handle: 'x', role: 'member', agreed: true };
const lead = { groupLevel: 'lead' as const };
const cancelled = { cancelled: true, started: false, agendaItems: 0 };

describe('restoring a cancelled meeting', () => {
  it('a lead restores one still to come; a participant is told who may', () => {
    expect(meetingPolicy(g, member, lead, cancelled).restore).toEqual({ allowed: true });
    expect(meetingPolicy(g, member, { groupLevel: 'participant' }, cancelled).restore.allowed).toBe(false);
  });

  it('a one-off whose time has passed stays cancelled, saying what to do instead; so does a series since begun', () => {
    expect(meetingPolicy(g, member, lead, { ...cancelled, started: true }).restore).toEqual({
      allowed: false,
      reason: 'Its time has passed, so it stays cancelled; schedule a new meeting instead',
    });
    // restored, a series cancelled before it began would bring back every meeting since, none of them held
    expect(meetingPolicy(g, member, lead, { ...cancelled, started: true, recurring: true }).restore).toEqual({
      allowed: false,
      reason: 'It would have begun since it was cancelled, so it stays cancelled; schedule a new series instead',
    });
    expect(meetingPolicy(g, member, lead, { ...cancelled, recurring: true }).restore.allowed).toBe(true);
  });

  it("one its series' end called off stays so; one not cancelled has nothing to restore", () => {
    expect(meetingPolicy(g, member, lead, { ...cancelled, pastSeriesEnd: true }).restore).toMatchObject({
      allowed: false,
      reason: AFTER_SERIES_END,
    });
    expect(meetingPolicy(g, member, lead, { ...cancelled, cancelled: false }).restore).toMatchObject({
      allowed: false,
      reason: 'The meeting is not cancelled',
    });
  });
});
