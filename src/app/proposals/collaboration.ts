// The draft of a proposal's pull request description (the guide's step 6): the collaboration the
// hub recorded, gathered once and written by domain/proposals/collaboration.ts, for every edge.
import {
  collaborationGaps,
  pullRequestDescription,
  type CollaborationFacts,
} from '../../domain/proposals/collaboration.ts';
import { OUTCOME_WORDS } from '../../domain/decisions/index.ts';
import type { ExpressionBuilder } from 'kysely';
import { LIMITS } from '../../domain/limits.ts';
import type { Database } from '../../store/schema.ts';
import { readJson } from '../../store/schema.ts';
import type { Can } from '../../domain/policies/index.ts';
import { characterCount } from '../../domain/text.ts';
import { factText } from '../../store/events.ts';
import type { Actor, Hub, Tx } from '../core/hub.ts';
import { nowIso } from '../core/hub.ts';
import { decisionRef, decisionStateOf } from '../decisions/decisions.ts';
import { meetingRef } from '../meetings/meetings.ts';
import { namesOf } from '../people/names.ts';
import { getProposal, proposalRow } from './proposals.ts';

export type PullRequestDraft = {
  proposal: string;
  title: string;
  stage: string;
  /** What the guide's route asks for that the record does not show yet; empty when nothing is missing. */
  gaps: string[];
  /** The description to paste into the pull request, in markdown. */
  markdown: string;
  /** The facts it was written from, for a client that writes its own. */
  facts: CollaborationFacts;
  /** Whether the viewer may edit the proposal (to add what the gaps name), and if not why, as the proposal's own `can.edit`. */
  can: Can<'edit'>;
};

/** Both names a proposal may have had: events and links made before it became a SEP name its P-n. */
function refsOf(p: { number: number; sep_number: number | null }): string[] {
  return [`P-${p.number}`, ...(p.sep_number !== null ? [`SEP-${p.sep_number}`] : [])];
}

async function stageMoves(db: Tx, refs: string[]): Promise<CollaborationFacts['moves']> {
  const rows = await db
    .selectFrom('events')
    .select(['at', 'actor', 'before', 'after'])
    .where('subject_type', '=', 'proposal')
    .where('subject_id', 'in', refs)
    .where('kind', '=', 'proposal.stage-changed')
    .orderBy('seq')
    .execute();
  const names = await namesOf(
    db,
    rows.map((r) => r.actor),
  );
  return rows.map((r) => ({
    from: factText(r.before ? readJson(r.before) : null, 'stage') ?? '?',
    to: factText(r.after ? readJson(r.after) : null, 'stage') ?? '?',
    at: r.at,
    // a job's move (dormancy) is the hub's, not a person's
    by: r.actor && !r.actor.includes(':') ? (names[r.actor] ?? r.actor) : null,
  }));
}

async function discussionOf(db: Tx, proposalId: string): Promise<Omit<CollaborationFacts['discussion'], 'url'>> {
  // comments a moderator hid are not collaboration to point a reviewer at
  const rows = await db
    .selectFrom('comments as c')
    .innerJoin('people as p', 'p.id', 'c.author_id')
    .select(['c.author_id', 'p.name', 'p.handle', 'c.organisation', 'c.created_at'])
    .where('c.proposal_id', '=', proposalId)
    .where('c.hidden_at', 'is', null)
    .orderBy('c.created_at')
    .orderBy('c.id')
    .execute();
  // each person once, by who they are (two people may share a name), for their latest organisation
  const people = new Map<string, { name: string; organisation: string | null }>();
  for (const r of rows)
    people.set(r.author_id, {
      name: r.name.trim() || r.handle,
      organisation: r.organisation ?? people.get(r.author_id)?.organisation ?? null,
    });
  return {
    comments: rows.length,
    people: [...people.values()],
    first: rows[0]?.created_at ?? null,
    last: rows.at(-1)?.created_at ?? null,
  };
}

/** The latest decisions about it (LIMITS.pullRequestDraft), oldest first, and how many earlier ones are not listed. */
async function decisionsAbout(hub: Hub, refs: string[], at: (path: string) => string | null) {
  const about = hub.store.db
    .selectFrom('decisions')
    .where('subject_type', '=', 'proposal')
    .where('subject_ref', 'in', refs)
    .where('withdrawn_at', 'is', null);
  const [rows, all] = await Promise.all([
    about.selectAll().orderBy('number', 'desc').limit(LIMITS.pullRequestDraft.decisions).execute(),
    about.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  const out: (CollaborationFacts['decisions'][number] & { ref: string })[] = [];
  for (const d of rows.reverse()) {
    const state = await decisionStateOf(hub.store.db, hub, d);
    const ref = decisionRef(d);
    out.push({ ref, question: d.question, outcome: OUTCOME_WORDS[state.outcome], url: at(`/decisions/${ref}`) });
  }
  return { listed: out, earlier: Number(all.n) - out.length };
}

/**
 * The latest meetings, not cancelled, whose agenda took it up (LIMITS.pullRequestDraft), oldest
 * first, each with its first items about it; and how many earlier ones are not listed.
 */
async function meetingsAbout(
  db: Tx,
  refs: string[],
  decisionRefs: string[],
  at: (path: string) => string | null,
  limit: number = LIMITS.pullRequestDraft.meetings,
): Promise<{ listed: CollaborationFacts['meetings']; earlier: number }> {
  const about = (eb: ExpressionBuilder<Database, 'meeting_agenda_items'>) =>
    eb.or([
      eb.and([eb('meeting_agenda_items.link_type', '=', 'proposal'), eb('meeting_agenda_items.link_ref', 'in', refs)]),
      ...(decisionRefs.length
        ? [
            eb.and([
              eb('meeting_agenda_items.link_type', '=', 'decision'),
              eb('meeting_agenda_items.link_ref', 'in', decisionRefs),
            ]),
          ]
        : []),
    ]);
  // driven from the agenda items that link it (indexed by what they link, migration 409), not by
  // probing every meeting's items: this runs on every view of a proposal's page
  const meetings = db
    .selectFrom('meetings as m')
    .where('m.cancelled_at', 'is', null)
    .where('m.id', 'in', (eb) =>
      eb.selectFrom('meeting_agenda_items').select('meeting_agenda_items.meeting_id').where(about),
    );
  const rows = await meetings
    .select(['m.id', 'm.number', 'm.title', 'm.kind', 'm.starts_at', 'm.notes_published_at'])
    .orderBy('m.starts_at', 'desc')
    .orderBy('m.number', 'desc')
    .limit(limit)
    .execute();
  if (!rows.length) return { listed: [], earlier: 0 };
  // counted only when the list reached its bound
  const all =
    rows.length < limit
      ? { n: rows.length }
      : await meetings.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
  const ids = rows.map((m) => m.id);
  const [items, inputs] = await Promise.all([
    db
      .selectFrom('meeting_agenda_items')
      .select(['meeting_agenda_items.meeting_id', 'meeting_agenda_items.title'])
      .where('meeting_agenda_items.meeting_id', 'in', ids)
      .where(about)
      .orderBy('meeting_agenda_items.position')
      .execute(),
    db
      .selectFrom('meeting_written_inputs as w')
      .innerJoin('meeting_agenda_items', 'meeting_agenda_items.id', 'w.item_id')
      .select(['meeting_agenda_items.meeting_id', (eb) => eb.fn.countAll<number | string>().as('n')])
      .where('meeting_agenda_items.meeting_id', 'in', ids)
      .where(about)
      .groupBy('meeting_agenda_items.meeting_id')
      .execute(),
  ]);
  const listed = rows.reverse().map((m) => {
    const titles = items.filter((i) => i.meeting_id === m.id).map((i) => i.title);
    const ref = meetingRef(m);
    return {
      ref,
      title: m.title,
      kind: m.kind,
      startsAt: m.starts_at,
      items: titles.slice(0, LIMITS.pullRequestDraft.itemsPerMeeting),
      moreItems: Math.max(0, titles.length - LIMITS.pullRequestDraft.itemsPerMeeting),
      writtenInputs: Number(inputs.find((w) => w.meeting_id === m.id)?.n ?? 0),
      notes: m.notes_published_at !== null,
      url: at(`/meetings/${ref}`),
    };
  });
  return { listed, earlier: Number(all.n) - listed.length };
}

/**
 * The meetings, not cancelled, whose agenda takes a proposal up (an item about it, or about one of the
 * latest decisions on it), for its page: the latest `LIMITS.meetingsOnProposal` by start, oldest first,
 * each with its items about it, its written input on them and whether its notes are out; and how many
 * earlier ones are not listed. One reading a proposal could not tell that a meeting next week would
 * discuss it, nor find where to send written input for it, nor the notes of one that had.
 */
export async function meetingsOnProposal(
  hub: Hub,
  p: { number: number; sepNumber: number | null },
): Promise<{ listed: CollaborationFacts['meetings']; earlier: number }> {
  const db = hub.store.db;
  const refs = refsOf({ number: p.number, sep_number: p.sepNumber });
  const decisions = await db
    .selectFrom('decisions')
    .select('number')
    .where('subject_type', '=', 'proposal')
    .where('subject_ref', 'in', refs)
    .where('withdrawn_at', 'is', null)
    .orderBy('number', 'desc')
    .limit(LIMITS.pullRequestDraft.decisions)
    .execute();
  return meetingsAbout(db, refs, decisions.map(decisionRef), (path) => path, LIMITS.meetingsOnProposal);
}

/**
 * The draft of the pull request description for a proposal, as its author opens the pull request.
 * `origin` is the hub's public address (links to its pages); without one, it names them by ref.
 */
export async function draftPullRequest(
  hub: Hub,
  ref: string,
  viewer: Actor | null,
  origin: string | null,
): Promise<PullRequestDraft> {
  const db = hub.store.db;
  const [v, row] = await Promise.all([getProposal(hub, ref, viewer), proposalRow(db, ref, hub.governance)]);
  const refs = refsOf(row);
  const at = (path: string) => (origin ? `${origin}${path}` : null);
  const [moves, discussion, decisions, groupName, topicName] = await Promise.all([
    stageMoves(db, refs),
    discussionOf(db, row.id),
    decisionsAbout(hub, refs, at),
    row.group_id ? db.selectFrom('groups').select('name').where('id', '=', row.group_id).executeTakeFirst() : null,
    row.topic_area_id
      ? db.selectFrom('topic_areas').select('name').where('id', '=', row.topic_area_id).executeTakeFirst()
      : null,
  ]);
  // the decisions listed and their meetings: an agenda item about an earlier one is counted with it
  const meetings = await meetingsAbout(
    db,
    refs,
    decisions.listed.map((d) => d.ref),
    at,
  );
  const names = v.names;
  const facts: CollaborationFacts = {
    ref: v.ref,
    title: v.title,
    problem: v.problem,
    examples: v.examples,
    interests: v.interests,
    layerTitle: v.layerTitle,
    pullRequestsAt: hub.governance.proposals.layers.find((l) => l.id === v.layer)?.pullRequests ?? null,
    places: {
      tracker: hub.governance.gettingStarted.tracker?.title ?? null,
      forum: hub.governance.gettingStarted.forum?.title ?? null,
    },
    routeTitle: v.routeTitle,
    stage: v.stage,
    createdAt: v.createdAt,
    group: groupName?.name ?? null,
    topicArea: topicName?.name ?? null,
    authors: v.authors.map((a) => a.name),
    sponsor: v.sponsor?.name ?? null,
    links: v.links,
    moves,
    gate: v.gate,
    priorWork: v.priorWork ? { checkedAt: v.priorWork.checkedAt, matches: v.priorWork.matches.length } : null,
    relations: v.relations
      .filter((r) => r.direction === 'outgoing' && r.status === 'confirmed')
      .map((r) => ({ kind: r.kind, ref: r.ref, title: r.title, url: at(`/proposals/${r.ref}`) })),
    discussion: { ...discussion, url: discussion.comments ? at(`/proposals/${v.ref}#discussion`) : null },
    supporters: v.supportersByOrganisation.map((s) => ({
      organisation: s.organisation,
      names: s.handles.map((h) => names[h] ?? h),
    })),
    evidence: v.evidence.map((e) => ({
      kind: e.kind,
      description: e.description,
      url: e.url,
      organisation: e.organisation,
      sdk: e.sdk,
      verified: e.verification?.status ?? null,
    })),
    meetings: meetings.listed,
    decisions: decisions.listed,
    notListed: { meetings: meetings.earlier, decisions: decisions.earlier },
    url: at(`/proposals/${v.ref}`),
    at: nowIso(hub),
  };
  const markdown = pullRequestDescription(facts);
  return {
    proposal: v.ref,
    title: v.title,
    stage: v.stage,
    gaps: collaborationGaps(facts, characterCount(markdown)),
    markdown,
    facts,
    can: { edit: v.can.edit },
  };
}
