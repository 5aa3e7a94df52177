import { Forbidden, invalid, NotFound } from '../../domain/errors.ts';
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
import { touchMembership } from '../groups/groups.ts';
import { indexComment } from '../search/indexing.ts';
import { requireContributor, requirePermission } from '../people/people.ts';
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
  replies: CommentView[];
};

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

/** The discussion of a proposal as a thread: replies nested under the comment they answer. */
export async function listComments(hub: Hub, ref: string): Promise<CommentView[]> {
  const p = await proposalRow(hub.store.db, ref);
  const rows = await commentRows(hub.store.db, p.id);
  const views = new Map<string, CommentView>();
  for (const r of rows) {
    views.set(r.id, {
      id: r.id,
      parent: r.parent_id,
      author: r.handle,
      body: r.body,
      html: renderMarkdown(r.body),
      mentions: findMentions(r.body),
      flags: checkText(r.body),
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      edited: r.version > 1,
      version: r.version,
      replies: [],
    });
  }
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
  if (actor.kind !== 'person') throw new Forbidden('comments are written by a person: use --as HANDLE');
  requireContributor(hub, actor);
  requirePermission(hub, actor, 'proposal.comment');
  return inTransaction(hub, async (trx) => {
    const p = await proposalRow(trx, ref);
    if (input.parent) {
      const parent = await trx
        .selectFrom('comments')
        .select('id')
        .where('id', '=', input.parent)
        .where('proposal_id', '=', p.id)
        .executeTakeFirst();
      if (!parent) throw invalid('parent', `no comment '${input.parent}' on ${refOf(p)}`);
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
    return {
      id: row.id,
      parent: row.parent_id,
      author: actor.person.handle,
      body: row.body,
      html: renderMarkdown(row.body),
      mentions,
      flags: checkText(row.body),
      createdAt: now,
      updatedAt: now,
      edited: false,
      version: 1,
      replies: [],
    };
  });
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
    const c = await trx
      .selectFrom('comments as c')
      .innerJoin('people as p', 'p.id', 'c.author_id')
      .selectAll('c')
      .select('p.handle')
      .where('c.id', '=', commentId)
      .executeTakeFirst();
    if (!c) throw new NotFound('comment', commentId);
    if (actor.kind === 'person' && actor.person.id !== c.author_id)
      throw new Forbidden('only its author can edit a comment');
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
    const proposal = await trx
      .selectFrom('proposals')
      .select(['number', 'sep_number'])
      .where('id', '=', c.proposal_id)
      .executeTakeFirstOrThrow();
    await record(
      trx,
      hub,
      actor,
      'proposal.comment-edited',
      { type: 'proposal', id: refOf(proposal) },
      { comment: commentId, body: c.body },
      { comment: commentId, body: input.body },
    );
    return {
      id: c.id,
      parent: c.parent_id,
      author: c.handle,
      body: input.body,
      html: renderMarkdown(input.body),
      mentions: findMentions(input.body),
      flags: checkText(input.body),
      createdAt: c.created_at,
      updatedAt: now,
      edited: true,
      version: expected + 1,
      replies: [],
    };
  });
}

export async function commentHistory(hub: Hub, commentId: string) {
  const rows = await hub.store.db
    .selectFrom('comment_revisions')
    .selectAll()
    .where('comment_id', '=', commentId)
    .orderBy('revision')
    .execute();
  if (!rows.length) throw new NotFound('comment', commentId);
  return rows.map((r) => ({ revision: r.revision, body: r.body, editedAt: r.edited_at }));
}
