// Meetings for assistants: upcoming meetings, agendas (as a tool and a resource), adding items
// and written input, and a prompt that drafts an agenda from what is open in the group.
import { type CallToolResult, completable, ResourceTemplate, type McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { completeMeetingRefs } from '../app/search/completion.ts';
import { listDecisions } from '../app/decisions/decisions.ts';
import type { Hub } from '../app/core/hub.ts';
import { addAgendaItem, markWrittenInput, submitWrittenInput } from '../app/meetings/agenda.ts';
import { agendaSuggestions } from '../app/meetings/agenda-suggestions.ts';
import {
  AgendaItemInput,
  EditWrittenInputInput,
  MeetingOrOccurrenceRef,
  PresentedInput,
  UpcomingMeetingsQuery,
  WrittenInputId,
  WrittenInputInput,
} from '../app/meetings/schemas.ts';
import { editWrittenInput, withdrawWrittenInput } from '../app/meetings/written-input-edits.ts';
import { getMeeting, getMeetingAt, meetingRefAt, type MeetingView, type Occurrence } from '../app/meetings/meetings.ts';
import { upcomingMeetings } from '../app/meetings/upcoming.ts';
import { listProposals } from '../app/proposals/proposals.ts';
import { routeOf } from '../domain/proposals/index.ts';
import { CanOutput } from './outputs.ts';
import { LIMITS } from '../domain/limits.ts';
import { agendaMarkdown } from './markdown.ts';
import { readMarkdown } from './resources.ts';
import { uriValue } from './uri-values.ts';
import { ADD, READ, REPLACE, UPDATE, attempt, ok, requireCaller, type McpCaller, whoMayUse } from './results.ts';
import { versionRead } from './versions.ts';

/**
 * The meeting a tool acts on: its ref, or one meeting of a series as what_needs_me's id names it
 * (M-3@start), which `onMeeting` turns into the meeting holding it before the tool runs, so the id
 * one tool gives is one every meeting tool takes.
 */
export const MeetingArg = MeetingOrOccurrenceRef.describe(
  "a meeting reference such as M-3, or one meeting of a series as what_needs_me's id names it (M-3@2026-12-19T16:00:00.000Z)",
);
const Ref = MeetingArg;

/**
 * A meeting tool's body, run on the meeting its `ref` names (`meetingRefAt`): a later meeting of a
 * series with no agenda of its own is refused saying who opens it, as get_agenda's `can` does.
 */
export function onMeeting<A extends { ref: string }>(
  hub: Hub,
  caller: McpCaller,
  body: (args: A) => Promise<CallToolResult>,
): (args: A) => Promise<CallToolResult> {
  return (args) => attempt(async () => body({ ...args, ref: await meetingRefAt(hub, args.ref, caller.actor) }));
}

const UpcomingInput = UpcomingMeetingsQuery;
const AgendaInput = z.object({ ref: MeetingArg });
// adding appends at the end and moves no other item, so the version is optional (checked when given)
const AddItemInput = z.object({
  ref: Ref,
  ...AgendaItemInput.shape,
  version: versionRead(
    "the meeting's version as you read it (get_agenda): optional, as an item added at the end moves no other; given, an older one is refused",
  ).optional(),
});
const WrittenInput = z.object({ ref: Ref, ...WrittenInputInput.shape });
const EditInput = z.object({
  ref: Ref,
  input: WrittenInputId,
  ...EditWrittenInputInput.shape,
  version: versionRead(
    "the written input's own version as you read it (get_agenda, under its item): an edit from an older read is refused, not written over the newer text",
  ),
});
const WithdrawInput = z.object({
  ref: Ref,
  input: WrittenInputId,
  version: versionRead(
    "the written input's own version as you read it: optional (only its sender can change it); given, an older one is refused",
  ).optional(),
});

const MarkInput = z.object({
  ref: Ref,
  input: WrittenInputId,
  presented: z.boolean().describe('true: it was presented at the meeting; false: it was not (say why in the note)'),
  note: PresentedInput.shape.note.describe(
    'why it was not presented, or a note on how it was (required when not presented)',
  ),
  version: versionRead(
    "the written input's own version as you read it (get_agenda lists it under its item): optional; given, a mark someone else recorded since is refused with the mark as it stands, rather than overwritten",
  ).optional(),
});

const Item = z.looseObject({
  id: z.string(),
  position: z.number().int(),
  title: z.string(),
  kind: z.string(),
  writtenInput: z.array(
    z.looseObject({
      id: z.string(),
      author: z.string(),
      body: z.string(),
      version: z.number().describe('its own version: edit_written_input and withdraw_written_input take it'),
      presented: z
        .boolean()
        .nullable()
        .describe('whether it was presented at the meeting: null until someone marks it (mark_written_input)'),
      editedAt: z.string().nullable().describe('when its sender last changed it'),
      recordedBy: z
        .object({ handle: z.string(), name: z.string() })
        .nullable()
        .describe(
          'who entered it for its sender (a lead or facilitator, for input sent by mail); null when the sender sent it',
        ),
      can: CanOutput.describe(
        'whether you may edit or withdraw it now (its sender, until the meeting starts), and why not',
      ),
    }),
  ),
});
const AgendaOutput = z.object({
  ref: z.string(),
  title: z.string(),
  group: z.string(),
  kind: z.string(),
  startsAt: z.string(),
  noteTaker: z.string().nullable().describe('who owes the notes'),
  attendance: z
    .array(z.string())
    .describe('who attended, by handle (record_attendance replaces this list: send it whole, with the version)'),
  attendees: z.array(z.looseObject({ handle: z.string(), name: z.string() })).describe('the same, with names'),
  version: z
    .number()
    .describe(
      "the meeting's version: give it to the tools that change the meeting or its agenda (move_agenda_item, remove_agenda_item, reschedule_meeting, end_meeting_series…), which refuse an older one; adding, removing or moving an item moves it",
    ),
  agenda: z.looseObject({ publishedAt: z.string().nullable(), items: z.array(Item) }),
  markdown: z.string().describe('the agenda as markdown, with written input under its item'),
  upcoming: z
    .array(z.string())
    .describe(
      "the starts still to come (UTC), at most 12: a series' next meetings, each named M-3@start by what_needs_me and this tool (schedule_meeting's seriesOf with one as startsAt opens its agenda), or a one-off's own start until it begins",
    ),
  can: CanOutput,
  occurrence: z
    .object({
      id: z.string().describe("the start's id (M-3@2026-12-19T16:00:00.000Z), the start written in UTC"),
      series: z.string().describe('the series'),
      startsAt: z.string().describe('the start asked for'),
      ref: z
        .string()
        .nullable()
        .describe(
          "the meeting with its own agenda at that start (this answer); null: none yet, so this answer is the series' (its first meeting's agenda), and can.openOccurrence says whether you may open one with schedule_meeting (seriesOf, startsAt)",
        ),
    })
    .nullable()
    .optional()
    .describe('when ref named one start of a series (M-3@…): which start, and whether it has an agenda of its own'),
});
const SuggestionsOutput = z.object({
  meeting: z.string(),
  items: z.array(
    z.looseObject({
      type: z.enum(['decision', 'proposal']),
      ref: z.string(),
      title: z.string(),
      phase: z.string().optional().describe('a decision: lazy-consensus or vote'),
      closesAt: z.string().optional().describe('a decision: when it closes now'),
      closesBeforeMeeting: z.boolean().optional().describe('a decision closing before the meeting starts'),
      stage: z.string().optional().describe('a proposal: its stage'),
      since: z.string().optional().describe('a proposal: in that stage since'),
      waitingForSponsor: z
        .boolean()
        .optional()
        .describe(
          'a proposal: it waits for a sponsor (true), or the group is working on it (false: a content meeting)',
        ),
    }),
  ),
});
const UpcomingOutput = z.object({
  items: z.array(
    z.looseObject({
      ref: z.string(),
      group: z.string(),
      title: z.string(),
      kind: z.string(),
      startsAt: z.string().describe("the meeting's first start (UTC): for a series, when the series began"),
      localStart: z.string(),
      timeZone: z.string(),
      nextStartsAt: z.string().describe('when it next meets (UTC): a series at its next meeting'),
      nextEndsAt: z.string(),
      nextLocalStart: z.string().describe("that start on the organiser's wall clock"),
      nextId: z
        .string()
        .describe(
          "that meeting's id as what_needs_me names it: its ref, or for a later start of a series M-3@nextStartsAt (get_agenda and the wghub://meetings/{ref}/agenda resource take it)",
        ),
      cancelled: z.boolean().describe('called off: listed so that nobody waits for it, but it will not meet'),
    }),
  ),
  nextCursor: z.string().nullable(),
});

function agenda(m: MeetingView, occurrence?: Occurrence | null, extra: Record<string, unknown> = {}) {
  return ok({
    ...extra,
    ref: m.ref,
    title: m.title,
    group: m.group,
    kind: m.kind,
    startsAt: m.startsAt,
    noteTaker: m.noteTaker,
    attendance: m.attendance,
    attendees: m.attendees,
    version: m.version,
    agenda: m.agenda,
    markdown: agendaMarkdown(m, occurrence ?? null),
    upcoming: m.upcoming,
    can: m.can,
    ...(occurrence !== undefined ? { occurrence } : {}),
  });
}

export function registerMeetingTools(server: McpServer, hub: Hub, caller: McpCaller): void {
  server.registerTool(
    'list_upcoming_meetings',
    {
      title: 'Upcoming meetings',
      description:
        'Meetings still to come (or under way), by group or topic area, soonest first by nextStartsAt: a series at its next meeting, one whose last meeting is over left out; paginated.',
      inputSchema: UpcomingInput,
      outputSchema: UpcomingOutput,
      annotations: READ,
    },
    (args) => attempt(async () => ok(await upcomingMeetings(hub, args))),
  );
  server.registerTool(
    'get_agenda',
    {
      title: 'Get a meeting agenda',
      description:
        "A meeting's agenda: items in order with their kind (process or content), links and written input from people who cannot attend, and `can`: whether you may add an item, send written input or publish the agenda now, and why not. Takes a meeting's ref, or one later meeting of a series as what_needs_me's id names it (M-3@start): `occurrence` then says whether that meeting has an agenda of its own yet.",
      inputSchema: AgendaInput,
      outputSchema: AgendaOutput,
      annotations: READ,
    },
    ({ ref }) =>
      attempt(async () => {
        const { occurrence, ...m } = await getMeetingAt(hub, ref, caller.actor);
        return agenda(m, occurrence);
      }),
  );
  server.registerTool(
    'suggest_agenda_items',
    {
      title: 'What needs the group, for an agenda',
      description: `What the group's coming meeting could take up (for one who may add agenda items, until it starts): its decisions open in lazy consensus or a vote, soonest to close first (closesBeforeMeeting when one closes before the meeting starts), then its proposals waiting for a sponsor, longest waiting first, and for a content meeting the proposals it is working on (waitingForSponsor false), its topic area's first; those already on the agenda left out. Add one with add_agenda_item, its link the item's type and ref ({type: "decision", ref: "D-1"}). ${whoMayUse(hub, 'meeting.addAgendaItem')}`,
      inputSchema: AgendaInput,
      outputSchema: SuggestionsOutput,
      annotations: READ,
    },
    ({ ref }) => attempt(async () => ok(await agendaSuggestions(hub, caller.actor, ref))),
  );
  server.registerTool(
    'add_agenda_item',
    {
      title: 'Add an agenda item',
      description: `Add an item to a meeting agenda as the connected person, optionally linked to a proposal, decision or artifact. A content item in a process meeting (or the reverse) is kept with the guide’s warning. It moves the meeting's version (the answer shows the new one); the version you read is optional here. ${whoMayUse(hub, 'meeting.addAgendaItem')}`,
      inputSchema: AddItemInput,
      outputSchema: AgendaOutput,
      annotations: ADD,
    },
    onMeeting(hub, caller, ({ ref, version, ...body }) =>
      attempt(async () =>
        agenda(await addAgendaItem(hub, requireCaller(caller, 'adding an agenda item'), ref, body, version)),
      ),
    ),
  );
  server.registerTool(
    'submit_written_input',
    {
      title: 'Submit written input',
      description: `Send written input on an agenda item when you cannot attend; the facilitators present it at the meeting. ${whoMayUse(hub, 'meeting.writtenInput')} With \`for\` (a handle), a lead or facilitator records input its sender sent another way (by mail): it stands under the sender's name, saying who recorded it, and the sender is told (get_agenda's can.recordWrittenInputFor).`,
      inputSchema: WrittenInput,
      outputSchema: AgendaOutput.extend({
        writtenInput: z
          .object({ id: z.string(), alreadySent: z.boolean() })
          .describe(
            'the input: its id, and alreadySent true when the same text from the same sender was already on this item (nothing stored again, nobody told again)',
          ),
      }),
      annotations: ADD,
    },
    onMeeting(hub, caller, ({ ref, ...body }) =>
      attempt(async () => {
        const sent = await submitWrittenInput(hub, requireCaller(caller, 'submitting written input'), ref, body);
        return agenda(sent, undefined, { writtenInput: sent.writtenInput });
      }),
    ),
  );
  server.registerTool(
    'edit_written_input',
    {
      title: 'Edit your written input',
      description:
        "Change the text of written input you sent, before the meeting starts (and before it is marked presented or not); nobody else may change it. Needs the input's own `version` (get_agenda lists it under its item): an edit from an older read is refused with the text as it is now. The facilitators told of it see the new text. To put it on another item, withdraw it and send it again.",
      inputSchema: EditInput,
      outputSchema: AgendaOutput,
      // it replaces the text sent before
      annotations: REPLACE,
    },
    onMeeting(hub, caller, ({ ref, input, version, ...body }) =>
      attempt(async () =>
        agenda(await editWrittenInput(hub, requireCaller(caller, 'editing written input'), ref, input, version, body)),
      ),
    ),
  );
  server.registerTool(
    'withdraw_written_input',
    {
      title: 'Withdraw your written input',
      description:
        'Take back written input you sent, before the meeting starts (and before it is marked presented or not): it leaves the agenda, and the facilitators told of it are told it was withdrawn. Only its sender may. The `version` is optional; given, an older one is refused.',
      inputSchema: WithdrawInput,
      outputSchema: AgendaOutput,
      // its text is gone from the hub: destructive; a second call finds nothing to withdraw
      annotations: { ...UPDATE, destructiveHint: true },
    },
    onMeeting(hub, caller, ({ ref, input, version }) =>
      attempt(async () =>
        agenda(
          await withdrawWrittenInput(hub, requireCaller(caller, 'withdrawing written input'), ref, input, version),
        ),
      ),
    ),
  );
  server.registerTool(
    'mark_written_input',
    {
      title: 'Mark written input presented or not',
      description: `Once the meeting has started, record whether a piece of written input was presented at it (the guide's facilitators commit to presenting it): not presented needs a note saying why. Its sender is told, with the note; marking it again as it is tells nobody. With the input's \`version\` as read, a mark recorded by someone else since is refused rather than overwritten. ${whoMayUse(hub, 'meeting.recordOutcomes')}`,
      inputSchema: MarkInput,
      outputSchema: AgendaOutput,
      // setting the mark again gives the same agenda; it replaces the mark and note before
      annotations: REPLACE,
    },
    onMeeting(hub, caller, ({ ref, input, version, ...body }) =>
      attempt(async () =>
        agenda(await markWrittenInput(hub, requireCaller(caller, 'marking written input'), ref, input, body, version)),
      ),
    ),
  );
}

export function registerMeetingResources(server: McpServer, hub: Hub): void {
  server.registerResource(
    'meeting-agenda',
    new ResourceTemplate('wghub://meetings/{ref}/agenda', {
      list: undefined,
      complete: { ref: (v) => completeMeetingRefs(hub, v) },
    }),
    {
      title: 'A meeting agenda',
      description:
        "A meeting agenda as markdown, with written input under its item. {ref} is a meeting (M-3) or one meeting of a series as what_needs_me's id names it (M-3@2026-12-19T16:00:00.000Z): a start with no agenda of its own yet says so, and lists none.",
      mimeType: 'text/markdown',
    },
    // a ref, or one start of a series as what_needs_me's id names it (M-3@…, percent-encoded or not)
    async (uri, { ref }) =>
      readMarkdown(uri, async () => {
        const { occurrence, ...m } = await getMeetingAt(hub, uriValue(ref, 'ref'));
        return agendaMarkdown(m, occurrence);
      }),
  );
}

const schemas = new WeakMap<Hub, z.ZodObject<{ ref: z.ZodType<string> }>>();

export function registerMeetingPrompts(server: McpServer, hub: Hub): void {
  let args = schemas.get(hub);
  if (!args) {
    args = z.object({
      ref: completable(z.string().min(1).max(LIMITS.param).describe('the meeting to prepare, e.g. M-3'), (v) =>
        completeMeetingRefs(hub, v ?? ''),
      ),
    });
    schemas.set(hub, args);
  }
  server.registerPrompt(
    'prepare_meeting_agenda',
    {
      title: 'Prepare a meeting agenda',
      description:
        "Drafts a meeting agenda from the group's open items: open decisions, proposals in progress, the agenda so far and its written input.",
      argsSchema: args,
    },
    async ({ ref }) => {
      const m = await getMeeting(hub, ref);
      const [decisions, proposals] = await Promise.all([
        listDecisions(hub, { group: m.group, open: 'true', limit: 50 }),
        listProposals(hub, { group: m.group, limit: 100 }),
      ]);
      const open = proposals.items.filter((p) => !routeOf(hub.governance, p.route).closed.includes(p.stage));
      const lines = [
        `Prepare the agenda of ${m.ref} "${m.title}", a ${m.kind} meeting of ${m.group} on ${m.localStart} (${m.timeZone}).`,
        m.kind === 'process'
          ? 'It is a process meeting: keep to decisions, priorities and coordination; suggest moving deep technical discussion to a content meeting.'
          : 'It is a content meeting: give the technical items the time; leave process matters to a process meeting.',
        'Order items by what needs a decision soonest, give each a time box and an owner, link each to its proposal or decision, and keep room for written input from people who cannot attend.',
        'When I agree, add the items with the add_agenda_item tool.',
        '',
        'The agenda so far:',
        ...(m.agenda.items.length
          ? m.agenda.items.map(
              (i) =>
                `${i.position}. ${i.title} [${i.kind}]${i.link ? ` (${i.link.type} ${i.link.ref})` : ''}${i.writtenInput.length ? ` — ${i.writtenInput.length} written input` : ''}`,
            )
          : ['(empty)']),
        '',
        'Open decisions in the group:',
        ...(decisions.items.length
          ? decisions.items.map((d) => `- ${d.ref}: ${d.question} (${d.phase}, deadline ${d.deadline})`)
          : ['(none)']),
        '',
        'Proposals in progress in the group:',
        ...(open.length ? open.map((p) => `- ${p.ref}: ${p.title} (stage ${p.stage}, ${p.layer})`) : ['(none)']),
      ];
      return {
        description: `Prepare the agenda of ${m.ref}`,
        messages: [{ role: 'user' as const, content: { type: 'text' as const, text: lines.join('\n') } }],
      };
    },
  );
}
