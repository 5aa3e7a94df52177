// What a reply to a decision's mail says: its first word answers the decision (consent, concern,
// block; in a vote yes, no, abstain), labelled lines carry the other fields, and a reply that only
// begins with such a word stays a comment.
import { describe, expect, it } from 'vitest';
import { answerWordsIn, decisionAnswerIn } from '../../src/domain/notifications/reply-text.ts';

describe('a reply to a decision mail', () => {
  it('reads the answer and its fields', () => {
    expect(decisionAnswerIn('consent', 'responses')).toEqual({ kind: 'response', input: { kind: 'consent' } });
    expect(decisionAnswerIn('Consent. Looks right to me.', 'responses')).toEqual({
      kind: 'response',
      input: { kind: 'consent', reason: 'Looks right to me.' },
    });
    expect(decisionAnswerIn('Concern: name two gateways', 'responses')).toEqual({
      kind: 'response',
      input: { kind: 'concern', amendment: 'name two gateways' },
    });
    expect(
      decisionAnswerIn('BLOCK\nReason: too early.\nAlternative: wait for the transport decision.', 'responses'),
    ).toEqual({
      kind: 'response',
      input: { kind: 'block', reason: 'too early.', alternative: 'wait for the transport decision.' },
    });
    expect(decisionAnswerIn('block - too early\nCriteria: a second implementation', 'responses')).toEqual({
      kind: 'response',
      input: { kind: 'block', reason: 'too early', resolutionCriteria: 'a second implementation' },
    });
    expect(decisionAnswerIn('Abstain', 'vote')).toEqual({ kind: 'vote', input: { choice: 'abstain' } });
    expect(decisionAnswerIn('no: not before April', 'vote')).toEqual({
      kind: 'vote',
      input: { choice: 'no', rationale: 'not before April' },
    });
  });

  it('leaves other replies to be comments', () => {
    expect(decisionAnswerIn('No way to run this without a store.', 'vote')).toBeNull();
    expect(decisionAnswerIn('Blocking on Redis is odd.', 'responses')).toBeNull();
    // "yes" and "no" answer only a vote
    expect(decisionAnswerIn('Yes.', 'responses')).toBeNull();
    expect(decisionAnswerIn('I consent.', 'responses')).toBeNull();
    // the word must end where the answer does: compounds and asides are sentences (found reviewing)
    expect(decisionAnswerIn('No-one asked users about this.', 'vote')).toBeNull();
    expect(decisionAnswerIn('No, wait, what does this mean?', 'vote')).toBeNull();
    expect(decisionAnswerIn('Consent-based? I have a question', 'responses')).toBeNull();
    expect(decisionAnswerIn('Block-level elements break the layout.', 'responses')).toBeNull();
  });

  it('keeps a signature after a blank line out of the answer', () => {
    expect(decisionAnswerIn('Consent\n\nJane Doe\nACME Corp', 'responses')).toEqual({
      kind: 'response',
      input: { kind: 'consent' },
    });
    expect(decisionAnswerIn(`yes: fine by me\n\n${'Jane Doe, Head of Things\n'.repeat(40)}`, 'vote')).toEqual({
      kind: 'vote',
      input: { choice: 'yes', rationale: 'fine by me' },
    });
    // a label after the blank line still counts
    expect(decisionAnswerIn('Block\nToo early.\n\nAlternative: wait for April.\n\nJane', 'responses')).toEqual({
      kind: 'response',
      input: { kind: 'block', reason: 'Too early.', alternative: 'wait for April.' },
    });
  });

  it('takes the paragraph after a bare answer word as its reason, unless it is a sign-off', () => {
    expect(decisionAnswerIn('Block\n\nThis breaks every stdio server we ship.\n\nJane', 'responses')).toEqual({
      kind: 'response',
      input: { kind: 'block', reason: 'This breaks every stdio server we ship.' },
    });
    expect(decisionAnswerIn('Yes\n\nit handles reconnects, which was my worry', 'vote')).toEqual({
      kind: 'vote',
      input: { choice: 'yes', rationale: 'it handles reconnects, which was my worry' },
    });
    expect(decisionAnswerIn('Concern\n\nThe retry limit is low:\nmake it 5.', 'responses')).toEqual({
      kind: 'response',
      input: { kind: 'concern', amendment: 'The retry limit is low:\nmake it 5.' },
    });
    // found reviewing: the reason on the very next line, and reasons that begin like a name
    expect(decisionAnswerIn('block\nSecurity', 'responses')).toEqual({
      kind: 'response',
      input: { kind: 'block', reason: 'Security' },
    });
    for (const reason of ['Sorry, this breaks every existing client', 'Breaking Change (drops the cursor field)'])
      expect(decisionAnswerIn(`block\n\n${reason}`, 'responses'), reason).toEqual({
        kind: 'response',
        input: { kind: 'block', reason },
      });
    expect(decisionAnswerIn('concern\n\nFine, but rename the field to cursorToken', 'responses')).toEqual({
      kind: 'response',
      input: { kind: 'concern', amendment: 'Fine, but rename the field to cursorToken' },
    });
    expect(decisionAnswerIn('no\n\nHonestly, too early for a vote', 'vote')).toEqual({
      kind: 'vote',
      input: { choice: 'no', rationale: 'Honestly, too early for a vote' },
    });
    for (const signed of [
      'Thanks,\nJane',
      'Jane Doe\nACME Corp',
      'Jane Doe, Staff Engineer | ACME',
      'Best regards\nBo',
      '- Jane',
      'jane',
      'Sent from Yahoo Mail on Android',
      'Sent with Proton Mail secure email.',
    ])
      expect(decisionAnswerIn(`Consent\n\n${signed}`, 'responses'), signed).toEqual({
        kind: 'response',
        input: { kind: 'consent' },
      });
    expect(decisionAnswerIn('Yes\n\nThanks for all the work, the retry part reads well', 'vote')).toEqual({
      kind: 'vote',
      input: { choice: 'yes', rationale: 'Thanks for all the work, the retry part reads well' },
    });
  });

  it('is read in the words of the phase, and not at all once escalated or closed', () => {
    expect(['lazy-consensus', 'vote', 'escalated', 'closed'].map(answerWordsIn)).toEqual([
      'responses',
      'vote',
      null,
      null,
    ]);
  });
});
