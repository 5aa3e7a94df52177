import { loadGovernance } from '../../src/app/core/governance-file.ts';
import { createHub, SYSTEM, type Actor, type Hub } from '../../src/app/core/hub.ts';
import { acceptAgreements, createPerson, personRow } from '../../src/app/people/people.ts';
import { ManualClock } from '../../src/domain/clock.ts';
import { proposeGroup } from '../../src/app/groups/groups.ts';
import type { TestDatabase } from './databases.ts';

export type TestHub = Hub & { clock: ManualClock; close(): Promise<void> };

export async function openTestHub(database: TestDatabase, start = '2026-11-02T09:00:00Z'): Promise<TestHub> {
  const store = await database.open();
  let n = 0;
  const hub = createHub(store, loadGovernance(), {
    clock: new ManualClock(start),
    newId: () => `id-${String(++n).padStart(6, '0')}`,
  });
  return { ...hub, clock: hub.clock as ManualClock, close: () => store.close() };
}

/** Creates a person (optionally having accepted the agreements) and returns them as an actor. */
export async function person(
  hub: Hub,
  handle: string,
  opts: { role?: string; org?: string; accepted?: boolean; timeZone?: string } = {},
): Promise<Actor> {
  await createPerson(hub, SYSTEM, {
    handle,
    name: handle[0]!.toUpperCase() + handle.slice(1),
    timeZone: opts.timeZone ?? 'Europe/Berlin',
    role: opts.role ?? 'contributor',
    affiliations: opts.org ? [{ organisation: opts.org, from: '2024-01-01' }] : [],
  });
  if (opts.accepted !== false) {
    const g = hub.governance.agreements;
    await acceptAgreements(hub, SYSTEM, handle, {
      codeOfConduct: g.codeOfConduct.version,
      contributionTerms: g.contributionTerms.version,
    });
  }
  return asActor(hub, handle);
}

export async function asActor(hub: Hub, handle: string): Promise<Actor> {
  return { kind: 'person', person: await personRow(hub.store.db, handle) };
}

/** The Hosting working group most tests run in, proposed by `lead` (already a person), who leads it. */
export async function hostingGroup(hub: Hub, lead: Actor, handle: string): Promise<void> {
  await proposeGroup(hub, lead, {
    slug: 'hosting',
    name: 'Hosting',
    kind: 'working',
    mission: 'Share practices for hosting MCP servers at scale.',
    scopeIn: ['Scaling'],
    leads: [handle],
  });
}
