// What a notification mail says a reply to it does, by what it is about: a decision's mail says how
// to answer it (a vote's, how to vote); a meeting's says written input before it and, once it has
// happened (notes, late notes, an action falling due), where a reply goes instead; a written-input
// notice tells its facilitator to present it.
import { describe, expect, it } from 'vitest';
import { replyHint } from '../../../src/app/notifications/mail.ts';

describe('the "Reply to this mail" line', () => {
  it('says how a decision is answered by reply', () => {
    expect(replyHint('decision', 'decision-closing')).toMatch(/^Reply to this mail to answer it: start with "consent"/);
    expect(replyHint('decision', 'vote-opened')).toMatch(/^Reply to this mail to vote: start it with "yes", "no"/);
  });

  it('does not offer written input on a meeting that has already happened', () => {
    expect(replyHint('meeting', 'agenda-published')).toMatch(/send written input on the agenda/);
    for (const kind of ['notes-published', 'notes-overdue', 'action-due'])
      expect(replyHint('meeting', kind)).not.toMatch(/written input/);
    expect(replyHint('meeting', 'written-input')).toMatch(/^Present it at the meeting/);
    // withdrawn by its sender: nothing of theirs is left to present
    expect(replyHint('meeting', 'written-input', undefined, true)).toMatch(/^Its sender withdrew it/);
  });
});
