// "What needs me": everything waiting on a member (decisions awaiting their voice, escalations,
// membership requests, notes and action items they owe, the proposals they follow, the meetings they
// may attend, agreements and mail to see to). One use case, `memberNeeds`, reads it all with its
// bounds; the web home renders it, and `whatNeedsMe` turns it into one flat list of typed items for
// scripts and assistants (REST /api/me/needs, MCP what_needs_me, `wghub me needs`), each with its
// reference, group, what is asked, when it is due and where it is on the web. Both count what they
// leave out with `needCounts`, so the page and the other edges cannot disagree about what waits or
// how much of it is listed.
import { groupKindName, levelName, resolverName, withArticle } from '../../domain/governance/words.ts';
import { LIMITS } from '../../domain/limits.ts';
import { mailReach, type MissingAgreement, missingAgreements } from '../../domain/people.ts';
import type { PeopleTable } from '../../store/schema.ts';
import { pastDue } from '../../domain/meetings/deadlines.ts';
import type { Actor, Hub } from '../core/hub.ts';
import { authorizeOwn } from '../people/access.ts';
import { parseInput } from '../core/validate.ts';
import { type AwaitingSponsor, groupsAwaitingSponsorOf } from '../groups/awaiting-sponsor.ts';
import { type InvitationView, openInvitationsOf } from '../groups/invitations.ts';
import { NeedsQuery } from './schemas.ts';
import { occurrenceId } from '../meetings/meetings.ts';
import { memberHome, type MemberHome, movedSince } from './member-home.ts';
import {
  myActionItems,
  myMeetings,
  myNotesOwedPage,
  type MyActionItem,
  type MyMeeting,
  type NotesOwed,
} from './member-meetings.ts';

/** The days ahead whose meetings a member is asked to attend. */
export const MEETING_DAYS = 30;

/** What waits on a member, read once with every list's bound: the web home and `whatNeedsMe` both read this. */
export type MemberNeeds = {
  home: MemberHome;
  /** The agreements they have not accepted in their current version. */
  agreements: MissingAgreement[];
  /** Said only when the hub sends mail and they are in a group: why news does not reach them by mail. */
  mail: 'unconfirmed' | 'no-address' | null;
  /** Their open invitations to groups, soonest to expire first, at most LIMITS.needsPerKind. */
  invitations: { listed: InvitationView[]; more: boolean };
  /**
   * Proposed groups whose sponsorship is not met, which they may sponsor and have not (oldest proposal
   * first, at most LIMITS.needsPerKind): nobody else is told they wait.
   */
  sponsorship: { listed: AwaitingSponsor[]; more: boolean };
  /** Meetings in the next MEETING_DAYS days, at most LIMITS.needsPerKind, and how many there are. */
  meetings: { listed: MyMeeting[]; total: number };
  notes: { owed: NotesOwed[]; more: boolean };
  /** Open action items, earliest due first, at most LIMITS.needsPerKind, and how many there are. */
  actions: { listed: MyActionItem[]; total: number };
};

/**
 * Everything waiting on `person`, bounded as every edge shows it. The home part (decisions, proposals,
 * requests, escalations) is kept in the read cache per person until the next write or the earliest
 * listed deadline, so the web home, REST, MCP and the CLI share one read; `since` marks the proposals
 * that moved after it on that read (`movedSince`), never keys it.
 */
export async function memberNeeds(hub: Hub, person: PeopleTable, since: string | null): Promise<MemberNeeds> {
  const cap = LIMITS.needsPerKind;
  const [home, notes, actions, meetings, invitations, sponsorship] = await Promise.all([
    // kept per person: `since` (each REST or MCP caller's own, the web's last visit) marks what moved
    // after the cached read, so a caller sending a new one each time adds no entry
    hub.reads
      .get(hub, `home:${person.id}`, async () => {
        const value = await memberHome(hub, person, null);
        const deadlines = [...value.decisions, ...value.advisory].map((d) => new Date(d.deadline).getTime());
        return { value, validUntil: Math.min(Infinity, ...deadlines) };
      })
      .then((home) => movedSince(home, since)),
    myNotesOwedPage(hub, person),
    myActionItems(hub, person, cap),
    myMeetings(hub, person, MEETING_DAYS, cap),
    // read each time, not kept with the home: an invitation runs out without a write
    openInvitationsOf(hub, person, cap),
    // read each time too: sponsoring or moving a group is a write, but this list is short and cheap
    groupsAwaitingSponsorOf(hub, person, cap),
  ]);
  const reach = mailReach(person);
  return {
    home,
    agreements: missingAgreements(hub.governance, {
      cocVersion: person.coc_version,
      termsVersion: person.terms_version,
    }),
    // as the home says it: only when the hub sends mail and the person is in a group whose decisions count silence
    mail: hub.settings.mailsOut && home.groups.length > 0 && reach !== 'mailable' ? reach : null,
    invitations: { listed: invitations.items, more: invitations.more },
    sponsorship: { listed: sponsorship.items, more: sponsorship.more },
    meetings,
    notes,
    actions: { listed: actions.items, total: actions.total },
  };
}

/** The kinds of item, in the order the home page lists them. */
export const NEED_KINDS = [
  'agreements',
  'mail',
  'invitation',
  'decision',
  'designate',
  'escalation',
  // a party (who opened, answered or voted on it) to an escalation whose resolver asked for more information
  'more-information',
  'advisory',
  'membership-request',
  // not `group-sponsorship`, the notice to a group's members that it gained a sponsor: this asks
  // one who may sponsor a proposed group to do it (named so until 2026-12-07)
  'sponsor-group',
  'proposal',
  'meeting',
  'notes',
  'action-item',
] as const;
export type NeedKind = (typeof NEED_KINDS)[number];

export type Need = {
  kind: NeedKind;
  /**
   * What it is about: D-3, M-2, a proposal's reference, @handle (one asking to join), your own @handle,
   * or a group's slug (an invitation to it, a proposed group waiting for your sponsorship).
   */
  ref: string;
  /** The decision's question, the meeting's or proposal's title, the action item's description, or who asks. */
  title: string;
  /** The group's slug, when it belongs to one. */
  group: string | null;
  /** What is asked of you, in words to pass on. */
  asked: string;
  /**
   * When it is due: a decision's deadline (a vote's close), an escalation's initial response, notes
   * due, an action item's due day (YYYY-MM-DD), a meeting's start, an invitation's expiry; null when
   * nothing is dated (a proposed group waiting for a sponsor: the governance file sets no period for it).
   */
  due: string | null;
  /** What `due` is, in words: 'deadline', 'closes', 'initial response due', 'notes due', 'due', 'starts', 'expires'. */
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
  /**
   * An action item's id (its meeting is `ref`); a meeting's: its ref, or for a later start of a series
   * with no meeting of its own yet, that start (`M-1@2026-12-19T16:00:00.000Z`, which get_agenda takes);
   * an invitation's id (which accept_invitation and decline_invitation take).
   */
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

/** Per kind, how many are listed and how many there are: what the web home and `whatNeedsMe` both say. */
export function needCounts(n: MemberNeeds): Record<NeedKind, NeedCount> {
  const { home } = n;
  return {
    agreements: exact(n.agreements.length),
    mail: exact(n.mail ? 1 : 0),
    invitation: bounded(n.invitations.listed.length, n.invitations.more),
    decision: bounded(home.decisions.length, home.more.decisions),
    designate: bounded(home.toDesignate.length, home.more.toDesignate),
    escalation: bounded(home.escalations.length, home.more.escalations),
    'more-information': bounded(home.asked.length, home.more.asked),
    advisory: bounded(home.advisory.length, home.more.advisory),
    'membership-request': bounded(home.membershipRequests.length, home.more.membershipRequests),
    'sponsor-group': bounded(n.sponsorship.listed.length, n.sponsorship.more),
    proposal: exact(home.proposals.length, home.proposalsTotal),
    meeting: exact(n.meetings.listed.length, n.meetings.total),
    notes: bounded(n.notes.owed.length, n.notes.more),
    'action-item': exact(n.actions.listed.length, n.actions.total),
  };
}

/**
 * Everything waiting on the acting person, as their web home shows it: refused to a visitor and
 * to the operator (it is a person's own). `since` marks the proposals that changed stage after it.
 */
export async function whatNeedsMe(hub: Hub, actor: Actor, raw: unknown = {}): Promise<WhatNeedsMe> {
  const person = authorizeOwn(hub, actor, 'needs');
  const q = parseInput(NeedsQuery, raw);
  // stored times are UTC ISO strings, compared as text: a time given in another zone is turned to one
  const since = q.since ? new Date(q.since).toISOString() : null;
  const needs = await memberNeeds(hub, person, since);
  const { home } = needs;
  const items: Need[] = [];

  for (const m of needs.agreements)
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

  const reach = needs.mail;
  if (reach)
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

  for (const i of needs.invitations.listed) {
    const offered = withArticle(levelName(hub.governance, i.level));
    items.push({
      kind: 'invitation',
      ref: i.group,
      title: `${i.invitedByName ?? "The hub's operator"} invites you to ${i.groupName} as ${offered}`,
      group: i.group,
      // one that can no longer be accepted (its inviter lost the say, its charter dropped them) says
      // why, and that declining is still theirs; a refusal they can remedy (the agreements) is not that
      asked:
        !i.can.accept.allowed && !i.can.accept.remedy && i.can.decline.allowed
          ? /\bdecline\b/.test(i.can.accept.reason)
            ? i.can.accept.reason
            : `${i.can.accept.reason}; you may decline it`
          : `Accept or decline the invitation: you become ${offered} of ${i.groupName} only if you accept`,
      due: i.expiresAt,
      dueMeans: 'expires',
      late: false,
      path: `/groups/${encodeURIComponent(i.group)}#invitation`,
      id: i.id,
    });
  }

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

  // escalated decisions: those waiting for someone to be named, and those named to me
  for (const [kind, list, asked] of [
    [
      'designate',
      home.toDesignate,
      `Escalated with nobody named to resolve it: name the ${resolverName(hub.governance)} who does`,
    ],
    ['escalation', home.escalations, 'Escalated to you to resolve: give your guidance (due: the initial response)'],
  ] as const) {
    for (const d of list) {
      // guidance given that asks for more met the initial response: what is left is the binding word,
      // with no due date (the web home says the same with the guidance so far)
      const soFar = 'soFar' in d ? d.soFar : null;
      items.push({
        kind,
        ref: d.ref,
        title: d.question,
        group: d.group,
        asked: soFar
          ? `Escalated to you to resolve: your guidance so far says ${soFar}; give binding guidance once you have what you asked for`
          : asked,
        due: soFar ? null : d.dueAt,
        dueMeans: !soFar && d.dueAt ? 'initial response due' : null,
        late: false,
        path: `/decisions/${d.ref}`,
      });
    }
  }

  // the resolver asked the parties for more information: it waits on their answer until binding guidance
  for (const d of home.asked) {
    const who = d.resolver ? `${d.resolver.name} (@${d.resolver.handle})` : `The ${resolverName(hub.governance)}`;
    items.push({
      kind: 'more-information',
      ref: d.ref,
      title: d.question,
      group: d.group,
      asked: `${who}, who resolves its escalation, says more information is needed: “${d.guidance.trim()}” Answer ${!d.answerAt.mentionTells && d.resolver ? `@${d.resolver.handle} ` : ''}${d.answerAt.words}${d.resolver && d.answerAt.mentionTells ? `, mentioning @${d.resolver.handle} so they are told` : ''}; responses and votes on ${d.ref} are closed`,
      due: null,
      dueMeans: null,
      late: false,
      path: d.answerAt.path,
    });
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

  for (const s of needs.sponsorship.listed)
    items.push({
      kind: 'sponsor-group',
      ref: s.slug,
      title: `${s.name}, ${withArticle(groupKindName(hub.governance, s.kind))} proposed on ${s.proposedAt.slice(0, 10)}, waits for its sponsors`,
      group: s.slug,
      asked: `Sponsor it if you vouch for it and its leadership: it becomes active only once sponsored by ${s.sponsorship.rule}; it has ${s.sponsorship.have}`,
      due: null,
      dueMeans: null,
      late: false,
      path: `/groups/${encodeURIComponent(s.slug)}#manage`,
    });

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

  for (const m of needs.meetings.listed)
    items.push({
      kind: 'meeting',
      ref: m.ref,
      title: m.title,
      group: m.group,
      asked: `Attend if you can (${m.kind} meeting${m.agenda.length ? `; agenda${m.agendaPublished ? '' : ' (draft)'}: ${m.agenda.map((i) => i.title).join('; ')}${m.moreAgendaItems ? `; and ${m.moreAgendaItems.toLocaleString('en')} more item${m.moreAgendaItems === 1 ? '' : 's'} on its page` : ''}` : ''})`,
      due: m.startsAt,
      dueMeans: 'starts',
      late: false,
      // a series listed at each of its starts: each start is its own item, named apart by its id
      // (get_agenda and GET /api/meetings/{ref} take it) and its place in the series' list
      path: m.path,
      id: m.laterInSeries ? occurrenceId(m.ref, m.startsAt) : m.ref,
    });

  for (const n of needs.notes.owed)
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

  for (const a of needs.actions.listed)
    items.push({
      kind: 'action-item',
      ref: a.meeting,
      title: a.description,
      group: a.group,
      asked: `Do it and mark it done (an action item from ${a.meeting}: ${a.meetingTitle})`,
      due: a.due,
      dueMeans: 'due',
      // due on a day: late once that day is over where they live, as their home says
      late: pastDue(a.due, hub.clock.now(), person.time_zone),
      path: `/meetings/${a.meeting}#actions`,
      id: a.id,
    });

  return {
    handle: person.handle,
    timeZone: person.time_zone,
    at: hub.clock.now().toISOString(),
    since,
    items,
    counts: needCounts(needs),
    groups: home.groups,
  };
}
