// People named in imported files (charters, SEPs): found by handle, or recorded once with what
// the file says. An existing person's record is never overwritten by an import.
import { personKey } from '../../domain/community.ts';

export { personKey };
import { nowIso, record, type Actor, type Hub, type Tx } from '../core/hub.ts';
import { ensureOrganisation } from './organisations.ts';
import { findPersonRow } from './people.ts';

export type Person = {
  handle: string;
  name: string;
  github: string | null;
  discord: string | null;
  organisation: string | null;
};

export async function ensurePerson(
  trx: Tx,
  hub: Hub,
  actor: Actor,
  p: Person,
): Promise<{ id: string; created: boolean }> {
  let row = await findPersonRow(trx, p.handle);
  let created = false;
  if (!row) {
    const now = nowIso(hub);
    row = {
      id: hub.newId(),
      handle: p.handle,
      name: p.name,
      time_zone: 'UTC',
      role: 'contributor',
      github: p.github,
      discord: p.discord,
      coc_version: null,
      coc_accepted_at: null,
      terms_version: null,
      terms_accepted_at: null,
      version: 1,
      created_at: now,
      updated_at: now,
    };
    await trx.insertInto('people').values(row).execute();
    await record(trx, hub, actor, 'person.imported', { type: 'person', id: p.handle }, null, {
      handle: p.handle,
      name: p.name,
      github: p.github,
      discord: p.discord,
    });
    created = true;
  } else if (!row.discord && p.discord) {
    await trx
      .updateTable('people')
      .set({ discord: p.discord, version: row.version + 1, updated_at: nowIso(hub) })
      .where('id', '=', row.id)
      .execute();
  }
  // a cell of punctuation only ('—', '?') names no organisation, like 'n/a': the person is imported
  // without one, where ensureOrganisation refuses such a name and the whole file was skipped
  if (p.organisation && /[\p{L}\p{N}]/u.test(p.organisation) && !/^(n\/a|tbd)$/i.test(p.organisation.trim())) {
    // one that looks like a recorded organisation in other letters is not added from a file (no one
    // chose the name here to be refused): the person is imported without it
    const org = await ensureOrganisation(trx, hub, actor, p.organisation, 'organisation', 'skip');
    const has =
      org &&
      (await trx
        .selectFrom('affiliations')
        .select('id')
        .where('person_id', '=', row.id)
        .where('organisation_id', '=', org.id)
        .executeTakeFirst());
    if (org && !has)
      await trx
        .insertInto('affiliations')
        .values({ id: hub.newId(), person_id: row.id, organisation_id: org.id, from_date: null, to_date: null })
        .execute();
  }
  return { id: row.id, created };
}
