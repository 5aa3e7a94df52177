// An affiliation's days are bounded to sensible years (LIMITS.affiliationYears): 0000-01-01 and
// 9999-12-31 were stored as real days with an organisation. One outside is refused naming the field
// and the rule, and nothing is stored.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../../src/app/core/hub.ts';
import { createPerson, getPerson, updatePerson } from '../../../src/app/people/people.ts';
import { LIMITS } from '../../../src/domain/limits.ts';
import { databases } from '../../support/databases.ts';
import { openTestHub, type TestHub } from '../../support/hub.ts';

describe.each(databases)('affiliation dates on $name', (database) => {
  let hub: TestHub;
  beforeEach(async () => {
    hub = await openTestHub(database);
  });
  afterEach(async () => hub?.close());

  const create = (from: string, to: string | null) =>
    createPerson(hub, SYSTEM, {
      handle: 'kai',
      name: 'Kai',
      timeZone: 'UTC',
      affiliations: [{ organisation: 'Nebula Tools', from, to }],
    });
  const { first, last } = LIMITS.affiliationYears;
  const rule = `must be a day between ${first}-01-01 and ${last}-12-31`;

  it('refuses the years 0000 and 9999, naming each field, and stores nobody', async () => {
    await expect(create('0000-01-01', '9999-12-31')).rejects.toMatchObject({
      kind: 'invalid_input',
      issues: [
        { field: 'affiliations[0].from', rule },
        { field: 'affiliations[0].to', rule },
      ],
    });
    expect(await hub.store.db.selectFrom('people').select('handle').where('handle', '=', 'kai').execute()).toEqual([]);
  });

  it('takes the first and last days of the range', async () => {
    await create(`${first}-01-01`, `${last}-12-31`);
    const [a] = await hub.store.db.selectFrom('affiliations').select(['from_date', 'to_date']).execute();
    expect(a).toEqual({ from_date: `${first}-01-01`, to_date: `${last}-12-31` });
  });

  it('a day stored before the rule is kept when sent back unchanged; a new or changed one out of range is refused', async () => {
    await create('2020-01-01', null);
    await hub.store.db.updateTable('affiliations').set({ from_date: '0000-01-01' }).execute();
    const kai = await getPerson(hub, 'kai');
    // sent back as it was, with a new organisation beside it: saved
    const saved = await updatePerson(hub, SYSTEM, 'kai', kai.version, {
      affiliations: [
        { organisation: 'Nebula Tools', from: '0000-01-01', to: '2026-01-01' },
        { organisation: 'Brand New Co', from: '2026-01-02', to: null },
      ],
    });
    expect(saved.affiliations.map((a) => [a.organisation.name, a.from, a.to])).toEqual([
      ['Nebula Tools', '0000-01-01', '2026-01-01'],
      ['Brand New Co', '2026-01-02', null],
    ]);
    // changed, or given to another organisation: refused naming the field
    await expect(
      updatePerson(hub, SYSTEM, 'kai', saved.version, {
        affiliations: [
          { organisation: 'Nebula Tools', from: '0001-01-01', to: '2026-01-01' },
          { organisation: 'Brand New Co', from: '0000-01-01', to: null },
        ],
      }),
    ).rejects.toMatchObject({
      kind: 'invalid_input',
      issues: [
        { field: 'affiliations[0].from', rule },
        { field: 'affiliations[1].from', rule },
      ],
    });
  });
});
