import { describe, expect, it } from 'vitest';
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
