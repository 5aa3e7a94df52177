// What someone may do to take part in a group (propose something there, open a decision, add to
// its next meeting's agenda or send written input, answer its open decisions), for the group page
// of those who do not run it. Each answer is the verdict of that thing's own policy, read from the
// views that carry `can`: the page says what they allow, it never decides.
import type { Can, GroupAction, Verdict } from '../../domain/policies/index.ts';
import { communityCan } from '../people/access.ts';
import type { Actor, Hub } from '../core/hub.ts';
import { getDecision } from '../decisions/decisions.ts';
import { getMeeting } from '../meetings/meetings.ts';
import type { GroupHome } from './group-home.ts';
import { groupCan } from './group-can.ts';
import { groupRow } from './groups.ts';
import { topicsFacilitatedIn } from './topic-areas.ts';

export type TakingPart = {
  /** Filing a proposal, which may name this group (the community's proposal.create). */
  propose: Verdict;
  openDecision: Verdict;
  scheduleMeeting: Verdict;
  /**
   * The topic areas whose meetings they may schedule as its facilitator (a facilitator schedules
   * them as a lead does) though not the group's own: only while `scheduleMeeting` is refused.
   */
  topicMeetings: { slug: string; name: string }[];
  /**
   * Its next meetings (the first few), with whether they may add to the agenda or send written
   * input. A series is listed at its next date; its verdicts are its own meeting's (an occurrence
   * with no page of its own yet takes neither).
   */
  meetings: { ref: string; title: string; startsAt: string; addAgendaItem: Verdict; writtenInput: Verdict }[];
  /** Its open decisions (the first few, soonest deadline first) they may answer now. */
  toAnswer: { ref: string; question: string; deadline: string }[];
};

/** How many upcoming meetings and open decisions are read: the group page lists them all below. */
const MEETINGS_READ = 3;
const DECISIONS_READ = 5;

export async function takingPart(
  hub: Hub,
  actor: Actor,
  /** The group's `can` for this actor (its view carries it). */
  can: Can<GroupAction>,
  home: Pick<GroupHome, 'decisions' | 'meetings'>,
  groupSlug: string,
): Promise<TakingPart> {
  const next = home.meetings.upcoming.filter((m) => !m.cancelled).slice(0, MEETINGS_READ);
  const open = [...home.decisions].sort((a, b) => a.deadline.localeCompare(b.deadline)).slice(0, DECISIONS_READ);
  const [meetings, decisions] = await Promise.all([
    Promise.all(next.map((m) => getMeeting(hub, m.ref, actor))),
    Promise.all(open.map((d) => getDecision(hub, d.ref, undefined, actor))),
  ]);
  const topicMeetings = can.scheduleMeeting.allowed ? [] : await facilitatedTopics(hub, actor, groupSlug);
  return {
    propose: communityCan(hub, actor).createProposal,
    openDecision: can.openDecision,
    scheduleMeeting: can.scheduleMeeting,
    topicMeetings,
    meetings: next.map((m, i) => ({
      ref: m.ref,
      title: m.title,
      startsAt: m.startsAt,
      addAgendaItem: meetings[i]!.can.addAgendaItem,
      writtenInput: meetings[i]!.can.writtenInput,
    })),
    toAnswer: open.filter((_, i) => decisions[i]!.can.respond.allowed),
  };
}

/** The group's topic areas this person facilitates, when the group's policy lets a facilitator schedule their meetings. */
export async function facilitatedTopics(
  hub: Hub,
  actor: Actor,
  groupSlug: string,
): Promise<{ slug: string; name: string }[]> {
  if (actor.kind !== 'person') return [];
  const db = hub.store.db;
  const g = await groupRow(db, groupSlug);
  const topics = await topicsFacilitatedIn(db, g.id, actor.person.id);
  // the verdict scheduleMeeting gives a topic's facilitator (meetingLevel: a lead for its meetings)
  if (!topics.length || !(await groupCan(db, hub, actor, g, 'lead')).scheduleMeeting.allowed) return [];
  return topics.map((t) => ({ slug: t.slug, name: t.name }));
}
