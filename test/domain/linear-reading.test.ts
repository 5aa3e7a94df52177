// Found by checking every regular expression in src/ with a ReDoS analyser (recheck) and trying each
// flagged one on the text it reads: three read text from outside in time growing with the square of a
// run of one character. A reply by mail (anyone holding a reply address) of "amendment" and 200,000
// spaces held the process about a minute; a charter's seat of "Seeking" then a long run of spaces
// across lines (a charter from a repository) as long. Each is now read in one pass; the amendment
// label means what it did, and a seat is open whatever follows "seeking", now across a line break too.
import { describe, expect, it } from 'vitest';
import { openSeat } from '../../src/domain/charter-doc/index.ts';
import { decisionAnswerIn } from '../../src/domain/notifications/reply-text.ts';

const RUN = 200_000;

describe('text from outside read in one pass', () => {
  it('a reply labelling its amendment, however many spaces before the colon, with or without an ellipsis', () => {
    expect(decisionAnswerIn('concern\nAmendment … : two gateways', 'responses')).toEqual({
      kind: 'response',
      input: { kind: 'concern', amendment: 'two gateways' },
    });
    expect(decisionAnswerIn('concern\nYes, and...: two gateways', 'responses')).toEqual({
      kind: 'response',
      input: { kind: 'concern', amendment: 'two gateways' },
    });
    const hostile = decisionAnswerIn(`concern\namendment${' '.repeat(RUN)}x`, 'responses');
    expect(hostile).toMatchObject({ kind: 'response', input: { kind: 'concern' } });
  });

  it('a seat kept open says so whatever follows "seeking", on one line or several', () => {
    expect(openSeat('Seeking a co-lead')).toBe(true);
    expect(openSeat('(Seeking a co-lead)')).toBe(true);
    expect(openSeat('Ada Lovelace')).toBe(false);
    expect(openSeat(`Seeking\t${' '.repeat(RUN)}\nx`)).toBe(true);
    expect(openSeat(`Ada${' '.repeat(RUN)}\nx`)).toBe(false);
  });
});
