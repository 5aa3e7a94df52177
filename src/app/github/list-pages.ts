// One page of a repository's pull request or issue list, asked for with the ETag it had last time:
// GitHub does not count a 304 against the rate limit, so a second sync of an unchanged repository
// costs nothing. The ETag is remembered only after the page's items are mirrored, so an
// interrupted sync asks for that page again.
import { readJson, writeJson } from '../../store/schema.ts';
import { RequestError } from '@octokit/request-error';
import { type Hub, nowIso } from '../core/hub.ts';
import type { GithubClient } from './client.ts';

type ListRoute = 'GET /repos/{owner}/{repo}/pulls' | 'GET /repos/{owner}/{repo}/issues';

export type ListPage<T> =
  | { unchanged: true; next: boolean }
  | { unchanged: false; items: T[]; next: boolean; remember: () => Promise<void> };

export async function listPage<T>(
  hub: Hub,
  client: GithubClient,
  route: ListRoute,
  repo: string,
  page: number,
  perPage: number,
): Promise<ListPage<T>> {
  const [owner, name] = repo.split('/') as [string, string];
  const db = hub.store.db;
  const key = `${route.replace('{owner}/{repo}', repo)}?state=all&sort=created&direction=asc&per_page=${perPage}&page=${page}`;
  const stored = await db.selectFrom('github_etags').selectAll().where('url', '=', key).executeTakeFirst();
  const known = stored ? readJson(stored.etag) : null;
  let res: { data: unknown; headers: { etag?: string; link?: string } };
  try {
    res = await client.request(route as 'GET /repos/{owner}/{repo}/issues', {
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
  return { unchanged: false, items: res.data as T[], next, remember };
}
