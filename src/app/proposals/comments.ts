import { invalid, NotFound } from '../../domain/errors.ts';
import { findMentions, renderMarkdown, type Mentions } from '../../domain/markdown.ts';
import { weighVoices, type Tally } from '../../domain/decisions/index.ts';
import { affiliationOn } from '../../domain/people.ts';
import { checkText, type TextFlag } from '../../domain/interests.ts';
import {
  assertVersion,
  inTransaction,
  nowIso,
  record,
  requireVersion,
  type Actor,
  type Hub,
  type Tx,
} from '../core/hub.ts';
import { activeLevelIn, touchMembership } from '../groups/groups.ts';
import { authorize, viewerOf } from '../core/gate.ts';
import { commentPolicy, type Can, type CommentAction } from '../../domain/policies/index.ts';
import type { CommentsTable } from '../../store/schema.ts';
import { indexComment } from '../search/indexing.ts';
import { authorizeProposal } from './access.ts';
import { proposalRow, refOf } from './proposals.ts';
import { CommentInput, EditCommentInput } from './schemas.ts';
import { parseInput } from '../core/validate.ts';

export type CommentView = {
  id: string;
  parent: string | null;
  author: string;
  body: string;
  /** Sanitised HTML, safe to insert into a page. */
  html: string;
  mentions: Mentions;
  /** Position-style or marketing sentences, with the guide's advice; they never block. */
  flags: TextFlag[];
  createdAt: string;
  updatedAt: string;
  edited: boolean;
  version: number;
  /** Hidden by a moderator: readers see who, when and why; `body` and `html` are empty unless the viewer moderates. */
  hidden: Moderation | null;
  /** Locked by a moderator: no edits, no replies. */
  locked: Moderation | null;
  /** What the viewer may do to this comment now, and why not. */
  can: Can<CommentAction>;
  replies: CommentView[];
};

export type Moderation = { at: string; by: string; reason: string };

export type CommentRow = CommentsTable & { handle: string };

/** The people who moderated, by id, as handles. */
export async function moderatorHandles(db: Tx, rows: CommentRow[]): Promise<Map<string, string>> {
  const ids = [...new Set(rows.flatMap((r) => [r.hidden_by, r.locked_by]).filter((x): x is string => !!x))];
  if (!ids.length) return new Map();
  const people = await db.selectFrom('people').select(['id', 'handle']).where('id', 'in', ids).execute();
  return new Map(people.map((p) => [p.id, p.handle]));
}

function moderation(
  at: string | null | undefined,
  by: string | null | undefined,
  reason: string | null | undefined,
  who: Map<string, string>,
): Moderation | null {
  if (!at) return null;
  return { at, by: (by && who.get(by)) ?? 'a moderator', reason: reason ?? '' };
}

/** The comment policy for this viewer: their level in the proposal's group, and whether they wrote it. */
export async function commentCans(db: Tx, hub: Hub, viewer: Actor | null, groupId: string | null) {
  const groupLevel = viewer && groupId ? await activeLevelIn(db, hub, groupId, viewer) : null;
  const v = viewerOf(hub, viewer);
  return (r: Pick<CommentRow, 'author_id' | 'hidden_at' | 'locked_at'>) =>
    commentPolicy(
      hub.governance,
      v,
      { groupLevel, relations: viewer?.kind === 'person' && viewer.person.id === r.author_id ? ['author'] : [] },
      { hidden: !!r.hidden_at, locked: !!r.locked_at },
    );
}

export function viewOf(r: CommentRow, can: Can<CommentAction>, who: Map<string, string>): CommentView {
  const hidden = moderation(r.hidden_at, r.hidden_by, r.hidden_reason, who);
  const shown = !hidden || can.readHidden.allowed;
  return {
    id: r.id,
    parent: r.parent_id,
    author: r.handle,
    body: shown ? r.body : '',
    html: shown ? renderMarkdown(r.body) : '',
    mentions: shown ? findMentions(r.body) : { people: [], items: [] },
    flags: shown ? checkText(r.body) : [],
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    edited: r.version > 1,
    version: r.version,
    hidden,
    locked: moderation(r.locked_at, r.locked_by, r.locked_reason, who),
    can,
    replies: [],
  };
}

async function commentRows(db: Tx, proposalId: string) {
  return db
    .selectFrom('comments as c')
    .innerJoin('people as p', 'p.id', 'c.author_id')
    .selectAll('c')
    .select('p.handle')
    .where('c.proposal_id', '=', proposalId)
    .orderBy('c.created_at')
    .orderBy('c.id')
    .execute();
}

/** How the voices in a discussion spread over organisations, with a warning when one dominates. */
export async function discussionVoices(hub: Hub, ref: string): Promise<Tally> {
  const p = await proposalRow(hub.store.db, ref);
  const rows = await commentRows(hub.store.db, p.id);
  const byPerson = new Map(
    rows.map((r) => [r.handle, { handle: r.handle, kind: 'comment', organisation: r.organisation }]),
  );
  return weighVoices(hub.governance, [...byPerson.values()]);
}

/**
 * The discussion of a proposal as `viewer` sees it, as a thread: replies nested under the comment
 * they answer; a hidden comment keeps its place (and its replies) with the reason instead of its text.
 */
export async function listComments(hub: Hub, ref: string, viewer: Actor | null = null): Promise<CommentView[]> {
  const db = hub.store.db;
  const p = await proposalRow(db, ref);
  const rows = await commentRows(db, p.id);
  const [who, canOf] = await Promise.all([moderatorHandles(db, rows), commentCans(db, hub, viewer, p.group_id)]);
  const views = new Map<string, CommentView>();
  for (const r of rows) views.set(r.id, viewOf(r, canOf(r), who));
  const roots: CommentView[] = [];
  for (const v of views.values()) {
    const parent = v.parent ? views.get(v.parent) : undefined;
    if (parent) parent.replies.push(v);
    else roots.push(v);
  }
  return roots;
}

export async function addComment(hub: Hub, actor: Actor, ref: string, raw: unknown): Promise<CommentView> {
  const input = parseInput(CommentInput, raw);
  await authorizeProposal(hub.store.db, hub, actor, await proposalRow(hub.store.db, ref), 'comment');
  if (actor.kind !== 'person') throw new Error('the policy lets only a person comment');
  return inTransaction(hub, (trx) => addCommentIn(trx, hub, actor, ref, input));
}

/** Adds a comment inside a caller's transaction (a reply by mail consumes its reply address in the same write). */
export async function addCommentIn(
  trx: Tx,
  hub: Hub,
  actor: Actor & { kind: 'person' },
  ref: string,
  input: { body: string; parent?: string | undefined },
): Promise<CommentView> {
  {
    const p = await proposalRow(trx, ref);
    const canOf = await commentCans(trx, hub, actor, p.group_id);
    if (input.parent) {
      const parent = await trx
        .selectFrom('comments')
        .select(['id', 'author_id', 'hidden_at', 'locked_at'])
        .where('id', '=', input.parent)
        .where('proposal_id', '=', p.id)
        .executeTakeFirst();
      if (!parent) throw invalid('parent', `no comment '${input.parent}' on ${refOf(p)}`);
      authorize(canOf(parent), 'reply');
    }
    const now = nowIso(hub);
    const affs = await trx
      .selectFrom('affiliations as a')
      .innerJoin('organisations as o', 'o.id', 'a.organisation_id')
      .select(['o.name as organisation', 'a.from_date as from', 'a.to_date as to'])
      .where('a.person_id', '=', actor.person.id)
      .execute();
    const organisation = affiliationOn(affs, now)?.organisation ?? null;
    const row = {
      id: hub.newId(),
      proposal_id: p.id,
      parent_id: input.parent ?? null,
      author_id: actor.person.id,
      body: input.body,
      organisation,
      created_at: now,
      updated_at: now,
      version: 1,
    };
    await trx.insertInto('comments').values(row).execute();
    await trx
      .insertInto('comment_revisions')
      .values({ comment_id: row.id, revision: 1, body: input.body, edited_at: now })
      .execute();
    if (p.group_id) await touchMembership(trx, hub, p.group_id, actor.person.id);
    await indexComment(trx, row.id);
    const mentions = findMentions(input.body);
    await record(trx, hub, actor, 'proposal.commented', { type: 'proposal', id: refOf(p) }, null, {
      comment: row.id,
      parent: row.parent_id,
      mentions,
    });
    return viewOf({ ...row, handle: actor.person.handle }, canOf(row), new Map());
  }
}

/** A comment with its author's handle and the proposal it is on; NotFound when there is none. */
export async function commentOnProposal(trx: Tx, commentId: string) {
  const c = await trx
    .selectFrom('comments as c')
    .innerJoin('people as p', 'p.id', 'c.author_id')
    .selectAll('c')
    .select('p.handle')
    .where('c.id', '=', commentId)
    .executeTakeFirst();
  if (!c) throw new NotFound('comment', commentId);
  const proposal = await trx
    .selectFrom('proposals')
    .select(['number', 'sep_number', 'group_id'])
    .where('id', '=', c.proposal_id)
    .executeTakeFirstOrThrow();
  return { c, proposal };
}

/** Edits a comment (its author only); every earlier text stays in its history. */
export async function editComment(
  hub: Hub,
  actor: Actor,
  commentId: string,
  expectedVersion: number | undefined,
  raw: unknown,
): Promise<CommentView> {
  const input = parseInput(EditCommentInput, raw);
  const expected = requireVersion(expectedVersion, `comment ${commentId}`);
  return inTransaction(hub, async (trx) => {
    const { c, proposal } = await commentOnProposal(trx, commentId);
    const canOf = await commentCans(trx, hub, actor, proposal.group_id);
    authorize(canOf(c), 'edit');
    assertVersion(c.version, expected, `comment ${commentId}`, { body: c.body, version: c.version });
    const now = nowIso(hub);
    const res = await trx
      .updateTable('comments')
      .set({ body: input.body, updated_at: now, version: expected + 1 })
      .where('id', '=', commentId)
      .where('version', '=', expected)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) assertVersion(c.version + 1, expected, `comment ${commentId}`, null);
    await trx
      .insertInto('comment_revisions')
      .values({ comment_id: commentId, revision: expected + 1, body: input.body, edited_at: now })
      .execute();
    await indexComment(trx, commentId);
    await record(
      trx,
      hub,
      actor,
      'proposal.comment-edited',
      { type: 'proposal', id: refOf(proposal) },
      { comment: commentId, body: c.body },
      { comment: commentId, body: input.body },
    );
    return viewOf({ ...c, body: input.body, updated_at: now, version: expected + 1 }, canOf(c), new Map());
  });
}

/** Every text a comment had; a hidden comment's only for those who may read it. */
export async function commentHistory(hub: Hub, commentId: string, viewer: Actor | null = null) {
  const c = await hub.store.db
    .selectFrom('comments as c')
    .innerJoin('proposals as p', 'p.id', 'c.proposal_id')
    .select(['c.author_id', 'c.hidden_at', 'c.locked_at', 'p.group_id'])
    .where('c.id', '=', commentId)
    .executeTakeFirst();
  if (!c) throw new NotFound('comment', commentId);
  if (c.hidden_at) authorize((await commentCans(hub.store.db, hub, viewer, c.group_id))(c), 'readHidden');
  const rows = await hub.store.db
    .selectFrom('comment_revisions')
    .selectAll()
    .where('comment_id', '=', commentId)
    .orderBy('revision')
    .execute();
  if (!rows.length) throw new NotFound('comment', commentId);
  return rows.map((r) => ({ revision: r.revision, body: r.body, editedAt: r.edited_at }));
}
