import { slugify } from '../../domain/community.ts';
import { NotFound } from '../../domain/errors.ts';
import { authorizeCommunity } from './access.ts';
import { type Actor, type Hub, type Tx, nowIso, record } from '../core/hub.ts';

export type OrganisationView = { slug: string; name: string };

/** Finds an organisation by name (case and punctuation do not matter) or records it. */
export async function ensureOrganisation(
  trx: Tx,
  hub: Hub,
  actor: Actor,
  name: string,
): Promise<{ id: string; slug: string; name: string }> {
  const slug = slugify(name) || 'unnamed';
  const found = await trx
    .selectFrom('organisations')
    .select(['id', 'slug', 'name'])
    .where('slug', '=', slug)
    .executeTakeFirst();
  if (found) return found;
  // naming an organisation nobody has named before adds it: the governance file's organisation.create
  authorizeCommunity(hub, actor, 'addOrganisation');
  const row = { id: hub.newId(), slug, name: name.trim(), created_at: nowIso(hub) };
  await trx.insertInto('organisations').values(row).execute();
  await record(trx, hub, actor, 'organisation.created', { type: 'organisation', id: slug }, null, {
    slug,
    name: row.name,
  });
  return row;
}

export async function listOrganisations(hub: Hub): Promise<(OrganisationView & { people: number })[]> {
  const rows = await hub.store.db
    .selectFrom('organisations as o')
    .leftJoin('affiliations as a', (j) => j.onRef('a.organisation_id', '=', 'o.id').on('a.to_date', 'is', null))
    .select(['o.slug', 'o.name'])
    .select((eb) => eb.fn.count<number>('a.id').as('people'))
    .groupBy(['o.slug', 'o.name'])
    .orderBy('o.slug')
    .execute();
  return rows.map((r) => ({ slug: r.slug, name: r.name, people: Number(r.people) }));
}

export async function getOrganisation(hub: Hub, slug: string) {
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
  };
}
