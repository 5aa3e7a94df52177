// Who guards what, from GitHub: the configured teams' members, the repository's CODEOWNERS rules
// and its MAINTAINERS file. A login gets the role its team or MAINTAINERS section names when the
// role it holds in the hub is lower (so sponsor eligibility follows GitHub); the hub never lowers
// a role by itself (someone leaving a team is recorded, and an operator decides), because a
// role in the hub carries more than GitHub access.
import { readJson, writeJson } from '../../store/schema.ts';
import { RequestError } from '@octokit/request-error';
import { ownersOf, parseCodeowners, parseMaintainers } from '../../domain/github/owners.ts';
import { inTransaction, nowIso, record, type Hub, type Tx } from '../core/hub.ts';
import type { GithubClient } from './client.ts';
import { GITHUB_ACTOR } from './mirror.ts';
import { saysAgain } from '../../store/events.ts';
import { ownerAndName } from '../../domain/governance/github.ts';

/** Raises the role of the person with this GitHub login to ROLE if theirs is lower; true if it did. */
export async function raiseRole(trx: Tx, hub: Hub, login: string, role: string, because: string): Promise<boolean> {
  const rank = (r: string) => hub.governance.roleOrder.findIndex((x) => x === r);
  const person = await trx
    .selectFrom('people')
    .selectAll()
    .where((eb) => eb(eb.fn('lower', ['github']), '=', login.toLowerCase()))
    .executeTakeFirst();
  if (!person || rank(role) < 0 || rank(person.role) >= rank(role)) return false;
  // a moderator is outside the ladder: never replaced by a ladder role
  if (rank(person.role) < 0) return false;
  const raised = hub.governance.roleOrder.find((r) => r === role)!;
  await trx
    .updateTable('people')
    .set({ role: raised, version: person.version + 1, updated_at: nowIso(hub) })
    .where('id', '=', person.id)
    .execute();
  await record(
    trx,
    hub,
    GITHUB_ACTOR,
    'person.role-changed',
    { type: 'person', id: person.handle },
    { role: person.role },
    { role, because },
  );
  return true;
}

/** One member joining or leaving a configured team (the `membership` webhook, or the backfill). */
export async function teamMembership(trx: Tx, hub: Hub, t: Team, login: string, added: boolean): Promise<void> {
  if (added) {
    await trx
      .insertInto('github_team_members')
      .values({ org: t.org, team: t.team, login, synced_at: nowIso(hub) })
      .onConflict((oc) => oc.columns(['org', 'team', 'login']).doUpdateSet({ synced_at: nowIso(hub) }))
      .execute();
    await raiseRole(trx, hub, login, t.role, `member of GitHub team ${t.org}/${t.team}`);
    return;
  }
  const gone = await trx
    .deleteFrom('github_team_members')
    .where('org', '=', t.org)
    .where('team', '=', t.team)
    .where('login', '=', login)
    .executeTakeFirst();
  if (Number(gone.numDeletedRows) > 0)
    await recordTeam(trx, hub, t, 'github.team-member-left', {
      login,
      note: 'the hub keeps their role; an operator lowers it if they should no longer hold it',
    });
}

type Team = { org: string; team: string; role: string };

const TEAM_KINDS = ['github.team-deleted', 'github.team-member-left'];
const teamSubject = (t: Team) => ({ type: 'github-team', id: `${t.org}/${t.team}` });
const recordTeam = (trx: Tx, hub: Hub, t: Team, kind: string, facts: Record<string, unknown>) =>
  record(trx, hub, GITHUB_ACTOR, kind, teamSubject(t), null, facts);

/** The logins the hub last knew in a configured team. */
export async function teamMembersOf(trx: Tx, t: Team): Promise<string[]> {
  const rows = await trx
    .selectFrom('github_team_members')
    .select('login')
    .where('org', '=', t.org)
    .where('team', '=', t.team)
    .execute();
  return rows.map((r) => r.login);
}

/** The members a configured team had, as it is now on GitHub (the backfill): who joined and who left. */
export async function teamNow(trx: Tx, hub: Hub, t: Team, logins: string[]): Promise<void> {
  const had = await teamMembersOf(trx, t);
  const now = new Set(logins.map((l) => l.toLowerCase()));
  for (const l of logins) await teamMembership(trx, hub, t, l, true);
  for (const h of had) if (!now.has(h.toLowerCase())) await teamMembership(trx, hub, t, h, false);
}

/** A configured team deleted on GitHub: its members are let go as if each had left; their roles stay. False: nothing new. */
export async function teamDeleted(trx: Tx, hub: Hub, t: Team): Promise<boolean> {
  const members = await teamMembersOf(trx, t);
  // deleted again with nobody in it since it was recorded deleted (a body sent again under a new
  // delivery id): nothing new to record
  if (!members.length && (await saysAgain(trx, teamSubject(t), TEAM_KINDS, 'github.team-deleted', null))) return false;
  for (const m of members) await teamMembership(trx, hub, t, m, false);
  await recordTeam(trx, hub, t, 'github.team-deleted', teamDeletedFacts(members));
  return true;
}

const teamDeletedFacts = (members: string[]) => ({
  members,
  note: 'the governance file still names this team; its former members keep their roles',
});

const CODEOWNERS_PATHS = ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS'];
const MAINTAINERS_PATHS = ['MAINTAINERS.md', 'MAINTAINERS'];

async function readFile(
  client: GithubClient,
  repo: string,
  paths: string[],
): Promise<{ path: string; text: string } | null> {
  const [owner, name] = ownerAndName(repo);
  for (const p of paths) {
    try {
      const { data } = await client.rest.repos.getContent({ owner, repo: name, path: p });
      if (!Array.isArray(data) && data.type === 'file' && 'content' in data)
        return { path: p, text: Buffer.from(data.content, 'base64').toString('utf8') };
    } catch (e) {
      if (!(e instanceof RequestError && e.status === 404)) throw e;
    }
  }
  return null;
}

import type { OwnersSummary } from '../../domain/github/sync-records.ts';

export type { OwnersSummary };

/** The repository's CODEOWNERS rules and MAINTAINERS people, as its default branch has them now. */
export async function syncOwnersFiles(hub: Hub, client: GithubClient, repo: string): Promise<OwnersSummary> {
  const codeowners = await readFile(client, repo, CODEOWNERS_PATHS);
  const maintainers = await readFile(client, repo, MAINTAINERS_PATHS);
  const rules = codeowners ? parseCodeowners(codeowners.text) : [];
  const people = maintainers ? parseMaintainers(maintainers.text, hub.governance.roleOrder) : [];
  let rolesRaised = 0;
  await inTransaction(hub, async (trx) => {
    const at = nowIso(hub);
    await trx.deleteFrom('github_codeowners').where('repo', '=', repo).execute();
    for (const [i, r] of rules.entries())
      await trx
        .insertInto('github_codeowners')
        .values({ repo, position: i, pattern: r.pattern, owners: writeJson(r.owners), synced_at: at })
        .execute();
    await trx.deleteFrom('github_maintainers').where('repo', '=', repo).execute();
    for (const m of people) {
      await trx
        .insertInto('github_maintainers')
        .values({ repo, login: m.login, section: m.section, role: m.role, synced_at: at })
        .execute();
      if (
        m.role &&
        (await raiseRole(trx, hub, m.login, m.role, `listed under ${m.section} in ${repo}'s ${maintainers!.path}`))
      )
        rolesRaised++;
    }
  });
  return { codeowners: rules.length, maintainers: people.length, rolesRaised };
}

/** Who must approve a change to PATH in REPO, by its CODEOWNERS (the last matching rule wins). */
export async function codeownersOf(hub: Hub, repo: string, path: string): Promise<string[]> {
  const rows = await hub.store.db
    .selectFrom('github_codeowners')
    .select(['pattern', 'owners'])
    .where('repo', '=', repo)
    .orderBy('position')
    .execute();
  return ownersOf(
    rows.map((r) => ({ pattern: r.pattern, owners: readJson(r.owners) })),
    path,
  );
}
