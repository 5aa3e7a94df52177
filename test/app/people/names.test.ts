// The names views carry beside handles: found whatever the handle's case, keyed as the view gave it;
// the operator and the hub's own work are nobody's name, even when a person's handle reads the same.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { namesOf } from '../../../src/app/people/names.ts';
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

  it('names each handle as the view gave it, whatever its case; nobody, the operator and system actors are left out', async () => {
    expect(
      await namesOf(hub.store.db, ['ana', 'bo-lin', 'ghost', 'operator', 'system:deadline', null, undefined, 'ana']),
    ).toEqual({ ana: 'Ana', 'bo-lin': 'Bo-Lin' });
    expect(await namesOf(hub.store.db, [])).toEqual({});
  });

  it("a person whose handle is 'operator' is not taken for the hub's operator", async () => {
    await person(hub, 'operator');
    expect(await namesOf(hub.store.db, ['operator', 'ana'])).toEqual({ ana: 'Ana' });
  });
});
