// Browser sessions and linked sign-in identities. A session is not a community change, so it is
// not in the event log; linking an identity provider's account to a person is, and is recorded.
import { randomBytes } from 'node:crypto';
import { sha256Hex } from './tokens.ts';
import { CLAIM_DAYS, ianaZone } from '../../domain/people.ts';
import { isReservedHandle } from '../../domain/community.ts';
import { clashesWith } from '../../domain/lookalike.ts';
import { LIMITS } from '../../domain/limits.ts';
import { oneLineFrom } from '../../domain/text.ts';
import type { PeopleTable } from '../../store/schema.ts';
import { actorName, inTransaction, nowIso, record, type Actor, type Hub, type Tx } from '../core/hub.ts';
import { Forbidden } from '../../domain/errors.ts';
import { findPersonRow, lookalikeProblems, personRow, signUp } from './people.ts';
import { authorizePerson } from './access.ts';
import { parseInput } from '../core/validate.ts';
import { IssueClaimInput } from './schemas.ts';
import { recordVerifiedEmail } from './email.ts';
import { lastVisitAt } from '../home/last-visit.ts';

const hashOf = sha256Hex;

export type WebSession = {
  person: PeopleTable;
  csrfToken: string;
  via: string;
  startedAt: string;
  /**
   * What their home compares with now, "since your last visit": the last time they looked at their
   * home before this visit, on any device (app/home/last-visit.ts), not when a session started.
   */
  lastVisit: string | null;
  expiresAt: string;
  /** The secret went out as the __Host- cookie (served over https), not under the bare name. */
  hostCookie: boolean;
};

/** Starts a session; the returned secret goes into the cookie and is never stored. */
export async function startWebSession(
  hub: Hub,
  personId: string,
  via: 'demo' | 'oidc' | 'github',
  lifetimeHours: number,
  /** The secret goes out as __Host-wghub_session (the hub is served over https). */
  hostCookie = false,
): Promise<{ secret: string; csrfToken: string; expiresAt: string }> {
  const secret = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const now = hub.clock.now();
  const expiresAt = new Date(now.getTime() + lifetimeHours * 3_600_000).toISOString();
  await pruneSessions(hub, personId);
  await hub.store.db
    .insertInto('web_sessions')
    .values({
      id_hash: hashOf(secret),
      person_id: personId,
      csrf_token: csrfToken,
      via,
      created_at: now.toISOString(),
      expires_at: expiresAt,
      ended_at: null,
      host_cookie: hostCookie ? 1 : 0,
    })
    .execute();
  return { secret, csrfToken, expiresAt };
}

/**
 * Drops a person's finished sessions. The newest was kept until 2026-12-08, when its start said when
 * they last visited; home_visits says that now (app/home/last-visit.ts).
 */
async function pruneSessions(hub: Hub, personId: string): Promise<void> {
  const now = nowIso(hub);
  await hub.store.db
    .deleteFrom('web_sessions')
    .where('person_id', '=', personId)
    .where((eb) => eb.or([eb('ended_at', 'is not', null), eb('expires_at', '<=', now)]))
    .execute();
}

/**
 * The live session for a cookie secret, or null when it is unknown, ended or expired. One query
 * (the session, its person and when they last looked at their home) for every signed-in request:
 * three round trips were 2 of the 12 queries a proposal page made on PostgreSQL.
 */
export async function webSession(hub: Hub, secret: string): Promise<WebSession | null> {
  const row = await hub.store.db
    .selectFrom('web_sessions as s')
    .innerJoin('people as p', 'p.id', 's.person_id')
    .leftJoin('home_visits as h', 'h.person_id', 's.person_id')
    .selectAll('p')
    .select([
      's.ended_at as session_ended_at',
      's.expires_at as session_expires_at',
      's.csrf_token as session_csrf_token',
      's.via as session_via',
      's.created_at as session_created_at',
      's.host_cookie as session_host_cookie',
      'h.seen_at as home_seen_at',
      'h.since as home_since',
    ])
    .where('s.id_hash', '=', hashOf(secret))
    .executeTakeFirst();
  if (!row || row.session_ended_at || row.session_expires_at <= nowIso(hub)) return null;
  const {
    session_ended_at: _ended,
    session_expires_at,
    session_csrf_token,
    session_via,
    session_created_at,
    session_host_cookie,
    home_seen_at,
    home_since,
    ...person
  } = row;
  return {
    person,
    csrfToken: session_csrf_token,
    via: session_via,
    startedAt: session_created_at,
    lastVisit: lastVisitAt(home_seen_at ? { seen_at: home_seen_at, since: home_since } : null, hub.clock.now()),
    expiresAt: session_expires_at,
    hostCookie: Number(session_host_cookie) === 1,
  };
}

export async function endWebSession(hub: Hub, secret: string): Promise<void> {
  await hub.store.db
    .updateTable('web_sessions')
    .set({ ended_at: nowIso(hub) })
    .where('id_hash', '=', hashOf(secret))
    .where('ended_at', 'is', null)
    .execute();
}

export type IdentityClaims = {
  issuer: string;
  subject: string;
  handle: string;
  name: string;
  timeZone: string | null;
  github: string | null;
  email?: string | null;
  emailVerified?: boolean;
};

/** The person this provider's subject already signs in as, if any. */
export function personByIdentity(hub: Hub, claims: Pick<IdentityClaims, 'issuer' | 'subject'>) {
  return hub.store.db
    .selectFrom('person_identities as i')
    .innerJoin('people as p', 'p.id', 'i.person_id')
    .selectAll('p')
    .where('i.issuer', '=', claims.issuer)
    .where('i.subject', '=', claims.subject)
    .executeTakeFirst();
}

/** Records that the identity provider's subject signs in as this person, and logs it. */
export async function linkIdentity(
  trx: Tx,
  hub: Hub,
  person: PeopleTable,
  claims: IdentityClaims,
  how: Record<string, string>,
): Promise<void> {
  await trx
    .insertInto('person_identities')
    .values({ issuer: claims.issuer, subject: claims.subject, person_id: person.id, linked_at: nowIso(hub) })
    .execute();
  await record(
    trx,
    hub,
    { kind: 'system', label: 'sign-in' },
    'person.identity-linked',
    { type: 'person', id: person.handle },
    null,
    // the provider and how, not the account's id there: the log is public (person_identities keeps it)
    { issuer: claims.issuer, ...how },
  );
}

async function linkedAt(db: Tx, personId: string, issuer: string): Promise<boolean> {
  return !!(await db
    .selectFrom('person_identities')
    .select('subject')
    .where('person_id', '=', personId)
    .where('issuer', '=', issuer)
    .executeTakeFirst());
}

/**
 * The person an identity provider's account signs in as (and an address the provider reports
 * verified recorded as confirmed, email.ts), linked only through claims nobody else can make: the account itself (issuer and subject), an address the provider verified that a
 * moderator, an import or the operator recorded for the person (not one they gave themselves), or a one-time claim code a moderator gave them. A handle or
 * name claim links nothing: anyone can pick "lena-core" at a provider. Otherwise the account
 * becomes a new person (a newcomer, who has accepted nothing yet).
 */
export async function personForIdentity(
  hub: Hub,
  claims: IdentityClaims,
  claimCode?: string,
): Promise<{ person: PeopleTable; created: boolean }> {
  const db = hub.store.db;
  const known = await personByIdentity(hub, claims);
  if (known) {
    // an address the provider verified is confirmed without a mail (email.ts)
    await recordVerifiedEmail(hub, known.id, claims);
    return { person: known, created: false };
  }
  let existing: PeopleTable | undefined;
  if (claimCode) {
    existing = await useClaim(hub, claimCode, claims.issuer);
  } else if (claims.email && claims.emailVerified) {
    const byEmail = await db
      .selectFrom('people')
      .selectAll()
      .where((eb) => eb(eb.fn('lower', ['email']), '=', claims.email!.toLowerCase()))
      // only an address someone else recorded: anyone may type another's address into their own profile
      .where('email_set_by_self', '=', 0)
      .execute();
    // an address two people share on record proves neither
    if (byEmail.length === 1 && !(await linkedAt(db, byEmail[0]!.id, claims.issuer))) existing = byEmail[0];
  }
  let created = false;
  if (!existing) {
    // the provider's name, made to fit: its owner cannot change it here, so it never refuses the
    // account; one that looks like another person's in other letters is left for them to write (and
    // they sign themselves up by signing in: the log credits them, not the operator)
    const given = oneLineFrom(claims.name, LIMITS.personName);
    // chosen inside the writing transaction, under the hold every new person's name takes: another
    // newcomer signing up at the same moment may not take this handle, or one like it, in between
    const view = await signUp(hub, async (trx: Tx) => {
      const handle = await freeHandle(trx, claims.handle);
      const named = given && !(await lookalikeProblems(trx, { name: given }, null)).length;
      return {
        handle,
        name: named ? given : handle,
        timeZone: (claims.timeZone && ianaZone(claims.timeZone)) || 'UTC',
        github: claims.github ?? undefined,
        affiliations: [],
      };
    });
    const handle = view.handle;
    existing = (await findPersonRow(db, handle))!;
    created = true;
  }
  const person = existing;
  await inTransaction(hub, async (trx) => {
    await linkIdentity(trx, hub, person, claims, {
      via: created ? 'new-person' : claimCode ? 'claim-code' : 'verified-email',
    });
  });
  await recordVerifiedEmail(hub, person.id, claims);
  return { person, created };
}

/**
 * A one-time code that lets the person it names link their first sign-in to their record (for
 * people imported from charters and SEPs, who have no verified address on record). Shown once.
 */
export async function issueClaim(
  hub: Hub,
  actor: Actor,
  handle: string,
  input: unknown = {},
): Promise<{ handle: string; code: string; path: string; expiresAt: string }> {
  const code = randomBytes(24).toString('base64url');
  const now = hub.clock.now();
  const expiresAt = new Date(now.getTime() + CLAIM_DAYS * 86_400_000).toISOString();
  return inTransaction(hub, async (trx) => {
    const p = await personRow(trx, handle);
    authorizePerson(hub, actor, p, 'issueClaim');
    // after the gate: one who may not issue a link is told so whatever they send
    parseInput(IssueClaimInput, input);
    await trx
      .insertInto('person_claims')
      .values({
        code_hash: hashOf(code),
        person_id: p.id,
        created_by: actorName(actor),
        created_at: now.toISOString(),
        expires_at: expiresAt,
        used_at: null,
      })
      .execute();
    await record(trx, hub, actor, 'person.claim-issued', { type: 'person', id: p.handle }, null, { expiresAt });
    return { handle: p.handle, code, path: `/claim/${code}`, expiresAt };
  });
}

/** Whom a claim code names, if it is unused and unexpired (it is not used up here). */
export async function claimedPerson(hub: Hub, code: string): Promise<PeopleTable | null> {
  const row = await hub.store.db
    .selectFrom('person_claims as c')
    .innerJoin('people as p', 'p.id', 'c.person_id')
    .selectAll('p')
    .where('c.code_hash', '=', hashOf(code))
    .where('c.used_at', 'is', null)
    .where('c.expires_at', '>', nowIso(hub))
    .executeTakeFirst();
  return row ?? null;
}

/** Uses a claim code up (once, even when two sign-ins race) and returns its person. */
async function useClaim(hub: Hub, code: string, issuer: string): Promise<PeopleTable> {
  const person = await claimedPerson(hub, code);
  if (!person) throw new Forbidden('this claim link is unknown, used or expired; ask a moderator for a new one');
  if (await linkedAt(hub.store.db, person.id, issuer))
    throw new Forbidden(`${person.handle} already signs in with this provider; the claim link is not needed`);
  const used = await hub.store.db
    .updateTable('person_claims')
    .set({ used_at: nowIso(hub) })
    .where('code_hash', '=', hashOf(code))
    .where('used_at', 'is', null)
    .executeTakeFirst();
  if (Number(used.numUpdatedRows) !== 1) throw new Forbidden('this claim link was used a moment ago');
  return person;
}

/** A handle the CreatePersonInput schema accepts and nobody holds: the claim's, cleaned, then -2, -3 ("operator" is reserved) */
async function freeHandle(db: Tx, wanted: string): Promise<string> {
  // a GitHub login's shape (NewHandle): single hyphens, none at either end, also where the cut falls
  const base =
    wanted
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 30)
      .replace(/-$/, '') || 'newcomer';
  // the people on record read once: each handle tried is told from them without another read
  const people = await db.selectFrom('people').select('handle').execute();
  const taken = clashesWith(people.map((p) => ({ name: p.handle })));
  for (let n = 1; ; n++) {
    const h = n === 1 ? base : `${base}-${n}`;
    // nor one that looks like another's ("sarn" beside "sam"), which signUp refuses
    if (!isReservedHandle(h) && !taken(h)) return h;
  }
}
