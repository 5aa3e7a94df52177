// A small fictional community so a newcomer sees something on first start. It is built with the
// same use cases as everything else, so it is also a smoke test of them.
import { createTopicArea } from '../groups/topic-areas.ts';
import { joinGroup, moveGroup, proposeGroup, setMemberLevel, sponsorGroup } from '../groups/groups.ts';
import { SYSTEM, type Actor, type Hub } from '../core/hub.ts';
import { jobRow } from '../core/jobs.ts';
import { acceptAgreements, createPerson, personRow } from '../people/people.ts';
import { loadDemoMeetings } from './demo-meetings.ts';
import { loadDemoWork } from './demo-work.ts';
import { documentWords } from '../../domain/governance/index.ts';

const PEOPLE = [
  {
    handle: 'lena-core',
    name: 'Lena Okafor',
    timeZone: 'Europe/London',
    role: 'lead-maintainer',
    org: 'Open Orbit Foundation',
  },
  { handle: 'kai-core', name: 'Kai Tanaka', timeZone: 'Asia/Tokyo', role: 'core-maintainer', org: 'Nebula Tools' },
  {
    handle: 'ines-core',
    name: 'Inês Moreira',
    timeZone: 'America/Sao_Paulo',
    role: 'core-maintainer',
    org: 'Lisbon Labs',
  },
  {
    handle: 'sam-lead',
    name: 'Sam Rivera',
    timeZone: 'America/Los_Angeles',
    role: 'member',
    org: 'Galactic Hosting Corporation',
  },
  { handle: 'priya', name: 'Priya Nair', timeZone: 'Asia/Kolkata', role: 'member', org: 'Nebula Tools' },
  {
    handle: 'jonas',
    name: 'Jonas Berg',
    timeZone: 'Europe/Berlin',
    role: 'contributor',
    org: 'Galactic Hosting Corporation',
  },
  { handle: 'amara', name: 'Amara Diallo', timeZone: 'Africa/Lagos', role: 'contributor', org: 'Independent' },
] as const;

/** The demo community's handles, most powerful first: demo sign-in lists them before anyone imported. */
export const DEMO_HANDLES: readonly string[] = PEOPLE.map((p) => p.handle);

export async function demoIsNeeded(hub: Hub): Promise<boolean> {
  const any = await hub.store.db.selectFrom('groups').select('id').limit(1).executeTakeFirst();
  return !any;
}

/** The job key whose row claims the demo load (claimDemoLoad). */
const DEMO_CLAIM = 'demo:community';
/**
 * How long a claim on the demo load holds without being renewed: the loading process renews it every
 * third of this. A process killed while loading stops renewing it, and a start after it runs out
 * loads the demo in its place.
 */
export const DEMO_CLAIM_MS = 30_000;

/**
 * Claims the loading of the demo community for this process (`by`); false when another process
 * holds the claim or loaded the demo. `wghub serve` processes started together on an empty hub each
 * found it empty, each began to load the demo, and all but one stopped at their first person
 * ("handle 'lena-core' is already taken"). The claim is a finished job keyed `demo:community`: a
 * job's key is unique across processes, as the timers' keys are, so one process inserts it and
 * loads, the others serve what it writes. While loading, `locked_until` is when the claim runs out;
 * once loaded it is null and the claim stands for good. A claim run out (its process was killed
 * while loading) is taken over: before 2026-12-07 it stood for good, and every later start said
 * "another process is loading the demo community" and served a hub with no group.
 */
export async function claimDemoLoad(hub: Hub, by: string = hub.newId()): Promise<boolean> {
  const now = hub.clock.now();
  const until = new Date(now.getTime() + DEMO_CLAIM_MS).toISOString();
  const claim = {
    ...jobRow(hub, { queue: 'demo', key: DEMO_CLAIM, payload: {} }, now),
    done_at: now.toISOString(),
    locked_by: by,
    locked_until: until,
  };
  const res = await hub.store.db
    .insertInto('jobs')
    .values(claim)
    .onConflict((oc) => oc.column('key').doNothing())
    .executeTakeFirst();
  if (Number(res.numInsertedOrUpdatedRows ?? 0) > 0) return true;
  const ranOut = new Date(now.getTime() - DEMO_CLAIM_MS).toISOString();
  const taken = await hub.store.db
    .updateTable('jobs')
    .set({ locked_by: by, locked_until: until })
    .where('key', '=', DEMO_CLAIM)
    .where((eb) =>
      eb.or([
        eb.and([eb('locked_until', 'is not', null), eb('locked_until', '<=', now.toISOString())]),
        // a claim with no time on it and no group loaded, older than a claim lasts: left by a process
        // from before 2026-12-07 (whose claims had no time) killed while loading; a load that finished
        // left groups behind
        eb.and([
          eb('locked_until', 'is', null),
          eb('created_at', '<=', ranOut),
          eb.not(eb.exists(eb.selectFrom('groups').select('id'))),
        ]),
      ]),
    )
    .executeTakeFirst();
  return Number(taken.numUpdatedRows) === 1;
}

/** Moves this process's claim on: it is still loading. False when the claim is no longer its own (another took it over). */
async function renewDemoClaim(hub: Hub, by: string): Promise<boolean> {
  const res = await hub.store.db
    .updateTable('jobs')
    .set({ locked_until: new Date(hub.clock.now().getTime() + DEMO_CLAIM_MS).toISOString() })
    .where('key', '=', DEMO_CLAIM)
    .where('locked_by', '=', by)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** The claim on the demo load was taken over by another process (this one stalled past it): this one stops loading. */
export class DemoClaimLost extends Error {
  constructor() {
    super('another process took over loading the demo community');
  }
}

/**
 * Loads the demo community into an empty hub unless another process claimed the load (null then).
 * A load that fails gives its claim back: kept, every later start would have said another process
 * was loading it and served the hub empty, with nothing left to load it but `wghub seed`. A load
 * taken over from a process killed while loading keeps the people it had added. `load` is given
 * `mine`, which renews the claim and throws `DemoClaimLost` once another process took it over; the
 * load calls it before each step, so a process that stalled past its claim stops rather than load
 * beside the one that took over (null then, as when another claimed it first).
 */
export async function loadDemoOnce(
  hub: Hub,
  load: (mine: () => Promise<void>) => Promise<{ people: number; groups: number }> = (mine) =>
    loadDemoCommunity(hub, { work: true, mine }),
): Promise<{ people: number; groups: number } | null> {
  const by = hub.newId();
  if (!(await claimDemoLoad(hub, by))) return null;
  let lost = false;
  const mine = async () => {
    if (lost || !(await renewDemoClaim(hub, by))) {
      lost = true;
      throw new DemoClaimLost();
    }
  };
  let renewing: Promise<unknown> = Promise.resolve();
  const heartbeat = setInterval(
    () => {
      renewing = renewing
        .then(async () => {
          if (!(await renewDemoClaim(hub, by))) lost = true;
        })
        .catch(() => {});
    },
    Math.floor(DEMO_CLAIM_MS / 3),
  );
  heartbeat.unref();
  try {
    const loaded = await load(mine);
    clearInterval(heartbeat);
    await renewing;
    // loaded: the claim stands for good
    const kept = await hub.store.db
      .updateTable('jobs')
      .set({ locked_by: null, locked_until: null })
      .where('key', '=', DEMO_CLAIM)
      .where('locked_by', '=', by)
      .executeTakeFirst();
    if (Number(kept.numUpdatedRows) !== 1) return null;
    return loaded;
  } catch (e) {
    clearInterval(heartbeat);
    await renewing;
    if (e instanceof DemoClaimLost) return null;
    await hub.store.db.deleteFrom('jobs').where('key', '=', DEMO_CLAIM).where('locked_by', '=', by).execute();
    throw e;
  }
}

/**
 * `work` adds proposals and decisions (what `wghub serve` and `wghub seed` show a newcomer); tests
 * that count their own proposals and decisions from P-1 and D-1 leave it out.
 */
export async function loadDemoCommunity(
  hub: Hub,
  opts: { work?: boolean; mine?: () => Promise<void> } = {},
): Promise<{ people: number; groups: number }> {
  // the claim on the load is still this process's before each step (loadDemoOnce)
  const step = async () => opts.mine?.();
  const g = hub.governance.agreements;
  // the demo speaks of the community's own protocol and documents (MCP and SEPs by default)
  const protocol = hub.governance.community.protocol;
  const documents = documentWords(hub.governance).many;
  const as: Record<string, Actor> = {};
  for (const p of PEOPLE) {
    await step();
    // a load taken over from a process killed while loading finds the people it had added
    const added = await hub.store.db
      .selectFrom('people')
      .select('id')
      .where('handle', '=', p.handle)
      .executeTakeFirst();
    if (!added)
      await createPerson(hub, SYSTEM, {
        handle: p.handle,
        name: p.name,
        timeZone: p.timeZone,
        role: p.role,
        github: p.handle,
        affiliations: [{ organisation: p.org, from: '2025-01-01' }],
      });
    await acceptAgreements(hub, SYSTEM, p.handle, {
      codeOfConduct: g.codeOfConduct.version,
      contributionTerms: g.contributionTerms.version,
    });
    as[p.handle] = { kind: 'person', person: await personRow(hub.store.db, p.handle) };
  }
  await step();
  await proposeGroup(hub, as['sam-lead']!, {
    slug: 'hosting',
    name: 'Hosting',
    kind: 'working',
    mission: `The Hosting Working Group shares practices for hosting ${protocol} servers at scale and proposes specification changes where hosted deployments hit real limits, such as session affinity and horizontal scaling.`,
    scopeIn: [
      '**Transport behaviour behind load balancers**: session handling, retries and resumption',
      '**Deployment patterns**: reference architectures and configuration guides',
    ],
    scopeOut: ['Ranking or recommending hosting vendors'],
    relatedGroups: ['**Transports WG**: hosting findings often land as transport changes'],
    leads: ['sam-lead'],
  });
  await sponsorGroup(hub, as['kai-core']!, 'hosting');
  await sponsorGroup(hub, as['ines-core']!, 'hosting');
  await moveGroup(hub, as['kai-core']!, 'hosting', { to: 'active' });
  await createTopicArea(hub, as['sam-lead']!, 'hosting', {
    slug: 'horizontal-scaling',
    name: 'Horizontal scaling',
    goal: 'both',
    description:
      'How stateful sessions survive more than one server process, and what the transport should say about it.',
    cadence: 'Fortnightly content meeting',
    facilitators: ['sam-lead', 'priya'],
  });
  await joinGroup(hub, as['priya']!, 'hosting', { level: 'participant' });
  await setMemberLevel(hub, as['sam-lead']!, 'hosting', 'priya', { level: 'member' });
  await joinGroup(hub, as['jonas']!, 'hosting', { level: 'participant' });
  await joinGroup(hub, as['amara']!, 'hosting', { level: 'observer' });

  await step();
  await proposeGroup(hub, as['priya']!, {
    slug: 'security',
    name: 'Security',
    kind: 'interest',
    mission: `The Security Interest Group surfaces security problems that ${protocol} implementers meet in practice and turns them into problem statements and recommendations for working groups.`,
    scopeIn: [
      '**Threat reports**: attack surfaces seen in deployments',
      `**Recommendations**: input to ${documents} and best-practice guides`,
    ],
    scopeOut: ['Vulnerability disclosure for individual products'],
    relatedGroups: [],
    leads: ['priya'],
  });
  await sponsorGroup(hub, as['lena-core']!, 'security');
  await moveGroup(hub, as['lena-core']!, 'security', { to: 'active' });
  await createTopicArea(hub, as['priya']!, 'security', {
    slug: 'tool-poisoning',
    name: 'Tool poisoning',
    goal: 'common-patterns',
    description: 'Patterns clients use to detect and contain malicious tool descriptions.',
    facilitators: ['priya'],
  });

  await step();
  await proposeGroup(hub, as['sam-lead']!, {
    slug: 'observability',
    name: 'Observability',
    kind: 'working',
    mission: `The Observability Working Group would agree how ${protocol} clients and servers expose traces and metrics so hosted deployments can be debugged across vendors.`,
    scopeIn: [`**Tracing conventions** for ${protocol} requests`],
    scopeOut: [],
    relatedGroups: [],
    leads: ['sam-lead'],
  });
  await step();
  await loadDemoMeetings(hub, as);
  await step();
  if (opts.work) await loadDemoWork(hub, as);
  return { people: PEOPLE.length, groups: 3 };
}
