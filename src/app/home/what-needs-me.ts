// "What needs me" for scripts and assistants: everything the member's web home lists (decisions
// awaiting their voice, escalations, membership requests, notes and action items they owe, the
// proposals they follow, the meetings they may attend, agreements and mail to see to), as one flat
// list of typed items, each with its reference, group, what is asked of them, when it is due and
// where it is on the web. Read from the same use cases the home page reads (memberHome and
// member-meetings.ts), so the page and REST, MCP and the CLI cannot disagree about what waits.
import { LIMITS } from '../../domain/limits.ts';
import { mailReach, missingAgreements } from '../../domain/people.ts';
import type { Actor, Hub } from '../core/hub.ts';
import { authorizeOwn } from '../people/access.ts';
import { parseInput } from '../core/validate.ts';
import { NeedsQuery } from './schemas.ts';
import { memberHome } from './member-home.ts';
import { myActionItems, myMeetings, myNotesOwedPage } from './member-meetings.ts';

/** The kinds of item, in the order the home page lists them. */
export const NEED_KINDS = [
  'agreements',
  'mail',
  'decision',
  'designate',
  'escalation',
  'advisory',
  'membership-request',
  'proposal',
  'meeting',
  'notes',
  'action-item',
] as const;
export type NeedKind = (typeof NEED_KINDS)[number];

export type Need = {
  kind: NeedKind;
  /** What it is about: D-3, M-2, a proposal's reference, @handle (one asking to join), or your own @handle. */
  ref: string;
  /** The decision's question, the meeting's or proposal's title, the action item's description, or who asks. */
  title: string;
  /** The group's slug, when it belongs to one. */
  group: string | null;
  /** What is asked of you, in words to pass on. */
  asked: string;
  /**
   * When it is due: a decision's deadline (a vote's close), an escalation's initial response, notes
   * due, an action item's due day (YYYY-MM-DD), a meeting's start; null when nothing is dated.
   */
  due: string | null;
  /** What `due` is, in words: 'deadline', 'closes', 'initial response due', 'notes due', 'due', 'starts'. */
  dueMeans: string | null;
  /** Past its due time and still waiting (notes that are late). */
  late: boolean;
  /** Where it is on the web hub, a path (prefix the hub's address). */
  path: string;
  /** A decision's phase ('lazy-consensus', 'vote'), for decision and advisory items. */
  phase?: string;
  /** For a proposal: its stage now, why it is yours (sponsor, supporter, author), and whether it moved since `since`. */
  stage?: string;
  why?: ('sponsor' | 'supporter' | 'author')[];
  movedSince?: boolean;
  /** An action item's id (its meeting is `ref`). */
  id?: string;
};

export type NeedCount = {
  listed: number;
  /** How many there are in all; null when the list reached its bound and more may wait than are read. */
  total: number | null;
};

export type WhatNeedsMe = {
  /** Whose list this is. */
  handle: string;
  /** Their time zone (IANA), in which their home shows the times. */
  timeZone: string;
  /** When it was read; due times are compared with it. */
  at: string;
  /** The moment "moved since" compares with (the caller's `since`), or null. */
  since: string | null;
  items: Need[];
  /** Per kind, how many are listed and how many there are: the rest is counted, not listed. */
  counts: Record<NeedKind, NeedCount>;
  /** The groups the person belongs to, and at which level (the home lists them too). */
  groups: { slug: string; name: string; level: string }[];
};

const exact = (listed: number, total = listed): NeedCount => ({ listed, total });
/** A list read at most `bound` long: when it is that long, more may wait. */
const bounded = (listed: number, reachedBound: boolean): NeedCount => ({ listed, total: reachedBound ? null : listed });

/**
 * Everything waiting on the acting person, as their web home shows it: refused to a visitor and
 * to the operator (it is a person's own). `since` marks the proposals that changed stage after it.
 */
export async function whatNeedsMe(hub: Hub, actor: Actor, raw: unknown = {}): Promise<WhatNeedsMe> {
  const person = authorizeOwn(hub, actor, 'needs');
  const q = parseInput(NeedsQuery, raw);
  // stored times are UTC ISO strings, compared as text: a time given in another zone is turned to one
  const since = q.since ? new Date(q.since).toISOString() : null;
  const cap = LIMITS.needsPerKind;
  const today = hub.clock.now().toISOString().slice(0, 10);
  const [home, owed, actions, meetings] = await Promise.all([
    memberHome(hub, person, since),
    myNotesOwedPage(hub, person),
    myActionItems(hub, person),
    myMeetings(hub, person, 30),
  ]);
  const items: Need[] = [];
  const counts = {} as Record<NeedKind, NeedCount>;

  const missing = missingAgreements(hub.governance, {
    cocVersion: person.coc_version,
    termsVersion: person.terms_version,
  });
  for (const m of missing)
    items.push({
      kind: 'agreements',
      ref: `@${person.handle}`,
      title: m.title,
      group: null,
      asked: `Accept the ${m.title} (version ${m.version}) before you can contribute`,
      due: null,
      dueMeans: null,
      late: false,
      path: '/welcome',
    });
  counts.agreements = exact(missing.length);

  // as the home says it: only when the hub sends mail and the person is in a group whose decisions count silence
  const reach = mailReach(person);
  const unmailed = hub.settings.mailsOut && home.groups.length > 0 && reach !== 'mailable';
  if (unmailed)
    items.push({
      kind: 'mail',
      ref: `@${person.handle}`,
      title: reach === 'unconfirmed' ? 'Your mail address is not confirmed' : 'No mail address on record',
      group: null,
      asked:
        reach === 'unconfirmed'
          ? 'Confirm your mail address (open the link in its confirmation mail, or send a new one): until then news of your groups reaches you only in the hub, and silence counts as consent'
          : 'Add a mail address to your profile: until then news of your groups reaches you only in the hub, and silence counts as consent',
      due: null,
      dueMeans: null,
      late: false,
      path: `/people/${encodeURIComponent(person.handle)}/edit${reach === 'unconfirmed' ? '#mail-status' : '#f-profile-email'}`,
    });
  counts.mail = exact(unmailed ? 1 : 0);

  for (const d of home.decisions)
    items.push({
      kind: 'decision',
      ref: d.ref,
      title: d.question,
      group: d.group,
      asked:
        d.phase === 'vote'
          ? 'Vote before it closes: in a vote, silence is not consent, only votes cast count'
          : 'Consent, raise a concern or block by the deadline: silence by then counts as consent',
      due: d.deadline,
      dueMeans: d.phase === 'vote' ? 'closes' : 'deadline',
      late: false,
      path: `/decisions/${d.ref}${d.phase === 'vote' ? '#vote' : '#respond'}`,
      phase: d.phase,
    });
  counts.decision = bounded(home.decisions.length, home.more.decisions);

  // escalated decisions: those waiting for someone to be named, and those named to me
  for (const [kind, list, more, asked] of [
    [
      'designate',
      home.toDesignate,
      home.more.toDesignate,
      'Escalated with nobody named to resolve it: name the core maintainer who does',
    ],
    [
      'escalation',
      home.escalations,
      home.more.escalations,
      'Escalated to you to resolve: give your guidance (due: the initial response)',
    ],
  ] as const) {
    for (const d of list)
      items.push({
        kind,
        ref: d.ref,
        title: d.question,
        group: d.group,
        asked,
        due: d.dueAt,
        dueMeans: d.dueAt ? 'initial response due' : null,
        late: false,
        path: `/decisions/${d.ref}`,
      });
    counts[kind] = bounded(list.length, more);
  }

  const counted = hub.governance.decisions.eligibleLevels.map((l) => `${l}s`).join(' and ');
  for (const d of home.advisory)
    items.push({
      kind: 'advisory',
      ref: d.ref,
      title: d.question,
      group: d.group,
      asked: `Answer if you wish: your answer is shown to the group but not counted (only its ${counted} count)`,
      due: d.deadline,
      dueMeans: d.phase === 'vote' ? 'closes' : 'deadline',
      late: false,
      path: `/decisions/${d.ref}`,
      phase: d.phase,
    });
  counts.advisory = bounded(home.advisory.length, home.more.advisory);

  for (const r of home.membershipRequests)
    items.push({
      kind: 'membership-request',
      ref: `@${r.handle}`,
      title: `${r.name} (@${r.handle}) asks to become a member of ${r.groupName}`,
      group: r.group,
      asked: 'Accept or decline their request to become a member',
      due: null,
      dueMeans: null,
      late: false,
      path: `/groups/${r.group}#requests`,
    });
  counts['membership-request'] = bounded(home.membershipRequests.length, home.more.membershipRequests);

  for (const p of home.proposals)
    items.push({
      kind: 'proposal',
      ref: p.ref,
      title: p.title,
      group: p.group,
      asked: `Follow it: you are its ${p.why.join(' and ')}${p.movedSinceLastVisit ? '; it moved stage since you last looked' : ''}`,
      due: null,
      dueMeans: null,
      late: false,
      path: `/proposals/${p.ref}`,
      stage: p.stage,
      why: p.why,
      movedSince: p.movedSinceLastVisit,
    });
  counts.proposal = exact(home.proposals.length, home.proposalsTotal);

  for (const m of meetings.slice(0, cap))
    items.push({
      kind: 'meeting',
      ref: m.ref,
      title: m.title,
      group: m.group,
      asked: `Attend if you can (${m.kind} meeting${m.agenda.length ? `; agenda${m.agendaPublished ? '' : ' (draft)'}: ${m.agenda.map((i) => i.title).join('; ')}` : ''})`,
      due: m.startsAt,
      dueMeans: 'starts',
      late: false,
      path: `/meetings/${m.ref}${m.laterInSeries ? '#series' : ''}`,
    });
  counts.meeting = exact(Math.min(meetings.length, cap), meetings.length);

  for (const n of owed.owed)
    items.push({
      kind: 'notes',
      ref: n.ref,
      title: n.title,
      group: n.group,
      asked: `Publish the notes of this meeting: you take them${n.state === 'late' ? ' (late)' : ''}`,
      due: n.dueAt,
      dueMeans: 'notes due',
      late: n.state === 'late',
      path: `/meetings/${n.ref}#notes`,
    });
  counts.notes = bounded(owed.owed.length, owed.more);

  for (const a of actions.slice(0, cap))
    items.push({
      kind: 'action-item',
      ref: a.meeting,
      title: a.description,
      group: a.group,
      asked: `Do it and mark it done (an action item from ${a.meeting}: ${a.meetingTitle})`,
      due: a.due,
      dueMeans: 'due',
      // due on a day: late once that day is over where the hub keeps its days (UTC)
      late: a.due < today,
      path: `/meetings/${a.meeting}#actions`,
      id: a.id,
    });
  counts['action-item'] = exact(Math.min(actions.length, cap), actions.length);

  return {
    handle: person.handle,
    timeZone: person.time_zone,
    at: hub.clock.now().toISOString(),
    since,
    items,
    counts,
    groups: home.groups,
  };
}
