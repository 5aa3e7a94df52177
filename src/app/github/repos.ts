// A mirrored repository followed by its GitHub id: renamed or moved to another owner on GitHub, its
// deliveries name it anew, and the mirror still takes them as the repository it mirrors, under the
// name it first mirrored it as (every mirrored item is keyed by that name, so each stays linked; the
// governance file keeps naming it so, and GitHub redirects that name's API addresses), showing the
// name GitHub gives it now. A repository made private, archived or deleted on GitHub is
// shown so and no longer polled by the reconcile; what was mirrored of it stays.
import { type GithubRepository, ownerAndName } from '../../domain/governance/github.ts';
import type { Governance } from '../../domain/governance/schema.ts';
import { inTransaction, nowIso, record, type Hub, type Tx } from '../core/hub.ts';
import type { GithubClient } from './client.ts';
import { GITHUB_ACTOR } from './mirror.ts';

/** What GitHub says of the repository now, when it is not simply public and live. */
export type RepoOnGithub = 'private' | 'archived' | 'deleted';

const same = (a: string | null | undefined, b: string | null | undefined) =>
  Boolean(a && b && a.toLowerCase() === b.toLowerCase());

/** The repository a delivery names, as GitHub's payloads do. */
export type NamedRepository = { id?: number | bigint | undefined; full_name: string };

/**
 * The name the hub mirrors a repository under when GitHub renamed or moved it to `name` since
 * (the governance file is to keep naming it so); null when `name` is no such new name.
 */
export async function mirroredAsBefore(db: Tx, name: string): Promise<string | null> {
  const rows = await db.selectFrom('github_repos').select(['name', 'github_name']).execute();
  if (rows.some((r) => same(r.name, name))) return null;
  return rows.find((r) => same(r.github_name, name))?.name ?? null;
}

/**
 * The repository of the governance file a delivery is about, and the name it is mirrored under: by
 * name, else by GitHub's id (a repository renamed or transferred since), else, for the `repository`
 * delivery saying it was renamed or transferred, by the name it had (the hub did not know its id yet).
 */
export async function repositoryOf(
  db: Tx,
  governance: Governance,
  repository: NamedRepository | undefined,
  formerName?: string,
): Promise<{ configured: GithubRepository; name: string } | null> {
  if (!repository) return null;
  const named = (n: string) => governance.github?.repositories.find((r) => same(r.name, n));
  const id = repository.id === undefined ? null : String(repository.id);
  // a repository of another id that took a name up since (GitHub frees a renamed repository's name) is not this one
  const rows = (await db.selectFrom('github_repos').select(['name', 'github_name', 'github_id']).execute()).filter(
    (r) => !id || !r.github_id || r.github_id === id,
  );
  const row =
    (id ? rows.find((r) => r.github_id === id) : undefined) ??
    rows.find((r) => same(r.name, repository.full_name)) ??
    rows.find((r) => same(r.github_name, repository.full_name)) ??
    (formerName ? rows.find((r) => same(r.name, formerName) || same(r.github_name, formerName)) : undefined);
  if (row) {
    // the governance file names it as it was first mirrored (syncRepository says so to one naming it anew)
    const configured = named(row.name);
    return configured ? { configured, name: row.name } : null;
  }
  const configured = named(repository.full_name) ?? (formerName ? named(formerName) : undefined);
  if (!configured) return null;
  // mirrored under that name as another repository (of another id): not this one
  if (id) {
    const taken = await db
      .selectFrom('github_repos')
      .select('github_id')
      .where((eb) => eb(eb.fn('lower', ['name']), '=', configured.name.toLowerCase()))
      .executeTakeFirst();
    if (taken?.github_id && taken.github_id !== id) return null;
  }
  return { configured, name: configured.name };
}

/** Notes the repository's GitHub id, the first time a delivery gives it. */
export async function noteGithubId(trx: Tx, name: string, repository: NamedRepository): Promise<void> {
  if (repository.id === undefined) return;
  await trx
    .updateTable('github_repos')
    .set({ github_id: String(repository.id) })
    .where('name', '=', name)
    .where('github_id', 'is', null)
    .execute();
}

/**
 * A `repository` delivery about a mirrored one: renamed or transferred (the name GitHub gives it now
 * is shown; its deliveries keep landing on what was mirrored), made private or public, archived or
 * not, deleted. Recorded in the event feed on the repository; the same news again changes nothing.
 */
export async function applyRepositoryEvent(
  trx: Tx,
  hub: Hub,
  name: string,
  action: string,
  repository: NamedRepository & { private?: boolean; archived?: boolean },
): Promise<'applied' | 'ignored'> {
  const row = await trx.selectFrom('github_repos').selectAll().where('name', '=', name).executeTakeFirstOrThrow();
  const subject = { type: 'github-repo', id: name };
  const shownAs = row.github_name ?? row.name;
  if (action === 'renamed' || action === 'transferred') {
    if (repository.full_name === shownAs) return 'ignored';
    await trx
      .updateTable('github_repos')
      .set({ github_name: same(repository.full_name, name) ? null : repository.full_name })
      .where('name', '=', name)
      .execute();
    await record(
      trx,
      hub,
      GITHUB_ACTOR,
      `github.repository-${action}`,
      subject,
      { name: shownAs },
      {
        name: repository.full_name,
        // the governance entry is found by the name the hub mirrors it under: one naming it anew matches nothing
        note: `GitHub now names ${shownAs} ${repository.full_name}: what was mirrored stays linked, and its deliveries are taken by its GitHub id; keep ${name} in the governance file's github.repositories (naming it ${repository.full_name} there would leave its deliveries ignored and its sync refused)`,
      },
    );
    return 'applied';
  }
  const states: Record<string, RepoOnGithub | null> = {
    privatized: 'private',
    publicized: null,
    archived: 'archived',
    unarchived: null,
    deleted: 'deleted',
  };
  if (!(action in states)) return 'ignored';
  let state = states[action]!;
  // made public again while archived (or the reverse): GitHub's payload says what still holds
  if (state === null && action === 'publicized' && repository.archived) state = 'archived';
  if (state === null && action === 'unarchived' && repository.private) state = 'private';
  if ((row.github_state ?? null) === state) return 'ignored';
  await trx
    .updateTable('github_repos')
    .set({ github_state: state, github_state_at: state ? nowIso(hub) : null })
    .where('name', '=', name)
    .execute();
  await record(
    trx,
    hub,
    GITHUB_ACTOR,
    'github.repository-changed',
    subject,
    { onGithub: row.github_state ?? 'public' },
    {
      onGithub: state ?? 'public',
      note: state
        ? `${shownAs} is ${state === 'private' ? 'private' : state} on GitHub: the reconcile no longer polls it; what was mirrored stays`
        : `${shownAs} is public on GitHub again: the reconcile polls it again`,
    },
  );
  return 'applied';
}

/**
 * What GitHub calls a mirrored repository now, asked of GitHub (`GET /repos/{owner}/{repo}` under the
 * name it is mirrored as, which GitHub redirects to the repository's present name): when that is a
 * name the hub did not know, the repository was renamed or transferred while the delivery that said
 * so was lost, and it is recorded as that delivery would have been (`github.repository-renamed` or
 * `-transferred`, the name shown). An answer about another repository (another GitHub id than the
 * one on record: a repository that took the freed name up) says nothing: null. Its name now otherwise.
 * With no id on record, the answer is taken for the repository only when GitHub redirected the name
 * (it answers another name: the repository renamed from it), when its id is that of the repository
 * the issue asked about names (`issueRepositoryId`), or when GitHub says it was created before the hub
 * began watching the name (a repository made under a freed name is younger than the hub's mirror of
 * it); else a repository made since under the freed name may be answering, and nothing is known:
 * undefined, and nothing is recorded.
 */
export async function followRename(
  hub: Hub,
  client: GithubClient,
  repo: string,
  issueRepositoryId?: number | string,
): Promise<string | null | undefined> {
  const [owner, name] = ownerAndName(repo);
  const { data } = await client.rest.repos.get({ owner, repo: name });
  return inTransaction(hub, async (trx) => {
    const row = await trx
      .selectFrom('github_repos')
      .select(['github_id', 'github_name', 'created_at'])
      .where('name', '=', repo)
      .executeTakeFirst();
    if (!row || (row.github_id && row.github_id !== String(data.id))) return null;
    const redirected = !same(data.full_name, repo);
    const sameAsIssue = issueRepositoryId !== undefined && String(issueRepositoryId) === String(data.id);
    const olderThanMirror = Boolean(data.created_at && Date.parse(data.created_at) < Date.parse(row.created_at));
    if (!row.github_id && !redirected && !sameAsIssue && !olderThanMirror) return undefined;
    const shownAs = row.github_name ?? repo;
    if (!same(data.full_name, shownAs)) {
      const moved = !same(ownerAndName(data.full_name)[0], ownerAndName(shownAs)[0]);
      await applyRepositoryEvent(trx, hub, repo, moved ? 'transferred' : 'renamed', {
        id: data.id,
        full_name: data.full_name,
      });
    }
    await noteGithubId(trx, repo, { id: data.id, full_name: data.full_name });
    return data.full_name;
  });
}
