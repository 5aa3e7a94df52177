// JSON text read before or beside its parse: a key given twice in one object (fuzz round 14).
import { describe, expect, it } from 'vitest';
import { repeatedKey } from '../../src/domain/json.ts';

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
