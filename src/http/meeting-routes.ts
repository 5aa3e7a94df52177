import { agendaSuggestions } from '../app/meetings/agenda-suggestions.ts';
import { groupCalendar, personCalendar, topicCalendar } from '../app/meetings/calendar.ts';
import { proposeFairTimes } from '../app/meetings/fair-times.ts';
import {
  addAgendaItem,
  changeAgendaItemKind,
  markWrittenInput,
  publishAgenda,
  moveAgendaItem,
  removeAgendaItem,
  submitWrittenInput,
} from '../app/meetings/agenda.ts';
import {
  addActionItem,
  completeActionItem,
  listLateNotes,
  meetingNotesTemplate,
  recordAttendance,
  recordMeetingDecision,
  recordNotes,
} from '../app/meetings/outcomes.ts';
import {
  ActionItemInput,
  AgendaItemInput,
  AgendaItemKindInput,
  AttendanceInput,
  EditWrittenInputInput,
  EndSeriesInput,
  FairTimesInput,
  LateNotesQuery,
  ListMeetingsQuery,
  UpcomingMeetingsQuery,
  MeetingDecisionInput,
  MoveDirectionInput,
  NotesInput,
  PresentedInput,
  QuarterlyInput,
  ScheduleMeetingInput,
  UpdateMeetingInput,
  WrittenInputInput,
} from '../app/meetings/schemas.ts';
import { readMeeting } from '../app/meetings/decision-standing.ts';
import { listMeetings, meetingHeldAt, scheduleMeeting, updateMeeting } from '../app/meetings/meetings.ts';
import { draftQuarterlyUpdate } from '../app/meetings/quarterly.ts';
import { endSeries } from '../app/meetings/series-end.ts';
import { editWrittenInput, withdrawWrittenInput, writtenInputIn } from '../app/meetings/written-input-edits.ts';
import { upcomingMeetings } from '../app/meetings/upcoming.ts';
import { versioned, type Route } from './routes.ts';

const CALENDAR = 'text/calendar; charset=utf-8';
const MARKDOWN = 'text/markdown; charset=utf-8';

export const meetingRoutes: Route[] = [
  {
    method: 'get',
    path: '/api/meetings',
    tag: 'meetings',
    summary: 'List meetings by group, topic area and time (a series is listed by its first meeting)',
    query: ListMeetingsQuery,
    returns: 'a page of meetings',
    handler: async ({ hub, query }) => ({ body: await listMeetings(hub, query) }),
  },
  {
    method: 'get',
    path: '/api/meetings/upcoming',
    tag: 'meetings',
    summary:
      'Meetings still to come or under way, soonest first: a series at its next meeting (nextStartsAt), one whose last meeting is over left out',
    query: UpcomingMeetingsQuery,
    returns: 'a page of meetings, each with when it next meets',
    handler: async ({ hub, query }) => ({ body: await upcomingMeetings(hub, query) }),
  },
  {
    method: 'post',
    path: '/api/meetings',
    tag: 'meetings',
    summary:
      'Schedule a meeting (process or content) of a group or topic area; less notice than the governance file asks for is flagged, not refused',
    auth: true,
    body: ScheduleMeetingInput,
    returns: 'the meeting',
    status: 201,
    handler: async ({ hub, requireActor, body }) => versioned(await scheduleMeeting(hub, requireActor(), body)),
  },
  {
    method: 'get',
    path: '/api/meetings/late-notes',
    tag: 'meetings',
    summary: 'Meetings whose notes are overdue, or were published after the governance file’s deadline',
    query: LateNotesQuery,
    returns: 'meetings with their notes deadline',
    handler: async ({ hub, query }) => ({ body: { items: await listLateNotes(hub, query) } }),
  },
  {
    method: 'post',
    path: '/api/meetings/fair-times',
    tag: 'meetings',
    summary:
      "Best slots for the participants' zones and working windows, and a rotation for a series, with each person's local time and a fairness figure",
    body: FairTimesInput,
    returns: 'slots and, for a series, the rotation beside a fixed slot',
    handler: async ({ hub, body }) => ({ body: await proposeFairTimes(hub, body) }),
  },
  {
    method: 'get',
    path: '/api/meetings/{ref}',
    etag: true,
    tag: 'meetings',
    summary:
      'A meeting: agenda with written input, notice, notes and their deadline, attendance, decisions, action items, `decisionStanding` (where the first 20 linked decisions stand, and how many more were left out) and `can` (what the caller may do now, and why not). `ref` is a meeting (M-3) or one start of a series as what_needs_me and /api/meetings/upcoming name it (M-3@2026-12-19T16:00:00.000Z): `occurrence` then says which start, and the meeting of its own there (its `ref`), or null while it has none and this answer is the series’ (its `can.openOccurrence` says whether you may open one)',
    returns: 'the meeting (ETag carries its version), and `occurrence` (null for a plain ref)',
    handler: async ({ hub, params, actor }) => versioned(await readMeeting(hub, params.ref!, actor)),
  },
  {
    method: 'get',
    path: '/api/meetings/{ref}/agenda-suggestions',
    tag: 'meetings',
    summary:
      "What needs the group, for the agenda of its coming meeting (for one who may add agenda items, until it starts): the group's decisions open in lazy consensus or a vote, soonest to close first (`closesBeforeMeeting` when one closes before it starts), then its proposals waiting for a sponsor, longest waiting first (`waitingForSponsor` true), and for a content meeting the proposals it is working on, at an open stage, its topic area's first (`waitingForSponsor` false); those already on the agenda left out. Add one with POST /api/meetings/{ref}/agenda, its `link` the item's `type` and `ref` (a decision: `type` decision, `ref` D-1)",
    returns:
      '`items`: each a decision (ref, title, phase, closesAt, closesBeforeMeeting) or a proposal (ref, title, stage, since, waitingForSponsor)',
    handler: async ({ hub, params, actor }) => ({ body: await agendaSuggestions(hub, actor, params.ref!) }),
  },
  {
    method: 'patch',
    path: '/api/meetings/{ref}',
    tag: 'meetings',
    summary:
      'Reschedule, edit or cancel a meeting (a new time counts its notice from now); one meeting of a series opened at a start may be moved alone and keeps answering to that start’s id (M-3@start)',
    auth: true,
    ifMatch: true,
    body: UpdateMeetingInput,
    returns: 'the meeting',
    handler: async ({ hub, requireActor, params, body, ifMatch }) =>
      versioned(await updateMeeting(hub, requireActor(), params.ref!, ifMatch, body)),
  },
  {
    method: 'post',
    path: '/api/meetings/{ref}/agenda',
    tag: 'meetings',
    summary:
      'Add an agenda item (participants may), optionally linked to a proposal, decision or artifact; warns when its kind differs from the meeting’s. Moves the meeting’s version; If-Match is optional (an item added at the end moves no other) and a stale one is a 409',
    auth: true,
    ifMatch: 'optional',
    body: AgendaItemInput,
    returns: 'the meeting',
    status: 201,
    handler: async ({ hub, requireActor, params, body, ifMatch }) =>
      versioned(await addAgendaItem(hub, requireActor(), params.ref!, body, ifMatch)),
  },
  {
    method: 'delete',
    path: '/api/meetings/{ref}/agenda/{item}',
    tag: 'meetings',
    summary:
      'Remove an agenda item (by number or id) before the meeting: its author, or a lead or facilitator; refused while it carries written input. Moves the meeting’s version; send If-Match when naming the item by its number (numbers shift as items come and go): a stale one is a 409',
    auth: true,
    ifMatch: 'optional',
    returns: 'the meeting',
    handler: async ({ hub, requireActor, params, ifMatch }) =>
      versioned(await removeAgendaItem(hub, requireActor(), params.ref!, params.item!, ifMatch)),
  },
  {
    method: 'post',
    path: '/api/meetings/{ref}/end-series',
    tag: 'meetings',
    summary:
      'End a series from a day (YYYY-MM-DD, on its own clock), saying why: earlier meetings stay, later ones are called off (those who schedule the group’s meetings); needs If-Match',
    auth: true,
    ifMatch: true,
    body: EndSeriesInput,
    returns: 'the series',
    handler: async ({ hub, requireActor, params, body, ifMatch }) =>
      versioned(await endSeries(hub, requireActor(), params.ref!, ifMatch, body)),
  },
  {
    method: 'post',
    path: '/api/meetings/{ref}/agenda/{item}/move',
    tag: 'meetings',
    summary:
      'Move an agenda item (by number or id) one place up or down, before the meeting: those who publish the agenda; needs If-Match with the meeting’s ETag',
    auth: true,
    ifMatch: true,
    body: MoveDirectionInput,
    returns: 'the meeting',
    handler: async ({ hub, requireActor, params, body, ifMatch }) =>
      versioned(
        await moveAgendaItem(hub, requireActor(), params.ref!, ifMatch, {
          ...(body !== null && typeof body === 'object' ? body : { direction: body }),
          item: params.item!,
        }),
      ),
  },
  {
    method: 'post',
    path: '/api/meetings/{ref}/agenda/{item}/kind',
    tag: 'meetings',
    summary:
      'Change an agenda item’s kind (process or content), by number or id, before the meeting: its author, or a lead or facilitator. Its place, link and written input stay; the kind warning follows the new kind. Moves the meeting’s version; needs If-Match with the meeting’s ETag (a stale one is a 409 with the agenda as it is)',
    auth: true,
    ifMatch: true,
    body: AgendaItemKindInput,
    returns: 'the meeting',
    handler: async ({ hub, requireActor, params, body, ifMatch }) =>
      versioned(await changeAgendaItemKind(hub, requireActor(), params.ref!, params.item!, ifMatch, body)),
  },
  {
    method: 'post',
    path: '/api/meetings/{ref}/agenda/publish',
    tag: 'meetings',
    summary: 'Publish the agenda (leads and topic facilitators)',
    auth: true,
    // an agenda changed since the read, when If-Match is sent, is shown (409) rather than published unseen
    ifMatch: 'optional',
    returns: 'the meeting',
    handler: async ({ hub, requireActor, params, ifMatch }) =>
      versioned(await publishAgenda(hub, requireActor(), params.ref!, ifMatch)),
  },
  {
    method: 'post',
    path: '/api/meetings/{ref}/written-input',
    tag: 'meetings',
    summary: 'Send written input on an agenda item before the meeting, when you cannot attend',
    auth: true,
    body: WrittenInputInput,
    returns: 'the meeting',
    status: 201,
    // the same text sent again by the same sender on the same item is the input already stored: 200
    alsoAnswers: {
      200: 'The meeting: this same input was already sent on this item (writtenInput.alreadySent), and is on the agenda once',
    },
    handler: async ({ hub, requireActor, params, body }) => {
      const sent = await submitWrittenInput(hub, requireActor(), params.ref!, body);
      return { ...versioned(sent), ...(sent.writtenInput.alreadySent ? { status: 200 } : {}) };
    },
  },
  {
    method: 'get',
    path: '/api/meetings/{ref}/written-input/{id}',
    etag: true,
    tag: 'meetings',
    summary:
      'One written input: its text, item, whether it was presented, its version (the ETag a change sends back as If-Match) and `can` (whether you may change or withdraw it now, and why not). Like every /api/meetings/{ref} route, `ref` may name one start of a series (M-3@…): the meeting of its own there, or a 403 in the meeting policy’s words (what to do, who may open it) while it has none',
    returns: 'the written input',
    handler: async ({ hub, actor, params }) =>
      versioned(writtenInputIn(await meetingHeldAt(hub, params.ref!, actor), params.id!)),
  },
  {
    method: 'patch',
    path: '/api/meetings/{ref}/written-input/{id}',
    tag: 'meetings',
    summary:
      'Change your written input before the meeting starts (its sender only, until it starts or is marked presented or not); needs If-Match with the input’s own ETag (GET it, or its `version` in the meeting): a stale one is a 409 with the text as it is now',
    auth: true,
    ifMatch: true,
    body: EditWrittenInputInput,
    returns: 'the written input',
    handler: async ({ hub, requireActor, params, body, ifMatch }) =>
      versioned(
        writtenInputIn(await editWrittenInput(hub, requireActor(), params.ref!, params.id!, ifMatch, body), params.id!),
      ),
  },
  {
    method: 'delete',
    path: '/api/meetings/{ref}/written-input/{id}',
    tag: 'meetings',
    summary:
      'Withdraw your written input before the meeting starts (its sender only): it leaves the agenda and the facilitators told of it hear it was withdrawn. If-Match (the input’s own ETag) is optional: a stale one is a 409',
    auth: true,
    ifMatch: 'optional',
    returns: 'the meeting',
    handler: async ({ hub, requireActor, params, ifMatch }) =>
      versioned(await withdrawWrittenInput(hub, requireActor(), params.ref!, params.id!, ifMatch)),
  },
  {
    method: 'put',
    path: '/api/meetings/{ref}/written-input/{id}',
    tag: 'meetings',
    summary:
      "Mark written input as presented at the meeting, or not (with a note); If-Match, optional, is the input's own ETag (from its GET, or its `version` in the meeting's agenda), not the meeting's: a mark recorded since is 409 with the mark as it stands",
    auth: true,
    body: PresentedInput,
    ifMatch: 'optional',
    returns: 'the meeting',
    handler: async ({ hub, requireActor, params, body, ifMatch }) =>
      versioned(await markWrittenInput(hub, requireActor(), params.ref!, params.id!, body, ifMatch)),
  },
  {
    method: 'get',
    path: '/api/meetings/{ref}/notes-template',
    tag: 'meetings',
    summary:
      'The notes template: agenda, each written input with whether it was presented, attendance, decisions, actions; `ref` may name one start of a series (M-3@…): the meeting of its own there, or a 403 in the meeting policy’s words while it has none',
    returns: 'markdown',
    produces: MARKDOWN,
    handler: async ({ hub, params, actor }) => ({ body: await meetingNotesTemplate(hub, params.ref!, actor) }),
  },
  {
    method: 'put',
    path: '/api/meetings/{ref}/notes',
    tag: 'meetings',
    summary: 'Publish the notes (markdown); revisions need If-Match',
    auth: true,
    ifMatch: true,
    body: NotesInput,
    returns: 'the meeting',
    handler: async ({ hub, requireActor, params, body, ifMatch }) =>
      versioned(await recordNotes(hub, requireActor(), params.ref!, ifMatch, body)),
  },
  {
    method: 'put',
    path: '/api/meetings/{ref}/attendance',
    tag: 'meetings',
    summary: 'Record who attended',
    auth: true,
    // as notes: replacing a list already recorded needs the version read (the first list needs none)
    ifMatch: true,
    body: AttendanceInput,
    returns: 'the meeting',
    handler: async ({ hub, requireActor, params, body, ifMatch }) =>
      versioned(await recordAttendance(hub, requireActor(), params.ref!, ifMatch, body)),
  },
  {
    method: 'post',
    path: '/api/meetings/{ref}/decisions',
    tag: 'meetings',
    summary: 'Record a decision taken; it may refer to a decision (D-n) or open one under lazy consensus',
    auth: true,
    body: MeetingDecisionInput,
    returns: 'the meeting',
    status: 201,
    handler: async ({ hub, requireActor, params, body }) =>
      versioned(await recordMeetingDecision(hub, requireActor(), params.ref!, body)),
  },
  {
    method: 'post',
    path: '/api/meetings/{ref}/actions',
    tag: 'meetings',
    summary: 'Add an action item with an owner and a due date',
    auth: true,
    body: ActionItemInput,
    returns: 'the meeting',
    status: 201,
    handler: async ({ hub, requireActor, params, body }) =>
      versioned(await addActionItem(hub, requireActor(), params.ref!, body)),
  },
  {
    method: 'post',
    path: '/api/meetings/{ref}/actions/{id}/done',
    tag: 'meetings',
    summary: 'Mark an action item done (its owner, or whoever records outcomes)',
    auth: true,
    returns: 'the meeting',
    handler: async ({ hub, requireActor, params }) =>
      versioned(await completeActionItem(hub, requireActor(), params.ref!, params.id!)),
  },
  {
    method: 'get',
    path: '/api/groups/{slug}/calendar.ics',
    tag: 'meetings',
    summary: "The group's meetings as an iCalendar feed (RFC 5545: VTIMEZONE, RRULE)",
    returns: 'iCalendar',
    produces: CALENDAR,
    handler: async ({ hub, params }) => ({ body: await groupCalendar(hub, params.slug!) }),
  },
  {
    method: 'get',
    path: '/api/groups/{slug}/topics/{topic}/calendar.ics',
    tag: 'meetings',
    summary: "A topic area's meetings as an iCalendar feed",
    returns: 'iCalendar',
    produces: CALENDAR,
    handler: async ({ hub, params }) => ({
      body: await topicCalendar(hub, params.slug!, params.topic!),
    }),
  },
  {
    method: 'get',
    path: '/api/people/{handle}/calendar.ics',
    tag: 'meetings',
    summary: 'The meetings of every group a person belongs to and every topic they facilitate, as an iCalendar feed',
    returns: 'iCalendar',
    produces: CALENDAR,
    handler: async ({ hub, params }) => ({ body: await personCalendar(hub, params.handle!) }),
  },
  {
    method: 'get',
    path: '/api/groups/{slug}/quarterly-update',
    tag: 'meetings',
    summary:
      'Draft the working group’s quarterly update (due end of January, April, July, October) from the record; ?due=YYYY-MM',
    query: QuarterlyInput,
    returns: 'the period, the facts and the markdown draft',
    handler: async ({ hub, params, query, signal }) => ({
      body: await draftQuarterlyUpdate(hub, params.slug!, query, { signal }),
    }),
  },
  {
    method: 'get',
    path: '/api/groups/{slug}/quarterly-update.md',
    tag: 'meetings',
    summary: 'The quarterly update draft as markdown, ready for a lead to edit; ?due=YYYY-MM',
    query: QuarterlyInput,
    returns: 'markdown',
    produces: MARKDOWN,
    handler: async ({ hub, params, query, signal }) => ({
      body: (await draftQuarterlyUpdate(hub, params.slug!, query, { signal })).markdown,
    }),
  },
];
