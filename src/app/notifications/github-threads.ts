// Who is told of a comment mirrored from GitHub onto a plain issue or a Discussion (a pull
// request's comments are a proposal's: recipients.ts). Only what names a person, the kinds
// `mention` and `reply`: the people the comment @mentions (by the GitHub login the hub knows them
// by); for a reply in a Discussion, the author of the comment it answers; for a comment on the
// thread itself, whoever the thread answers to: its opener on GitHub, and, for a Discussion that is
// a meeting's notes or agenda, the person who keeps them (the note-taker, or the organiser when none
// is named; the organiser for an agenda). Watchers of a group hear nothing of GitHub chatter; they
// can watch the repository on GitHub. History (a comment from before the hub watched the
// repository) tells nobody, and nobody is told of their own comment. A thread muted from a mail's
// "Stop mail about this" no longer tells its opener or keeper; mentions and replies still come.
import type { NotificationKind } from '../../domain/notifications/kinds.ts';
import type { RecordedEvent, Tx } from '../core/hub.ts';
import { factList } from '../../store/events.ts';

type Candidate = { personId: string; kind: NotificationKind; reason: string; direct: boolean };
export type GithubThreadPlan = {
  title: string;
  groupId: string | null;
  /** The handles of the people the comment mentions (told first, as `mention`). */
  mentioned: string[];
  candidates: Candidate[];
  /** The comment's author: never told of their own comment, though the bridge recorded it. */
  self?: string;
} | null;

export const GITHUB_THREAD_EVENTS = new Set(['github.issue-commented', 'github.discussion-commented']);

/** The thread, its comment and the one it answers (Discussions only), as stored. */
async function threadFacts(trx: Tx, discussion: boolean, repo: string, number: number, commentId: string) {
  if (!discussion) {
    const thread = await trx
      .selectFrom('github_issues')
      .select(['title', 'author_id'])
      .where('repo', '=', repo)
      .where('number', '=', number)
      .executeTakeFirst();
    const comment = await trx
      .selectFrom('github_issue_comments')
      .select('author_id')
      .where('repo', '=', repo)
      .where('github_id', '=', commentId)
      .executeTakeFirst();
    return thread && comment
      ? { thread: { ...thread, meeting_id: null, kind: null }, comment, parent: undefined }
      : null;
  }
  const thread = await trx
    .selectFrom('github_discussions')
    .select(['title', 'author_id', 'meeting_id', 'kind'])
    .where('repo', '=', repo)
    .where('number', '=', number)
    .executeTakeFirst();
  const comment = await trx
    .selectFrom('github_discussion_comments')
    .select(['author_id', 'parent_github_id'])
    .where('repo', '=', repo)
    .where('github_id', '=', commentId)
    .executeTakeFirst();
  if (!thread || !comment) return null;
  const parent = comment.parent_github_id
    ? await trx
        .selectFrom('github_discussion_comments')
        .select('author_id')
        .where('repo', '=', repo)
        .where('github_id', '=', comment.parent_github_id)
        .executeTakeFirst()
    : undefined;
  return { thread, comment, parent };
}

export async function githubThreadPlan(trx: Tx, e: RecordedEvent, ref: string): Promise<GithubThreadPlan> {
  const after = e.after ?? {};
  // a comment the backfill mirrored from before the hub watched its repository is history, not news
  if (after.historical === true) return null;
  const at = /^(.+)#(\d+)$/.exec(ref);
  if (!at) return null;
  const repo = at[1]!;
  const number = Number(at[2]);
  const discussion = e.kind === 'github.discussion-commented';
  const facts = await threadFacts(trx, discussion, repo, number, String(after.comment));
  if (!facts) return null;
  const { thread, comment, parent } = facts;
  const meeting = thread.meeting_id
    ? await trx
        .selectFrom('meetings')
        .select(['number', 'group_id', 'note_taker_id', 'organiser_id'])
        .where('id', '=', thread.meeting_id)
        .executeTakeFirst()
    : undefined;
  const keeper = meeting
    ? thread.kind === 'notes'
      ? (meeting.note_taker_id ?? meeting.organiser_id)
      : meeting.organiser_id
    : null;
  const by = comment.author_id
    ? ((await trx.selectFrom('people').select('handle').where('id', '=', comment.author_id).executeTakeFirst())
        ?.handle ?? 'someone')
    : 'someone';
  const what = meeting ? `the ${thread.kind === 'notes' ? 'notes' : 'agenda'} of M-${meeting.number} (${ref})` : ref;
  // whoever muted the thread ("Stop mail about this") hears no more of comments on it, as when one
  // unsubscribes from a thread on GitHub; a mention or a reply to their own comment still reaches them
  const muted = new Set(
    (
      await trx
        .selectFrom('notification_subscriptions')
        .select('person_id')
        .where('subject_type', '=', e.subject.type)
        .where('subject_ref', '=', ref)
        .where('level', '=', 'muted')
        .execute()
    ).map((r) => r.person_id),
  );
  const candidates: Candidate[] = [];
  if (parent) {
    if (parent.author_id) candidates.push({ personId: parent.author_id, kind: 'reply', reason: 'reply', direct: true });
  } else {
    // a comment on the thread itself answers whoever it is addressed to
    if (keeper && !muted.has(keeper))
      candidates.push({
        personId: keeper,
        kind: 'reply',
        reason: thread.kind === 'notes' ? 'note-taker' : 'organiser',
        direct: true,
      });
    if (thread.author_id && !muted.has(thread.author_id))
      candidates.push({ personId: thread.author_id, kind: 'reply', reason: 'opened-on-github', direct: true });
  }
  return {
    title: `${by} ${parent ? 'replied' : 'commented'} on GitHub on ${what}: ${thread.title}`,
    groupId: meeting?.group_id ?? null,
    mentioned: factList(after, 'mentions', 'people'),
    candidates,
    ...(comment.author_id ? { self: comment.author_id } : {}),
  };
}
