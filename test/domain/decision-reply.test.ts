// What a reply to a decision's mail says: its first word answers the decision (consent, concern,
// block; in a vote yes, no, abstain), labelled lines carry the other fields, and a reply that only
// begins with such a word stays a comment.
import { describe, expect, it } from 'vitest';
import { decisionAnswerIn } from '../../src/domain/notifications/reply-text.ts';

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
    expect(decisionAnswerIn('no, not before April', 'vote')).toEqual({
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
  });
});
