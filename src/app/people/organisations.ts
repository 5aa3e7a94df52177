import { organisationSlug } from '../../domain/community.ts';
import { invalid, NotFound } from '../../domain/errors.ts';
import {
  type Can,
  type OrganisationAction,
  type OrganisationListAction,
  organisationListPolicy,
  organisationPolicy,
} from '../../domain/policies/index.ts';
import { alikeBecause, lookalikeDetail, lookalikeKeys, looksAlike } from '../../domain/lookalike.ts';
import { viewerOf } from '../core/gate.ts';
import { holdKey } from '../core/hold.ts';
import { authorizeCommunity } from './access.ts';
import { CursorPart, type Actor, type Hub, type Tx, decodeCursor, encodeCursor, nowIso, record } from '../core/hub.ts';
import { ListQuery } from '../core/schemas.ts';
import { parseInput } from '../core/validate.ts';

export type OrganisationView = { slug: string; name: string };

/**
 * Every organisation someone is or was with, with how many people work there now, and whether the
 * viewer may name a new one.
 */
export type OrganisationList = {
  items: (OrganisationView & { people: number; can: Can<OrganisationAction> })[];
  can: Can<OrganisationListAction>;
};

export type OrganisationPage = OrganisationView & {
  people: { handle: string; name: string; from: string | null; to: string | null }[];
  /** Whether the viewer may name it as their own affiliation (in their profile), and if not why. */
  can: Can<OrganisationAction>;
};

/**
 * Finds an organisation by name (case, accents and punctuation do not matter) or records it. A new
 * one needs a letter or a digit in its name (punctuation alone names nobody: "!!!" and "---" had one
 * slug); one recorded before that rule is still found by its name, so its people can save their
 * profiles. `field` names the input that gave the name, for the refusal.
 */
export async function ensureOrganisation(
  trx: Tx,
  hub: Hub,
  actor: Actor,
  name: string,
  field?: string,
): Promise<{ id: string; slug: string; name: string }>;
export async function ensureOrganisation(
  trx: Tx,
  hub: Hub,
  actor: Actor,
  name: string,
  field: string,
  lookalike: 'skip',
): Promise<{ id: string; slug: string; name: string } | null>;
/**
 * `lookalike: 'skip'` (an importer's file, whose writer chose no name here): a new name that looks like
 * a recorded organisation's in other letters gives null, where anyone writing it is refused.
 */
export async function ensureOrganisation(
  trx: Tx,
  hub: Hub,
  actor: Actor,
  name: string,
  field = 'organisation',
  lookalike: 'refuse' | 'skip' = 'refuse',
): Promise<{ id: string; slug: string; name: string } | null> {
  const named = /[\p{L}\p{N}]/u.test(name);
  const found = await recordedOrganisation(trx, name);
  if (found) return found;
  if (!named) throw invalid(field, 'must name the organisation: a letter or a digit at least');
  // naming an organisation nobody has named before adds it: the governance file's organisation.create
  authorizeCommunity(hub, actor, 'addOrganisation');
  // two new names at once ("Nebula Tools" and "Nebulа Tools", or one name twice) take turns: on
  // PostgreSQL both would pass the look-alike check side by side, and both be recorded
  await holdKey(trx, hub, 'organisation-name');
  const meanwhile = await recordedOrganisation(trx, name);
  if (meanwhile) return meanwhile;
  const like = lookalikeOrganisation(await trx.selectFrom('organisations').select(['slug', 'name']).execute(), name);
  if (like) {
    if (lookalike === 'skip') return null;
    throw invalid(field, like);
  }
  const slug = organisationSlug(name);
  const row = { id: hub.newId(), slug, name: name.trim(), created_at: nowIso(hub) };
  await trx.insertInto('organisations').values(row).execute();
  await record(trx, hub, actor, 'organisation.created', { type: 'organisation', id: slug }, null, {
    slug,
    name: row.name,
  });
  return row;
}

/** An organisation recorded under this name: by its slug, or by the name as written or case aside. */
async function recordedOrganisation(
  trx: Tx,
  name: string,
): Promise<{ id: string; slug: string; name: string } | undefined> {
  const found = /[\p{L}\p{N}]/u.test(name)
    ? await trx
        .selectFrom('organisations')
        .select(['id', 'slug', 'name'])
        .where('slug', '=', organisationSlug(name))
        .executeTakeFirst()
    : undefined;
  if (found) return found;
  // an organisation recorded under an older slug rule ("Ørsted" was rsted; every name in another
  // script was unnamed) is still found by its name, so re-saving a profile never moves its affiliation
  return (
    trx
      .selectFrom('organisations')
      .select(['id', 'slug', 'name'])
      // the name as written, or case aside (SQLite's lower() folds ASCII letters only)
      .where((eb) =>
        eb.or([eb('name', '=', name.trim()), eb(eb.fn('lower', ['name']), '=', name.trim().toLowerCase())]),
      )
      .orderBy('created_at')
      .executeTakeFirst()
  );
}

/**
 * Why a new organisation may not take `name`: it looks like a recorded one's in other letters
 * (attack round 18: "Nebulа Tools" with a Cyrillic "а" was a second organisation that read as Nebula
 * Tools on every page and was counted apart from it); null when it does not. `recorded` holds no
 * organisation of this name itself (that one is found, not added).
 */
export function lookalikeOrganisation(recorded: { slug: string; name: string }[], name: string): string | null {
  const keys = lookalikeKeys(name.trim());
  const like = recorded.find((o) => looksAlike(keys, lookalikeKeys(o.name)));
  return like
    ? `looks like the organisation '${like.slug}' (${like.name})${alikeBecause({ detail: lookalikeDetail(name.trim(), like.name) })}: write its name as it is written, or one people can tell apart`
    : null;
}

export async function listOrganisations(hub: Hub, actor: Actor | null): Promise<OrganisationList> {
  const { items, can } = await organisationsFrom(hub, actor);
  return { items, can };
}

/** The same list a page at a time, by slug (`limit`, and the previous page's `nextCursor` as `cursor`), as the other lists are. */
export async function listOrganisationsPage(
  hub: Hub,
  actor: Actor | null,
  raw: unknown,
): Promise<OrganisationList & { nextCursor: string | null }> {
  const { limit, cursor } = parseInput(ListQuery, raw);
  return organisationsFrom(hub, actor, { limit, after: decodeCursor(cursor, CursorPart.text) });
}

async function organisationsFrom(
  hub: Hub,
  actor: Actor | null,
  page?: { limit: number; after: string | undefined },
): Promise<OrganisationList & { nextCursor: string | null }> {
  let q = hub.store.db
    .selectFrom('organisations as o')
    // one nobody is or was with (named, then replaced in a profile) is not listed: the list is
    // bounded by the people and their affiliations, where anyone naming new organisations in their
    // profile, twenty a save, grew it without end (5,000 in a minute: 1.7 MB on every read; fuzz round 9)
    .innerJoin('affiliations as a', 'a.organisation_id', 'o.id')
    .select(['o.slug', 'o.name'])
    // people with it now
    .select((eb) =>
      eb.fn.count<number>(eb.case().when('a.to_date', 'is', null).then(eb.ref('a.id')).end()).as('people'),
    )
    .groupBy(['o.slug', 'o.name'])
    .orderBy('o.slug');
  if (page?.after !== undefined) q = q.where('o.slug', '>', page.after);
  if (page) q = q.limit(page.limit + 1);
  const found = await q.execute();
  const rows = page ? found.slice(0, page.limit) : found;
  const last = rows.at(-1);
  const viewer = viewerOf(hub, actor);
  const can = organisationPolicy(hub.governance, viewer);
  return {
    items: rows.map((r) => ({ slug: r.slug, name: r.name, people: Number(r.people), can })),
    can: organisationListPolicy(hub.governance, viewer),
    nextCursor: page && found.length > page.limit && last ? encodeCursor(last.slug) : null,
  };
}

export async function getOrganisation(hub: Hub, actor: Actor | null, slug: string): Promise<OrganisationPage> {
  const db = hub.store.db;
  const org = await db.selectFrom('organisations').selectAll().where('slug', '=', slug).executeTakeFirst();
  if (!org) throw new NotFound('organisation', slug);
  const people = await db
    .selectFrom('affiliations as a')
    .innerJoin('people as p', 'p.id', 'a.person_id')
    .select(['p.handle', 'p.name', 'a.from_date', 'a.to_date'])
    .where('a.organisation_id', '=', org.id)
    .orderBy('p.handle')
    .execute();
  return {
    slug: org.slug,
    name: org.name,
    people: people.map((p) => ({ handle: p.handle, name: p.name, from: p.from_date, to: p.to_date })),
    can: organisationPolicy(hub.governance, viewerOf(hub, actor)),
  };
}
