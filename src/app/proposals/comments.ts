import { shownRef } from '../../domain/governance/index.ts';
import { documentWords } from '../../domain/governance/words.ts';
import { sql } from 'kysely';
import { invalid, NotFound } from '../../domain/errors.ts';
import type { Mentions } from '../../domain/markdown.ts';
import { LIMITS, pageWithin } from '../../domain/limits.ts';
import { renderedOf, storedRendering } from '../../domain/comment-rendering.ts';
import { weighVoices, type Tally } from '../../domain/decisions/index.ts';
import { affiliationOn } from '../../domain/people.ts';
import type { TextFlag } from '../../domain/interests.ts';
import {
  CursorPart,
  assertVersion,
  decodeCursor,
  encodeCursor,
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
import { readJson, writeJson, type CommentsTable } from '../../store/schema.ts';
import { indexComment } from '../search/indexing.ts';
import { authorizeProposalAsPerson } from './access.ts';
import { proposalRow, refOf } from './proposals.ts';
import { CommentInput, EditCommentInput } from './schemas.ts';
import { parseInput } from '../core/validate.ts';
import { loadShippedModel } from '../../domain/hints/shipped.ts';

export type CommentView = {
  id: string;
  parent: string | null;
  author: string;
  /** The author's name, to show beside the handle. */
  authorName: string;
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
  /** The handle of the author of the comment this answers (a page may not hold that comment). */
  inReplyTo?: string | null;
  replies: CommentView[];
};

/** `by`: the moderator's handle ('a moderator' when unknown); `byName`: their name beside it, null then. */
export type Moderation = { at: string; by: string; byName: string | null; reason: string };

export type CommentRow = CommentsTable & { handle: string; author_name: string; parent_handle?: string | null };

type Moderator = { handle: string; name: string };

/** The people who moderated, by id, with their handles and names. */
export async function moderatorHandles(db: Tx, rows: CommentRow[]): Promise<Map<string, Moderator>> {
  const ids = [...new Set(rows.flatMap((r) => [r.hidden_by, r.locked_by]).filter((x): x is string => !!x))];
  if (!ids.length) return new Map();
  const people = await db.selectFrom('people').select(['id', 'handle', 'name']).where('id', 'in', ids).execute();
  return new Map(people.map((p) => [p.id, { handle: p.handle, name: p.name }]));
}

function moderation(
  at: string | null | undefined,
  by: string | null | undefined,
  reason: string | null | undefined,
  who: Map<string, Moderator>,
): Moderation | null {
  if (!at) return null;
  const m = by ? who.get(by) : undefined;
  return { at, by: m?.handle ?? 'a moderator', byName: m?.name ?? null, reason: reason ?? '' };
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

export function viewOf(
  r: CommentRow,
  can: Can<CommentAction>,
  who: Map<string, Moderator>,
  prefix: string,
): CommentView {
  const hidden = moderation(r.hidden_at, r.hidden_by, r.hidden_reason, who);
  const shown = !hidden || can.readHidden.allowed;
  // rendered when written (095); a comment written before, or by a path that stores no rendering, is rendered now
  const out = shown ? renderedOf(readJson(r.rendered ?? null), r.body, r.version, prefix) : null;
  return {
    id: r.id,
    parent: r.parent_id,
    author: r.handle,
    authorName: r.author_name,
    body: shown ? r.body : '',
    html: out?.html ?? '',
    mentions: out?.mentions ?? { people: [], items: [] },
    flags: out?.flags ?? [],
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    edited: r.version > 1,
    version: r.version,
    hidden,
    locked: moderation(r.locked_at, r.locked_by, r.locked_reason, who),
    can,
    ...(r.parent_handle !== undefined ? { inReplyTo: r.parent_handle } : {}),
    replies: [],
  };
}

async function commentRows(db: Tx, proposalId: string) {
  return db
    .selectFrom('comments as c')
    .innerJoin('people as p', 'p.id', 'c.author_id')
    .selectAll('c')
    .select(['p.handle', 'p.name as author_name'])
    .where('c.proposal_id', '=', proposalId)
    .orderBy('c.created_at')
    .orderBy('c.id')
    .execute();
}

/** How the voices in a discussion spread over organisations, with a warning when one dominates. */
// Reading every commenter is a walk of the whole thread (5,000 rows at 5,000 comments: 83 ms a
// request on PostgreSQL), so the tally is kept in the read cache until a write to this proposal
// (a comment names `proposal:REF`; a write that names nothing drops everything, a renamed person too).
export async function discussionVoices(hub: Hub, ref: string): Promise<Tally> {
  const p = await proposalRow(hub.store.db, ref, hub.governance);
  const at = refOf(p);
  return hub.reads.get(hub, `voices:${at}`, async () => {
    // who spoke and for which organisation (their latest comment's): no text is read
    const rows = await hub.store.db
      .selectFrom('comments as c')
      .innerJoin('people as p', 'p.id', 'c.author_id')
      .select(['p.handle', 'c.organisation'])
      .where('c.proposal_id', '=', p.id)
      // a comment a moderator hid is not a voice in the discussion
      .where('c.hidden_at', 'is', null)
      .orderBy('c.created_at')
      .orderBy('c.id')
      .execute();
    const byPerson = new Map(
      rows.map((r) => [r.handle, { handle: r.handle, kind: 'comment', organisation: r.organisation }]),
    );
    return { value: weighVoices(hub.governance, [...byPerson.values()]), tags: [`proposal:${at}`] };
  });
}

/**
 * The discussion of a proposal as `viewer` sees it, as a thread: replies nested under the comment
 * they answer; a hidden comment keeps its place (and its replies) with the reason instead of its text.
 */
export async function listComments(hub: Hub, ref: string, viewer: Actor | null = null): Promise<CommentView[]> {
  await loadShippedModel(); // a comment's hints (loaded on first use, before any transaction)
  const db = hub.store.db;
  const p = await proposalRow(db, ref, hub.governance);
  const rows = await commentRows(db, p.id);
  const [who, canOf] = await Promise.all([moderatorHandles(db, rows), commentCans(db, hub, viewer, p.group_id)]);
  const views = new Map<string, CommentView>();
  for (const r of rows) views.set(r.id, viewOf(r, canOf(r), who, documentWords(hub.governance).prefix));
  const roots: CommentView[] = [];
  for (const v of views.values()) {
    const parent = v.parent ? views.get(v.parent) : undefined;
    if (parent) parent.replies.push(v);
    else roots.push(v);
  }
  return roots;
}

/** Comments a page of a thread shows, at most; a REST or CLI page asks for up to `LIMITS` of `ListQuery`. */
export const THREAD_WINDOW = 30;

type Key = [string, string];

/** One query for a slice of a thread in (created_at, id) order, with the handle each reply answers. */
function pageRows(db: Tx, proposalId: string) {
  return db
    .selectFrom('comments as c')
    .innerJoin('people as p', 'p.id', 'c.author_id')
    .leftJoin('comments as pc', 'pc.id', 'c.parent_id')
    .leftJoin('people as pp', 'pp.id', 'pc.author_id')
    .selectAll('c')
    .select(['p.handle', 'p.name as author_name', 'pp.handle as parent_handle'])
    .where('c.proposal_id', '=', proposalId);
}

const after = (k: Key) => sql<boolean>`(c.created_at, c.id) > (${k[0]}, ${k[1]})`;
const before = (k: Key, inclusive: boolean) =>
  inclusive
    ? sql<boolean>`(c.created_at, c.id) <= (${k[0]}, ${k[1]})`
    : sql<boolean>`(c.created_at, c.id) < (${k[0]}, ${k[1]})`;

const CommentKey = [CursorPart.time, CursorPart.id] as const;
const keyOf = (cursor: string | undefined, field: string): Key | undefined => decodeCursor(cursor, CommentKey, field);

async function countComments(db: Tx, proposalId: string): Promise<number> {
  const r = await db
    .selectFrom('comments')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('proposal_id', '=', proposalId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

async function viewsOf(hub: Hub, rows: CommentRow[], viewer: Actor | null, groupId: string | null) {
  await loadShippedModel(); // a comment's hints (loaded on first use, before any transaction)
  const db = hub.store.db;
  const [who, canOf] = await Promise.all([moderatorHandles(db, rows), commentCans(db, hub, viewer, groupId)]);
  return rows.map((r) => viewOf(r, canOf(r), who, documentWords(hub.governance).prefix));
}

/**
 * A page of the discussion, oldest first, flat (each comment names the one it answers): a walk
 * with `nextCursor` meets every comment exactly once, and comments added meanwhile come at the end.
 */
export async function commentsPage(
  hub: Hub,
  ref: string,
  viewer: Actor | null,
  q: { limit: number; cursor?: string | undefined },
): Promise<{ items: CommentView[]; nextCursor: string | null; total: number }> {
  const db = hub.store.db;
  const p = await proposalRow(db, ref, hub.governance);
  const from = keyOf(q.cursor, 'cursor');
  let query = pageRows(db, p.id)
    .orderBy('c.created_at')
    .orderBy('c.id')
    .limit(q.limit + 1);
  if (from) query = query.where(after(from));
  const [rows, total] = await Promise.all([query.execute(), countComments(db, p.id)]);
  const page = pageWithin(
    rows.slice(0, q.limit),
    LIMITS.commentPageChars,
    (r) => r.body.length + (r.rendered?.length ?? 0),
  );
  const last = page.at(-1);
  return {
    items: await viewsOf(hub, page, viewer, p.group_id),
    nextCursor: rows.length > page.length && last ? encodeCursor([last.created_at, last.id]) : null,
    total,
  };
}

export type CommentWindow = {
  /** Threaded within the window: a reply whose comment is shown nests under it, others say whom they answer. */
  comments: CommentView[];
  shown: number;
  total: number;
  /** Cursor for the comments just before this window (`before`), null when it starts the thread. */
  earlier: string | null;
  /** Cursor for the window just after this one (`upto`), '' when that is the newest, null when this is. */
  later: string | null;
};

/**
 * The part of a long thread a page shows: the newest `limit` comments, or those up to a cursor
 * (`upto`, inclusive, as a link to one comment gives) or just before one (`before`, "show earlier"),
 * in reading order. Bounded whatever the thread's length.
 */
export async function commentWindow(
  hub: Hub,
  ref: string,
  viewer: Actor | null,
  q: { before?: string | undefined; upto?: string | undefined; limit?: number },
): Promise<CommentWindow> {
  const db = hub.store.db;
  const limit = q.limit ?? THREAD_WINDOW;
  const p = await proposalRow(db, ref, hub.governance);
  const end = keyOf(q.upto, 'upto') ?? keyOf(q.before, 'before');
  // the newest comments within the characters a page of them holds (attack round 22: 30 comments of
  // 50,000 characters made a proposal's page 5 MB and 0.4-0.6 s for every visitor, and the
  // summarise_discussion prompt's 200 of them 10 MB and a second); "show earlier" goes on from it.
  // Their sizes are read first, so the text of comments left out is never read at all
  let sizes = db
    .selectFrom('comments as c')
    .select(['c.id', sql<number>`length(c.body) + coalesce(length(c.rendered), 0)`.as('chars')])
    .where('c.proposal_id', '=', p.id)
    .orderBy('c.created_at', 'desc')
    .orderBy('c.id', 'desc')
    .limit(limit + 1);
  if (end) sizes = sizes.where(before(end, !!q.upto));
  const [rows, total] = await Promise.all([sizes.execute(), countComments(db, p.id)]);
  const kept = pageWithin(rows.slice(0, limit), LIMITS.commentPageChars, (r) => Number(r.chars)).map((r) => r.id);
  const page = kept.length
    ? await pageRows(db, p.id).where('c.id', 'in', kept).orderBy('c.created_at').orderBy('c.id').execute()
    : [];
  const first = page[0];
  const last = page.at(-1);
  let later: string | null = null;
  if (end && last) {
    // the next window ends at the last of the comments right after this one that a window holds
    // (`limit` of them within the characters a page holds): a window ending further on keeps only its
    // newest that fit, and those right after this one were skipped (60 comments of 50,000 characters:
    // about ten, before 2026-12-07). Only their sizes are read
    const next = await db
      .selectFrom('comments as c')
      .select(['c.id', 'c.created_at', sql<number>`length(c.body) + coalesce(length(c.rendered), 0)`.as('chars')])
      .where('c.proposal_id', '=', p.id)
      .where(after([last.created_at, last.id]))
      .orderBy('c.created_at')
      .orderBy('c.id')
      .limit(limit + 1)
      .execute();
    const fits = pageWithin(next.slice(0, limit), LIMITS.commentPageChars, (r) => Number(r.chars));
    const to = fits.at(-1);
    // more follow those: link to the window ending at them; none: link to the newest page; nothing after: none
    later = !to ? null : fits.length < next.length ? encodeCursor([to.created_at, to.id]) : '';
  }
  const views = await viewsOf(hub, page, viewer, p.group_id);
  const byId = new Map(views.map((v) => [v.id, v]));
  const roots: CommentView[] = [];
  for (const v of views) {
    const parent = v.parent ? byId.get(v.parent) : undefined;
    if (parent) {
      delete v.inReplyTo; // shown under the comment it answers
      parent.replies.push(v);
    } else roots.push(v);
  }
  return {
    comments: roots,
    shown: page.length,
    total,
    earlier: rows.length > page.length && first ? encodeCursor([first.created_at, first.id]) : null,
    later,
  };
}

/** The cursor that shows one comment in its window (`upto`). */
export async function cursorOfComment(hub: Hub, commentId: string): Promise<string | null> {
  const c = await hub.store.db
    .selectFrom('comments')
    .select(['created_at', 'id'])
    .where('id', '=', commentId)
    .executeTakeFirst();
  return c ? encodeCursor([c.created_at, c.id]) : null;
}

/** The proposal a comment is on; NotFound when there is no such comment. */
export async function proposalOfComment(hub: Hub, commentId: string): Promise<string> {
  return refOf((await commentOnProposal(hub.store.db, commentId)).proposal);
}

export async function addComment(hub: Hub, actor: Actor, ref: string, raw: unknown): Promise<CommentView> {
  const me = await authorizeProposalAsPerson(
    hub.store.db,
    hub,
    actor,
    await proposalRow(hub.store.db, ref, hub.governance),
    'comment',
  );
  const input = parseInput(CommentInput, raw);
  await loadShippedModel(); // a comment's hints (loaded on first use, before any transaction)
  return inTransaction(hub, (trx) => addCommentIn(trx, hub, me, ref, input));
}

/**
 * Adds a comment inside a caller's transaction (a reply by mail consumes its reply address in the
 * same write). The input is checked here too: a reply by mail reaches no other check of a comment's rules.
 */
export async function addCommentIn(
  trx: Tx,
  hub: Hub,
  actor: Actor & { kind: 'person' },
  ref: string,
  raw: unknown,
): Promise<CommentView> {
  await loadShippedModel(); // a comment's hints (a reply by mail comes here inside its transaction)
  const input = parseInput(CommentInput, raw);
  {
    const p = await proposalRow(trx, ref, hub.governance);
    const canOf = await commentCans(trx, hub, actor, p.group_id);
    if (input.parent) {
      const parent = await trx
        .selectFrom('comments')
        .select(['id', 'author_id', 'hidden_at', 'locked_at'])
        .where('id', '=', input.parent)
        .where('proposal_id', '=', p.id)
        .executeTakeFirst();
      if (!parent) throw invalid('parent', `no comment '${input.parent}' on ${shownRef(hub.governance, refOf(p))}`);
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
    const rendered = storedRendering(input.body, 1, documentWords(hub.governance).prefix);
    await trx
      .insertInto('comments')
      .values({ ...row, rendered: writeJson(rendered) })
      .execute();
    await trx
      .insertInto('comment_revisions')
      .values({ comment_id: row.id, revision: 1, body: input.body, edited_at: now })
      .execute();
    if (p.group_id) await touchMembership(trx, hub, p.group_id, actor.person.id);
    await indexComment(trx, row.id);
    const mentions = rendered.mentions;
    // what a comment changes in cached reads: this proposal's pages, and its group's member list
    // (the author's activity); every other proposal's and group's stay in memory
    await record(
      trx,
      hub,
      actor,
      'proposal.commented',
      { type: 'proposal', id: refOf(p) },
      null,
      { comment: row.id, parent: row.parent_id, mentions },
      [`proposal:${refOf(p)}`, ...(p.group_id ? [`members:${p.group_id}`] : [])],
    );
    return viewOf(
      { ...row, handle: actor.person.handle, author_name: actor.person.name },
      canOf(row),
      new Map(),
      documentWords(hub.governance).prefix,
    );
  }
}

/** A comment with its author's handle and the proposal it is on; NotFound when there is none. */
export async function commentOnProposal(trx: Tx, commentId: string) {
  const c = await trx
    .selectFrom('comments as c')
    .innerJoin('people as p', 'p.id', 'c.author_id')
    .selectAll('c')
    .select(['p.handle', 'p.name as author_name'])
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
  await loadShippedModel(); // a comment's hints (loaded on first use, before any transaction)
  return inTransaction(hub, async (trx) => {
    const { c, proposal } = await commentOnProposal(trx, commentId);
    const canOf = await commentCans(trx, hub, actor, proposal.group_id);
    authorize(canOf(c), 'edit');
    const expected = requireVersion(expectedVersion, `comment ${commentId}`);
    const input = parseInput(EditCommentInput, raw);
    assertVersion(c.version, expected, `comment ${commentId}`, { body: c.body, version: c.version });
    // a form saved as it was shown changes nothing: no revision, no "edited", no event
    if (input.body === c.body) return viewOf(c, canOf(c), new Map(), documentWords(hub.governance).prefix);
    const now = nowIso(hub);
    const res = await trx
      .updateTable('comments')
      .set({
        body: input.body,
        updated_at: now,
        version: expected + 1,
        rendered: writeJson(storedRendering(input.body, expected + 1, documentWords(hub.governance).prefix)),
      })
      .where('id', '=', commentId)
      .where('version', '=', expected)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) assertVersion(c.version + 1, expected, `comment ${commentId}`, null);
    await trx
      .insertInto('comment_revisions')
      .values({ comment_id: commentId, revision: expected + 1, body: input.body, edited_at: now })
      .execute();
    await indexComment(trx, commentId);
    // the log names the revisions, not their text: the history keeps every text and follows the
    // comment's moderation, the log (which anyone reads, and a public export carries whole) cannot
    await record(
      trx,
      hub,
      actor,
      'proposal.comment-edited',
      { type: 'proposal', id: refOf(proposal) },
      { comment: commentId, revision: expected },
      { comment: commentId, revision: expected + 1 },
      [`proposal:${refOf(proposal)}`],
    );
    return viewOf(
      { ...c, body: input.body, updated_at: now, version: expected + 1 },
      canOf(c),
      new Map(),
      documentWords(hub.governance).prefix,
    );
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
