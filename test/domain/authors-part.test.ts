import { describe, expect, it } from 'vitest';
import { authorsPart } from '../../src/domain/proposals/index.ts';

const yes = { allowed: true };
const no = { allowed: false };
const closed = ['landed', 'declined', 'withdrawn'];

describe("what a proposal's route asks of its author", () => {
  it('names the moves forward they may make only as a lead, the first end (landed) among them, never declining', () => {
    const part = authorsPart(
      closed,
      [
        { to: 'tracked', by: ['group-lead'], can: yes },
        { to: 'landed', by: ['group-lead'], can: yes },
        { to: 'declined', by: ['group-lead'], can: yes },
        { to: 'withdrawn', by: ['author'], can: yes },
      ],
      'member',
    );
    expect(part).toEqual({ movesAsLead: ['tracked', 'landed'], nextStepIsOthers: false });
  });

  it('leaves out a move that is theirs as its author or by their community role, and one they may not make', () => {
    const part = authorsPart(
      closed,
      [
        { to: 'tracked', by: ['group-lead', 'author'], can: yes },
        { to: 'landed', by: ['group-lead', 'core-maintainer'], can: yes },
        { to: 'community-discussion', by: ['group-lead'], can: no },
      ],
      'core-maintainer',
    );
    expect(part.movesAsLead).toEqual([]);
  });

  it("says the next step is someone else's when no open stage is theirs, and not when there is no step forward", () => {
    const waiting = [
      { to: 'tracked', by: ['group-lead'] as const, can: no },
      { to: 'withdrawn', by: ['author'] as const, can: yes },
    ];
    expect(
      authorsPart(
        closed,
        waiting.map((m) => ({ ...m, by: [...m.by] })),
        'member',
      ).nextStepIsOthers,
    ).toBe(true);
    expect(authorsPart(closed, [{ to: 'withdrawn', by: ['author'], can: yes }], 'member').nextStepIsOthers).toBe(false);
  });

  it("does not say the next step is someone else's when it is theirs as author (or by role), only held back by what it lacks", () => {
    // at idea with no real-world example: prior work checked is the author's to take, once they add one
    const atIdea = [
      { to: 'prior-work-checked', by: ['author', 'group-lead'] as const, can: no },
      { to: 'declined', by: ['group-lead'] as const, can: no },
      { to: 'withdrawn', by: ['author'] as const, can: yes },
    ];
    expect(
      authorsPart(
        closed,
        atIdea.map((m) => ({ ...m, by: [...m.by] })),
        'contributor',
      ).nextStepIsOthers,
    ).toBe(false);
    expect(authorsPart(closed, [{ to: 'tracked', by: ['moderator'], can: no }], 'moderator').nextStepIsOthers).toBe(
      false,
    );
  });
});
