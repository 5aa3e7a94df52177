// What needs the group, for the agenda of its coming meeting: the guide's facilitators make sure
// "meetings have clear agendas" and "decision-making remains transparent", and a process meeting
// coordinates the group's proposals. A facilitator preparing one had to remember every open decision
// and every proposal waiting for a sponsor and type their references by hand. This lists them:
// the group's decisions open in lazy consensus or a vote, soonest to close first (saying which close
// before the meeting starts), and its proposals waiting for a sponsor (the awaiting-sponsor stage), longest waiting first; those
// already on the agenda are left out. Only one who may add agenda items is answered (`can`), and only
// while the meeting has not started; the web page (a process meeting's) and
// GET /api/meetings/{ref}/agenda-suggestions read it here.
import { sql } from 'kysely';
import { LIMITS } from '../../domain/limits.ts';
import type { DecisionsTable } from '../../store/schema.ts';
import type { Actor, Hub, Tx } from '../core/hub.ts';
import { authorize } from '../core/gate.ts';
import { closesAtOf, decisionRef, decisionStates, notRecordedClosed } from '../decisions/decisions.ts';
import { refOf } from '../proposals/proposals.ts';
import { meetingCan, meetingRef, meetingRowAt } from './meetings.ts';

/** One thing the agenda could take up, with why, and the item it would add (title, link, kind). */
export type AgendaSuggestion =
  | {
      type: 'decision';
      ref: string;
      title: string;
      phase: 'lazy-consensus' | 'vote';
      closesAt: string;
      /** It closes before the meeting starts: the meeting can only note its outcome. */
      closesBeforeMeeting: boolean;
    }
  | {
      type: 'proposal';
      ref: string;
      title: string;
      /** The awaiting-sponsor stage, or (on a content meeting's) the open stage it is worked on at. */
      stage: string;
      /** When it entered that stage. */
      since: string;
      /**
       * It waits for a sponsor (true); false: one of the group's proposals being worked on, which a
       * content meeting (about **what** the group works on) takes up, its topic area's first.
       */
      waitingForSponsor: boolean;
    };

export type AgendaSuggestions = { meeting: string; items: AgendaSuggestion[] };

/** The stage a proposal waits for a sponsor in (as the dormancy job, chat digest and notices read it). */
const AWAITING_SPONSOR = 'awaiting-sponsor';

/** At most this many of each kind: a group with more has its lists a link away. */
const EACH = LIMITS.openDecisionsOnProposal * 2;
/** At most this many of its decisions are read to find them: pages of EACH * 2 until EACH are found. */
const READ = EACH * 10;

export async function agendaSuggestions(hub: Hub, actor: Actor | null, ref: string): Promise<AgendaSuggestions> {
  const db = hub.store.db;
  const m = await meetingRowAt(db, hub, ref, actor);
  authorize((await meetingCan(db, hub, actor, m)).meeting, 'addAgendaItem');
  // the meeting's own ref, however it was named (m-2, or an occurrence of its series by its start)
  return { meeting: meetingRef(m), items: await suggestionsFor(db, hub, m) };
}

async function suggestionsFor(
  db: Tx,
  hub: Hub,
  m: { id: string; group_id: string; starts_at: string; kind: string; topic_area_id: string | null },
): Promise<AgendaSuggestion[]> {
  const linked = new Set(
    (
      await db
        .selectFrom('meeting_agenda_items')
        .select('link_ref')
        .where('meeting_id', '=', m.id)
        .where('link_ref', 'is not', null)
        .execute()
    ).map((i) => i.link_ref),
  );
  // escalated ones wait for their resolvers, not the group: left out in the query, before its bound, so
  // a group with many escalated decisions still sees its open ones; one whose outcome the close job has
  // not recorded yet is left out below, the next page read while the list is short
  const page = EACH * 2;
  const rows: DecisionsTable[] = [];
  const states: Awaited<ReturnType<typeof decisionStates>> = [];
  for (let offset = 0; ; offset += page) {
    const read = await db
      .selectFrom('decisions as d')
      .selectAll('d')
      .where('d.group_id', '=', m.group_id)
      .where(notRecordedClosed('d.recorded_state'))
      .where(sql<boolean>`(d.recorded_state is null or d.recorded_state not like 'escalated:%')`)
      .where('d.withdrawn_at', 'is', null)
      .orderBy('d.deadline')
      .orderBy('d.number')
      .limit(page)
      .offset(offset)
      .execute();
    const readStates = await decisionStates(db, hub, read);
    rows.push(...read);
    states.push(...readStates);
    const suggestable = states.filter(
      (st, i) =>
        st.outcome === 'pending' &&
        (st.phase === 'lazy-consensus' || st.phase === 'vote') &&
        !linked.has(decisionRef(rows[i]!)),
    ).length;
    if (read.length < page || suggestable >= EACH || rows.length >= READ) break;
  }
  const decisions: AgendaSuggestion[] = [];
  for (const [i, d] of rows.entries()) {
    const s = states[i]!;
    if (s.outcome !== 'pending' || (s.phase !== 'lazy-consensus' && s.phase !== 'vote')) continue;
    if (linked.has(decisionRef(d))) continue;
    const closesAt = closesAtOf(d, s);
    decisions.push({
      type: 'decision',
      ref: decisionRef(d),
      title: d.question,
      phase: s.phase,
      closesAt,
      closesBeforeMeeting: closesAt < m.starts_at,
    });
  }
  // a vote closes later than its deadline: sorted by when each closes now
  const closes = (s: AgendaSuggestion) => (s.type === 'decision' ? s.closesAt : '');
  decisions.sort((a, b) => closes(a).localeCompare(closes(b)));
  // proposals waiting for a sponsor: those in the awaiting-sponsor stage (the one the proposal lifecycle
  // asks a sponsor in; a route that never asks for one, like contribution, has none), longest in it
  // first. The stage is chosen in the query, before its bound: closed ones never crowd them out.
  const proposals = await db
    .selectFrom('proposals')
    .select(['number', 'sep_number', 'title', 'stage', 'stage_changed_at'])
    .where('group_id', '=', m.group_id)
    .where('stage', '=', AWAITING_SPONSOR)
    .where('sponsor_id', 'is', null)
    .orderBy('stage_changed_at')
    .orderBy('number')
    .limit(EACH + linked.size)
    .execute();
  const waiting = proposalSuggestions(proposals, linked, true);
  return [
    ...decisions.slice(0, EACH),
    ...waiting.slice(0, EACH),
    ...(m.kind === 'content' ? await workedOn(db, hub, m, linked) : []),
  ];
}

/**
 * For a content meeting: the group's proposals at an open stage of their route (not closed, and not
 * waiting for a sponsor: those are listed above), its topic area's first, then the latest to move. A
 * facilitator preparing a deep-dive found only decisions and sponsorless proposals offered, not the
 * proposal the group was discussing, which is what a content meeting takes up.
 */
async function workedOn(
  db: Tx,
  hub: Hub,
  m: { group_id: string; topic_area_id: string | null },
  linked: Set<string | null>,
): Promise<AgendaSuggestion[]> {
  const routes = hub.governance.proposals.routes;
  const closed = [...new Set(Object.values(routes).flatMap((r) => r.closed)), AWAITING_SPONSOR];
  const rows = await db
    .selectFrom('proposals')
    .select(['number', 'sep_number', 'title', 'stage', 'stage_changed_at', 'topic_area_id'])
    .where('group_id', '=', m.group_id)
    .where('stage', 'not in', closed)
    .orderBy(sql`case when ${sql.ref('topic_area_id')} = ${m.topic_area_id ?? ''} then 0 else 1 end`)
    .orderBy('stage_changed_at', 'desc')
    .orderBy('number', 'desc')
    .limit(EACH + linked.size)
    .execute();
  return proposalSuggestions(rows, linked, false).slice(0, EACH);
}

type ProposalRow = {
  number: number;
  sep_number: number | null;
  title: string;
  stage: string;
  stage_changed_at: string;
};

/** Proposals not on the agenda already (by their P- or SEP- reference), as suggestions. */
function proposalSuggestions(
  rows: readonly ProposalRow[],
  linked: ReadonlySet<string | null>,
  waitingForSponsor: boolean,
): AgendaSuggestion[] {
  return rows
    .filter((p) => !linked.has(`P-${p.number}`) && !(p.sep_number !== null && linked.has(`SEP-${p.sep_number}`)))
    .map((p) => ({
      type: 'proposal',
      ref: refOf(p),
      title: p.title,
      stage: p.stage,
      since: p.stage_changed_at,
      waitingForSponsor,
    }));
}
