// One page of a repository's pull request or issue list, asked for with the ETag it had last time:
// GitHub does not count a 304 against the rate limit, so a second sync of an unchanged repository
// costs nothing. The ETag is remembered only after the page's items are mirrored, so an
// interrupted sync asks for that page again.
import { ownerAndName } from '../../domain/governance/github.ts';
import { readJson, writeJson } from '../../store/schema.ts';
import { RequestError } from '@octokit/request-error';
import { type Hub, nowIso } from '../core/hub.ts';
import type { GithubClient } from './client.ts';

const PULLS = 'GET /repos/{owner}/{repo}/pulls';
const ISSUES = 'GET /repos/{owner}/{repo}/issues';

type ListParams = {
  owner: string;
  repo: string;
  state: 'all';
  sort: 'created';
  direction: 'asc';
  per_page: number;
  page: number;
  headers: { 'if-none-match'?: string };
};
/** Asks GitHub for one page; its items are typed by Octokit's REST types for the route. */
type Lister<T> = (params: ListParams) => Promise<{ data: T[]; headers: { etag?: string; link?: string } }>;

export type ListPage<T> =
  | { unchanged: true; next: boolean }
  | { unchanged: false; items: T[]; next: boolean; remember: () => Promise<void> };

/** A page of the repository's pull requests, oldest first. */
export const listPullsPage = (hub: Hub, client: GithubClient, repo: string, page: number, perPage: number) =>
  listPage(hub, PULLS, (p) => client.request(PULLS, p), repo, page, perPage);

/** A page of the repository's issues (GitHub lists pull requests among them), oldest first. */
export const listIssuesPage = (hub: Hub, client: GithubClient, repo: string, page: number, perPage: number) =>
  listPage(hub, ISSUES, (p) => client.request(ISSUES, p), repo, page, perPage);

async function listPage<T>(
  hub: Hub,
  route: typeof PULLS | typeof ISSUES,
  list: Lister<T>,
  repo: string,
  page: number,
  perPage: number,
): Promise<ListPage<T>> {
  const [owner, name] = ownerAndName(repo);
  const db = hub.store.db;
  const key = `${route.replace('{owner}/{repo}', repo)}?state=all&sort=created&direction=asc&per_page=${perPage}&page=${page}`;
  const stored = await db.selectFrom('github_etags').selectAll().where('url', '=', key).executeTakeFirst();
  const known = stored ? readJson(stored.etag) : null;
  let res: Awaited<ReturnType<Lister<T>>>;
  try {
    res = await list({
      owner,
      repo: name,
      state: 'all',
      sort: 'created',
      direction: 'asc',
      per_page: perPage,
      page,
      headers: known ? { 'if-none-match': known.etag } : {},
    });
  } catch (e) {
    if (!(e instanceof RequestError && e.status === 304 && known)) throw e;
    return { unchanged: true, next: known.next };
  }
  const etag = res.headers.etag;
  const next = /rel="next"/.test(res.headers.link ?? '');
  const remember = async () => {
    if (!etag) return;
    const value = { etag: writeJson({ etag, next }), at: nowIso(hub) };
    await db
      .insertInto('github_etags')
      .values({ url: key, ...value })
      .onConflict((oc) => oc.column('url').doUpdateSet(value))
      .execute();
  };
  return { unchanged: false, items: res.data, next, remember };
}
