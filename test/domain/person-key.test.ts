// The handle a person named in a charter or a SEP is imported under.
import { describe, expect, it } from 'vitest';
import { personKey } from '../../src/domain/community.ts';

describe('the handle of a person named in a file', () => {
  it('is their GitHub login, else one made from their name, else none', () => {
    expect(personKey('Ana Lima', 'ana-l')).toBe('ana-l');
    expect(personKey('Ana Lima', null)).toBe('ana-lima');
    expect(personKey('日本', null)).toBeNull();
  });

  it("is none for the login 'operator', which stands for the hub's operator: not a handle made from the name", () => {
    // made from the name, the row could be taken for another person who holds that handle, and the
    // login would be recorded on two people
    expect(personKey('Olga Op', 'operator')).toBeNull();
    expect(personKey('Olga Op', 'Operator')).toBeNull();
    expect(personKey('Operator', null)).toBeNull();
  });
});
