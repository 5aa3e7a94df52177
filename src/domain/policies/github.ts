// Who may see the GitHub bridge's state (repositories, queues, failures with their reasons) and
// start a sync now: the governance file's github.viewStatus and github.sync. A sync needs a
// repository to be named first, and that is said to everyone before who may.
import type { Governance } from '../governance/schema.ts';
import { checkPermission } from './rules.ts';
import { firstRefusal, refused, ALLOWED, type Can } from './verdict.ts';
import type { Viewer } from './viewer.ts';

export const GITHUB_ACTIONS = ['viewStatus', 'syncNow'] as const;
export type GithubAction = (typeof GITHUB_ACTIONS)[number];

export function githubPolicy(g: Governance, viewer: Viewer, f: { configured: boolean }): Can<GithubAction> {
  return {
    viewStatus: checkPermission(g, 'github.viewStatus', viewer, {}),
    syncNow: firstRefusal(
      f.configured ? ALLOWED : refused('No GitHub repository is named in the governance file yet'),
      () => checkPermission(g, 'github.sync', viewer, {}),
    ),
  };
}
