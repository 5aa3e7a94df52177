// Inputs of the meeting use cases: REST validates with them, OpenAPI and MCP publish them, the CLI maps flags onto them.
import { z } from 'zod';
import { Handle, SlugRef } from '../../domain/community.ts';
import { ruleProblem } from '../../domain/meetings/recurrence.ts';
import { LIMITS } from '../../domain/limits.ts';
import { whenValid } from '../core/validate.ts';
import {
  caseless,
  IsoDate,
  inStoredYears,
  Line,
  ListQuery,
  Prose,
  TimeZone,
  uniqueHandles,
  namingAChange,
} from '../core/schemas.ts';

export const MeetingKind = z.enum(['process', 'content']);
const IsoDateTime = z.iso
  .datetime({
    offset: true,
    // a text that is no date-time is told so once, not also that its year is out of range
    abort: true,
    // an empty field (a form sent without a start) is missing, not malformed
    error: (issue) =>
      issue.input === ''
        ? 'is required: a date and time'
        : 'must be an ISO date-time with a zone, e.g. 2026-12-03T16:00:00Z',
  })
  .refine(...inStoredYears);
const Rule = Line()
  .min(1)
  .superRefine((r, ctx) => {
    const problem = ruleProblem(r);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day as HH:MM (24-hour)');
export const MeetingRef = z
  .string()
  .regex(new RegExp(`^${caseless('M')}-\\d+$`), 'must be a meeting reference such as M-3');
/**
 * A meeting, or one start of a series by its series and start (`M-1@2026-12-19T16:00:00.000Z`), as
 * what_needs_me names a later meeting of a series that has no agenda of its own yet.
 */
export const MeetingOrOccurrenceRef = z
  .string()
  .max(80)
  .regex(
    // case-free in the pattern itself: the published JSON Schema carries no flags, so /i was lost there
    new RegExp(`^${caseless('M')}-\\d+(@\\S+)?$`),
    'must be a meeting reference such as M-3, or one meeting of a series as M-3@2026-12-19T16:00:00.000Z',
  );

/** Scheduling's fields one by one (MCP describes each for its tool); `ScheduleMeetingInput` adds the rule across them. */
export const ScheduleFields = z
  .object({
    group: SlugRef,
    topic: SlugRef.optional(),
    kind: MeetingKind,
    title: Line(200).min(3, 'must say what the meeting is (at least 3 characters)'),
    description: Prose(LIMITS.prose).default(''),
    startsAt: IsoDateTime,
    /** The organiser's zone; defaults to the organiser's own. */
    timeZone: TimeZone.optional(),
    durationMinutes: z.int().min(5, 'must be at least 5 minutes').max(480, 'must be at most 8 hours').default(60),
    rrule: Rule.optional(),
    /** Makes this meeting one occurrence of a series (M-n), with its own agenda and notes. */
    seriesOf: MeetingRef.optional(),
    location: Line(500).min(1).optional(),
    /** Who owes the notes: a member of the group, by handle. */
    noteTaker: Handle.optional(),
  })
  .strict();
export const ScheduleMeetingInput = ScheduleFields.refine((m) => !(m.rrule && m.seriesOf), {
  message: 'an occurrence of a series cannot carry its own rule',
  path: ['rrule'],
  ...whenValid(ScheduleFields, ['rrule', 'seriesOf']),
});
export type ScheduleMeetingInput = z.input<typeof ScheduleMeetingInput>;

export const UpdateMeetingInput = namingAChange(
  z
    .object({
      kind: MeetingKind,
      title: Line(200).min(3),
      description: Prose(LIMITS.prose),
      startsAt: IsoDateTime,
      timeZone: TimeZone,
      durationMinutes: z.int().min(5).max(480),
      rrule: Rule.nullable(),
      location: Line(500).min(1).nullable(),
      cancelled: z.boolean(),
      /** Who owes the notes (a member of the group, by handle); null: nobody named. */
      noteTaker: Handle.nullable(),
    })
    .partial()
    .strict(),
);

export const LinkInput = z
  .object({
    type: z.enum(['proposal', 'decision', 'artifact']).describe('what the item is about'),
    ref: Line()
      .min(1, 'must name the proposal (P-12, SEP-2575), decision (D-3) or artifact path')
      .describe('its reference: P-12 or SEP-2575, D-3, or the artifact path'),
  })
  .strict();

export const AgendaItemInput = z
  .object({
    title: Line(300).min(3, 'must say what the item is (at least 3 characters)').describe('what the item is'),
    description: Prose(LIMITS.prose).default('').describe('more about it; markdown'),
    /** Left out, the kind is read from the text, else taken from the meeting. */
    kind: MeetingKind.optional().describe(
      "process (decisions, priorities, coordination) or content (technical discussion); omitted: read from the text, else the meeting's kind",
    ),
    link: LinkInput.optional().describe('the proposal, decision or artifact it is about'),
  })
  .strict();

/** An agenda item by its position (1, 2, …) or its id. */
/** No agenda runs this long: a position past it names no item, whatever the agenda holds. */
export const MAX_AGENDA_POSITION = 10_000;
export const ItemKey = z.union([z.int().min(1).max(MAX_AGENDA_POSITION), Line(64).min(1)]);
/** An agenda item named in a path (REST, the web) or an argument (the CLI): its position or id. */
export const AgendaItemKeyInput = z.object({ item: ItemKey }).strict();

/** Which way an agenda item moves: one place earlier or later. */
export const MoveDirectionInput = z
  .object({
    direction: z.enum(['up', 'down']).describe('up: one place earlier (it is discussed sooner); down: one place later'),
  })
  .strict();
export const MoveAgendaItemInput = MoveDirectionInput.extend({
  item: ItemKey.describe('the agenda item: its position (1, 2, …) or its id, from get_agenda'),
}).strict();

/** An agenda item's kind, corrected after it was added (its written input, position and link stay). */
export const AgendaItemKindInput = z
  .object({
    kind: MeetingKind.describe(
      'process (how the group operates: decisions, priorities, coordination) or content (what it works on: technical discussion)',
    ),
  })
  .strict();

/** Ending a series that has begun: from which day (on the series' clock) it no longer meets, and why. */
export const EndSeriesInput = z
  .object({
    from: IsoDate.describe("the first day (YYYY-MM-DD, on the series' own clock) it no longer meets; today or later"),
    reason: Prose(LIMITS.short)
      .min(5, 'must say why the series ends (at least 5 characters)')
      .describe('why it ends, for the group: shown on the series page'),
  })
  .strict();

export const WrittenInputInput = z
  .object({
    item: ItemKey.describe('the agenda item: its position (1, 2, …) or its id, from get_agenda'),
    body: Prose(LIMITS.document)
      .min(10, 'must carry the input itself (at least 10 characters)')
      .describe('your input, for the facilitators to present at the meeting; markdown'),
    for: Handle.optional().describe(
      "whose input it is, when a lead or facilitator records input its sender sent another way (by mail): the sender's handle; leave out for your own",
    ),
  })
  .strict();

/** Written input named in a path or an argument: its id, as the meeting's view lists it under its item. */
export const WrittenInputId = Line(64)
  .min(1)
  .describe('the written input: its id, as get_agenda lists it under its item');

/** A change to one's own written input: its new text (the item stays; withdraw and send again for another). */
export const EditWrittenInputInput = WrittenInputInput.pick({ body: true }).strict();

export const PresentedInput = z.object({ presented: z.boolean(), note: Prose(2000).min(1).optional() }).strict();

export const NotesInput = z
  .object({
    notes: Prose(LIMITS.notes)
      .min(1, 'must not be empty')
      .describe('the notes, as markdown: what was discussed, decided and agreed, for those who were not there'),
  })
  .strict();

export const AttendanceInput = z.object({ attended: uniqueHandles(z.array(Handle).max(1000)) }).strict();

/** A decision (consensus managed by objection) a meeting opens, in the meeting's group: `open` of its outcome. */
export const OpenAtMeetingInput = z
  .object({
    // as a decision opened on its own page: a heading and a list row
    question: Prose(LIMITS.line).min(10).describe('the question the group answers, in one line'),
    significance: z
      .enum(['minor', 'significant'])
      .describe(
        'minor or significant: the governance file gives each a minimum time for objections (5 and 10 days by default)',
      ),
    matter: z
      .enum(['routine', 'scope-change'])
      .optional()
      .describe("scope-change for a change to the charter's scope (which the governance file may send to a vote)"),
    description: Prose(LIMITS.document)
      .optional()
      .describe('markdown: the context (default: "Opened at M-n: " linking to the meeting, and the summary)'),
    subject: z
      .object({
        type: z.enum(['proposal', 'charter', 'process']).describe('what the decision is about'),
        ref: Line(64).min(1).optional().describe('the proposal (P-n) when it is about one'),
      })
      .strict()
      .optional()
      .describe("what the decision is about (default: the group's process)"),
    deadline: IsoDateTime.optional().describe(
      "when silence counts as consent (ISO date-time), no sooner than the significance's minimum from now; default: that minimum",
    ),
  })
  .strict();

export const MeetingDecisionInput = z
  .object({
    summary: Prose(LIMITS.short)
      .min(5, 'must say what was decided (at least 5 characters)')
      .describe('what the meeting decided, in a sentence'),
    decision: z
      .string()
      .max(24)
      .regex(new RegExp(`^${caseless('D')}-\\d+$`), 'must be a decision reference such as D-3')
      .optional()
      .describe('an existing decision (D-n) this outcome refers to'),
    open: OpenAtMeetingInput.optional().describe(
      "a decision to open from the meeting, in the meeting's group, under lazy consensus: those who were not there may still object before it closes",
    ),
  })
  .strict()
  .refine((d) => !(d.decision && d.open), {
    message: 'give either an existing decision or one to open, not both',
    path: ['open'],
  });

export const ActionItemInput = z
  .object({
    owner: Handle.describe("who will do it (a person's handle)"),
    description: Prose(2000)
      .min(3, 'must say what is to be done (at least 3 characters)')
      .describe('what is to be done'),
    due: IsoDate.describe('when it is due (YYYY-MM-DD)'),
  })
  .strict();

export const UpcomingMeetingsQuery = ListQuery.extend({
  group: SlugRef.optional().describe("only this group's meetings (its slug)"),
  topic: SlugRef.optional().describe("only this topic area's meetings (its slug)"),
});

/** A range whose end is before its start is refused naming both, not answered with an empty list. */
export const ListMeetingsQuery = UpcomingMeetingsQuery.extend({
  from: IsoDateTime.optional().describe('only meetings starting at or after this ISO date-time'),
  to: IsoDateTime.optional().describe('only meetings starting before this ISO date-time (not before from)'),
}).superRefine((q, ctx) => {
  if (q.from && q.to && Date.parse(q.to) < Date.parse(q.from))
    ctx.addIssue({ code: 'custom', path: ['to'], message: `must not be before from (${q.from})` });
});

/** Which of a series' starts its "later meetings" page lists: from this start on (none already begun). */
export const SeriesStartsQuery = z
  .object({
    from: IsoDateTime.optional().describe(
      'the earliest start to list, an ISO date-time; omitted or already past: the next start to come',
    ),
  })
  .strict();

export const LateNotesQuery = z
  .object({ group: SlugRef.optional().describe("only this group's meetings (its slug); omitted: every group") })
  .strict();

const WindowInput = z.object({ start: ClockTime, end: ClockTime }).strict();
export const FairTimesInput = z
  .object({
    /** Takes the participants from the group's active members and their zones. */
    group: SlugRef.optional(),
    participants: z
      .array(z.object({ handle: Line(64).min(1), timeZone: TimeZone, window: WindowInput.optional() }).strict())
      .max(5000)
      .optional(),
    from: IsoDateTime,
    days: z.int().min(1).max(31).default(14),
    durationMinutes: z.int().min(15).max(480).default(60),
    top: z.int().min(1).max(50).default(5),
    /** Rotate a series of this many meetings, one every `everyDays`, starting on the best slot's day. */
    series: z
      .object({ count: z.int().min(1).max(104), everyDays: z.int().min(1).max(92).default(7) })
      .strict()
      .optional(),
  })
  .strict()
  .refine((f) => f.group || f.participants?.length, {
    message: 'give a group or at least one participant',
    path: ['participants'],
  });

export const QuarterlyInput = z
  .object({
    /** The month the update is due, YYYY-MM (end of January, April, July or October by default); defaults to the next one due. */
    due: z
      .string()
      .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month as YYYY-MM')
      .optional()
      .describe('the month the update is due, YYYY-MM; omitted: the next one due'),
  })
  .strict();
