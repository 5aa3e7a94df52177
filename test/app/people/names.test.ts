// The names views carry beside handles: found whatever the handle's case, keyed by each spelling the
// view gave; the hub's own work is nobody's name; a person recorded as 'operator' before the handle was
// reserved is named like anyone.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { namesOf, personOrNull } from '../../../src/app/people/names.ts';
import { databases } from '../../support/databases.ts';
import { openTestHub, person, type TestHub } from '../../support/hub.ts';

describe.each(databases)('names of people on $name', (database) => {
  let hub: TestHub;
  beforeEach(async () => {
    hub = await openTestHub(database);
    await person(hub, 'ana');
    await person(hub, 'Bo-Lin');
  });
  afterEach(async () => hub?.close());

  it('names each handle by every spelling the view gave, whatever its case; nobody and system actors are left out', async () => {
    expect(
      await namesOf(hub.store.db, ['ana', 'bo-lin', 'BO-LIN', 'ghost', 'system:operator', null, undefined, 'ana']),
    ).toEqual({ ana: 'Ana', 'bo-lin': 'Bo-Lin', 'BO-LIN': 'Bo-Lin' });
    expect(await namesOf(hub.store.db, [])).toEqual({});
  });

  it('an empty name names nobody: a view shows the handle, never a link with no text', async () => {
    await hub.store.db.updateTable('people').set({ name: '' }).where('handle', '=', 'ana').execute();
    expect(await namesOf(hub.store.db, ['ana', 'Bo-Lin'])).toEqual({ 'Bo-Lin': 'Bo-Lin' });
  });

  it("a person recorded as 'operator' before it was reserved is named like anyone; a column storing the operator as 'operator' leaves it out", async () => {
    await person(hub, 'operatorx', { accepted: false });
    await hub.store.db
      .updateTable('people')
      .set({ handle: 'operator', name: 'Operator' })
      .where('handle', '=', 'operatorx')
      .execute();
    expect(await namesOf(hub.store.db, ['operator', 'ana'])).toEqual({ operator: 'Operator', ana: 'Ana' });
    expect(await namesOf(hub.store.db, [personOrNull('operator'), personOrNull('ana')])).toEqual({ ana: 'Ana' });
  });
});
