// The draft of a proposal's pull request description (the guide's step 6): the collaboration the
// hub recorded, gathered once and written by domain/proposals/collaboration.ts, for every edge.
import {
  collaborationGaps,
  pullRequestDescription,
  type CollaborationFacts,
} from '../../domain/proposals/collaboration.ts';
import { OUTCOME_WORDS } from '../../domain/decisions/index.ts';
import { readJson } from '../../store/schema.ts';
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
};

/**
 * The hub's public address as the operator set it (WGHUB_PUBLIC_URL), for links written outside a
 * request (the CLI, MCP over stdio); null when unset or not a web address.
 */
export function configuredOrigin(env: NodeJS.ProcessEnv = process.env): string | null {
  const url = URL.parse(env.WGHUB_PUBLIC_URL?.trim() ?? '');
  return url && /^https?:$/.test(url.protocol) ? url.origin : null;
}

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
    .select(['p.name', 'c.organisation', 'c.created_at'])
    .where('c.proposal_id', '=', proposalId)
    .where('c.hidden_at', 'is', null)
    .orderBy('c.created_at')
    .orderBy('c.id')
    .execute();
  const people = new Map<string, string | null>();
  for (const r of rows) people.set(r.name, r.organisation ?? people.get(r.name) ?? null);
  return {
    comments: rows.length,
    people: [...people].map(([name, organisation]) => ({ name, organisation })),
    first: rows[0]?.created_at ?? null,
    last: rows.at(-1)?.created_at ?? null,
  };
}

async function decisionsAbout(hub: Hub, refs: string[], at: (path: string) => string | null) {
  const rows = await hub.store.db
    .selectFrom('decisions')
    .selectAll()
    .where('subject_type', '=', 'proposal')
    .where('subject_ref', 'in', refs)
    .where('withdrawn_at', 'is', null)
    .orderBy('number')
    .execute();
  const out: (CollaborationFacts['decisions'][number] & { ref: string })[] = [];
  for (const d of rows) {
    const state = await decisionStateOf(hub.store.db, hub, d);
    const ref = decisionRef(d);
    out.push({ ref, question: d.question, outcome: OUTCOME_WORDS[state.outcome], url: at(`/decisions/${ref}`) });
  }
  return out;
}

async function meetingsAbout(
  db: Tx,
  refs: { type: 'proposal' | 'decision'; ref: string }[],
  at: (path: string) => string | null,
): Promise<CollaborationFacts['meetings']> {
  if (!refs.length) return [];
  const items = await db
    .selectFrom('meeting_agenda_items as i')
    .innerJoin('meetings as m', 'm.id', 'i.meeting_id')
    .select([
      'i.id',
      'i.title as item',
      'm.id as meeting',
      'm.number',
      'm.title',
      'm.kind',
      'm.starts_at',
      'm.notes_published_at',
    ])
    .where('m.cancelled_at', 'is', null)
    .where((eb) => eb.or(refs.map((r) => eb.and([eb('i.link_type', '=', r.type), eb('i.link_ref', '=', r.ref)]))))
    .orderBy('m.starts_at')
    .orderBy('i.position')
    .execute();
  if (!items.length) return [];
  const inputs = await db
    .selectFrom('meeting_written_inputs')
    .select(['item_id'])
    .where(
      'item_id',
      'in',
      items.map((i) => i.id),
    )
    .execute();
  const byMeeting = new Map<string, CollaborationFacts['meetings'][number]>();
  for (const i of items) {
    const ref = meetingRef(i);
    const m = byMeeting.get(i.meeting) ?? {
      ref,
      title: i.title,
      kind: i.kind,
      startsAt: i.starts_at,
      items: [],
      writtenInputs: 0,
      notes: i.notes_published_at !== null,
      url: at(`/meetings/${ref}`),
    };
    m.items.push(i.item);
    m.writtenInputs += inputs.filter((w) => w.item_id === i.id).length;
    byMeeting.set(i.meeting, m);
  }
  return [...byMeeting.values()];
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
  const [v, row] = await Promise.all([getProposal(hub, ref, viewer), proposalRow(db, ref)]);
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
  const meetings = await meetingsAbout(
    db,
    [
      ...refs.map((r) => ({ type: 'proposal' as const, ref: r })),
      ...decisions.map((d) => ({ type: 'decision' as const, ref: d.ref })),
    ],
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
    meetings,
    decisions,
    url: at(`/proposals/${v.ref}`),
    at: nowIso(hub),
  };
  const markdown = pullRequestDescription(facts);
  return {
    proposal: v.ref,
    title: v.title,
    stage: v.stage,
    gaps: collaborationGaps(facts, markdown.length),
    markdown,
    facts,
  };
}
