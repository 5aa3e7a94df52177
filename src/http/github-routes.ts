// REST for the GitHub bridge: its state for operators (OpenAPI documents it like every route),
// and "sync now", which queues a reconcile for the worker and answers at once.
import { githubStatusFor, requestSync } from '../app/github/operate.ts';
import { SyncNowInput } from '../app/github/schemas.ts';
import type { Route } from './routes.ts';

export const githubRoutes: Route[] = [
  {
    method: 'get',
    path: '/api/github/status',
    tag: 'github',
    summary:
      'The GitHub bridge: each repository with its last sync (and the page an unfinished one resumes at), its mirrored pull requests, plain issues and Discussions with their comments, webhook deliveries (and how many wait to be applied), queue depth and failures with the reason',
    auth: true,
    returns: 'the bridge state, with `can` for the viewer (syncNow)',
    handler: async ({ hub, requireActor }) => ({ body: await githubStatusFor(hub, requireActor()) }),
  },
  {
    method: 'post',
    path: '/api/github/sync',
    tag: 'github',
    summary: 'Sync now: queue a reconcile of one repository (or all) for the worker',
    auth: true,
    body: SyncNowInput,
    status: 202,
    returns: 'the repositories queued, and those already waiting for a sync',
    handler: async ({ hub, requireActor, body }) => ({ body: await requestSync(hub, requireActor(), body) }),
  },
];
