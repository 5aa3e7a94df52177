import { describe, expect, it } from 'vitest';
import { isHubComment, labelChanges, statusCommentBody } from '../../../src/domain/github/write-back.ts';

const sep = { draft: 'draft', 'in-review': 'in-review', accepted: 'accepted', final: 'Final' };

describe('write-back labels and status comment', () => {
  it('swaps only the mapped stage label and keeps everyone else’s labels', () => {
    expect(labelChanges(['SEP', 'draft', 'security'], sep, 'in-review')).toEqual({
      add: ['in-review'],
      remove: ['draft'],
    });
    // GitHub compares label names without case
    expect(labelChanges(['SEP', 'final'], sep, 'final')).toEqual({ add: [], remove: [] });
    // a stage with no label: the old stage label goes, nothing is added
    expect(labelChanges(['accepted', 'draft'], sep, 'dormant')).toEqual({ add: [], remove: ['accepted', 'draft'] });
  });

  it('quotes the hub without pinging anyone and is recognised as the hub’s own', () => {
    const body = statusCommentBody({
      ref: 'SEP-1',
      title: 'T',
      url: 'https://hub/proposals/SEP-1',
      stage: 'draft',
      stageChangedAt: '2026-01-02T03:04:05Z',
      sponsor: 'alice',
      gate: {
        layer: 'specification',
        passed: false,
        conditions: [{ condition: 'c', passed: false, reason: 'ask @bob <!-- x' }],
      },
      decisions: [],
      priorWork: [],
    });
    expect(isHubComment(body)).toBe(true);
    expect(isHubComment('I agree <!-- a note -->')).toBe(false);
    expect(body).toContain('- ❌ c: ask @\u200bbob &lt;!-- x');
    expect(body).toContain('Sponsor: @alice');
  });
});
