// What the GitHub bridge keeps between runs (the store's JSON columns): where a sync resumes,
// what the last one did, a list page's ETag, the labels the hub last set.

export type IssueCounts = { added: number; edited: number; unchanged: number; hidden: number };
export type DiscussionCounts = { added: number; edited: number; unchanged: number; hidden: number; meetings: number };
export type OwnersSummary = { codeowners: number; maintainers: number; rolesRaised: number };

export type SyncSummary = {
  pages: number;
  pagesUnchanged: number;
  pulls: number;
  pullsUnchanged: number;
  seps: { created: number; updated: number; unchanged: number };
  comments: { added: number; edited: number; unchanged: number };
  teamMembers: number;
  /** Plain issues (not pull requests) and their comments; `hidden` counts those deleted on GitHub. */
  issues?: IssueCounts;
  issueComments?: IssueCounts;
  /** Discussions and their comments (`meetings`: how many are attached to a hub meeting). */
  discussions?: DiscussionCounts;
  discussionComments?: DiscussionCounts;
  /** CODEOWNERS rules and MAINTAINERS people read, and roles raised by them. */
  owners?: OwnersSummary;
  warnings: string[];
  resumedFromPage: number | null;
};

/**
 * Where an interrupted sync resumes: the next page of pull requests, and once those are done the
 * next page of plain issues and the GraphQL cursor after the last page of Discussions mirrored.
 */
export type SyncCursor = { page: number; issuesPage?: number; discussionsAfter?: string };

/** A list page's ETag, and whether GitHub said a next page followed it. */
export type EtagRecord = { etag: string; next: boolean };

/** The stage a pull request's labels were last set for, and the label the hub set. */
export type WritebackLabels = { stage: string; label: string | null };
