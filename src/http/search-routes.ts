import { getArtifact } from '../app/imports/artifacts.ts';
import { PriorWorkInput } from '../app/search/schemas.ts';
import { priorWork, search, SearchInput } from '../app/search/search.ts';
import type { Route } from './routes.ts';

export const searchRoutes: Route[] = [
  {
    method: 'get',
    path: '/api/search',
    tag: 'search',
    summary:
      'Search proposals, SEPs, artifacts, charters, meeting notes and comments; ranked, with highlighted snippets',
    query: SearchInput,
    returns: 'ranked results',
    handler: async ({ hub, query, signal }) => ({ body: await search(hub, query, { signal }) }),
  },
  {
    method: 'post',
    path: '/api/prior-work',
    tag: 'search',
    summary: 'Prior-work check for a draft: existing items that may cover the same ground, with reasons and a score',
    body: PriorWorkInput,
    returns: 'matches, best first',
    handler: async ({ hub, body, signal }) => ({ body: { items: await priorWork(hub, body, { signal }) } }),
  },
  {
    method: 'get',
    path: '/api/artifacts/{path}',
    tag: 'search',
    summary: 'A working-group artifact (path URL-encoded) with its revisions',
    returns: 'the artifact',
    // the router has decoded the path once already; decoding again would misread a literal %
    handler: async ({ hub, actor, params }) => ({ body: await getArtifact(hub, actor, params.path!) }),
  },
];
