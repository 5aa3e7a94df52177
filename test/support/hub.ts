import { loadGovernance } from '../../src/app/core/governance-file.ts';
import type { Governance } from '../../src/domain/governance/schema.ts';
import { createHub, SYSTEM, type Actor, type Hub } from '../../src/app/core/hub.ts';
import { acceptAgreements, createPerson, personRow } from '../../src/app/people/people.ts';
import { ManualClock } from '../../src/domain/clock.ts';
import { proposeGroup } from '../../src/app/groups/groups.ts';
import { loadDemoCommunity } from '../../src/app/demo/demo.ts';
import type { Store } from '../../src/store/connect.ts';
import { openSnapshot, snapshotOf, type Snapshot, type TestDatabase } from './databases.ts';

export type TestHub = Hub & { clock: ManualClock; close(): Promise<void> };

let defaultRules: Governance | undefined;

/**
 * The shipped rules, read once per test process and copied for each hub, so a test that changes its
 * hub's rules changes only its own: parsing and validating the file cost 20–40 ms per hub, and
 * thousands of tests open one.
 */
export function defaultGovernance(): Governance {
  defaultRules ??= loadGovernance();
  return structuredClone(defaultRules);
}

export async function openTestHub(database: TestDatabase, start = '2026-11-02T09:00:00Z'): Promise<TestHub> {
  return hubOn(await database.open(), start, 0);
}

/** A test hub on `store`, its clock at `start`, the next id it gives the one after `idsGiven`. */
function hubOn(store: Store, start: string, idsGiven: number): TestHub & { idsGiven(): number } {
  let n = idsGiven;
  const hub = createHub(store, defaultGovernance(), {
    clock: new ManualClock(start),
    newId: () => `id-${String(++n).padStart(6, '0')}`,
  });
  return { ...hub, clock: hub.clock as ManualClock, close: () => store.close(), idsGiven: () => n };
}

const demoSnapshots = new Map<string, Promise<{ snapshot: Snapshot; clock: string; idsGiven: number }>>();

/**
 * What `openTestHub` then `loadDemoCommunity` give, from a copy of a database the demo was loaded
 * into once per test process: the same rows, the clock where the loading left it, the ids going on
 * from the last the loading gave. Loading the demo was 0.3–0.6 s per test on SQLite, 2.5–4.5 s on
 * PostgreSQL.
 */
export async function openDemoHub(
  database: TestDatabase,
  opts: { work?: boolean; start?: string } = {},
): Promise<TestHub> {
  const start = opts.start ?? '2026-11-02T09:00:00Z';
  const key = `${database.name} ${opts.work ?? false} ${start}`;
  let made = demoSnapshots.get(key);
  if (!made) {
    made = (async () => {
      let clock = start;
      let idsGiven = 0;
      const snapshot = await snapshotOf(database, async (store) => {
        const hub = hubOn(store, start, 0);
        await loadDemoCommunity(hub, { work: opts.work ?? false });
        clock = hub.clock.now().toISOString();
        idsGiven = hub.idsGiven();
      });
      return { snapshot, clock, idsGiven };
    })();
    demoSnapshots.set(key, made);
    made.catch(() => demoSnapshots.delete(key));
  }
  const { snapshot, clock, idsGiven } = await made;
  return hubOn(await openSnapshot(snapshot), clock, idsGiven);
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
