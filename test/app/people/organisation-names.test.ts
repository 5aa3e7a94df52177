// Found by fuzzing affiliations: an organisation's slug kept only the letters a to z, so every name
// written in another script (日本語の会社, Яндекс) became "unnamed", one organisation: the second
// person's affiliation showed the first one's name, and votes weighed per organisation counted them
// all as one. A name of punctuation only ("!!!") joined them. Now such a name keeps a slug of its
// own, and a name without a letter or digit is refused naming the field.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../../src/app/core/hub.ts';
import { listOrganisations } from '../../../src/app/people/organisations.ts';
import { createPerson } from '../../../src/app/people/people.ts';
import { databases } from '../../support/databases.ts';
import { openTestHub, type TestHub } from '../../support/hub.ts';

describe.each(databases)('organisation names in any script on $name', (database) => {
  let hub: TestHub;
  beforeEach(async () => {
    hub = await openTestHub(database);
  });
  afterEach(async () => hub?.close());

  const worksAt = (handle: string, organisation: string) =>
    createPerson(hub, SYSTEM, {
      handle,
      name: handle,
      timeZone: 'UTC',
      affiliations: [{ organisation, from: '2026-01-01' }],
    });

  it('names in other scripts are organisations of their own, each keeping its name', async () => {
    const a = await worksAt('aiko', '日本語の会社');
    const b = await worksAt('boris', 'Яндекс');
    const c = await worksAt('chen', '株式会社ABC');
    const d = await worksAt('dana', 'ABC');
    const e = await worksAt('emi', '日本語の会社'); // the same name is the same organisation
    const f = await worksAt('fern', 'Société Générale'); // accents aside, as before
    expect([a, b, c, d, e, f].map((p) => p.affiliations[0]!.organisation.name)).toEqual([
      '日本語の会社',
      'Яндекс',
      '株式会社ABC',
      'ABC',
      '日本語の会社',
      'Société Générale',
    ]);
    const slugs = [a, b, c, d, e, f].map((p) => p.affiliations[0]!.organisation.slug);
    expect(slugs[0]).toMatch(/^org-[0-9a-f]{8}$/);
    expect(slugs[2]).toMatch(/^abc-[0-9a-f]{8}$/);
    expect(slugs.slice(3)).toEqual(['abc', slugs[0], 'societe-generale']);
    expect(new Set(slugs).size).toBe(5);
    expect((await listOrganisations(hub, null)).items.map((o) => [o.name, o.people])).toEqual(
      expect.arrayContaining([
        ['日本語の会社', 2],
        ['Яндекс', 1],
      ]),
    );
  });

  it('a name of punctuation only is refused naming the field', async () => {
    await expect(worksAt('gil', '!!!')).rejects.toMatchObject({
      issues: [
        { field: 'affiliations[0].organisation', rule: 'must name the organisation: a letter or a digit at least' },
      ],
    });
  });

  it('an organisation recorded under the older slug rule is found by its name, not made again', async () => {
    // as the older rule left them: Ørsted under "rsted", a name in another script under "unnamed"
    for (const [slug, name] of [
      ['rsted', 'Ørsted'],
      ['unnamed', 'Яндекс'],
    ] as const)
      await hub.store.db
        .insertInto('organisations')
        .values({ id: hub.newId(), slug, name, created_at: '2026-01-01T00:00:00.000Z' })
        .execute();
    const a = await worksAt('ada', 'Ørsted');
    const b = await worksAt('boris', 'Яндекс');
    expect([a, b].map((p) => p.affiliations[0]!.organisation.slug)).toEqual(['rsted', 'unnamed']);
    expect((await listOrganisations(hub, null)).items).toHaveLength(2);
  });

  it('an organisation of punctuation only recorded before the rule still lets its people save', async () => {
    // as the older rule left them: "!!!" stored under "unnamed", and "???" is refused as new
    await hub.store.db
      .insertInto('organisations')
      .values({ id: hub.newId(), slug: 'unnamed', name: '!!!', created_at: '2026-01-01T00:00:00.000Z' })
      .execute();
    const gil = await worksAt('gil', '!!!');
    expect(gil.affiliations[0]!.organisation).toMatchObject({ slug: 'unnamed', name: '!!!' });
    await expect(worksAt('hal', '???')).rejects.toMatchObject({
      issues: [
        { field: 'affiliations[0].organisation', rule: 'must name the organisation: a letter or a digit at least' },
      ],
    });
    expect((await listOrganisations(hub, null)).items.map((o) => o.name)).toEqual(['!!!']);
  });
});
