// A person's groups are shown with their level as it stands now: emeritus after the inactivity
// period, exactly as the group page shows them.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { groupsOf, placeInGroup, proposeGroup } from '../../../src/app/groups/groups.ts';
import { SYSTEM } from '../../../src/app/core/hub.ts';
import { databases } from '../../support/databases.ts';
import { openTestHub, person, type TestHub } from '../../support/hub.ts';

describe.each(databases)("a person's groups on $name", (database) => {
  let hub: TestHub;
  beforeEach(async () => {
    hub = await openTestHub(database, '2026-03-02T12:00:00Z');
  });
  afterEach(async () => hub?.close());

  it('names each group with the level, and marks it emeritus once the inactivity period has passed', async () => {
    const lead = await person(hub, 'lead', { role: 'member' });
    await person(hub, 'ada');
    await proposeGroup(hub, lead, {
      slug: 'hosting',
      name: 'Hosting',
      kind: 'working',
      mission: 'Share practices for hosting MCP servers at scale.',
      scopeIn: ['Scaling'],
      leads: ['lead'],
    });
    await placeInGroup(hub, SYSTEM, 'hosting', 'ada', { level: 'member' });
    expect(await groupsOf(hub, 'ada')).toEqual([
      { slug: 'hosting', name: 'Hosting', level: 'member', emeritus: false },
    ]);
    const days = hub.governance.membership.inactivityDays;
    hub.clock.set(new Date(Date.parse('2026-03-02T12:00:00Z') + days * 86_400_000 - 1000).toISOString());
    expect((await groupsOf(hub, 'ada'))[0]!.emeritus).toBe(false);
    hub.clock.set(new Date(Date.parse('2026-03-02T12:00:00Z') + days * 86_400_000).toISOString());
    expect((await groupsOf(hub, 'ada'))[0]).toMatchObject({ level: 'member', emeritus: true });
  });
});
