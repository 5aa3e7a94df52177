// A page's query string as its handlers read it: `?group=` (and `?topic=`) through the one resolver of
// short names (`slugAsStored`), so /decisions?group=Hosting filters, selects and links as
// ?group=hosting does, as REST's query filters and the web's /groups/Hosting addresses do.
import { slugAsStored } from '../../domain/slugs.ts';
import type { WebContext } from './context.ts';

/** The page's query parameters, its group's and topic area's short names as stored. */
export function pageQuery(c: WebContext): Record<string, string> {
  const q = { ...c.req.query() };
  if (q.group !== undefined) q.group = slugAsStored(q.group);
  if (q.topic !== undefined) q.topic = slugAsStored(q.topic);
  return q;
}

/** One parameter of the page's query (`pageQuery`): `group` and `topic` as stored. */
export function pageParam(c: WebContext, name: string): string | undefined {
  const v = c.req.query(name);
  return v !== undefined && (name === 'group' || name === 'topic') ? slugAsStored(v) : v;
}
