import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ruleOf } from '../../src/domain/rule-wording.ts';
import { sentence } from '../../src/domain/sentence.ts';

describe('a generated sentence', () => {
  it('ends with one stop, never two', () => {
    expect(sentence('Only a group member or lead may vote on this decision')).toBe(
      'Only a group member or lead may vote on this decision.',
    );
    expect(sentence('Responses closed at the deadline.')).toBe('Responses closed at the deadline.');
    expect(sentence('Adopt fortnightly content meetings?')).toBe('Adopt fortnightly content meetings?');
    expect(sentence('it said “stop.”')).toBe('it said “stop.”');
    expect(sentence('trailing space ')).toBe('trailing space.');
  });
});

describe('a rule about a list', () => {
  it('counts its items as people do: "1 item", "2 items"', () => {
    const one = z.array(z.string()).min(1).safeParse([]);
    const two = z.array(z.string()).max(2).safeParse(['a', 'b', 'c']);
    expect(one.success || ruleOf(one.error.issues[0]!)).toBe('must have at least 1 item');
    expect(two.success || ruleOf(two.error.issues[0]!)).toBe('must have at most 2 items');
  });
});
