// Whom a GitHub account signs in as. GitHub has just proved the account holds its login, and the
// hub already knows people by their GitHub login (the charters' GitHub column, the mirror's
// people without an account), so the first sign-in takes over the person that login names when
// nobody signs in as them yet: what the mirror attributed to them (proposals, comments, reviews)
// stays theirs, unless the mirror recorded another GitHub account behind that login (GitHub frees
// a renamed login for anyone) or the person has a role a stranger must not inherit: then a
// moderator's claim link does it (githubLoginTakeover). A login nobody knows becomes a new person. Nothing else comes from GitHub: no
// affiliation (that is the hub's record), no e-mail address.
import type { PeopleTable } from '../../store/schema.ts';
import { inTransaction, nowIso, record, type Hub, type Tx } from '../core/hub.ts';
import { githubLoginTakeover } from '../../domain/policies/person.ts';
import { Forbidden } from '../../domain/errors.ts';
import { linkIdentity, personByIdentity, personForIdentity } from './web-sessions.ts';

export type GithubAccount = {
  /** The web flow's root the account lives on (https://github.com): the identity's issuer. */
  issuer: string;
  /** GitHub's numeric user id: kept across a rename of the login. */
  id: number;
  login: string;
  name: string | null;
};

export async function personForGithub(
  hub: Hub,
  account: GithubAccount,
  claimCode?: string,
): Promise<{ person: PeopleTable; created: boolean }> {
  const db = hub.store.db;
  const claims = {
    issuer: account.issuer,
    subject: String(account.id),
    handle: account.login,
    name: account.name ?? account.login,
    timeZone: null,
    github: account.login,
  };
  const known = await personByIdentity(hub, claims);
  if (known) return { person: await followRename(hub, known, account.login), created: false };
  // a moderator's claim link names the person outright
  if (claimCode) return personForIdentity(hub, claims, claimCode);
  const named = await db
    .selectFrom('people')
    .selectAll()
    .where((eb) => eb(eb.fn('lower', ['github']), '=', account.login.toLowerCase()))
    .execute();
  if (named.length === 0) {
    const made = await personForIdentity(hub, claims);
    await recordAccount(hub, made.person.id, claims.subject);
    return made;
  }
  if (named.length > 1)
    throw new Forbidden(
      `${named.length} people here name the GitHub login ${account.login} (${named.map((p) => `@${p.handle}`).join(', ')}); ask a moderator for a claim link to the one who is you`,
    );
  const person = named[0]!;
  const accounts = await db
    .selectFrom('person_identities')
    .select('issuer')
    .where('person_id', '=', person.id)
    .execute();
  if (accounts.some((a) => a.issuer === claims.issuer))
    // a login GitHub freed and someone else took: the person stays with the account that linked first
    throw new Forbidden(
      `@${person.handle} already signs in with another GitHub account that was called ${account.login}; ask a moderator if this is you`,
    );
  if (accounts.length)
    // they sign in another way; GitHub proving the login does not reach an account that exists
    throw new Forbidden(
      `@${person.handle}, who has the GitHub login ${account.login} here, signs in with another provider; sign in there`,
    );
  const leads = await db
    .selectFrom('group_members')
    .select('person_id')
    .where('person_id', '=', person.id)
    .where('level', '=', 'lead')
    .where('emeritus', '=', 0)
    .union(db.selectFrom('topic_facilitators').select('person_id').where('person_id', '=', person.id))
    .executeTakeFirst();
  const holder = {
    handle: person.handle,
    role: person.role,
    leads: leads !== undefined,
    accountId: person.github_account_id ?? null,
  };
  const verdict = githubLoginTakeover(holder, account.login, claims.subject);
  if (!verdict.allowed) throw new Forbidden(verdict.reason);
  await inTransaction(hub, async (trx) => {
    await recordAccount(trx, person.id, claims.subject);
    await linkIdentity(trx, hub, person, claims, { via: 'github-login', login: account.login });
  });
  return { person, created: false };
}

/** The GitHub account behind the person's login, once GitHub has proved it (kept if already known). */
async function recordAccount(db: Hub | Tx, personId: string, accountId: string): Promise<void> {
  const q = 'store' in db ? db.store.db : db;
  await q
    .updateTable('people')
    .set({ github_account_id: accountId })
    .where('id', '=', personId)
    .where('github_account_id', 'is', null)
    .execute();
}

/**
 * A login renamed on GitHub (the account, by its id, is the same) becomes the person's GitHub login
 * here too, so the mirror knows their new login as them; unless someone else here already has the
 * new login on record (the mirror met it first): two records of one person are a moderator's to join.
 */
async function followRename(hub: Hub, person: PeopleTable, login: string): Promise<PeopleTable> {
  // none on record: the mirror took it off when another account was seen with it (mirror.ts)
  if (person.github?.toLowerCase() === login.toLowerCase()) return person;
  return inTransaction(hub, async (trx) => {
    const taken = await trx
      .selectFrom('people')
      .select('id')
      .where((eb) => eb(eb.fn('lower', ['github']), '=', login.toLowerCase()))
      .executeTakeFirst();
    if (taken) return person;
    const updated = { ...person, github: login, version: person.version + 1, updated_at: nowIso(hub) };
    await trx
      .updateTable('people')
      .set({ github: login, version: updated.version, updated_at: updated.updated_at })
      .where('id', '=', person.id)
      .execute();
    await record(
      trx,
      hub,
      { kind: 'system', label: 'sign-in' },
      'person.github-renamed',
      { type: 'person', id: person.handle },
      { github: person.github },
      { github: login },
    );
    return updated;
  });
}
