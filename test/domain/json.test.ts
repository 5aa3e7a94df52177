// JSON text read before or beside its parse: a key given twice in one object (fuzz round 14).
import { describe, expect, it } from 'vitest';
import { boundBroken, repeatedKey } from '../../src/domain/json.ts';

describe('repeatedKey', () => {
  it('names the path of the second of two equal keys in one object, keys read as JSON reads them', () => {
    expect(repeatedKey('{"a":1,"a":2}')).toEqual(['a']);
    expect(repeatedKey('{"a":1,"\\u0061":2}')).toEqual(['a']);
    expect(repeatedKey('{"a":{"b":1},"c":[{"x":1},{"x":2,"y":"a,\\"b","x":3}]}')).toEqual(['c', 1, 'x']);
    expect(repeatedKey('{"k":[1,[2,3],{"a":1,"a":1}]}')).toEqual(['k', 2, 'a']);
    expect(repeatedKey('[{"a":1},{"id":1,"id":2}]')).toEqual([1, 'id']);
    expect(repeatedKey('{"a":{"x":1},"a":2}')).toEqual(['a']);
  });

  it('passes the same key in two objects, as a value, inside a string or in nested objects', () => {
    for (const json of [
      '{}',
      '[]',
      '"a"',
      '{"a":"a","b":"a"}',
      '[{"a":1},{"a":1}]',
      '{"a":{"a":1}}',
      '{"body":"{\\"a\\":1,\\"a\\":2}"}',
      '{"a":"x\\\\","b":1}',
      '{"a" : 1 , "b" : [ ] , "c" : { } }',
    ])
      expect(repeatedKey(json), json).toBeNull();
  });
});

describe('boundBroken (attack round 29: a body of millions of tiny objects is counted before it is parsed)', () => {
  it('counts objects and arrays, keys, and the keys of one object; strings, values and escaped quotes are no keys', () => {
    const bounds = { depth: 64, containers: 4, keys: 4, keysPerObject: 2 };
    expect(boundBroken('{"a":[1,"x,\\"y\\":",{}],"b":{"c":"d"}}', bounds)).toBeNull();
    expect(boundBroken('[{},[],{},[]]', bounds)).toBe('containers');
    expect(boundBroken('{"a":{"b":1,"c":2},"d":{"e":1,"f":2}}', bounds)).toBe('keys');
    expect(boundBroken('{"a":{"b":1,"c":2,"e":3}}', bounds)).toBe('keysPerObject');
    expect(boundBroken('["a","b","c","d","e"]', bounds)).toBeNull();
    expect(boundBroken('[[[]]]', { depth: 2 })).toBe('depth');
    // a key after a nested object is counted in its own object, not the inner one
    expect(boundBroken('{"a":{"x":1,"y":2},"b":1}', { depth: 64, keysPerObject: 2 })).toBeNull();
  });
});
