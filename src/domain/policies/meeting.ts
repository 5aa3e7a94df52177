// Who may do what on a meeting, now: change it, add to its agenda, send written input, publish
// the agenda (before it starts), record its outcomes (once it has started), take an item off the
// agenda or change its kind, and mark an action item done.
import type { Governance } from '../governance/schema.ts';
import { LIMITS } from '../limits.ts';
import { checkPermission, whoMay, type Wording } from './rules.ts';
import { ALLOWED, alreadySo, firstRefusal, refused, type Can, type Refusal, type Verdict } from './verdict.ts';
import type { Standing, Viewer } from './viewer.ts';

export const MEETING_ACTIONS = [
  'edit',
  'reschedule',
  'changeRecurrence',
  'cancel',
  'restore',
  'endSeries',
  'addAgendaItem',
  'writtenInput',
  'recordWrittenInputFor',
  'publishAgenda',
  'orderAgenda',
  'markWrittenInput',
  'addActionItem',
  'recordOutcomes',
  'assignNoteTaker',
  'openOccurrence',
] as const;
export type MeetingAction = (typeof MEETING_ACTIONS)[number];

/** Plain facts about a meeting now. Standing: the viewer's level (a topic's facilitator counts as a lead). */
export type MeetingFacts = {
  cancelled: boolean;
  started: boolean;
  agendaItems: number;
  /** Written input the viewer has sent to this meeting. */
  writtenInputsByViewer?: number;
  /** It repeats by a rule of its own (a series), and is not one occurrence of another meeting's series. */
  recurring?: boolean;
  occurrence?: boolean;
  notesPublished?: boolean;
  /** Its group is retired: it holds no new meetings. */
  groupRetired?: boolean;
  /** A series already ended from a date. */
  seriesEnded?: boolean;
  /** The day a series was ended from, where known. */
  seriesEndedFrom?: string | null;
  /** One meeting of a series that was ended before it: called off by the end, it stays so. */
  pastSeriesEnd?: boolean;
};

/** Why a meeting its series' end called off stays so (the meeting page says it where Restore would be). */
export const AFTER_SERIES_END =
  'Its series was ended before this meeting, so it stays called off; schedule a one-off meeting instead';
const AFTER_END = refused(AFTER_SERIES_END);

const WORDING_RESCHEDULE: Wording = { doing: 'move this meeting' };
const WORDING_CANCEL: Wording = { doing: 'cancel this meeting' };
const WORDING_RESTORE: Wording = { doing: 'restore this meeting' };
const WORDING_RECURRENCE: Wording = { doing: 'change how this meeting repeats' };
const WORDING_END: Wording = { doing: 'end this series' };
const WORDING_ORDER: Wording = { doing: 'change the order of this agenda' };
const WORDING_RECORD_FOR: Wording = { doing: 'record written input someone sent another way (by mail)' };

/**
 * A cancelled meeting was called off before it began (cancel is refused once it has started), so
 * nothing was held there: no notes, attendance (which counts as taking part in the group), decisions,
 * action items or written input presented. Said before who may, as the state is everyone's.
 */
const NOT_HELD = refused('The meeting was cancelled: nothing was held to record');

/** One rule for every change to the agenda: it closes when the meeting starts or is cancelled. */
function agendaOpen(m: MeetingFacts): Verdict {
  if (m.cancelled) return refused('The meeting was cancelled');
  return m.started ? refused('The agenda closed when the meeting started') : ALLOWED;
}

export function meetingPolicy(g: Governance, viewer: Viewer, standing: Standing, m: MeetingFacts): Can<MeetingAction> {
  const contributes = { contributes: true };
  return {
    // restoring or changing a meeting its series' end called off would bring back what the end
    // ruled out; said only to those who could otherwise change it: others are told who may
    edit: firstRefusal(
      () => checkPermission(g, 'meeting.schedule', viewer, standing, undefined, contributes),
      m.pastSeriesEnd ? AFTER_END : ALLOWED,
    ),
    // a meeting that has begun, or was called off, keeps its time; one called off may be restored (edit)
    reschedule: firstRefusal(
      m.pastSeriesEnd ? AFTER_END : ALLOWED,
      m.cancelled ? refused('The meeting was cancelled') : ALLOWED,
      m.started ? refused('The meeting has already started') : ALLOWED,
      () => checkPermission(g, 'meeting.schedule', viewer, standing, WORDING_RESCHEDULE, contributes),
    ),
    // a series keeps running after its first meeting, so its rule may change then; a one-off may
    // become a series only before it happens; an occurrence follows its series' rule
    changeRecurrence: firstRefusal(
      m.occurrence ? refused("One meeting of a series follows the series' rule; change it on the series") : ALLOWED,
      m.cancelled ? refused('The meeting was cancelled') : ALLOWED,
      // its end says why it stopped: a new rhythm is a new series, not this one brought back
      m.seriesEnded ? refused('The series has ended; schedule a new series for a new rhythm') : ALLOWED,
      m.started && !m.recurring ? refused('The meeting has already started') : ALLOWED,
      () => checkPermission(g, 'meeting.schedule', viewer, standing, WORDING_RECURRENCE, contributes),
    ),
    // a coming meeting of a series gets its own page (agenda, written input) as a new meeting of the
    // group would: the same rule and the same refusal when the group is retired
    openOccurrence: firstRefusal(
      m.recurring ? ALLOWED : refused('Only a series has further meetings of its own'),
      m.cancelled ? refused('The meeting was cancelled') : ALLOWED,
      m.groupRetired ? refused('The group is retired') : ALLOWED,
      () => checkPermission(g, 'meeting.schedule', viewer, standing, undefined, contributes),
    ),
    // a series that has begun is not cancelled (its past meetings happened) but ended from a date:
    // the meetings after it are called off, those before it kept
    endSeries: firstRefusal(
      m.recurring ? ALLOWED : refused('Only a series is ended from a date; a single meeting is cancelled'),
      m.cancelled ? refused('The series was cancelled') : ALLOWED,
      () => checkPermission(g, 'meeting.schedule', viewer, standing, WORDING_END, contributes),
      // already as asked, told to one who may end it (policies/verdict.ts `alreadySo`)
      () =>
        m.seriesEnded
          ? alreadySo(`The series is already ended${m.seriesEndedFrom ? `, from ${m.seriesEndedFrom}` : ''}`)
          : ALLOWED,
    ),
    // asked of one cancelled already, the edit changes nothing and answers it as it stands (meetings.ts)
    cancel: firstRefusal(
      m.cancelled ? refused('The meeting is already cancelled') : ALLOWED,
      m.started ? refused('The meeting has already started') : ALLOWED,
      () => checkPermission(g, 'meeting.schedule', viewer, standing, WORDING_CANCEL, contributes),
    ),
    // a called-off meeting comes back only while it is still to come: restored after its time, it would
    // be a meeting nobody held (a series cancelled before it began would bring back every meeting since)
    restore: firstRefusal(
      m.cancelled ? ALLOWED : refused('The meeting is not cancelled'),
      m.pastSeriesEnd ? AFTER_END : ALLOWED,
      m.started
        ? refused(
            m.recurring
              ? 'It would have begun since it was cancelled, so it stays cancelled; schedule a new series instead'
              : 'Its time has passed, so it stays cancelled; schedule a new meeting instead',
          )
        : ALLOWED,
      () => checkPermission(g, 'meeting.schedule', viewer, standing, WORDING_RESTORE, contributes),
    ),
    addAgendaItem: firstRefusal(
      agendaOpen(m),
      m.agendaItems >= LIMITS.agendaItems
        ? refused(
            `The agenda holds ${LIMITS.agendaItems} items, as many as one meeting takes: take one off, or put the rest on another meeting`,
          )
        : ALLOWED,
      () =>
        checkPermission(g, 'meeting.addAgendaItem', viewer, standing, undefined, {
          ...contributes,
          personOnly: 'Agenda items are added by a person',
        }),
    ),
    writtenInput: firstRefusal(
      agendaOpen(m),
      m.agendaItems ? ALLOWED : refused('Written input is sent on an agenda item, and there is none yet'),
      (m.writtenInputsByViewer ?? 0) >= LIMITS.writtenInputsPerPerson
        ? refused(
            `You have sent written input ${LIMITS.writtenInputsPerPerson} times to this meeting, as many as one person may; the facilitators present what you sent`,
          )
        : ALLOWED,
      () =>
        checkPermission(g, 'meeting.writtenInput', viewer, standing, undefined, {
          ...contributes,
          personOnly: 'Written input comes from a person',
        }),
    ),
    // written input a member sent another way (by mail, in person, in chat): those who prepare the
    // agenda enter it for them, under the sender's name, while the agenda is open; whether the sender
    // may send it (their level, how many they sent) is asked of the sender's own policy
    recordWrittenInputFor: firstRefusal(
      agendaOpen(m),
      m.agendaItems ? ALLOWED : refused('Written input is sent on an agenda item, and there is none yet'),
      () =>
        checkPermission(g, 'meeting.publishAgenda', viewer, standing, WORDING_RECORD_FOR, {
          ...contributes,
          personOnly: 'Written input is recorded for its sender by a person',
        }),
    ),
    publishAgenda: firstRefusal(
      agendaOpen(m),
      m.agendaItems ? ALLOWED : refused('Add an agenda item before publishing the agenda'),
      () => checkPermission(g, 'meeting.publishAgenda', viewer, standing, undefined, contributes),
    ),
    // the order of the items is the agenda's, so it is for those who publish it, while it is open
    orderAgenda: firstRefusal(
      agendaOpen(m),
      m.agendaItems > 1 ? ALLOWED : refused('There is nothing to order until the agenda has two items'),
      () => checkPermission(g, 'meeting.publishAgenda', viewer, standing, WORDING_ORDER, contributes),
    ),
    // whether written input was presented is an outcome: for those who record them, once the meeting
    // has started (before, nothing can have been presented there)
    markWrittenInput: firstRefusal(
      m.cancelled ? NOT_HELD : ALLOWED,
      m.started ? ALLOWED : refused('Written input is marked as presented once the meeting has started'),
      () => checkPermission(g, 'meeting.recordOutcomes', viewer, standing, undefined, contributes),
    ),
    // action items, by those who record the outcomes, at any time (preparation for it included) until
    // it is called off; one given before stays its owner's to mark done (actionItemPolicy)
    addActionItem: firstRefusal(m.cancelled ? NOT_HELD : ALLOWED, () =>
      checkPermission(g, 'meeting.recordOutcomes', viewer, standing, undefined, contributes),
    ),
    // who owes the notes may change until they are published; a cancelled meeting has none
    assignNoteTaker: firstRefusal(
      m.cancelled ? refused('The meeting was cancelled') : ALLOWED,
      m.notesPublished ? refused('Its notes are published') : ALLOWED,
      () => checkPermission(g, 'meeting.assignNoteTaker', viewer, standing, undefined, contributes),
    ),
    recordOutcomes: firstRefusal(
      m.cancelled ? NOT_HELD : ALLOWED,
      m.started ? ALLOWED : refused('Outcomes are recorded once the meeting has started'),
      () => checkPermission(g, 'meeting.recordOutcomes', viewer, standing, undefined, contributes),
    ),
  };
}

/*
 * What one meeting of a series has (its agenda, written input, its own time, notes and outcomes) is
 * done on its own record, which those who schedule the group's meetings open (`openOccurrence`). Until
 * then, all of it is refused for that meeting in one sentence, whatever it is for the series' first
 * meeting: the series' `can` said "The agenda closed when the meeting started" of a meeting still to come.
 */

/**
 * The one refusal for a later meeting of a series that has no record of its own yet, whatever is asked
 * of it (its agenda, written input, time, notes and outcomes, read or written) and whichever edge asks:
 * what to do, and who may open it (those who schedule the group's meetings, in the governance file's
 * words), or why it gets none (its series was cancelled, its group retired). `open` is the series'
 * `openOccurrence` for this viewer.
 */
export function unopenedOccurrenceRefusal(g: Governance, open: Verdict, m: MeetingFacts): Refusal {
  const none = 'This meeting of the series has no agenda of its own';
  if (m.cancelled) return refused(`${none}, and gets none: the series was cancelled`);
  if (m.groupRetired) return refused(`${none}, and gets none: the group is retired`);
  const who = whoMay(g, g.permissions['meeting.schedule']);
  return refused(
    open.allowed
      ? `${none} yet: open it first (${who} may), then its agenda, written input and outcomes are its own`
      : `${none} yet: only ${who} may open it; then anyone taking part may add items and send written input`,
  );
}

/**
 * The series' `can` as it holds at one of its later starts that has no record of its own: every
 * action but opening it is refused there with `unopenedOccurrenceRefusal`, as the use cases refuse
 * them when that start's id (M-1@start) is given; what belongs to the whole series (how it repeats,
 * its end) is done on the series itself, by its own ref.
 */
export function unopenedOccurrenceCan(series: Can<MeetingAction>, refusal: Refusal): Can<MeetingAction> {
  return {
    ...(Object.fromEntries(MEETING_ACTIONS.map((a) => [a, refusal])) as Can<MeetingAction>),
    openOccurrence: series.openOccurrence,
  };
}

export const AGENDA_ITEM_ACTIONS = ['remove', 'changeKind'] as const;
export type AgendaItemAction = (typeof AGENDA_ITEM_ACTIONS)[number];

const WORDING_KIND: Wording = { doing: "change this item's kind", relations: { author: 'whoever added it' } };

/**
 * Taking an item off the agenda, or changing its kind (process or content) when it was added under the
 * wrong one: whoever added it, or those who publish the agenda, while it is open. Both are the item's
 * own edits, so they follow one permission (`meeting.removeAgendaItem`) and one state rule (`agendaOpen`).
 */
export function agendaItemPolicy(
  g: Governance,
  viewer: Viewer,
  standing: Standing,
  m: MeetingFacts,
): Can<AgendaItemAction> {
  return {
    remove: firstRefusal(agendaOpen(m), () =>
      checkPermission(g, 'meeting.removeAgendaItem', viewer, standing, undefined, { contributes: true }),
    ),
    changeKind: firstRefusal(agendaOpen(m), () =>
      checkPermission(g, 'meeting.removeAgendaItem', viewer, standing, WORDING_KIND, { contributes: true }),
    ),
  };
}

/** Marking an action item done: its owner, or those who record the meeting's outcomes. */
export function actionItemPolicy(g: Governance, viewer: Viewer, standing: Standing): Can<'complete'> {
  return { complete: checkPermission(g, 'meeting.completeAction', viewer, standing, undefined, { contributes: true }) };
}

export const WRITTEN_INPUT_ACTIONS = ['edit', 'withdraw'] as const;
export type WrittenInputAction = (typeof WRITTEN_INPUT_ACTIONS)[number];

/** Plain facts about one written input: whether the viewer sent it, and whether it was marked presented or not. */
export type WrittenInputFacts = { mine: boolean; marked: boolean };

/**
 * Changing or withdrawing written input: its sender alone, until the meeting starts. The guide has the
 * facilitators present "written representations from those who cannot attend": the words are the
 * sender's, so nobody else may change them (not a permission in the governance file, which could
 * hand them to someone else), and what was presented is what the meeting heard, so the text is fixed
 * once the meeting starts or once it was marked presented or not, whichever comes first. A
 * facilitator does not remove input: one who will not present it marks it not presented, saying why,
 * so its sender knows. A cancelled meeting's input may be withdrawn (it may be restored) but not
 * changed, as its agenda takes no change.
 */
export function writtenInputPolicy(viewer: Viewer, m: MeetingFacts, w: WrittenInputFacts): Can<WrittenInputAction> {
  const sender = (verb: string, done: string): Verdict => {
    if (viewer.kind === 'visitor') return refused('Sign in first', 'sign-in');
    if (viewer.kind === 'operator')
      return refused(`Written input is ${done} by the person who sent it: act as them with --as HANDLE`);
    return w.mine ? ALLOWED : refused(`Only the person who sent this written input may ${verb} it`);
  };
  const fixed = (doing: string): Verdict =>
    w.marked
      ? refused(`It was marked as presented or not at the meeting, so it can no longer be ${doing}`)
      : m.started
        ? refused(`The meeting has started, so its written input can no longer be ${doing}`)
        : ALLOWED;
  return {
    edit: firstRefusal(
      sender('change', 'changed'),
      fixed('changed'),
      m.cancelled ? refused('The meeting was cancelled: its agenda takes no change') : ALLOWED,
    ),
    withdraw: firstRefusal(sender('withdraw', 'withdrawn'), fixed('withdrawn')),
  };
}
