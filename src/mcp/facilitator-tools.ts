// Tools for running a group: members' levels, topic areas, sponsoring and moving a group, leaving
// it. Each calls the same use case as REST and the web, so the same policy answers.
import { PreconditionRequired } from '../domain/errors.ts';
import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { Line } from '../app/core/schemas.ts';
import type { Hub } from '../app/core/hub.ts';
import { moveGroup, proposeGroup, setMemberLevel, sponsorGroup, updateCharter } from '../app/groups/groups.ts';
import { exportCharter } from '../app/imports/charters.ts';
import { leaveGroup, removeMember } from '../app/groups/leave-group.ts';
import {
  CreateTopicAreaInput,
  MoveGroupInput,
  ProposeGroupInput,
  CharterSectionInput,
  SetMemberLevelInput,
  UpdateCharterInput,
  UpdateTopicAreaInput,
} from '../app/groups/schemas.ts';
import { createTopicArea, getTopicArea, updateTopicArea } from '../app/groups/topic-areas.ts';
import { Handle, SlugRef } from '../domain/community.ts';
import { InvitationOutput } from './invitation-tools.ts';
import { moderateComment } from '../app/proposals/moderation.ts';
import { MODERATION_TOLD } from '../domain/notifications/moderation-told.ts';
import { ModerateCommentInput } from '../app/proposals/schemas.ts';
import { changeAgendaItemKind, moveAgendaItem, publishAgenda, removeAgendaItem } from '../app/meetings/agenda.ts';
import { getMeeting, scheduleMeeting, updateMeeting } from '../app/meetings/meetings.ts';
import { listLateNotes } from '../app/meetings/outcomes.ts';
import { draftQuarterlyUpdate, QUARTERLY_STEPS } from '../app/meetings/quarterly.ts';
import { progressOf } from './progress.ts';
import {
  EndSeriesInput,
  LateNotesQuery,
  MeetingRef,
  AgendaItemKindInput,
  MoveDirectionInput,
  QuarterlyInput,
  ScheduleFields,
  UpdateMeetingInput,
} from '../app/meetings/schemas.ts';
import { endSeries } from '../app/meetings/series-end.ts';
import {
  ADD,
  REPLACE,
  UPDATE,
  READ,
  attempt,
  ok,
  okDocument,
  requireCaller,
  type McpCaller,
  whoMayUse,
} from './results.ts';
import { versionRead } from './versions.ts';
import { MeetingArg, onMeeting } from './meetings.ts';
import { commentId } from './participation-tools.ts';
import { LIMITS } from '../domain/limits.ts';

const Group = SlugRef.describe('the group slug, e.g. hosting');
const ByGroup = z.object({ group: Group });
const LevelInput = z.object({
  group: Group,
  handle: Handle.describe("the member's handle"),
  ...SetMemberLevelInput.shape,
});
const RemoveInput = z.object({ group: Group, handle: Handle.describe('the handle of the member to remove') });
const TopicInput = z.object({ group: Group, ...CreateTopicAreaInput.shape });
const MoveInput = z.object({ group: Group, ...MoveGroupInput.shape });
const EditTopicInput = z.object({
  group: Group,
  topic: SlugRef.describe('the topic area slug'),
  ...UpdateTopicAreaInput.shape,
  version: versionRead(
    "the topic area's version as you read it (get_topic_area, or this tool's answer, shows it): given, a change made since is refused, not overwritten; needed to replace facilitators, the whole list",
  ).optional(),
});

const { name, changelog } = UpdateCharterInput.shape;
const EditCharterInput = z.object({
  group: Group,
  name: name.describe("the group's new name; omitted: unchanged"),
  sections: z
    .array(
      z
        .object({
          heading: CharterSectionInput.shape.heading.describe(
            'the heading of the section to replace, as get_charter\'s markdown shows it (e.g. "Scope"); a template section the charter lacks is added in its place',
          ),
          markdown: CharterSectionInput.shape.markdown.describe(
            "the section's new text, as markdown, without its heading",
          ),
        })
        // a key that is no field is refused naming it, as REST refuses one in a section (attack round 18):
        // "replace" or "body" for "markdown" was dropped before the use case saw it
        .strict(),
    )
    .max(LIMITS.listItems)
    .optional()
    .describe('charter sections to replace, each by its heading; sections not named stay as they are'),
  changelog: changelog.describe("a line for the charter's changelog saying what changed and why; omitted: none"),
  version: versionRead(
    "the group's version as you read it (get_charter's group.version, or this tool's answer): a change made since is refused, not overwritten",
  ),
});

const MembersOutput = z.object({
  items: z.array(z.looseObject({ handle: z.string(), level: z.string(), emeritus: z.boolean() })),
});
const GroupOutput = z.looseObject({
  slug: z.string(),
  status: z.string(),
  sponsorship: z.looseObject({ met: z.boolean() }),
});
const CharterEditOutput = z.looseObject({
  slug: z.string(),
  name: z.string(),
  version: z.number().int().describe("the group's version now: send it with the next change"),
  markdown: z.string().describe('the charter as it now reads, in the charter template structure'),
});
// the version is what update_topic_area sends back (its description says so), so it is listed
const TopicOutput = z.looseObject({
  group: z.string(),
  slug: z.string(),
  name: z.string(),
  goal: z.string(),
  facilitators: z.array(z.looseObject({ handle: z.string(), name: z.string() })),
  version: z.number().int().describe("the topic area's version now: send it with the next change"),
});

const ModerateInput = z.object({
  comment: Line(100)
    .min(1)
    .describe(
      'the comment: its id as list_comments gives it, or as search (kind comment) names it, comment:ID or P-12#comment-ID',
    ),
  action: ModerateCommentInput.shape.action.describe(
    'hide (readers see who hid it and why), lock (no replies or edits), or undo either with unhide or unlock',
  ),
  reason: ModerateCommentInput.shape.reason.describe('why, in words readers will see; needed to hide or lock'),
});
const CommentOutput = z.looseObject({
  id: z.string(),
  hidden: z.looseObject({ reason: z.string() }).nullable(),
  locked: z.looseObject({ reason: z.string() }).nullable(),
});

const Meeting = MeetingRef.describe('a meeting reference such as M-3');
// one meeting of a series as what_needs_me names it (M-3@…) acts on the meeting holding it (onMeeting);
// a series' own rule and end are the series', by its ref
const OneMeeting = MeetingArg;
/**
 * The meeting's version as the client read it, required by every tool whose write could undo or
 * overwrite someone else's (a new time, a note-taker, an end, the agenda's order or an item named
 * by its position): a client that omits it is refused naming the field, never given the current one.
 */
const ReadVersion = (what: string) =>
  versionRead(`the meeting's version as you read it (get_agenda shows it): ${what}`);
// each field described for the tool; the rule across fields (a series' occurrence carries no rule of its
// own) and the store's (the group, topic area and note-taker exist) are the use case's, named together
const S = ScheduleFields.shape;
const ScheduleInput = z.object({
  group: S.group.describe('the group that meets, by slug (list_groups), e.g. hosting'),
  topic: S.topic.describe(
    "a topic area of the group it is for, by slug (get_charter's group.topicAreas); its facilitators may schedule it as a lead does",
  ),
  kind: S.kind.describe(
    'process (decisions, priorities, coordination) or content (technical discussion): the guide keeps them apart',
  ),
  title: S.title.describe('what the meeting is, in one line (3 to 200 characters)'),
  description: S.description.describe('more about it, as markdown; omitted: none'),
  startsAt: S.startsAt.describe(
    'when it starts, an ISO date-time with a zone (2026-12-17T16:00:00Z), in the future; less notice than the governance file asks is flagged on the meeting (notice.short), not refused',
  ),
  timeZone: S.timeZone.describe(
    "the organiser's IANA time zone (Europe/Lisbon), which a series repeats in; omitted: yours",
  ),
  durationMinutes: S.durationMinutes.describe('how long, 5 to 480 minutes; omitted: 60'),
  rrule: S.rrule.describe(
    'to make it a series, an RFC 5545 rule such as FREQ=WEEKLY;INTERVAL=2;COUNT=6 (startsAt is its first meeting); omitted: a one-off',
  ),
  seriesOf: S.seriesOf.describe(
    "to give one meeting of a series (M-n) its own agenda and notes: the series' ref, with startsAt one of its starts (get_agenda's upcoming); no rrule then",
  ),
  location: S.location.describe('where: a call link or a room; omitted: none'),
  noteTaker: S.noteTaker.describe(
    'who owes the notes, the handle of someone in the group; omitted: nobody named (the organiser is reminded)',
  ),
});
const RescheduleInput = z.object({
  ref: OneMeeting,
  startsAt: z.string().max(64).describe('the new start, an ISO date-time with a zone, e.g. 2026-12-03T16:00:00Z'),
  timeZone: z.string().max(64).optional().describe("the organiser's IANA time zone, if it changes"),
  version: ReadVersion('refused if someone moved or changed the meeting since'),
});
const CancelInput = z.object({
  ref: OneMeeting,
  version: ReadVersion(
    'checked when given; cancelling overwrites nobody’s change, and a second cancel is refused',
  ).optional(),
});
const RestoreInput = z.object({
  ref: OneMeeting,
  version: ReadVersion(
    'checked when given; restoring overwrites nobody’s change, and restoring a meeting that stands changes nothing',
  ).optional(),
});
const U = UpdateMeetingInput.shape;
const EditMeetingInput = z.object({
  ref: OneMeeting,
  title: U.title.describe('what the meeting is, in one line (3 to 200 characters); omitted: unchanged'),
  description: U.description.describe('more about it, as markdown; omitted: unchanged'),
  kind: U.kind.describe('process or content: the guide keeps them apart; omitted: unchanged'),
  durationMinutes: U.durationMinutes.describe('how long, 5 to 480 minutes; omitted: unchanged'),
  location: U.location.describe('where: a call link or a room, or null for none; omitted: unchanged'),
  timeZone: U.timeZone.describe(
    "the organiser's IANA time zone (Europe/Lisbon), which a series repeats in; omitted: unchanged",
  ),
  version: ReadVersion('refused if someone changed the meeting since'),
});
const RecurrenceInput = z.object({
  ref: Meeting,
  rrule: U.rrule.describe(
    "the new RFC 5545 rule, such as FREQ=WEEKLY;INTERVAL=2;COUNT=6, counted from the meeting's first start; null makes a one-off of a series not yet begun",
  ),
  version: ReadVersion('refused if someone changed the meeting or its rule since'),
});
const NoteTakerInput = z.object({
  ref: OneMeeting,
  noteTaker: Handle.nullable().describe(
    'the handle of someone in the group who owes the notes and may publish them (by default its members and leads), or null for nobody',
  ),
  version: ReadVersion('refused if someone named another note-taker or changed the meeting since'),
});
const RemoveItemInput = z.object({
  ref: OneMeeting,
  item: z.number().int().min(1).describe('the position of the item on the agenda (get_agenda lists them)'),
  version: ReadVersion('positions shift as items come and go, so a removal from an older read is refused'),
});
const MoveItemInput = z.object({
  ref: OneMeeting,
  item: z.number().int().min(1).describe('the position of the item on the agenda (get_agenda lists them)'),
  ...MoveDirectionInput.shape,
  version: ReadVersion('the move is refused if someone changed the agenda since'),
});
const KindItemInput = z.object({
  ref: OneMeeting,
  item: z.number().int().min(1).describe('the position of the item on the agenda (get_agenda lists them)'),
  ...AgendaItemKindInput.shape,
  version: ReadVersion('refused if someone changed the agenda since, so an older read never overwrites a newer change'),
});
const EndSeriesToolInput = z.object({
  ref: Meeting,
  ...EndSeriesInput.shape,
  version: ReadVersion('refused if the series changed since'),
});
const QuarterlyToolInput = z.object({ group: Group, ...QuarterlyInput.shape });
// the version is what the next change to the meeting sends back (each of these tools asks for it)
const MeetingOutput = z.looseObject({
  ref: z.string(),
  startsAt: z.string(),
  cancelled: z.boolean(),
  version: z.number().int().describe("the meeting's version now: send it with the next change"),
});
const ScheduledOutput = MeetingOutput.extend({
  group: z.string(),
  kind: z.string().describe('process or content'),
  title: z.string(),
  rrule: z.string().nullable().describe('the series rule; null for a one-off'),
  notice: z
    .looseObject({ requiredDays: z.number(), givenDays: z.number(), short: z.boolean() })
    .describe('the notice given against what the governance file asks; short: less than it asks'),
});
const LateOutput = z.object({
  items: z.array(z.looseObject({ ref: z.string(), group: z.string(), title: z.string() })),
});
const QuarterlyOutput = z.looseObject({ group: z.string(), markdown: z.string() });

export function registerGroupTools(server: McpServer, hub: Hub, caller: McpCaller): void {
  server.registerTool(
    'set_member_level',
    {
      title: "Set a member's level in a group",
      description: `Change a member's participation level in a group (observer, participant, member, lead); a lead must hold the community's minimum role for leads. For someone not in the group it is an invitation (\`invitation\`, with the optional \`message\` and \`expiresInDays\`) that they accept or decline: nobody is placed in a group by another's act (see invite_to_group). ${whoMayUse(hub, 'group.setMemberLevel')}`,
      inputSchema: LevelInput,
      outputSchema: MembersOutput.extend({ invitation: InvitationOutput.nullable() }),
      annotations: REPLACE,
    },
    ({ group, handle, ...body }) =>
      attempt(async () => ok(await setMemberLevel(hub, requireCaller(caller, 'setting a level'), group, handle, body))),
  );

  server.registerTool(
    'remove_group_member',
    {
      title: 'Remove someone from a group',
      description: `End someone's membership of a group, as leaving does (their facilitating of its topic areas and their subscriptions to it end too); they are told who removed them. For a person added by mistake, or who left the work without leaving the group. The group's only active lead cannot be removed. ${whoMayUse(hub, 'group.setMemberLevel')}`,
      inputSchema: RemoveInput,
      outputSchema: MembersOutput,
      annotations: { ...UPDATE, destructiveHint: true },
    },
    ({ group, handle }) =>
      attempt(async () =>
        ok({ items: await removeMember(hub, requireCaller(caller, 'removing a member'), group, handle) }),
      ),
  );

  server.registerTool(
    'add_topic_area',
    {
      title: 'Add a topic area to a group',
      description: `A topic area with its facilitators and an explicit goal (common patterns, specification change, or both), as the guide asks. ${whoMayUse(hub, 'topicArea.create')}`,
      inputSchema: TopicInput,
      outputSchema: TopicOutput,
      annotations: { ...UPDATE, idempotentHint: false },
    },
    ({ group, ...body }) =>
      attempt(async () => ok(await createTopicArea(hub, requireCaller(caller, 'adding a topic area'), group, body))),
  );

  server.registerTool(
    'propose_group',
    {
      title: 'Propose a working or interest group',
      description: `A new group starts as proposed, with a charter written from the template (mission, scope, leads); it becomes active once sponsored. Leads must hold the minimum role for leads; you lead at once if you name yourself, and anyone else named is invited as a lead (they lead once they accept: nobody is placed in a group by another's act). ${whoMayUse(hub, 'group.propose')}`,
      inputSchema: ProposeGroupInput,
      outputSchema: GroupOutput,
      annotations: { ...UPDATE, idempotentHint: false },
    },
    (body) => attempt(async () => ok(await proposeGroup(hub, requireCaller(caller, 'proposing a group'), body))),
  );

  server.registerTool(
    'get_topic_area',
    {
      title: 'Read a topic area',
      description:
        'A topic area of a group: its name, goal, description, cadence, facilitators, `version` (send it to update_topic_area) and `can`: whether you may edit it (`edit`) and choose its facilitators (`chooseFacilitators`), and if not, why.',
      inputSchema: z.object({ group: Group, topic: SlugRef.describe('the topic area slug') }),
      outputSchema: TopicOutput,
      annotations: READ,
    },
    ({ group, topic }) => attempt(async () => ok(await getTopicArea(hub, group, topic, caller.actor))),
  );

  server.registerTool(
    'update_topic_area',
    {
      title: 'Edit a topic area',
      description:
        "Change a topic area's name, goal, description, cadence or facilitators (the whole list); its facilitators and the group's leads may, but only the group's leads choose who facilitates it (a facilitator may only take themselves off the list, to step down). Only what you send changes. Send the `version` you read (get_topic_area shows it; the answer shows the new one) and a change someone made since is refused with the current topic area instead of being overwritten; replacing `facilitators` needs it.",
      inputSchema: EditTopicInput,
      outputSchema: TopicOutput,
      annotations: REPLACE,
    },
    ({ group, topic, version, ...body }) =>
      attempt(async () => {
        const actor = requireCaller(caller, 'editing a topic area');
        // the whole list from an older read would silently undo a facilitator added or removed since
        if (body.facilitators && version === undefined)
          throw new PreconditionRequired(`replacing ${group}/${topic}'s facilitators needs the version you last read`);
        const read = version ?? (await getTopicArea(hub, group, topic, actor)).version;
        return ok(await updateTopicArea(hub, actor, group, topic, read, body));
      }),
  );

  server.registerTool(
    'edit_charter',
    {
      title: "Amend a group's charter",
      description: `Rename the group, replace charter sections by heading, and add a changelog line, as the charter's page and \`PATCH /api/groups/{slug}\` do; at least one of them. Needs the group's \`version\` you read (get_charter shows it as group.version; the answer shows the new one): a change someone made since is refused, not overwritten. get_charter's group.can.editCharter says whether you may, and why not. ${whoMayUse(hub, 'group.editCharter')}`,
      inputSchema: EditCharterInput,
      outputSchema: CharterEditOutput,
      // a section replaced loses its earlier text (kept in the charter's history)
      annotations: REPLACE,
    },
    ({ group, version, ...body }) =>
      attempt(async () => {
        const view = await updateCharter(hub, requireCaller(caller, 'amending a charter'), group, version, body);
        return ok({ ...view, markdown: await exportCharter(hub, group) });
      }),
  );

  server.registerTool(
    'sponsor_group',
    {
      title: 'Sponsor a proposed group',
      description:
        'Sponsor a group and its leadership, as a core or lead maintainer; a proposed group becomes active once the sponsorship rule is met.',
      inputSchema: ByGroup,
      outputSchema: GroupOutput,
      annotations: UPDATE,
    },
    ({ group }) => attempt(async () => ok(await sponsorGroup(hub, requireCaller(caller, 'sponsoring'), group))),
  );

  server.registerTool(
    'move_group',
    {
      title: "Change a group's status",
      description:
        'Move a group proposed → active (once sponsored) → retired, as the governance file allows; a refusal says who may and what is missing. A group with decisions still open is not retired: the refusal names them (withdraw_decision each, or let it close), and get_charter lists them on the move (allowedMoves[].openDecisions).',
      inputSchema: MoveInput,
      outputSchema: GroupOutput,
      annotations: { ...UPDATE, destructiveHint: true },
    },
    ({ group, ...body }) =>
      attempt(async () => ok(await moveGroup(hub, requireCaller(caller, 'moving a group'), group, body))),
  );

  server.registerTool(
    'leave_group',
    {
      title: 'Leave a group',
      description:
        "End your membership of a group (and facilitating its topic areas). Your subscriptions to the group and its topic areas (watching or muted) end with it, so its news stops except what is about you; those on single proposals and decisions stay, and joining again starts from the defaults. The group's only lead must make someone else lead first.",
      inputSchema: ByGroup,
      outputSchema: MembersOutput,
      annotations: { ...UPDATE, destructiveHint: true },
    },
    ({ group }) =>
      attempt(async () => ok({ items: await leaveGroup(hub, requireCaller(caller, 'leaving a group'), group) })),
  );

  server.registerTool(
    'moderate_comment',
    {
      title: 'Hide or lock a comment',
      description: `As a moderator or a lead of the proposal's group: hide a comment (readers see who hid it and why; the text stays for moderators) or lock it (no replies or edits), with a reason; or undo either. Who is told: ${MODERATION_TOLD}.`,
      inputSchema: ModerateInput,
      outputSchema: CommentOutput,
      annotations: REPLACE,
    },
    ({ comment, ...body }) =>
      attempt(async () =>
        ok(await moderateComment(hub, requireCaller(caller, 'moderating'), commentId(comment), body)),
      ),
  );

  // Meetings: what a facilitator does between them
  server.registerTool(
    'schedule_meeting',
    {
      title: 'Schedule a meeting',
      description: `Schedule a group's meeting, process or content, one-off or a series (rrule), or give one meeting of a series its own agenda (seriesOf). The answer's ref is what get_agenda, add_agenda_item, submit_written_input and the outcome tools take, its version what the next change sends back; less notice than the governance file asks is flagged (notice.short), not refused. get_charter's group.can.scheduleMeeting (get_agenda's can.openOccurrence for a series) says whether you may, and why not. ${whoMayUse(hub, 'meeting.schedule')}`,
      inputSchema: ScheduleInput,
      outputSchema: ScheduledOutput,
      annotations: ADD,
    },
    (args) => attempt(async () => ok(await scheduleMeeting(hub, requireCaller(caller, 'scheduling a meeting'), args))),
  );

  server.registerTool(
    'reschedule_meeting',
    {
      title: 'Move a meeting',
      description: `Move a meeting that has not started to a new time (its notice counts from now; short notice is flagged, not refused). The group's members and those who sent written input are told. Needs the version get_agenda showed you: a move from an older read is refused rather than undo someone else's. ${whoMayUse(hub, 'meeting.schedule')}`,
      inputSchema: RescheduleInput,
      outputSchema: MeetingOutput,
      annotations: REPLACE,
    },
    onMeeting(hub, caller, ({ ref, startsAt, timeZone, version }) =>
      attempt(async () =>
        ok(
          await updateMeeting(hub, requireCaller(caller, 'moving a meeting'), ref, version, {
            startsAt,
            ...(timeZone ? { timeZone } : {}),
          }),
        ),
      ),
    ),
  );

  server.registerTool(
    'cancel_meeting',
    {
      title: 'Cancel a meeting',
      description: `Cancel a meeting that has not started; the group's members and those who sent written input are told. The version is optional (cancelling overwrites nobody's change and a second cancel is refused); given, an older one is refused. ${whoMayUse(hub, 'meeting.schedule')}`,
      inputSchema: CancelInput,
      outputSchema: MeetingOutput,
      annotations: { ...UPDATE, destructiveHint: true },
    },
    onMeeting(hub, caller, ({ ref, version }) =>
      attempt(async () => {
        const actor = requireCaller(caller, 'cancelling a meeting');
        const read = version ?? (await getMeeting(hub, ref, actor)).version;
        return ok(await updateMeeting(hub, actor, ref, read, { cancelled: true }));
      }),
    ),
  );

  server.registerTool(
    'restore_meeting',
    {
      title: 'Restore a cancelled meeting',
      description: `Bring back a meeting that was cancelled, while it is still to come (one its series' end called off stays so); the group's members are told. The version is optional (restoring overwrites nobody's change); given, an older one is refused. get_agenda's can.restore says whether you may, and why not. ${whoMayUse(hub, 'meeting.schedule')}`,
      inputSchema: RestoreInput,
      outputSchema: MeetingOutput,
      annotations: UPDATE,
    },
    onMeeting(hub, caller, ({ ref, version }) =>
      attempt(async () => {
        const actor = requireCaller(caller, 'restoring a meeting');
        const read = version ?? (await getMeeting(hub, ref, actor)).version;
        return ok(await updateMeeting(hub, actor, ref, read, { cancelled: false }));
      }),
    ),
  );

  server.registerTool(
    'edit_meeting',
    {
      title: "Change a meeting's details",
      description: `Change a meeting's title, description, kind, length, place or time zone (to move it, reschedule_meeting; to change how it repeats, change_meeting_recurrence); only what you send changes, at least one. Needs the version get_agenda showed you: a change from an older read is refused rather than undo someone else's. get_agenda's can.edit says whether you may, and why not. ${whoMayUse(hub, 'meeting.schedule')}`,
      inputSchema: EditMeetingInput,
      outputSchema: MeetingOutput,
      // it replaces the title, description or place written before
      annotations: REPLACE,
    },
    onMeeting(hub, caller, ({ ref, version, ...body }) =>
      attempt(async () =>
        ok(await updateMeeting(hub, requireCaller(caller, 'changing a meeting'), ref, version, body)),
      ),
    ),
  );

  server.registerTool(
    'change_meeting_recurrence',
    {
      title: 'Change how a meeting repeats',
      description: `Give a meeting a new rule (RFC 5545, counted from its first start), making a one-off a series before it happens or changing a series' rhythm; null makes a series not yet begun a one-off again. A series that has begun keeps running under its new rule; an ended series is not brought back (schedule a new one), and one meeting of a series follows the series' rule. Needs the version get_agenda showed you. get_agenda's can.changeRecurrence says whether you may, and why not. ${whoMayUse(hub, 'meeting.schedule')}`,
      inputSchema: RecurrenceInput,
      outputSchema: MeetingOutput,
      // the meetings the old rule held that the new one does not are gone from the calendar
      annotations: REPLACE,
    },
    ({ ref, rrule, version }) =>
      attempt(async () =>
        ok(await updateMeeting(hub, requireCaller(caller, 'changing how a meeting repeats'), ref, version, { rrule })),
      ),
  );

  server.registerTool(
    'publish_agenda',
    {
      title: "Publish a meeting's agenda",
      description: `Publish the agenda before the meeting starts ("agendas published in advance"), so those taking part know what is on it, once it holds an item; publishing again records the new time. Items may still be added after it is published. get_agenda's can.publishAgenda says whether you may, and why not. ${whoMayUse(hub, 'meeting.publishAgenda')}`,
      inputSchema: z.object({
        ref: OneMeeting,
        version: ReadVersion(
          'refused, with the agenda as it stands, if someone changed the meeting or its agenda since (optional: without it the agenda is published as it stands)',
        ).optional(),
      }),
      outputSchema: MeetingOutput.extend({
        agenda: z.looseObject({ publishedAt: z.string().nullable() }).describe('publishedAt: when it was published'),
        told: z
          .object({ people: z.number(), inBatches: z.boolean(), message: z.string() })
          .describe(
            'who publishing told, from the notices written: how many members and watchers (people), whether a big group is still being told in batches, and that in words',
          ),
      }),
      annotations: { ...UPDATE, idempotentHint: false },
    },
    onMeeting(hub, caller, ({ ref, version }) =>
      attempt(async () => ok(await publishAgenda(hub, requireCaller(caller, 'publishing an agenda'), ref, version))),
    ),
  );

  server.registerTool(
    'set_meeting_note_taker',
    {
      title: "Name a meeting's note-taker",
      description:
        "Name (or change, or clear) who owes a meeting's notes: someone in its group who may publish them (the governance file's meeting.recordOutcomes: by default its members and leads; a topic area's facilitators for its meetings). When the notes are late, the note-taker and the group's leads are told. Needs the version get_agenda showed you, so someone else's choice is not replaced unseen. Who may is the governance file's meeting.assignNoteTaker (get_agenda's can.assignNoteTaker says whether you may, and why not).",
      inputSchema: NoteTakerInput,
      outputSchema: MeetingOutput,
      annotations: REPLACE,
    },
    onMeeting(hub, caller, ({ ref, noteTaker, version }) =>
      attempt(async () =>
        ok(
          await updateMeeting(hub, requireCaller(caller, "naming a meeting's note-taker"), ref, version, { noteTaker }),
        ),
      ),
    ),
  );

  server.registerTool(
    'remove_agenda_item',
    {
      title: 'Take an item off an agenda',
      description:
        'Before the meeting starts: whoever added the item, or those who publish the agenda. An item carrying written input stays, so nobody’s input is lost. Needs the version get_agenda showed you: positions shift as items come and go, so a removal from an older read is refused rather than take off another item.',
      inputSchema: RemoveItemInput,
      outputSchema: MeetingOutput,
      annotations: { ...UPDATE, destructiveHint: true, idempotentHint: false },
    },
    onMeeting(hub, caller, ({ ref, item, version }) =>
      attempt(async () =>
        ok(await removeAgendaItem(hub, requireCaller(caller, 'changing an agenda'), ref, item, version)),
      ),
    ),
  );

  server.registerTool(
    'end_meeting_series',
    {
      title: 'End a meeting series from a day',
      description: `A series that has begun is not cancelled but ended from a day (YYYY-MM-DD on its own clock, today or later), with a reason shown on its page: the meetings before that day stay as they were, the rule stops there, and coming meetings with their own agenda are cancelled (those who sent them written input are told). The day is at most a year ahead and before the series' last meeting, or ending would change nothing. Needs the version get_agenda showed you. ${whoMayUse(hub, 'meeting.schedule')}`,
      inputSchema: EndSeriesToolInput,
      outputSchema: MeetingOutput,
      annotations: REPLACE,
    },
    ({ ref, from, reason, version }) =>
      attempt(async () =>
        ok(await endSeries(hub, requireCaller(caller, 'ending a series'), ref, version, { from, reason })),
      ),
  );

  server.registerTool(
    'move_agenda_item',
    {
      title: 'Move an item up or down an agenda',
      description: `Before the meeting starts, those who publish the agenda change its order: the item swaps places with the one before (up) or after (down). Give the version get_agenda showed you, to be refused rather than undo a move someone else just made. ${whoMayUse(hub, 'meeting.publishAgenda')}`,
      inputSchema: MoveItemInput,
      outputSchema: MeetingOutput,
      annotations: { ...UPDATE, idempotentHint: false },
    },
    onMeeting(hub, caller, ({ ref, item, direction, version }) =>
      attempt(async () =>
        ok(await moveAgendaItem(hub, requireCaller(caller, 'changing an agenda'), ref, version, { item, direction })),
      ),
    ),
  );

  server.registerTool(
    'change_agenda_item_kind',
    {
      title: "Change an agenda item's kind",
      description:
        "Before the meeting starts, correct an item added under the wrong kind (process: how the group operates; content: what it works on): its place, link and written input stay, and the kind warning follows the new kind. Whoever added the item, or those who publish the agenda; get_agenda gives each item's can.changeKind: whether you may, and why not. Needs the version get_agenda showed you: a change from an older read is refused rather than overwrite someone else's.",
      inputSchema: KindItemInput,
      outputSchema: MeetingOutput,
      annotations: REPLACE,
    },
    onMeeting(hub, caller, ({ ref, item, kind, version }) =>
      attempt(async () =>
        ok(await changeAgendaItemKind(hub, requireCaller(caller, 'changing an agenda'), ref, item, version, { kind })),
      ),
    ),
  );

  server.registerTool(
    'list_late_notes',
    {
      title: 'Meetings with late notes',
      description: 'Meetings whose notes are overdue, or were published after the deadline, optionally for one group.',
      inputSchema: LateNotesQuery,
      outputSchema: LateOutput,
      annotations: READ,
    },
    (args) => attempt(async () => ok({ items: await listLateNotes(hub, args) })),
  );

  server.registerTool(
    'draft_quarterly_update',
    {
      title: "Draft a working group's quarterly update",
      description:
        'Markdown drafted from the record (deliverables, contributions, decisions, meetings, membership, open action items) for a lead to edit before posting: the text answer is the markdown, then the period and facts as JSON.',
      inputSchema: QuarterlyToolInput,
      outputSchema: QuarterlyOutput,
      annotations: READ,
    },
    ({ group, ...args }, ctx) =>
      attempt(async () => {
        // reads in steps (up to 50 decisions among them): it stops when cancelled, and reports its steps when asked
        const report = progressOf(ctx, QUARTERLY_STEPS + 1);
        const d = await draftQuarterlyUpdate(hub, group, args, { signal: ctx.mcpReq.signal, step: report });
        report(QUARTERLY_STEPS, `drafted the update due on ${d.period.dueOn}`);
        return okDocument({ ...d });
      }),
  );
}
