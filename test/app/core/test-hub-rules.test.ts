// The tests' hubs share one reading of the shipped rules (test/support/hub.ts, defaultGovernance):
// each hub gets its own copy, equal to reading the file, so a test changing its hub's rules leaves
// every other hub's alone.
import { describe, expect, it } from 'vitest';
import { loadGovernance } from '../../../src/app/core/governance-file.ts';
import { databases } from '../../support/databases.ts';
import { defaultGovernance, openTestHub } from '../../support/hub.ts';

describe('the rules of a test hub', () => {
  it('are the shipped file, a copy of their own for each hub', async () => {
    expect(defaultGovernance()).toStrictEqual(loadGovernance());
    const first = await openTestHub(databases[0]!);
    const second = await openTestHub(databases[0]!);
    try {
      first.governance.membership.inactivityDays = 7;
      expect(second.governance.membership.inactivityDays).toBe(loadGovernance().membership.inactivityDays);
      expect(defaultGovernance().membership.inactivityDays).toBe(loadGovernance().membership.inactivityDays);
    } finally {
      await first.close();
      await second.close();
    }
  });
});
