// What of a pull request's conversation becomes the proposal's thread, the same for the backfill's
// listings (REST) and for a delivery's payload: comments, reviews and review comments, each as the
// comment the thread shows, or nothing for what is not part of the discussion (a comment with no
// author left, the hub's own status and outcome comments, a review that only approved nothing).
import { isHubComment } from '../../domain/github/write-back.ts';
import type { IssueCommentJson } from './issues.ts';
import type { CommentFacts } from './mirror.ts';

/** A thread comment before it is placed: the repository and the proposal are the caller's. */
export type PullThreadItem = Omit<CommentFacts, 'repo' | 'proposalId'> & { id: number };

/** A comment on the pull request's conversation (`issue_comment`) or on its changes (`review_comment`). */
export function pullComment(
  kind: 'issue_comment' | 'review_comment',
  c: IssueCommentJson & {
    /** review comments: the file and line they are on */
    path?: string | null;
    line?: number | null;
    original_line?: number | null;
  },
): PullThreadItem | null {
  if (!c.user || isHubComment(c.body)) return null;
  return {
    kind,
    id: c.id,
    login: c.user.login,
    accountId: c.user.id ?? null,
    body:
      kind === 'review_comment'
        ? reviewCommentText(c.path ?? null, c.line ?? c.original_line ?? null, c.body ?? null)
        : (c.body ?? ''),
    createdAt: c.created_at,
    updatedAt: c.updated_at,
    url: c.html_url,
  };
}

/**
 * A submitted review; one that says nothing beyond "commented" is left out (its comments come on their own).
 * `retext`: its text as edited or as GitHub lists it now (mirror.ts `CommentFacts.retext`); `present`:
 * as GitHub lists it now, the listing asked for at that time (`CommentFacts.present`). Its time is when it was last edited, where GitHub says (`updated_at`, in an
 * edit's delivery), else when it was submitted.
 */
export function pullReview(
  rv: {
    id: number;
    body?: string | null;
    user?: { login: string; id?: number | bigint } | null;
    state: string;
    submitted_at?: string | null;
    updated_at?: string | null;
    html_url: string;
  },
  o: { retext?: boolean; present?: string } = {},
): PullThreadItem | null {
  const state = rv.state.toUpperCase();
  if (!rv.user || !rv.submitted_at || (!rv.body && state === 'COMMENTED')) return null;
  return {
    kind: 'review',
    id: rv.id,
    login: rv.user.login,
    accountId: rv.user.id ?? null,
    body: reviewText(state, rv.body),
    createdAt: rv.submitted_at,
    updatedAt: rv.updated_at && rv.updated_at > rv.submitted_at ? rv.updated_at : rv.submitted_at,
    url: rv.html_url,
    ...(state === 'DISMISSED' ? { final: true } : {}),
    ...(o.retext || o.present ? { retext: true } : {}),
    ...(o.present ? { present: o.present } : {}),
  };
}

/** Whether a thread comment's text is a dismissed review's (reviewText). */
export function isDismissedReview(body: string): boolean {
  return body.startsWith('**Review dismissed** (GitHub review)');
}

export function reviewText(state: string, body: string | null | undefined): string {
  const word =
    state === 'APPROVED'
      ? 'Approved'
      : state === 'CHANGES_REQUESTED'
        ? 'Changes requested'
        : state === 'DISMISSED'
          ? 'Review dismissed'
          : 'Reviewed';
  return body ? `**${word}** (GitHub review)\n\n${body}` : `**${word}** (GitHub review)`;
}

/** A review comment in the thread says which file and line of the SEP it is about. */
export function reviewCommentText(file: string | null, line: number | null, body: string | null): string {
  const where = file ? `on \`${file}\`${line ? ` line ${line}` : ''}` : 'on the changes';
  return `**Review comment** ${where} (GitHub)\n\n${body ?? ''}`.trimEnd();
}
