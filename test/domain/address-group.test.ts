// Whose budget an address counts against (rate limits, the reply listener's connections): an IPv6
// address by its /64, in any spelling, an IPv4-mapped one as its IPv4, anything else as it is.
import { describe, expect, it } from 'vitest';
import { addressGroup } from '../../src/domain/addresses.ts';

describe('addressGroup', () => {
  it('groups an IPv6 address by its /64 however it is written, and reads an IPv4-mapped one as IPv4', () => {
    for (const a of ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::9', '[2001:DB8:0001:0002::9]', '2001:db8:1:2::1%eth0'])
      expect(addressGroup(a), a).toBe('2001:db8:1:2::/64');
    expect(addressGroup('2001:db8:1:3::9')).toBe('2001:db8:1:3::/64');
    expect(addressGroup('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(addressGroup('192.0.2.1')).toBe('192.0.2.1');
    expect(addressGroup('unknown')).toBe('unknown');
    expect(addressGroup('not:an:address')).toBe('not:an:address');
  });
});
