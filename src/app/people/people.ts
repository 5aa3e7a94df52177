import type { z } from 'zod';
import { type FieldIssue, InvalidInput, invalid, NotFound } from '../../domain/errors.ts';
import {
  alikeBecause,
  lookalikeDetail,
  lookalikeKeys,
  looksAlike,
  nameClash,
  spelling,
} from '../../domain/lookalike.ts';
import type { Can, PersonAction } from '../../domain/policies/index.ts';
import { authorizeCommunity, authorizeGivingRole, authorizePerson, personCan } from './access.ts';
import { missingAgreements } from '../../domain/people.ts';
import type { PeopleTable } from '../../store/schema.ts';
import {
  CursorPart,
  assertVersion,
  decodeCursor,
  encodeCursor,
  inTransaction,
  nowIso,
  record,
  requireVersion,
  type Actor,
  type Hub,
  type Page,
  type Tx,
  writeOrConflict,
} from '../core/hub.ts';
import { organisationSlug } from '../../domain/community.ts';
import { ensureOrganisation, lookalikeOrganisation } from './organisations.ts';
import {
  AcceptAgreementsInput,
  affiliationDateRule,
  CreatePersonInput,
  inAffiliationYears,
  SetRoleInput,
  UpdatePersonInput,
} from './schemas.ts';
import { ListQuery, withoutStoredZone } from '../core/schemas.ts';
import { parseInput } from '../core/validate.ts';
import { holdKey } from '../core/hold.ts';
import { addressChange, confirmIfNew, type MailView, mailViewOf } from './email.ts';

export type AffiliationView = { organisation: { slug: string; name: string }; from: string | null; to: string | null };

export type PersonView = {
  handle: string;
  name: string;
  timeZone: string;
  role: string;
  github: string | null;
  discord: string | null;
  affiliations: AffiliationView[];
  agreements: {
    codeOfConduct: { version: string; acceptedAt: string } | null;
    contributionTerms: { version: string; acceptedAt: string } | null;
  };
  /** True once the current versions of both texts are accepted. */
  canContribute: boolean;
  version: number;
  /** What the viewer may do with this record now (edit it, manage its API tokens…), and if not, why. */
  can: Can<PersonAction>;
  /** Their mail address and whether it is confirmed: only in the person's own view, never anyone else's. */
  mail?: MailView;
};

export async function findPersonRow(db: Tx, handle: string): Promise<PeopleTable | undefined> {
  // no handle holds a NUL, and PostgreSQL refuses one in a query (a form's handle field sent one)
  if (handle.includes('\u0000')) return undefined;
  return db
    .selectFrom('people')
    .selectAll()
    .where((eb) => eb(eb.fn('lower', ['handle']), '=', handle.toLowerCase()))
    .executeTakeFirst();
}

/**
 * Why a handle or a name would pass for another person's (not `except`'s), field by field, or none
 * (attack round 18): a page says who wrote, sponsors or runs something by name and handle, so a
 * handle that looks like another's ("sarn" beside "sam", "lnes" beside "Ines") is refused, and so is
 * a name that looks like another's written with other characters ("Inês Moreira" with a Cyrillic
 * "е"). A name spelled the same way as another's is a namesake's, told apart by the handle, as
 * anyone may call themselves anything. A write reads it after `holdKey(trx, hub, 'person-name')`,
 * so two at once cannot both pass on PostgreSQL.
 */
export async function lookalikeProblems(
  db: Tx,
  wanted: { handle?: string; name?: string },
  except: string | null,
): Promise<FieldIssue[]> {
  const others = (await db.selectFrom('people').select(['id', 'handle', 'name']).execute()).filter(
    (o) => o.id !== except,
  );
  const issues: FieldIssue[] = [];
  if (wanted.handle !== undefined) {
    const clash = nameClash(
      wanted.handle,
      others.map((o) => ({ name: o.handle })),
    );
    if (clash)
      issues.push({
        field: 'handle',
        rule: `looks like the handle @${clash.other.name}${alikeBecause(clash)}: choose one people can tell apart`,
      });
  }
  if (wanted.name !== undefined) {
    const spelt = spelling(wanted.name);
    const keys = lookalikeKeys(wanted.name);
    const like = others.find((o) => spelling(o.name) !== spelt && looksAlike(keys, o.name));
    if (like)
      issues.push({
        field: 'name',
        rule: `looks like @${like.handle}'s name (${like.name}) written with other characters${alikeBecause({ detail: lookalikeDetail(wanted.name, like.name) })}: namesakes spell a name the same way, and their handles tell them apart`,
      });
  }
  return issues;
}

export async function personRow(db: Tx, handle: string): Promise<PeopleTable> {
  const p = await findPersonRow(db, handle);
  if (!p) throw new NotFound('person', handle);
  return p;
}

async function affiliationsOf(db: Tx, personIds: string[]): Promise<Map<string, AffiliationView[]>> {
  const out = new Map<string, AffiliationView[]>();
  if (!personIds.length) return out;
  const rows = await db
    .selectFrom('affiliations as a')
    .innerJoin('organisations as o', 'o.id', 'a.organisation_id')
    .select(['a.person_id', 'o.slug', 'o.name', 'a.from_date', 'a.to_date'])
    .where('a.person_id', 'in', personIds)
    .orderBy('a.person_id')
    .orderBy('a.from_date')
    .orderBy('o.slug')
    .execute();
  for (const r of rows) {
    const list = out.get(r.person_id) ?? [];
    list.push({ organisation: { slug: r.slug, name: r.name }, from: r.from_date, to: r.to_date });
    out.set(r.person_id, list);
  }
  return out;
}

function toView(hub: Hub, p: PeopleTable, affiliations: AffiliationView[], viewer: Actor | null = null): PersonView {
  return {
    handle: p.handle,
    name: p.name,
    timeZone: p.time_zone,
    role: p.role,
    github: p.github,
    discord: p.discord,
    affiliations,
    agreements: {
      codeOfConduct:
        p.coc_version && p.coc_accepted_at ? { version: p.coc_version, acceptedAt: p.coc_accepted_at } : null,
      contributionTerms:
        p.terms_version && p.terms_accepted_at ? { version: p.terms_version, acceptedAt: p.terms_accepted_at } : null,
    },
    canContribute:
      missingAgreements(hub.governance, { cocVersion: p.coc_version, termsVersion: p.terms_version }).length === 0,
    version: p.version,
    can: personCan(hub, viewer, p),
  };
}

async function viewOf(db: Tx, hub: Hub, p: PeopleTable, viewer: Actor | null = null): Promise<PersonView> {
  const view = toView(hub, p, (await affiliationsOf(db, [p.id])).get(p.id) ?? [], viewer);
  if (viewer?.kind === 'person' && viewer.person.id === p.id) view.mail = await mailViewOf(db, hub, p);
  return view;
}

/** A view as the event log keeps it: never with the mail address. */
function logged(view: PersonView): PersonView {
  const { mail: _mail, ...rest } = view;
  return rest;
}

/**
 * What a list of affiliations may not say (attack round 18), each named at its entry: one organisation
 * twice over the same dates (a person listed twice under one employer, as a list of leads names no
 * one twice), or a new organisation whose name looks like one recorded in other letters ("Nebulа
 * Tools" with a Cyrillic "а" was a second organisation that read as Nebula Tools on every page and
 * was counted apart from it). An organisation already recorded is found as it always was.
 */
async function affiliationProblems(
  trx: Tx,
  personId: string,
  affiliations: { organisation: string; from?: string | null; to?: string | null }[],
): Promise<FieldIssue[]> {
  if (!affiliations.length) return [];
  const orgs = await trx.selectFrom('organisations').select(['slug', 'name']).execute();
  // a day outside LIMITS.affiliationYears stored before that rule is kept when sent back unchanged with
  // its organisation (as an organisation's name recorded before its rule is): only a new or changed one is refused
  const stored = await trx
    .selectFrom('affiliations as a')
    .innerJoin('organisations as o', 'o.id', 'a.organisation_id')
    .select(['o.slug', 'a.from_date', 'a.to_date'])
    .where('a.person_id', '=', personId)
    .execute();
  const issues: FieldIssue[] = [];
  const seen = new Map<string, number>();
  for (const [i, a] of affiliations.entries()) {
    const name = a.organisation.trim();
    const slug = organisationSlug(name);
    const known = orgs.find((o) => o.slug === slug || o.name === name || o.name.toLowerCase() === name.toLowerCase());
    for (const field of ['from', 'to'] as const) {
      const day = a[field];
      if (!day || inAffiliationYears(day)) continue;
      const column = field === 'from' ? 'from_date' : 'to_date';
      if (known && stored.some((s) => s.slug === known.slug && s[column] === day)) continue;
      issues.push({ field: `affiliations[${i}].${field}`, rule: affiliationDateRule });
    }
    // said here for every entry at once; ensureOrganisation checks again under its hold as it records one
    const like = known ? null : lookalikeOrganisation(orgs, name);
    if (like) issues.push({ field: `affiliations[${i}].organisation`, rule: like });
    const key = JSON.stringify([known?.slug ?? slug, a.from ?? null, a.to ?? null]);
    const first = seen.get(key);
    if (first !== undefined)
      issues.push({
        field: `affiliations[${i}]`,
        rule: `names ${name} over the same dates as affiliations[${first}]: list each time with an organisation once`,
      });
    else seen.set(key, i);
  }
  return issues;
}

async function writeAffiliations(
  trx: Tx,
  hub: Hub,
  actor: Actor,
  personId: string,
  affiliations: { organisation: string; from?: string | null; to?: string | null }[],
) {
  const alike = await affiliationProblems(trx, personId, affiliations);
  if (alike.length) throw new InvalidInput(alike);
  await trx.deleteFrom('affiliations').where('person_id', '=', personId).execute();
  for (const [i, a] of affiliations.entries()) {
    const org = await ensureOrganisation(trx, hub, actor, a.organisation, `affiliations[${i}].organisation`);
    await trx
      .insertInto('affiliations')
      .values({
        id: hub.newId(),
        person_id: personId,
        organisation_id: org.id,
        from_date: a.from ?? null,
        to_date: a.to ?? null,
      })
      .execute();
  }
}

/** What became of the invitation a new person's address was sent, in words every edge shows. */
export type InvitationView = { mailed: boolean; status: string };

function invitationOf(hub: Hub, asked: boolean): InvitationView {
  if (!hub.settings.mailsOut)
    return {
      mailed: false,
      status:
        'No invitation was mailed: this hub sends no mail (WGHUB_SMTP_URL is not set). Tell them how to sign in yourself; a sign-in whose provider verifies the address given becomes this person.',
    };
  if (!asked)
    return {
      mailed: false,
      status:
        'No invitation was mailed: too many confirmation mails went to that address in the last day. Ask for another from their page later.',
    };
  return {
    mailed: true,
    status:
      'An invitation is on its way to the address given: who added them, how to sign in, and a link that confirms the address (notices are mailed to it once they open it).',
  };
}

/**
 * Adds a person who has not signed in yet. Given an address, they are mailed an invitation (who
 * added them, how to sign in, and the link confirming the address); `invitation` says whether it went.
 */
export async function createPerson(
  hub: Hub,
  actor: Actor,
  raw: unknown,
): Promise<PersonView & { invitation?: InvitationView }> {
  authorizeCommunity(hub, actor, 'addPerson');
  const input = parseInput(CreatePersonInput, raw);
  authorizeGivingRole(hub, actor, input.role);
  return insertPerson(hub, input, () => actor);
}

/**
 * A person who makes themselves one by signing in: "Join as a newcomer" in demo mode, or a first
 * sign-in through the hub's identity provider or GitHub. They join at the ladder's first rung
 * (`contributor`), and the log credits the person themselves, as one who signed up: not the
 * operator, who did nothing. The edge that calls it is the gate (demo mode, a provider's identity).
 */
export async function signUp(hub: Hub, raw: unknown | ((trx: Tx) => Promise<unknown>)): Promise<PersonView> {
  const parsed = (r: unknown) => parseInput(CreatePersonInput, { ...(r as object), role: 'contributor' });
  return insertPerson(
    hub,
    // a sign-in chooses the handle and name with the people on record as they are when it writes
    typeof raw === 'function' ? async (trx) => parsed(await raw(trx)) : parsed(raw),
    (row) => ({ kind: 'person', person: row }),
  );
}

async function insertPerson(
  hub: Hub,
  given: z.infer<typeof CreatePersonInput> | ((trx: Tx) => Promise<z.infer<typeof CreatePersonInput>>),
  actorOf: (row: PeopleTable) => Actor,
): Promise<PersonView & { invitation?: InvitationView }> {
  return inTransaction(hub, async (trx) => {
    await holdKey(trx, hub, 'person-name');
    const input = typeof given === 'function' ? await given(trx) : given;
    if (await findPersonRow(trx, input.handle)) throw invalid('handle', `'${input.handle}' is already taken`);
    const alike = await lookalikeProblems(trx, { handle: input.handle, name: input.name }, null);
    if (alike.length) throw new InvalidInput(alike);
    const now = nowIso(hub);
    const row: PeopleTable = {
      id: hub.newId(),
      handle: input.handle,
      name: input.name,
      time_zone: input.timeZone,
      role: input.role,
      github: input.github ?? null,
      discord: input.discord ?? null,
      email: input.email?.toLowerCase() ?? null,
      coc_version: null,
      coc_accepted_at: null,
      terms_version: null,
      terms_accepted_at: null,
      version: 1,
      created_at: now,
      updated_at: now,
    };
    await trx.insertInto('people').values(row).execute();
    const actor = actorOf(row);
    await writeAffiliations(trx, hub, actor, row.id, input.affiliations);
    const view = await viewOf(trx, hub, row, actor);
    await record(trx, hub, actor, 'person.created', { type: 'person', id: row.handle }, null, logged(view));
    // an address someone else recorded is confirmed by its owner too: a typo must not mail a stranger
    const by = actor.kind === 'person' ? `${actor.person.name} (@${actor.person.handle})` : "the hub's operator";
    const asked = await confirmIfNew(trx, hub, actor, row, null, { by });
    return row.email ? { ...view, invitation: invitationOf(hub, asked) } : view;
  });
}

export async function getPerson(hub: Hub, handle: string, viewer: Actor | null = null): Promise<PersonView> {
  const db = hub.store.db;
  return viewOf(db, hub, await personRow(db, handle), viewer);
}

export async function listPeople(hub: Hub, rawQuery: unknown, viewer: Actor | null = null): Promise<Page<PersonView>> {
  const q = parseInput(ListQuery, rawQuery);
  const after = decodeCursor(q.cursor, CursorPart.text);
  let query = hub.store.db
    .selectFrom('people')
    .selectAll()
    .orderBy('handle')
    .limit(q.limit + 1);
  if (after !== undefined) query = query.where('handle', '>', after);
  const rows = await query.execute();
  const page = rows.slice(0, q.limit);
  const affs = await affiliationsOf(
    hub.store.db,
    page.map((p) => p.id),
  );
  return {
    items: page.map((p) => toView(hub, p, affs.get(p.id) ?? [], viewer)),
    nextCursor: rows.length > q.limit ? encodeCursor(page.at(-1)!.handle) : null,
  };
}

async function casPerson(
  trx: Tx,
  hub: Hub,
  p: PeopleTable,
  expected: number,
  set: Partial<PeopleTable>,
): Promise<PeopleTable> {
  const at = { table: 'people', id: p.id, what: `person ${p.handle}` } as const;
  return writeOrConflict(
    trx,
    hub,
    at,
    expected,
    set,
    () => personRow(trx, p.handle),
    (now) => viewOf(trx, hub, now),
  );
}

/**
 * A versioned change to one person's record: in one transaction, the row, the gate for `action`,
 * the version check against what is stored, then `change` with the view before it.
 */
async function changePerson(
  hub: Hub,
  actor: Actor,
  handle: string,
  expectedVersion: number | undefined,
  action: PersonAction,
  change: (trx: Tx, p: PeopleTable, expected: number, before: PersonView) => Promise<PersonView>,
): Promise<PersonView> {
  return inTransaction(hub, async (trx) => {
    const p = await personRow(trx, handle);
    authorizePerson(hub, actor, p, action);
    const expected = requireVersion(expectedVersion, `person ${handle}`);
    const before = await viewOf(trx, hub, p);
    assertVersion(p.version, expected, `person ${p.handle}`, before);
    return change(trx, p, expected, before);
  });
}

export async function updatePerson(
  hub: Hub,
  actor: Actor,
  handle: string,
  expectedVersion: number | undefined,
  raw: unknown,
): Promise<PersonView> {
  return changePerson(hub, actor, handle, expectedVersion, 'edit', async (trx, p, expected, before) => {
    const input = parseInput(UpdatePersonInput, withoutStoredZone(raw, p.time_zone));
    if (input.name !== undefined && input.name !== p.name) {
      await holdKey(trx, hub, 'person-name');
      const alike = await lookalikeProblems(trx, { name: input.name }, p.id);
      if (alike.length) throw new InvalidInput(alike);
    }
    const set: Partial<PeopleTable> = {};
    if (input.name !== undefined) set.name = input.name;
    if (input.timeZone !== undefined) set.time_zone = input.timeZone;
    if (input.github !== undefined) set.github = input.github;
    if (input.discord !== undefined) set.discord = input.discord;
    if (input.email !== undefined) {
      // a new address is unconfirmed: mail keeps going to the confirmed one until its owner confirms it
      Object.assign(set, addressChange(input.email?.toLowerCase() ?? null));
      // an address one gives oneself vouches for nothing: it must not link another's sign-in to this person
      set.email_set_by_self = actor.kind === 'person' && actor.person.id === p.id && set.email ? 1 : 0;
    }
    // a record saved as it was shown changes nothing: the version stays (nobody else's edit is
    // refused for it) and the log hears of nothing, so calling update_person again is harmless
    if (!input.affiliations && Object.entries(set).every(([k, v]) => p[k as keyof PeopleTable] === v))
      return viewOf(trx, hub, p, actor);
    const updated = await casPerson(trx, hub, p, expected, set);
    if (input.affiliations) await writeAffiliations(trx, hub, actor, p.id, input.affiliations);
    await record(
      trx,
      hub,
      actor,
      'person.updated',
      { type: 'person', id: p.handle },
      before,
      logged(await viewOf(trx, hub, updated, actor)),
    );
    await confirmIfNew(trx, hub, actor, updated, p.email?.toLowerCase());
    return viewOf(trx, hub, updated, actor);
  });
}

export async function setPersonRole(
  hub: Hub,
  actor: Actor,
  handle: string,
  expectedVersion: number | undefined,
  raw: unknown,
): Promise<PersonView> {
  return changePerson(hub, actor, handle, expectedVersion, 'setRole', async (trx, p, expected, before) => {
    const input = parseInput(SetRoleInput, raw);
    authorizeGivingRole(hub, actor, input.role);
    const after = await viewOf(trx, hub, await casPerson(trx, hub, p, expected, { role: input.role }), actor);
    const subject = { type: 'person', id: p.handle };
    await record(trx, hub, actor, 'person.role-changed', subject, { role: before.role }, { role: after.role });
    return after;
  });
}

/** Records acceptance of the current Code of Conduct and contribution terms, with the date and the versions. */
export async function acceptAgreements(hub: Hub, actor: Actor, handle: string, raw: unknown): Promise<PersonView> {
  return inTransaction(hub, async (trx) => {
    const p = await personRow(trx, handle);
    authorizePerson(hub, actor, p, 'acceptAgreements');
    const input = parseInput(AcceptAgreementsInput, raw);
    const { codeOfConduct, contributionTerms } = hub.governance.agreements;
    if (input.codeOfConduct !== codeOfConduct.version)
      throw invalid(
        'codeOfConduct',
        `must be the current version '${codeOfConduct.version}' of ${codeOfConduct.title} (${codeOfConduct.url})`,
      );
    if (input.contributionTerms !== contributionTerms.version)
      throw invalid(
        'contributionTerms',
        `must be the current version '${contributionTerms.version}' of ${contributionTerms.title} (${contributionTerms.url})`,
      );
    const now = nowIso(hub);
    const res = await trx
      .updateTable('people')
      .set({
        coc_version: input.codeOfConduct,
        coc_accepted_at: now,
        terms_version: input.contributionTerms,
        terms_accepted_at: now,
        version: p.version + 1,
        updated_at: now,
      })
      .where('id', '=', p.id)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw new NotFound('person', handle);
    const after = await viewOf(trx, hub, await personRow(trx, handle));
    await record(trx, hub, actor, 'person.accepted-agreements', { type: 'person', id: p.handle }, null, {
      codeOfConduct: input.codeOfConduct,
      contributionTerms: input.contributionTerms,
      at: now,
    });
    return after;
  });
}
