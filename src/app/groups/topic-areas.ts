import type { TopicAreaGoal } from '../../domain/community.ts';
import { slugAsStored } from '../../domain/slugs.ts';
import { type FieldIssue, InvalidInput, invalid, NotFound } from '../../domain/errors.ts';
import { LIMITS } from '../../domain/limits.ts';
import { alikeBecause, nameClash } from '../../domain/lookalike.ts';
import { leadEligibility, type Can } from '../../domain/policies/index.ts';
import type { TopicAreasTable } from '../../store/schema.ts';
import { activeLevelIn, groupRow, groupRowHeld } from './groups.ts';
import {
  assertVersion,
  inTransaction,
  nowIso,
  record,
  requireVersion,
  writeOrConflict,
  type Actor,
  type Hub,
  type Tx,
} from '../core/hub.ts';
import { personRow } from '../people/people.ts';
import { authorize } from '../core/gate.ts';
import { holdRow } from '../core/hold.ts';
import { groupCan, topicAreaCan } from './group-can.ts';
import { CreateTopicAreaInput, UpdateTopicAreaInput } from './schemas.ts';
import { InputCheck } from '../core/validate.ts';

/** What a topic area of each goal produces, naming the community's protocol (the governance file's). */
export const goalWords = (protocol: string): Record<TopicAreaGoal, string> => ({
  'common-patterns': `agree common patterns for implementing solutions with ${protocol}`,
  'specification-change': `propose changes to the ${protocol} specification`,
  both: 'agree common patterns and propose specification changes',
});

export type TopicAreaView = {
  group: string;
  slug: string;
  name: string;
  goal: TopicAreaGoal;
  goalDescription: string;
  description: string;
  cadence: string | null;
  facilitators: { handle: string; name: string }[];
  version: number;
};

async function viewOf(db: Tx, hub: Hub, groupSlug: string, t: TopicAreasTable): Promise<TopicAreaView> {
  const facilitators = await db
    .selectFrom('topic_facilitators as f')
    .innerJoin('people as p', 'p.id', 'f.person_id')
    .select(['p.handle', 'p.name'])
    .where('f.topic_area_id', '=', t.id)
    .orderBy('p.handle')
    .execute();
  const goal = t.goal;
  return {
    group: groupSlug,
    slug: t.slug,
    name: t.name,
    goal,
    goalDescription: goalWords(hub.governance.community.protocol)[goal],
    description: t.description,
    cadence: t.cadence,
    facilitators,
    version: t.version,
  };
}

/** The group's topic area a short name names, as someone typed it (folded as `groupRow` folds a group's). */
export async function topicRow(db: Tx, groupId: string, groupSlug: string, slug: string): Promise<TopicAreasTable> {
  const t = await db
    .selectFrom('topic_areas')
    .selectAll()
    .where('group_id', '=', groupId)
    .where('slug', '=', slugAsStored(slug))
    .executeTakeFirst();
  if (!t) throw new NotFound('topic area', `${groupSlug}/${slug}`);
  return t;
}

/**
 * The people a topic area's facilitators list names, or every entry refused at once: whoever is
 * named anew must be eligible as a lead is (the governance file's `groups.leadMinimumRole`), refused
 * naming the entry; one already facilitating (`already`) stays when the list is saved again, so
 * editing the area never fails for a role that changed since.
 */
async function facilitatorIds(hub: Hub, trx: Tx, already: Set<string>, handles: string[]): Promise<string[]> {
  const issues: FieldIssue[] = [];
  const people: string[] = [];
  for (const [i, h] of handles.entries()) {
    const p = await personRow(trx, h).catch((e: unknown) => {
      if (e instanceof NotFound) return null;
      throw e;
    });
    if (!p) {
      issues.push({ field: `facilitators[${i}]`, rule: `no person '${h}'` });
      continue;
    }
    if (!already.has(p.id)) {
      const eligible = leadEligibility(hub.governance, p);
      if (!eligible.allowed) issues.push({ field: `facilitators[${i}]`, rule: eligible.reason });
    }
    people.push(p.id);
  }
  if (issues.length) throw new InvalidInput(issues);
  return people;
}

async function writeFacilitators(trx: Tx, topicId: string, people: string[]): Promise<void> {
  await trx.deleteFrom('topic_facilitators').where('topic_area_id', '=', topicId).execute();
  for (const id of people)
    await trx.insertInto('topic_facilitators').values({ topic_area_id: topicId, person_id: id }).execute();
}

/**
 * Refuses a topic area's name that another area of the group (not `except`) has, in another case,
 * spacing or compatibility form, or looks like in other letters (attack round 18): the group's page,
 * its meetings and the facilitators' lists name an area by its name, and two alike are a guess.
 */
async function refuseNameTaken(
  trx: Tx,
  groupSlug: string,
  groupId: string,
  name: string,
  except: string | null,
): Promise<void> {
  const others = (
    await trx.selectFrom('topic_areas').select(['id', 'slug', 'name']).where('group_id', '=', groupId).execute()
  ).filter((t) => t.id !== except);
  const clash = nameClash(name, others);
  if (!clash) return;
  const { slug, name: theirs } = clash.other;
  throw invalid(
    'name',
    clash.same
      ? `is the name of ${groupSlug}'s topic area '${slug}' already (${theirs}): choose one people can tell apart`
      : `looks like the name of ${groupSlug}'s topic area '${slug}' (${theirs})${alikeBecause(clash)}: choose one people can tell apart`,
  );
}

export async function createTopicArea(hub: Hub, actor: Actor, groupSlug: string, raw: unknown): Promise<TopicAreaView> {
  return inTransaction(hub, async (trx) => {
    const g = await groupRow(trx, groupSlug);
    groupSlug = g.slug; // the group named as stored, from here on
    authorize(await groupCan(trx, hub, actor, g), 'addTopicArea');
    // every mistake named at once: each field's rule, a short name or name taken, each facilitator
    const check = new InputCheck(CreateTopicAreaInput, raw);
    const f = check.fields;
    if (
      f.slug !== undefined &&
      (await trx
        .selectFrom('topic_areas')
        .select('id')
        .where('group_id', '=', g.id)
        .where('slug', '=', f.slug)
        .executeTakeFirst())
    ) {
      check.add('slug', `${groupSlug} already has a topic area '${f.slug}'`);
    }
    // counted holding the group, so two added at once cannot both pass the bound on PostgreSQL; and a
    // retirement under way waits for this area, or it for the retirement and is then refused
    const asHeld = await groupRowHeld(trx, hub, g.slug);
    if (asHeld.status !== g.status) authorize(await groupCan(trx, hub, actor, asHeld), 'addTopicArea');
    const held = await trx
      .selectFrom('topic_areas')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('group_id', '=', g.id)
      .executeTakeFirstOrThrow();
    if (Number(held.n) >= LIMITS.topicAreasPerGroup)
      check.add(
        'slug',
        `${groupSlug} has ${LIMITS.topicAreasPerGroup} topic areas, as many as one group may: widen one it has, or propose a group of its own`,
      );
    if (f.name !== undefined) await check.attempt(() => refuseNameTaken(trx, groupSlug, g.id, f.name!, null));
    const people =
      f.facilitators !== undefined
        ? await check.attempt(() => facilitatorIds(hub, trx, new Set(), f.facilitators!))
        : undefined;
    const input = check.done();
    const now = nowIso(hub);
    const row: TopicAreasTable = {
      id: hub.newId(),
      group_id: g.id,
      slug: input.slug,
      name: input.name,
      goal: input.goal,
      description: input.description,
      cadence: input.cadence ?? null,
      version: 1,
      created_at: now,
      updated_at: now,
    };
    await trx.insertInto('topic_areas').values(row).execute();
    await writeFacilitators(trx, row.id, people ?? []);
    const view = await viewOf(trx, hub, groupSlug, row);
    await record(
      trx,
      hub,
      actor,
      'topic-area.created',
      { type: 'topic-area', id: `${groupSlug}/${input.slug}` },
      null,
      view,
    );
    return view;
  });
}

export async function updateTopicArea(
  hub: Hub,
  actor: Actor,
  groupSlug: string,
  slug: string,
  expectedVersion: number | undefined,
  raw: unknown,
): Promise<TopicAreaView> {
  return inTransaction(hub, async (trx) => {
    const g = await groupRow(trx, groupSlug);
    groupSlug = g.slug; // the group named as stored, from here on
    const t = await topicRow(trx, g.id, groupSlug, slug);
    slug = t.slug; // the topic area named as stored, from here on
    const before = await viewOf(trx, hub, groupSlug, t);
    const can = await topicAreaCan(trx, hub, actor, await activeLevelIn(trx, hub, g.id, actor), t.id);
    authorize(can, 'edit');
    const expected = requireVersion(expectedVersion, `topic area ${groupSlug}/${slug}`);
    // every mistake named at once, as when the area was added: each field's rule, a name taken, each facilitator
    const check = new InputCheck(UpdateTopicAreaInput, raw);
    const f = check.fields;
    if (f.facilitators && !onlySteppingDown(before.facilitators, f.facilitators, actor))
      authorize(can, 'chooseFacilitators');
    assertVersion(t.version, expected, `topic area ${groupSlug}/${slug}`, before);
    if (f.name !== undefined && f.name !== t.name) {
      // held as a new one is added, so an area renamed and one added at once cannot both pass
      await holdRow(trx, hub, 'groups', g.id);
      await check.attempt(() => refuseNameTaken(trx, groupSlug, g.id, f.name!, t.id));
    }
    const already = new Set(
      (await trx.selectFrom('topic_facilitators').select('person_id').where('topic_area_id', '=', t.id).execute()).map(
        (r) => r.person_id,
      ),
    );
    const people = f.facilitators
      ? await check.attempt(() => facilitatorIds(hub, trx, already, f.facilitators!))
      : undefined;
    const input = check.done();
    const set: Partial<TopicAreasTable> = {};
    if (input.name !== undefined) set.name = input.name;
    if (input.goal !== undefined) set.goal = input.goal;
    if (input.description !== undefined) set.description = input.description;
    if (input.cadence !== undefined) set.cadence = input.cadence ?? null;
    // a topic area saved as it was shown changes nothing: the version stays (nobody else's edit is
    // refused for it) and the log hears of nothing
    const sameFacilitators =
      !input.facilitators ||
      sameHandles(
        before.facilitators.map((f) => f.handle),
        input.facilitators,
      );
    if (sameFacilitators && Object.entries(set).every(([k, v]) => t[k as keyof TopicAreasTable] === v)) return before;
    const at = { table: 'topic_areas', id: t.id, what: `topic area ${groupSlug}/${slug}` } as const;
    const reread = () => topicRow(trx, g.id, groupSlug, slug);
    await writeOrConflict(trx, hub, at, expected, set, reread, (now) => viewOf(trx, hub, groupSlug, now));
    if (people) await writeFacilitators(trx, t.id, people);
    const after = await viewOf(trx, hub, groupSlug, await reread());
    await record(
      trx,
      hub,
      actor,
      'topic-area.updated',
      { type: 'topic-area', id: `${groupSlug}/${slug}` },
      before,
      after,
    );
    return after;
  });
}

/** Whether two lists of handles name the same people, in any order and any case. */
function sameHandles(held: string[], asked: string[]): boolean {
  const a = new Set(held.map((h) => h.toLowerCase()));
  const b = new Set(asked.map((h) => h.toLowerCase()));
  return a.size === b.size && [...a].every((h) => b.has(h));
}

/**
 * Whether a new list of facilitators is the one held (in any order), or it less the actor alone: a
 * facilitator may step down, but adding or removing anyone else is the group's choice.
 */
function onlySteppingDown(held: { handle: string }[], asked: string[], actor: Actor): boolean {
  const now = new Set(held.map((f) => f.handle.toLowerCase()));
  const next = new Set(asked.map((h) => h.toLowerCase()));
  if ([...next].some((h) => !now.has(h))) return false;
  const gone = [...now].filter((h) => !next.has(h));
  return (
    gone.length === 0 || (gone.length === 1 && actor.kind === 'person' && gone[0] === actor.person.handle.toLowerCase())
  );
}

export async function listTopicAreas(hub: Hub, groupSlug: string): Promise<TopicAreaView[]> {
  const db = hub.store.db;
  const g = await groupRow(db, groupSlug);
  groupSlug = g.slug; // the group named as stored, from here on
  const rows = await db.selectFrom('topic_areas').selectAll().where('group_id', '=', g.id).orderBy('slug').execute();
  return Promise.all(rows.map((t) => viewOf(db, hub, groupSlug, t)));
}

export async function getTopicArea(
  hub: Hub,
  groupSlug: string,
  slug: string,
  viewer: Actor | null = null,
): Promise<TopicAreaView & { can: Can<'edit' | 'chooseFacilitators'> }> {
  const db = hub.store.db;
  const g = await groupRow(db, groupSlug);
  groupSlug = g.slug; // the group named as stored, from here on
  const t = await topicRow(db, g.id, groupSlug, slug);
  slug = t.slug; // the topic area named as stored, from here on
  const level = viewer ? await activeLevelIn(db, hub, g.id, viewer) : null;
  return { ...(await viewOf(db, hub, groupSlug, t)), can: await topicAreaCan(db, hub, viewer, level, t.id) };
}

/** The topic areas of a group a person facilitates, by slug. */
export function topicsFacilitatedIn(db: Tx, groupId: string, personId: string) {
  return db
    .selectFrom('topic_facilitators as f')
    .innerJoin('topic_areas as t', 't.id', 'f.topic_area_id')
    .select(['t.id', 't.slug', 't.name'])
    .where('t.group_id', '=', groupId)
    .where('f.person_id', '=', personId)
    .orderBy('t.slug')
    .execute();
}
