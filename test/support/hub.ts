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

const snapshots = new Map<string, Promise<{ snapshot: Snapshot; clock: string; idsGiven: number; seeded: unknown }>>();

/**
 * A hub holding what `fill` wrote on a fresh one, from a copy of a database it was written into once
 * per test process (for each `key`, database and start): the same rows, the clock where the filling
 * left it, the ids going on from the last it gave. `fill` writes what many tests start from (people,
 * a group, a proposal), once instead of once per test: 0.1 s per test on SQLite, 0.3–0.8 s on
 * PostgreSQL for a few people and a proposal. A reaction the test needs while it fills (mail
 * notifications) is pushed onto the hub `fill` is given; the hub returned has none but its own.
 * What `fill` returns (tokens, ids it was given) comes back as `seeded` on every copy, kept with the
 * snapshot: a test reading it from variables `fill` set would find them empty when the snapshot was
 * made by an earlier run in the same worker.
 */
export async function openSeededHub<T = void>(
  database: TestDatabase,
  key: string,
  fill: (hub: TestHub) => Promise<T>,
  start = '2026-11-02T09:00:00Z',
): Promise<TestHub & { seeded: T }> {
  const k = `${key} ${database.name} ${start}`;
  let made = snapshots.get(k);
  if (!made) {
    made = (async () => {
      let clock = start;
      let idsGiven = 0;
      let seeded: unknown;
      const snapshot = await snapshotOf(database, async (store) => {
        const hub = hubOn(store, start, 0);
        seeded = await fill(hub);
        clock = hub.clock.now().toISOString();
        idsGiven = hub.idsGiven();
      });
      return { snapshot, clock, idsGiven, seeded };
    })();
    snapshots.set(k, made);
    made.catch(() => snapshots.delete(k));
  }
  const { snapshot, clock, idsGiven, seeded } = await made;
  return Object.assign(hubOn(await openSnapshot(snapshot), clock, idsGiven), { seeded: seeded as T });
}

/**
 * What `openTestHub` then `loadDemoCommunity` give, from a copy of a database the demo was loaded
 * into once per test process (openSeededHub). Loading the demo was 0.3–0.6 s per test on SQLite,
 * 2.5–4.5 s on PostgreSQL. With `rules`, the demo is loaded under the rules `make` gives (the
 * community's own words go into what it writes), and the hub returned has them too; `name` tells
 * them apart (one name, one set of rules).
 */
export function openDemoHub(
  database: TestDatabase,
  opts: { work?: boolean; start?: string; rules?: { name: string; make: () => Governance } } = {},
): Promise<TestHub> {
  const work = opts.work ?? false;
  const rules = opts.rules;
  return openSeededHub(
    database,
    // the rules by their content too: a name used again for other rules gets a demo of its own
    `demo work=${work}${rules ? ` rules=${rules.name} ${JSON.stringify(rules.make())}` : ''}`,
    async (hub) => {
      if (rules) hub.governance = rules.make();
      await loadDemoCommunity(hub, { work });
    },
    opts.start,
  ).then((hub) => {
    if (rules) hub.governance = rules.make();
    return hub;
  });
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
