// Tools for a meeting's note-taker: the notes, who attended, the decisions taken and the action items agreed, over
// the same use cases as REST and the meeting's page, so the same policy answers (members and leads
// of the group, and maintainers, record outcomes) and the same deadlines and notices follow.
import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import type { Hub } from '../app/core/hub.ts';
import {
  linkedDecisionStanding,
  type MeetingDecisionStanding,
  readMeeting,
  STANDING_READ,
} from '../app/meetings/decision-standing.ts';
import type { MeetingView } from '../app/meetings/meetings.ts';
import {
  addActionItem,
  completeActionItem,
  recordAttendance,
  recordMeetingDecision,
  recordNotes,
} from '../app/meetings/outcomes.ts';
import { ActionItemInput, AttendanceInput, MeetingDecisionInput, NotesInput } from '../app/meetings/schemas.ts';
import { ADD, READ, REPLACE, UPDATE, attempt, ok, requireCaller, type McpCaller, whoMayUse } from './results.ts';
import { versionRead } from './versions.ts';
import { MeetingArg as Ref, onMeeting } from './meetings.ts';

/** The meeting's version read: the first record needs none, replacing one does (`why`: what it spares). */
const replacing = (why: string) =>
  versionRead(
    `the meeting's version you read (get_meeting_outcomes or get_agenda shows it): needed to replace ${why}`,
  ).optional();

const NotesArgs = z.object({
  ref: Ref,
  ...NotesInput.shape,
  version: replacing("notes already recorded, so nobody's notes are overwritten unseen"),
});
const AttendanceArgs = z.object({
  ref: Ref,
  attended: AttendanceInput.shape.attended.describe('the handles of everyone who attended (replaces the list)'),
  version: replacing("a list already recorded, so nobody's names are dropped unseen"),
});
// the schema's refinement (either an existing decision or one to open) is checked by the use case
const DecisionArgs = z.object({ ref: Ref, ...MeetingDecisionInput.shape });
const ActionArgs = z.object({ ref: Ref, ...ActionItemInput.shape });
const DoneArgs = z.object({
  ref: Ref.describe("the meeting the action item is from (what_needs_me's ref for an action-item), such as M-3"),
  action: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .describe("the action item's id: what_needs_me's id for an action-item, or get_meeting_outcomes' actions[].id"),
});

const ReadArgs = z.object({ ref: Ref });
const StandingOutput = z.object({
  items: z
    .array(
      z.looseObject({
        ref: z.string(),
        question: z.string(),
        phase: z.string().describe("'lazy-consensus', 'vote', 'escalated' or 'closed'"),
        outcome: z
          .string()
          .describe(
            "'pending' while it is open, else 'adopted', 'adopted-by-vote', 'resolved-by-escalation' or 'withdrawn'",
          ),
        deadline: z.string().describe('the lazy-consensus deadline: silence by then counts as consent'),
        voteClosesAt: z.string().nullable().describe('when its vote closes, in a vote'),
        why: z.array(z.string()).describe("why it stands there, in words to pass on (as get_decision's state.why)"),
        escalationDueAt: z.string().nullable().describe('when guidance is due, once it is escalated'),
      }),
    )
    .describe(
      `where each linked decision stands now, each once, in the order the meeting recorded them: the first ${STANDING_READ}`,
    ),
  leftOut: z
    .number()
    .int()
    .describe(
      `how many more decisions the meeting links whose standing was not read (past the first ${STANDING_READ}): get_decision reads each`,
    ),
});
const OutcomesOutput = z.looseObject({
  ref: z.string(),
  notes: z.looseObject({ markdown: z.string().nullable(), publishedAt: z.string().nullable() }),
  decisions: z.array(
    z.looseObject({ summary: z.string(), decision: z.string().nullable().describe('the decision (D-n) it refers to') }),
  ),
  actions: z.array(z.looseObject({ owner: z.string(), description: z.string(), due: z.string(), done: z.boolean() })),
  attendance: z.array(z.string()).describe('who attended, by handle'),
  version: z.number().int().describe("the meeting's version now"),
  decisionStanding: StandingOutput,
});

/**
 * Every outcome tool answers as get_meeting_outcomes does, where each linked decision stands included:
 * a note-taker who records a decision (or opens one) sees at once whether it is open, in a vote or closed.
 */
const outcomes = async (hub: Hub, m: MeetingView & { decisionStanding?: MeetingDecisionStanding }) =>
  ok({
    ref: m.ref,
    title: m.title,
    startsAt: m.startsAt,
    notes: { markdown: m.notes.markdown, publishedAt: m.notes.publishedAt, deadline: m.notes.deadline },
    decisions: m.decisions,
    actions: m.actions.map(({ can: _can, ...a }) => a),
    attendance: m.attendance,
    attendees: m.attendees,
    version: m.version,
    decisionStanding: m.decisionStanding ?? (await linkedDecisionStanding(hub, m.decisions)),
  });

export function registerMeetingOutcomeTools(server: McpServer, hub: Hub, caller: McpCaller): void {
  server.registerTool(
    'get_meeting_outcomes',
    {
      title: "Get a meeting's outcomes",
      description: `What a meeting recorded: its notes (and their deadline), who attended, the decisions taken and the action items, with where each decision it links stands now (open until its deadline, in a vote, or its outcome: the first ${STANDING_READ}, and how many more were left out). The version is what the tools that replace notes or attendance take.`,
      inputSchema: ReadArgs,
      outputSchema: OutcomesOutput,
      annotations: READ,
    },
    onMeeting(hub, caller, ({ ref }) =>
      attempt(async () => {
        return outcomes(hub, await readMeeting(hub, ref, caller.actor));
      }),
    ),
  );
  server.registerTool(
    'record_meeting_notes',
    {
      title: "Record a meeting's notes",
      description: `Publish a meeting's notes (markdown), or replace them with the meeting's version you read. The governance file asks for notes within a deadline after the meeting; the answer says whether they were late. ${whoMayUse(hub, 'meeting.recordOutcomes')}`,
      inputSchema: NotesArgs,
      outputSchema: OutcomesOutput,
      annotations: REPLACE,
    },
    onMeeting(hub, caller, ({ ref, version, notes }) =>
      attempt(async () =>
        outcomes(hub, await recordNotes(hub, requireCaller(caller, 'recording notes'), ref, version, { notes })),
      ),
    ),
  );
  server.registerTool(
    'record_attendance',
    {
      title: 'Record who attended a meeting',
      description: `Record who attended a meeting that has begun (handles), replacing the list: get_meeting_outcomes (or get_agenda) shows the list now and the meeting's version; send the whole list (to add a latecomer, the list plus them) with that version. The first list needs no version. Attending keeps a member's membership from lapsing. ${whoMayUse(hub, 'meeting.recordOutcomes')}`,
      inputSchema: AttendanceArgs,
      outputSchema: OutcomesOutput,
      annotations: REPLACE,
    },
    onMeeting(hub, caller, ({ ref, version, attended }) =>
      attempt(async () =>
        outcomes(
          hub,
          await recordAttendance(hub, requireCaller(caller, 'recording attendance'), ref, version, { attended }),
        ),
      ),
    ),
  );
  server.registerTool(
    'record_meeting_decision',
    {
      title: 'Record a decision taken at a meeting',
      description: `Record what a meeting decided (summary), referring to a decision (D-n) or opening one in the meeting's group under lazy consensus (open: question, significance, optional deadline), so those who were not there can still object before it closes. The answer's decisionStanding says where each decision the meeting links stands now, the one just recorded or opened among them. ${whoMayUse(hub, 'meeting.recordOutcomes')}`,
      inputSchema: DecisionArgs,
      outputSchema: OutcomesOutput,
      annotations: ADD,
    },
    onMeeting(hub, caller, ({ ref, ...body }) =>
      attempt(async () =>
        outcomes(hub, await recordMeetingDecision(hub, requireCaller(caller, 'recording a decision'), ref, body)),
      ),
    ),
  );
  server.registerTool(
    'add_action_item',
    {
      title: 'Add an action item',
      description: `Add an action item agreed at a meeting: its owner (a handle), what is to be done and when it is due (YYYY-MM-DD); the owner is told at once (inbox, and mail as they chose) unless they add it themselves, and sees it on their home page. ${whoMayUse(hub, 'meeting.recordOutcomes')}`,
      inputSchema: ActionArgs,
      outputSchema: OutcomesOutput,
      annotations: ADD,
    },
    onMeeting(hub, caller, ({ ref, ...body }) =>
      attempt(async () =>
        outcomes(hub, await addActionItem(hub, requireCaller(caller, 'adding an action item'), ref, body)),
      ),
    ),
  );
  server.registerTool(
    'complete_action_item',
    {
      title: 'Mark an action item done',
      description: `Mark an action item from a meeting done, as what_needs_me asks of its owner ("Do it and mark it done"): it leaves their list, and the meeting's record shows it done. Marking it again changes nothing. get_meeting_outcomes' actions say which are done. ${whoMayUse(hub, 'meeting.completeAction')}`,
      inputSchema: DoneArgs,
      outputSchema: OutcomesOutput,
      annotations: UPDATE,
    },
    onMeeting(hub, caller, ({ ref, action }) =>
      attempt(async () =>
        outcomes(hub, await completeActionItem(hub, requireCaller(caller, 'marking an action item done'), ref, action)),
      ),
    ),
  );
}
