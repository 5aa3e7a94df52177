// The quarterly update of a working group, drafted from the record: charter deliverables,
// contributions that landed, stage moves, decisions (and the blocked or escalated ones), meetings,
// membership changes and open action items. Markdown for a lead to edit before posting.
import {
  groupKindHeading,
  groupKindName,
  levelName,
  resolverName,
  shownRef,
  withArticle,
} from '../../domain/governance/words.ts';
import { LIMITS } from '../../domain/limits.ts';
import { factText } from '../../store/events.ts';
import { readJson } from '../../store/schema.ts';
import { Cancelled, invalid } from '../../domain/errors.ts';
import { nextDue, quarterPeriod, renderQuarterly, type QuarterFacts } from '../../domain/meetings/quarterly.ts';
import { decisionRef, decisionView } from '../decisions/decisions.ts';
import { factsOf, groupRow, membersOf } from '../groups/groups.ts';
import type { Hub } from '../core/hub.ts';
import { QuarterlyInput } from './schemas.ts';
import { listedStarts } from '../../domain/meetings/recurrence.ts';
import { meetingRef } from './meetings.ts';
import { refOf } from '../proposals/proposals.ts';
import { parseInput } from '../core/validate.ts';
import { namesOf } from '../people/names.ts';

export type QuarterlyDraft = { group: string; period: QuarterFacts['period']; markdown: string; facts: QuarterFacts };

/**
 * `signal`: the caller went away (a cancelled MCP call): checked between the steps and before each
 * decision read (each a few queries), and the draft stops with Cancelled; it wrote nothing. `step`:
 * told as each step begins, for progress (QUARTERLY_STEPS of them).
 */
export type QuarterlyOptions = { signal?: AbortSignal; step?: (n: number, what: string) => void };
/** How many steps `step` is told of. */
export const QUARTERLY_STEPS = 4;

export async function draftQuarterlyUpdate(
  hub: Hub,
  slug: string,
  raw: unknown = {},
  options: QuarterlyOptions = {},
): Promise<QuarterlyDraft> {
  const { signal, step } = options;
  const stillWanted = () => {
    if (signal?.aborted) throw new Cancelled('the quarterly update was cancelled');
  };
  const input = parseInput(QuarterlyInput, raw);
  const db = hub.store.db;
  const g = await groupRow(db, slug);
  slug = g.slug; // the group named as stored, from here on
  const gov = hub.governance;
  if (g.kind !== 'working')
    throw invalid(
      'group',
      `${slug} is ${withArticle(groupKindName(gov, g.kind))}: ${groupKindName(gov, g.kind)}s have no formal reporting requirement (only ${groupKindName(gov, 'working')}s report quarterly)`,
    );
  const months = hub.governance.meetings.quarterlyUpdateMonths;
  const due = input.due
    ? { year: Number(input.due.slice(0, 4)), month: Number(input.due.slice(5, 7)) }
    : nextDue(months, hub.clock.now());
  if (!months.includes(due.month))
    throw invalid(
      'due',
      `updates are due at the end of months ${months.join(', ')} (governance file), not month ${due.month}`,
    );
  const period = quarterPeriod(months, due.year, due.month);
  const inPeriod = (t: string) => t >= period.from && t < period.to;
  stillWanted();
  step?.(0, `reading the stage moves of ${slug}'s proposals in the quarter due on ${period.dueOn}`);

  // what a stage move names, not the proposals whole (each problem statement up to LIMITS.prose)
  const proposals = await db
    .selectFrom('proposals')
    .select(['number', 'sep_number', 'title'])
    .where('group_id', '=', g.id)
    .execute();
  const byRef = new Map(proposals.map((p) => [refOf(p), p]));
  const moves = proposals.length
    ? await db
        .selectFrom('events')
        .selectAll()
        .where('kind', '=', 'proposal.stage-changed')
        .where('subject_type', '=', 'proposal')
        .where('subject_id', 'in', [...byRef.keys()])
        .where('at', '>=', period.from)
        .where('at', '<', period.to)
        .orderBy('seq')
        .execute()
    : [];
  const stageMoves = moves.map((e) => {
    const p = byRef.get(e.subject_id)!;
    return {
      // cited as the community cites it (RFC-12), though the log records SEP-12
      ref: shownRef(gov, e.subject_id),
      title: p.title,
      from: factText(readJson(e.before), 'stage') ?? '?',
      to: factText(readJson(e.after), 'stage') ?? '?',
      at: e.at,
    };
  });
  // the stages at which a contribution counts as delivered, on either route
  const done = new Set(['landed', 'accepted', 'final']);
  const landed = stageMoves.filter((s) => done.has(s.to)).map((s) => ({ ref: s.ref, title: s.title, stage: s.to }));

  // nothing happens to a decision before it is opened; the latest so many are read, the rest counted
  const opened = db.selectFrom('decisions').where('group_id', '=', g.id).where('opened_at', '<', period.to);
  const decisionRows = (
    await opened.selectAll().orderBy('number', 'desc').limit(LIMITS.quarterlyUpdate.decisions).execute()
  ).reverse();
  const decisionsOpened = Number(
    (await opened.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n,
  );
  const decisions: QuarterFacts['decisions'] = [];
  const blocked: QuarterFacts['blocked'] = [];
  stillWanted();
  step?.(1, `reading ${decisionRows.length} decision${decisionRows.length === 1 ? '' : 's'}`);
  for (const d of decisionRows) {
    stillWanted();
    // its view carries the latest events only (LIMITS.decisionTimeline): whether any fell in the quarter is asked of the log
    const touched =
      inPeriod(d.opened_at) ||
      (await db
        .selectFrom('events')
        .select('seq')
        .where('subject_type', '=', 'decision')
        .where('subject_id', '=', decisionRef(d))
        .where('at', '>=', period.from)
        .where('at', '<', period.to)
        .limit(1)
        .executeTakeFirst()) !== undefined;
    if (!touched) continue;
    const v = await decisionView(db, hub, d);
    decisions.push({ ref: v.ref, question: v.question, phase: v.state.phase, outcome: v.state.outcome });
    if (v.state.phase === 'escalated' || v.state.outcome === 'resolved-by-escalation')
      blocked.push({
        ref: v.ref,
        question: v.question,
        why: `escalated to ${withArticle(resolverName(gov))}${v.escalation?.designee ? ` (@${v.escalation.designee})` : ''}`,
        kind: 'escalated',
        by: v.escalation?.designee ? [v.escalation.designee] : [],
      });
    else if (v.state.standingBlocks.length && v.state.outcome === 'pending')
      blocked.push({
        ref: v.ref,
        question: v.question,
        why: `blocked by ${v.state.standingBlocks.map((b) => `@${b.handle}`).join(', ')}`,
        kind: 'blocked',
        by: v.state.standingBlocks.map((b) => b.handle),
      });
  }

  // the meetings held in the quarter, the latest so many (a lead schedules meetings without end, up to
  // LIMITS.meetingsAhead at a time, and every visitor may ask for the draft); the rest are counted. Only
  // what the draft says is read: a meeting's notes are up to LIMITS.notes long.
  stillWanted();
  step?.(2, 'reading the meetings held and to come');
  const now = hub.clock.now().toISOString();
  const held = db
    .selectFrom('meetings')
    .where('group_id', '=', g.id)
    .where('cancelled_at', 'is', null)
    .where('starts_at', '>=', period.from)
    .where('starts_at', '<', period.to)
    .where('starts_at', '<=', now);
  const heldRows = (
    await held
      .select(['id', 'number', 'title', 'kind', 'starts_at', 'notes_published_at'])
      .orderBy('starts_at', 'desc')
      .orderBy('number', 'desc')
      .limit(LIMITS.quarterlyUpdate.meetings)
      .execute()
  ).reverse();
  const heldCount = Number((await held.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const attended = new Map(
    (heldRows.length
      ? await db
          .selectFrom('meeting_attendance')
          .select(['meeting_id', (eb) => eb.fn.countAll<number>().as('n')])
          .where(
            'meeting_id',
            'in',
            heldRows.map((m) => m.id),
          )
          .groupBy('meeting_id')
          .execute()
      : []
    ).map((a) => [a.meeting_id, Number(a.n)]),
  );
  // the meetings held: one still to come is listed under the priorities, not as held with nobody there
  const meetings: QuarterFacts['meetings'] = heldRows.map((m) => ({
    ref: meetingRef(m),
    title: m.title,
    kind: m.kind,
    startsAt: m.starts_at,
    attendance: attended.get(m.id) ?? 0,
    notes: m.notes_published_at ? `published ${m.notes_published_at.slice(0, 10)}` : 'not published',
  }));
  // a series is next at its coming meeting (one given a meeting of its own is listed as that one); a
  // meeting already held is no one's next, so only series and meetings still to come are read
  const aheadRows = await db
    .selectFrom('meetings')
    .select(['id', 'number', 'title', 'series_id', 'series_start', 'starts_at', 'time_zone', 'rrule'])
    .where('group_id', '=', g.id)
    .where('cancelled_at', 'is', null)
    .where((eb) => eb.or([eb('starts_at', '>', now), eb('rrule', 'is not', null)]))
    .orderBy('starts_at')
    .execute();
  const refById = new Map(aheadRows.map((m) => [m.id, meetingRef(m)]));
  const listed = aheadRows.map((m) => ({
    ref: meetingRef(m),
    title: m.title,
    series: m.series_id ? (refById.get(m.series_id) ?? null) : null,
    seriesStart: m.series_start,
    startsAt: m.starts_at,
    timeZone: m.time_zone,
    rrule: m.rrule,
  }));
  const startsOf = listedStarts(listed);
  const upcomingMeetings = listed
    .map((m) => ({ ref: m.ref, title: m.title, startsAt: startsOf(m).find((t) => t > now) }))
    .filter((m): m is { ref: string; title: string; startsAt: string } => m.startsAt !== undefined)
    .sort((a, b) => a.startsAt.localeCompare(b.startsAt))
    .slice(0, 3);

  stillWanted();
  step?.(3, 'reading membership changes and open action items');
  const memberEvents = await db
    .selectFrom('events')
    .selectAll()
    .where('subject_type', '=', 'group')
    .where('subject_id', '=', g.slug)
    .where('kind', 'in', ['group.member-joined', 'group.member-level-set', 'group.member-returned'])
    .where('at', '>=', period.from)
    .where('at', '<', period.to)
    .orderBy('seq')
    .execute();
  // levels by the community's names ("voting member"), not their keys
  const level = (l: string | undefined) => levelName(gov, l ?? '?');
  const membership: QuarterFacts['membership'] = memberEvents.flatMap((e) => {
    const after = { handle: factText(readJson(e.after), 'handle'), level: factText(readJson(e.after), 'level') };
    const before = { level: factText(readJson(e.before), 'level') };
    const handle = after.handle ?? e.actor ?? '?';
    if (e.kind === 'group.member-joined') return [{ at: e.at, handle, change: `joined as ${level(after.level)}` }];
    if (e.kind === 'group.member-returned')
      // by joining again (its actor) or by taking part (the event names them)
      return [{ at: e.at, handle: after.handle ?? e.actor ?? handle, change: 'returned from emeritus' }];
    // a level set to the one it already was (recorded before such a setting became a no-op) changed nothing
    if (before.level && before.level === after.level) return [];
    return [
      {
        at: e.at,
        handle,
        change: before.level
          ? `moved from ${level(before.level)} to ${level(after.level)}`
          : `added as ${level(after.level)}`,
      },
    ];
  });
  for (const m of await membersOf(db, hub, g.id))
    if (m.emeritusSince && inPeriod(m.emeritusSince))
      membership.push({ at: m.emeritusSince, handle: m.handle, change: 'became emeritus (inactive)' });
  membership.sort((a, b) => a.at.localeCompare(b.at));

  const open = db
    .selectFrom('meeting_actions as a')
    .innerJoin('meetings as m', 'm.id', 'a.meeting_id')
    .where('m.group_id', '=', g.id)
    .where('a.done_at', 'is', null);
  const openActions = (
    await open
      .innerJoin('people as p', 'p.id', 'a.owner_id')
      .select(['p.handle', 'a.description', 'a.due_date', 'm.number'])
      .orderBy('a.due_date')
      .orderBy('a.id')
      .limit(LIMITS.quarterlyUpdate.openActions)
      .execute()
  ).map((a) => ({ owner: a.handle, description: a.description, due: a.due_date, meeting: `M-${a.number}` }));
  const actionsOpen = Number((await open.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  const facts: QuarterFacts = {
    group: { slug: g.slug, name: g.name },
    period,
    deliverables: factsOf(g, gov.groupKindNames).deliverables,
    landed,
    stageMoves,
    decisions,
    blocked,
    meetings,
    membership,
    openActions,
    upcomingMeetings,
    notRead: {
      decisions: decisionsOpened - decisionRows.length,
      openActions: actionsOpen - openActions.length,
      meetings: heldCount - heldRows.length,
    },
    names: await namesOf(db, [
      ...membership.map((m) => m.handle),
      ...openActions.map((a) => a.owner),
      ...blocked.flatMap((b) => b.by),
    ]),
  };
  return {
    group: g.slug,
    period,
    markdown: renderQuarterly(facts, { groupKind: groupKindHeading(gov, 'working'), resolver: resolverName(gov) }),
    facts,
  };
}
