// A stored delivery's payload as the worker applies it: every string value made storable wherever it
// sits (an array in an object in an array), keys as GitHub sent them, a "__proto__" key an ordinary
// property of the payload that neither changes nor reaches any object's prototype.
import { describe, expect, it } from 'vitest';
import { PayloadRefused, parseStoredPayload } from '../../../src/app/github/delivery-body.ts';

describe('a stored payload parsed for the worker', () => {
  it('cleans a NUL in a string at every depth and keeps everything else as sent', () => {
    const text = JSON.stringify({
      action: 'created',
      comment: { body: 'a\u0000b', reactions: [{ users: [['x\u0000', 3, null, true]] }] },
      list: ['plain', { deep: ['in\u0000side'] }],
    });
    const parsed = parseStoredPayload(text) as {
      comment: { body: string; reactions: { users: unknown[][] }[] };
      list: [string, { deep: string[] }];
    };
    for (const s of [parsed.comment.body, parsed.comment.reactions[0]!.users[0]![0], parsed.list[1].deep[0]]) {
      expect(typeof s).toBe('string');
      expect(s).not.toContain('\u0000');
    }
    expect(parsed.comment.reactions[0]!.users[0]!.slice(1)).toEqual([3, null, true]);
    expect(parsed.list[0]).toBe('plain');
  });

  it('keeps a "__proto__" key as an own, enumerable property, cleaned, without touching prototypes', () => {
    const parsed = parseStoredPayload('{"__proto__":{"polluted":"y\\u0000"},"x":"\\u0000"}') as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(['__proto__', 'x']);
    const own = Object.getOwnPropertyDescriptor(parsed, '__proto__')!;
    expect(own.enumerable).toBe(true);
    expect((own.value as { polluted: string }).polluted).not.toContain('\u0000');
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    const withNul = parseStoredPayload('{"__proto__":"a\\u0000"}') as Record<string, unknown>;
    expect(Object.getOwnPropertyDescriptor(withNul, '__proto__')!.value).not.toContain('\u0000');
    expect(Object.getPrototypeOf(withNul)).toBe(Object.prototype);
  });

  it('refuses a stored payload past a bound, naming the rule', () => {
    expect(() => parseStoredPayload(`[${'{},'.repeat(500_001)}{}]`)).toThrow(PayloadRefused);
    expect(() => parseStoredPayload(`[${'{},'.repeat(500_001)}{}]`)).toThrow(/more than 500000 objects and arrays/);
  });
});
