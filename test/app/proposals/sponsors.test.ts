// Whom a proposal's page names as able to sponsor it: those whose role may, its group's own first,
// but not one who stepped back from the group (emeritus), who is named, if at all, as anyone else.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../../src/app/core/hub.ts';
import { placeInGroup } from '../../../src/app/groups/groups.ts';
import { possibleSponsors } from '../../../src/app/proposals/sponsors.ts';
import { databases } from '../../support/databases.ts';
import { hostingGroup, openTestHub, person, type TestHub } from '../../support/hub.ts';

describe.each(databases)('possible sponsors on $name', (database) => {
  let hub: TestHub;
  beforeEach(async () => {
    hub = await openTestHub(database);
    const lead = await person(hub, 'lead', { role: 'member' });
    await hostingGroup(hub, lead, 'lead');
    for (const h of ['ada', 'bea']) {
      await person(hub, h, { role: 'maintainer' });
      await placeInGroup(hub, SYSTEM, 'hosting', h, { level: 'member' });
    }
  });
  afterEach(async () => hub?.close());

  it("names the group's own maintainers first, and one who stepped back from it as anyone else", async () => {
    expect((await possibleSponsors(hub, 'hosting')).map((p) => [p.handle, p.inGroup])).toEqual([
      ['ada', true],
      ['bea', true],
    ]);
    const ada = await hub.store.db
      .selectFrom('people')
      .select('id')
      .where('handle', '=', 'ada')
      .executeTakeFirstOrThrow();
    await hub.store.db.updateTable('group_members').set({ emeritus: 1 }).where('person_id', '=', ada.id).execute();
    expect((await possibleSponsors(hub, 'hosting')).map((p) => [p.handle, p.inGroup])).toEqual([
      ['bea', true],
      ['ada', false],
    ]);
  });
});
