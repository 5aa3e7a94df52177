import { cliIo } from './io.ts';
import { allPages, asVersion, collect, type CommandTools } from './command-tools.ts';
import { printable } from '../domain/text.ts';
import { nameWithHandle } from '../domain/people.ts';
import type { Command } from 'commander';
import { readFileSync, writeFileSync } from 'node:fs';
import type { FairTimesResult } from '../app/meetings/fair-times.ts';
import type { MeetingDecisionStanding } from '../app/meetings/decision-standing.ts';
import type { MeetingSummary, MeetingView, Occurrence } from '../app/meetings/meetings.ts';
import { localTime } from '../domain/meetings/recurrence.ts';
import { OUTCOME_WORDS } from '../domain/decisions/outcome.ts';
import type { SlotDetail } from '../domain/meetings/fair-times.ts';

// each command loads its use cases when it runs (main.ts)
const calendar = () => import('../app/meetings/calendar.ts');
const fairTimes = () => import('../app/meetings/fair-times.ts');
const agendas = () => import('../app/meetings/agenda.ts');
const outcomes = () => import('../app/meetings/outcomes.ts');
const inputEdits = () => import('../app/meetings/written-input-edits.ts');
const meetings = () => import('../app/meetings/meetings.ts');
const standing = () => import('../app/meetings/decision-standing.ts');
const upcoming = () => import('../app/meetings/upcoming.ts');

/** A meeting a line, at the start `at` picks (its first, or its next for a list of what is to come). */
function meetingLines<M extends MeetingSummary>(items: M[], at: (m: M) => string, none: string): string {
  return (
    items
      .map(
        (m) =>
          `${m.ref.padEnd(5)} ${at(m)}  ${m.group.padEnd(14)} ${m.kind.padEnd(8)} ${m.title}${m.rrule ? ` [series: ${m.rrule}]` : ''}${m.notice.short ? ' [short notice]' : ''}${m.cancelled ? ' [cancelled]' : ''}`,
      )
      .join('\n') || none
  );
}
const quarterly = () => import('../app/meetings/quarterly.ts');

const presented = (p: boolean | null) => (p === null ? 'not yet marked' : p ? 'presented' : 'not presented');

/** What follows the next meetings shown: how many more and the last, or that the series goes on. */
function seriesRest(m: MeetingView, shown: number): string {
  if (m.stillToCome === null) return ' | … until changed or cancelled';
  const more = m.stillToCome - shown;
  return more > 0 && m.lastStartsAt ? ` | and ${more} more, the last ${localTime(m.lastStartsAt, m.timeZone)}` : '';
}

/** Where a linked decision stands, in words: open until its deadline, in a vote until it closes, or its outcome. */
function standingWords(s: MeetingDecisionStanding['items'][number]): string {
  if (s.outcome !== 'pending') return OUTCOME_WORDS[s.outcome];
  if (s.phase === 'vote') return `in a vote, closes ${s.voteClosesAt}`;
  if (s.phase === 'escalated')
    return `escalated${s.escalationDueAt ? `, initial response due ${s.escalationDueAt}` : ''}`;
  return `open: silence is consent until ${s.deadline}`;
}

/**
 * A meeting as text; read by `meeting show`, it says where its linked decisions stand, and, asked for
 * one start of a series (M-1@start), which start: a start with no meeting of its own yet is told so
 * first, as what follows is the series at that start, with no agenda, notes or outcomes of its own yet.
 */
export function showMeeting(
  m: MeetingView & { decisionStanding?: MeetingDecisionStanding; occurrence?: Occurrence | null },
): string {
  const o = m.occurrence;
  const lines = [
    ...(o && !o.ref
      ? [
          `${o.id}: ${m.title}, ${localTime(o.startsAt, m.timeZone)}: one meeting of the series ${o.series}, with no meeting of its own yet (\`meeting schedule --series ${o.series} --at ${o.startsAt}\` opens one); the series follows at that start, with nothing of its own yet`,
        ]
      : []),
    `${m.ref}: ${m.title}${m.cancelled ? ' [CANCELLED]' : ''}${o?.ref && o.ref !== o.series ? ` (${o.id})` : ''}`,
    `  ${m.kind} meeting of ${m.group}${m.topic ? ` / ${m.topic}` : ''}; ${m.startsAt} (${m.localStart}, ${m.timeZone}), ${m.durationMinutes} min${m.location ? `; ${m.location}` : ''}`,
    ...(m.rrule
      ? [
          `  series: ${m.rrule}; next: ${m.upcoming
            .slice(0, 4)
            .map((t) => localTime(t, m.timeZone))
            .join(' | ')}${seriesRest(m, Math.min(m.upcoming.length, 4))}`,
        ]
      : []),
    ...(m.seriesEnd ? [`  series ENDED: no meetings from ${m.seriesEnd.from}; why: ${m.seriesEnd.reason}`] : []),
    ...(m.series ? [`  an occurrence of ${m.series}`] : []),
    `  notice: ${m.notice.givenDays} days${m.notice.short ? ` — SHORT NOTICE: ${m.notice.why}` : ' (enough)'}`,
    // what --if-version takes, so a change never undoes one made since this was read
    `  version: ${m.version}`,
    `  agenda${m.agenda.publishedAt ? ` (published ${m.agenda.publishedAt})` : ' (not published)'}:`,
  ];
  if (m.agenda.warning) lines.push(`    warning: ${m.agenda.warning}`);
  if (!m.agenda.items.length) lines.push('    (no items yet)');
  for (const i of m.agenda.items) {
    lines.push(
      `    ${i.position}. [${i.kind}] ${i.title}${i.link ? ` → ${i.link.type} ${i.link.ref}` : ''} (added by ${nameWithHandle(i.addedBy, i.addedByName)})`,
    );
    if (i.warning) lines.push(`       warning: ${i.warning.message}`);
    for (const w of i.writtenInput)
      lines.push(
        `       written input from ${nameWithHandle(w.author, w.authorName)} [${w.id}] v${w.version}${w.editedAt ? `, edited ${w.editedAt}` : ''}${w.recordedBy ? `, recorded for them by @${w.recordedBy.handle}` : ''} (${presented(w.presented)}${w.note ? `: ${w.note}` : ''}): ${w.body}`,
      );
  }
  const d = m.notes.deadline;
  lines.push(
    `  notes: ${m.notes.publishedAt ? `published ${m.notes.publishedAt}` : 'none yet'}; due ${d.dueAt} (${d.state}${d.lateByHours !== null ? `, ${d.lateByHours} h late` : ''})`,
  );
  if (m.attendance.length)
    lines.push(`  attended: ${m.attendees.map((a) => nameWithHandle(a.handle, a.name)).join(', ')}`);
  const standing = new Map(m.decisionStanding?.items.map((s) => [s.ref, s]));
  for (const x of m.decisions) {
    const s = x.decision ? standing.get(x.decision) : undefined;
    lines.push(
      `  decision: ${x.summary}${x.decision ? ` (${x.decision}${s ? `, ${standingWords(s)}` : ''})` : ''}; recorded by ${nameWithHandle(x.recordedBy, x.recordedByName ?? undefined)}`,
    );
  }
  if (m.decisionStanding?.leftOut)
    lines.push(
      `  (where the first ${m.decisionStanding.items.length} linked decisions stand is shown; ${m.decisionStanding.leftOut} more not read: see each with decision show)`,
    );
  for (const a of m.actions)
    lines.push(
      `  action [${a.id}]: ${a.done ? '[x]' : '[ ]'} ${nameWithHandle(a.owner, a.ownerName)}: ${a.description} (due ${a.due})`,
    );
  return lines.join('\n');
}

function showSlot(s: SlotDetail, indent = '  '): string[] {
  return [
    `${indent}${s.startsAt}: ${s.inWindow} of ${s.participants.length} inside their hours, worst seat ${s.worst}, fairness ${s.fairness}${s.worstOff.length ? `; worst off: ${s.worstOff.join(', ')}` : ''}`,
    ...s.participants.map(
      (p) =>
        `${indent}  ${p.handle.padEnd(16)} ${p.timeZone.padEnd(22)} ${p.local}${p.asleep ? '  (sleeping hours)' : ''}${p.dayOff ? '  (not a working day)' : ''}  convenience ${p.convenience}`,
    ),
  ];
}

export function showFairTimes(r: FairTimesResult): string {
  const out = [
    `fair times for ${r.participants} participants (${r.zones} zone groups), ${r.durationMinutes} min, ${r.from} to ${r.to}; default hours ${r.workingHours.start}–${r.workingHours.end}`,
    'best slots:',
  ];
  for (const s of r.best) out.push(...showSlot(s));
  if (r.series) {
    out.push(
      `series of ${r.series.rotation.meetings.length}, rotated: fairness ${r.series.rotation.fairness} (the best slot every time: ${r.series.fixed.fairness})`,
    );
    for (const s of r.series.rotation.meetings) out.push(...showSlot(s));
    out.push('  worst hour per zone (rotated vs fixed):');
    for (const z of r.series.rotation.zones) {
      const f = r.series.fixed.zones.find((x) => x.timeZone === z.timeZone)!;
      out.push(
        `    ${z.timeZone.padEnd(22)} ${z.worstHourCount} vs ${f.worstHourCount} of ${r.series.rotation.meetings.length}; average convenience ${z.averageConvenience} vs ${f.averageConvenience}`,
      );
    }
  }
  return out.join('\n');
}

function parseParticipant(spec: string) {
  // handle:Zone/Name[:HH:MM-HH:MM]
  const m = /^([^:]+):([^:]+)(?::(\d{2}:\d{2})-(\d{2}:\d{2}))?$/.exec(spec);
  if (!m)
    throw new Error(
      `--participant '${spec}' must be HANDLE:ZONE or HANDLE:ZONE:HH:MM-HH:MM, e.g. kai:Asia/Tokyo:08:00-16:00`,
    );
  return { handle: m[1]!, timeZone: m[2]!, ...(m[3] ? { window: { start: m[3], end: m[4]! } } : {}) };
}

function linkOf(spec: string) {
  const m = /^(proposal|decision|artifact):(.+)$/.exec(spec);
  if (!m) throw new Error(`--link '${spec}' must be proposal:REF, decision:D-n or artifact:PATH`);
  return { type: m[1]!, ref: m[2]! };
}

/**
 * What `--if-version` says on a meeting's edits whose use case needs the version read (REST's
 * If-Match): given, a change made since is refused; left out, the command reads the meeting itself
 * and acts on it as it stands, as `proposal edit` does (docs/cli.md, "The version read").
 */
const FILLED_VERSION =
  'the version `meeting show` printed: refused if the meeting changed since (left out: the meeting as it stands now)';

export function registerMeetingCommands(program: Command, { withHub, print, report }: CommandTools): void {
  const meeting = program
    .command('meeting')
    .description('meetings: process or content, agendas, written input, notes, calendars, fair times');
  const out = (m: MeetingView & { decisionStanding?: MeetingDecisionStanding; occurrence?: Occurrence | null }) =>
    print(m, () => showMeeting(m));

  meeting
    .command('schedule')
    .description('schedule a meeting (leads, topic facilitators); short notice is flagged, not refused')
    .requiredOption('--group <slug>', 'the group')
    .option('--topic <slug>', 'a topic area of the group')
    .requiredOption('--kind <process|content>', 'process (how the group operates) or content (what it works on)')
    .requiredOption('--title <text>', 'what the meeting is')
    .requiredOption('--at <iso>', 'start, an ISO date-time with a zone, e.g. 2026-12-03T16:00:00Z')
    .option('--zone <iana>', "the organiser's time zone (default: yours)")
    .option('--minutes <n>', 'duration', (v) => Number(v), 60)
    .option('--rrule <rule>', 'a series: RFC 5545 RRULE, e.g. FREQ=WEEKLY;INTERVAL=2;COUNT=6')
    .option('--series <ref>', 'make this one occurrence of a series (M-n), with its own agenda')
    .option('--location <text>', 'a call link or a place')
    .option('--description <text>', 'context')
    .option(
      '--note-taker <handle>',
      'who owes the notes, a member of the group (told with the leads when they are late)',
    )
    .action(
      (o: {
        group: string;
        topic?: string;
        kind: string;
        title: string;
        at: string;
        zone?: string;
        minutes: number;
        rrule?: string;
        series?: string;
        location?: string;
        description?: string;
        noteTaker?: string;
      }) =>
        withHub(async (hub, actor) =>
          out(
            await (await meetings()).scheduleMeeting(hub, actor, {
              group: o.group,
              kind: o.kind,
              title: o.title,
              startsAt: o.at,
              durationMinutes: o.minutes,
              ...(o.topic ? { topic: o.topic } : {}),
              ...(o.zone ? { timeZone: o.zone } : {}),
              ...(o.rrule ? { rrule: o.rrule } : {}),
              ...(o.series ? { seriesOf: o.series } : {}),
              ...(o.location ? { location: o.location } : {}),
              ...(o.description ? { description: o.description } : {}),
              ...(o.noteTaker ? { noteTaker: o.noteTaker } : {}),
            }),
          ),
        ),
    );
  meeting
    .command('show <ref>')
    .description(
      'a meeting: agenda with written input, notice, notes deadline, outcomes and where its linked decisions stand',
    )
    .action((ref: string) => withHub(async (hub, actor) => out(await (await standing()).readMeeting(hub, ref, actor))));
  meeting
    .command('list')
    .description('list meetings in time order')
    .option('--group <slug>', 'a group')
    .option('--topic <slug>', 'a topic area')
    .option('--from <iso>', 'starting at or after')
    .option('--to <iso>', 'starting before')
    .action((o: { group?: string; topic?: string; from?: string; to?: string }) =>
      withHub(async (hub) => {
        // every page: it stopped at the first 200, saying nothing of the rest
        const { listMeetings } = await meetings();
        const items = await allPages((cursor) =>
          listMeetings(hub, { limit: 200, ...o, ...(cursor ? { cursor } : {}) }),
        );
        print(items, () => meetingLines(items, (m) => m.startsAt, 'no meetings'));
      }),
    );
  meeting
    .command('upcoming')
    .description('meetings still to come, soonest first: a series at its next meeting')
    .option('--group <slug>', 'a group')
    .option('--topic <slug>', 'a topic area')
    .action((o: { group?: string; topic?: string }) =>
      withHub(async (hub) => {
        const { upcomingMeetings } = await upcoming();
        const items = await allPages((cursor) =>
          upcomingMeetings(hub, { limit: 200, ...o, ...(cursor ? { cursor } : {}) }),
        );
        print(items, () => meetingLines(items, (m) => m.nextStartsAt, 'no meetings to come'));
      }),
    );
  meeting
    .command('end-series <ref>')
    .description('end a series that has begun from a day, saying why: earlier meetings stay, later ones are called off')
    .requiredOption('--from <date>', "the first day (YYYY-MM-DD, on the series' clock) it no longer meets")
    .requiredOption('--reason <text>', 'why it ends, shown on the series page')
    .option('--if-version <n>', FILLED_VERSION, asVersion)
    .action((ref: string, o: { from: string; reason: string; ifVersion?: number }) =>
      withHub(async (hub, actor) =>
        out(
          await (await import('../app/meetings/series-end.ts')).endSeries(
            hub,
            actor,
            ref,
            o.ifVersion ?? (await (await meetings()).getMeetingAt(hub, ref, actor)).version,
            { from: o.from, reason: o.reason },
          ),
        ),
      ),
    );
  meeting
    .command('edit <ref>')
    .description('reschedule, rename or cancel')
    .option('--if-version <n>', FILLED_VERSION, asVersion)
    .option('--at <iso>', 'new start (notice counts from now)')
    .option('--title <text>', 'new title')
    .option('--minutes <n>', 'new duration', (v) => Number(v))
    .option('--cancel', 'cancel the meeting')
    .option(
      '--note-taker <handle>',
      "who owes the notes (someone in the group who may publish them: a member or lead by default); 'none' for nobody",
    )
    .action(
      (
        ref: string,
        o: { ifVersion?: number; at?: string; title?: string; minutes?: number; cancel?: boolean; noteTaker?: string },
      ) =>
        withHub(async (hub, actor) =>
          out(
            await (await meetings()).updateMeeting(
              hub,
              actor,
              ref,
              o.ifVersion ?? (await (await meetings()).getMeetingAt(hub, ref, actor)).version,
              {
                ...(o.at ? { startsAt: o.at } : {}),
                ...(o.title ? { title: o.title } : {}),
                ...(o.minutes ? { durationMinutes: o.minutes } : {}),
                ...(o.cancel ? { cancelled: true } : {}),
                ...(o.noteTaker ? { noteTaker: o.noteTaker === 'none' ? null : o.noteTaker } : {}),
              },
            ),
          ),
        ),
    );

  const agenda = meeting.command('agenda').description('the agenda');
  agenda
    .command('suggest <ref>')
    .description(
      'what needs the group (one who may add items, until it starts): its open decisions, soonest to close first, then its proposals waiting for a sponsor, and for a content meeting the proposals it is working on, those on the agenda left out',
    )
    .action((ref: string) =>
      withHub(async (hub, actor) => {
        const s = await (await import('../app/meetings/agenda-suggestions.ts')).agendaSuggestions(hub, actor, ref);
        print(s, () =>
          s.items.length
            ? s.items
                .map((i) =>
                  i.type === 'decision'
                    ? `${i.ref}: ${i.title} (${i.phase === 'vote' ? 'in a vote that closes' : 'closes'} ${i.closesAt}${i.closesBeforeMeeting ? ', before this meeting' : ''})`
                    : i.waitingForSponsor
                      ? `${i.ref}: ${i.title} (waiting for a sponsor since ${i.since})`
                      : `${i.ref}: ${i.title} (at ${i.stage} since ${i.since})`,
                )
                .join('\n')
            : 'nothing: no open decision and no proposal to take up that is not on the agenda already',
        );
      }),
    );
  agenda
    .command('add <ref>')
    .description('add an item (participants may); warns when a content item lands in a process meeting or the reverse')
    .requiredOption('--title <text>', 'the item')
    .option('--kind <process|content>', 'left out, read from the text')
    .option('--link <type:ref>', 'proposal:P-12, decision:D-3 or artifact:PATH')
    .option('--description <text>', 'context')
    .option('--if-version <n>', 'refuse if the meeting changed since you read this version (optional)', asVersion)
    .action(
      (ref: string, o: { title: string; kind?: string; link?: string; description?: string; ifVersion?: number }) =>
        withHub(async (hub, actor) =>
          out(
            await (await agendas()).addAgendaItem(
              hub,
              actor,
              ref,
              {
                title: o.title,
                ...(o.kind ? { kind: o.kind } : {}),
                ...(o.link ? { link: linkOf(o.link) } : {}),
                ...(o.description ? { description: o.description } : {}),
              },
              o.ifVersion,
            ),
          ),
        ),
    );
  agenda
    .command('remove <ref> <item>')
    .description(
      'remove an agenda item by number (its author, a lead or facilitator); refused while it carries written input',
    )
    .option(
      '--if-version <n>',
      'refuse if the meeting changed since you read this version (optional; numbers shift as items come and go)',
      asVersion,
    )
    .action((ref: string, item: string, o: { ifVersion?: number }) =>
      withHub(async (hub, actor) => out(await (await agendas()).removeAgendaItem(hub, actor, ref, item, o.ifVersion))),
    );
  agenda
    .command('move <ref> <item> <direction>')
    .description('move an agenda item one place up or down (those who publish the agenda); direction: up or down')
    .option('--if-version <n>', FILLED_VERSION, asVersion)
    .action((ref: string, item: string, direction: string, o: { ifVersion?: number }) =>
      withHub(async (hub, actor) =>
        out(
          await (await agendas()).moveAgendaItem(
            hub,
            actor,
            ref,
            o.ifVersion ?? (await (await meetings()).getMeetingAt(hub, ref, actor)).version,
            { item, direction },
          ),
        ),
      ),
    );
  agenda
    .command('kind <ref> <item> <kind>')
    .description(
      "change an agenda item's kind, by number or id (its author, a lead or facilitator): process or content; its place and written input stay",
    )
    .option('--if-version <n>', FILLED_VERSION, asVersion)
    .action((ref: string, item: string, kind: string, o: { ifVersion?: number }) =>
      withHub(async (hub, actor) =>
        out(
          await (await agendas()).changeAgendaItemKind(
            hub,
            actor,
            ref,
            item,
            o.ifVersion ?? (await (await meetings()).getMeetingAt(hub, ref, actor)).version,
            { kind },
          ),
        ),
      ),
    );
  agenda
    .command('publish <ref>')
    .description('publish the agenda (leads, topic facilitators)')
    .option(
      '--if-version <n>',
      'refuse if the meeting or its agenda changed since you read this version (optional)',
      asVersion,
    )
    .action((ref: string, o: { ifVersion?: number }) =>
      withHub(async (hub, actor) => {
        // first how many were told, from the notices written (as the web's flash and REST's told.message)
        const m = await (await agendas()).publishAgenda(hub, actor, ref, o.ifVersion);
        print(m, () => `${m.told.message}\n${showMeeting(m)}`);
      }),
    );

  meeting
    .command('input <ref>')
    .description('send written input on an agenda item before the meeting, when you cannot attend (needs --as)')
    // as written: the use case reads digits as a position and anything else as an item's id
    .requiredOption('--item <n>', 'the agenda item: its number, or its id')
    .option('--text <text>', 'the input')
    .option('--file <path>', 'the input, from a file')
    .option(
      '--for <handle>',
      'a lead or facilitator recording input its sender sent another way (by mail): whose it is',
    )
    .action((ref: string, o: { item: string; text?: string; file?: string; for?: string }) =>
      withHub(async (hub, actor) => {
        const m = await (await agendas()).submitWrittenInput(hub, actor, ref, {
          item: o.item,
          body: o.file ? readFileSync(o.file, 'utf8') : (o.text ?? ''),
          ...(o.for ? { for: o.for } : {}),
        });
        // first whether it was stored now or had been already (as the web's flash and REST's 200 say)
        print(
          m,
          () =>
            `${m.writtenInput.alreadySent ? `Already sent: this input is on this item (${m.writtenInput.id}); nothing was stored again.` : `Written input sent (${m.writtenInput.id}).`}\n${showMeeting(m)}`,
        );
      }),
    );
  meeting
    .command('input-edit <ref> <input-id>')
    .description(
      'change your written input before the meeting starts (its sender only; `meeting show` prints its id and version)',
    )
    .option('--text <text>', 'the new text')
    .option('--file <path>', 'the new text, from a file')
    .option(
      '--if-version <n>',
      "the input's version you read (required: the v… `meeting show` prints beside it), so a newer text is never overwritten",
      asVersion,
    )
    .action((ref: string, id: string, o: { text?: string; file?: string; ifVersion?: number }) =>
      withHub(async (hub, actor) =>
        out(
          await (await inputEdits()).editWrittenInput(hub, actor, ref, id, o.ifVersion, {
            body: o.file ? readFileSync(o.file, 'utf8') : (o.text ?? ''),
          }),
        ),
      ),
    );
  meeting
    .command('input-withdraw <ref> <input-id>')
    .description(
      'withdraw your written input before the meeting starts: it leaves the agenda and the facilitators are told',
    )
    .option('--if-version <n>', 'refuse if the input changed since you read this version (optional)', asVersion)
    .action((ref: string, id: string, o: { ifVersion?: number }) =>
      withHub(async (hub, actor) =>
        out(await (await inputEdits()).withdrawWrittenInput(hub, actor, ref, id, o.ifVersion)),
      ),
    );
  meeting
    .command('presented <ref> <input-id>')
    .description('mark written input as presented at the meeting (or --not, with --note)')
    .option('--not', 'it was not presented')
    .option('--note <text>', 'why not, or anything to tell its author')
    .option(
      '--if-version <n>',
      "the input's version as read (meeting show lists it): optional; given, a mark recorded since is refused",
      asVersion,
    )
    .action((ref: string, id: string, o: { not?: boolean; note?: string; ifVersion?: number }) =>
      withHub(async (hub, actor) =>
        out(
          await (await agendas()).markWrittenInput(
            hub,
            actor,
            ref,
            id,
            { presented: !o.not, ...(o.note ? { note: o.note } : {}) },
            o.ifVersion,
          ),
        ),
      ),
    );
  meeting
    .command('notes <ref>')
    .description('publish notes from a markdown file (--file), or print the notes template (--template)')
    .option('--file <path>', 'the notes, markdown')
    .option(
      '--template',
      'print the template: agenda, written input (presented or not), attendance, decisions, actions',
    )
    .option(
      '--if-version <n>',
      'required to revise published notes: the version you read (`meeting show` prints it), so nobody else’s revision is overwritten',
      asVersion,
    )
    .action((ref: string, o: { file?: string; template?: boolean; ifVersion?: number }) =>
      withHub(async (hub, actor) => {
        if (o.template || !o.file) {
          const t = await (await outcomes()).meetingNotesTemplate(hub, ref, actor);
          return print({ template: t }, () => t);
        }
        out(
          await (await outcomes()).recordNotes(hub, actor, ref, o.ifVersion, { notes: readFileSync(o.file, 'utf8') }),
        );
      }),
    );
  meeting
    .command('attend <ref> <handles...>')
    .description('record who attended (replaces the list)')
    .option('--if-version <n>', 'the version you read: needed to replace a list already recorded', asVersion)
    .action((ref: string, handles: string[], o: { ifVersion?: number }) =>
      withHub(async (hub, actor) =>
        out(await (await outcomes()).recordAttendance(hub, actor, ref, o.ifVersion, { attended: handles })),
      ),
    );
  meeting
    .command('decision <ref>')
    .description(
      'record a decision taken; --decision D-n refers to one, --open-question opens one under lazy consensus',
    )
    .requiredOption('--summary <text>', 'what was decided')
    .option('--decision <ref>', 'an existing decision')
    .option('--open-question <text>', 'open a decision with this question')
    .option('--significance <minor|significant>', 'for a decision opened here', 'minor')
    .action((ref: string, o: { summary: string; decision?: string; openQuestion?: string; significance: string }) =>
      withHub(async (hub, actor) =>
        out(
          await (await outcomes()).recordMeetingDecision(hub, actor, ref, {
            summary: o.summary,
            ...(o.decision ? { decision: o.decision } : {}),
            ...(o.openQuestion ? { open: { question: o.openQuestion, significance: o.significance } } : {}),
          }),
        ),
      ),
    );
  meeting
    .command('action <ref>')
    .description('add an action item; or --done ID marks one done')
    .option('--owner <handle>', 'who does it')
    .option('--due <date>', 'YYYY-MM-DD')
    .option('--text <text>', 'what is to be done')
    .option('--done <id>', 'mark this action item done')
    .action((ref: string, o: { owner?: string; due?: string; text?: string; done?: string }) =>
      withHub(async (hub, actor) =>
        out(
          o.done
            ? await (await outcomes()).completeActionItem(hub, actor, ref, o.done)
            : await (await outcomes()).addActionItem(hub, actor, ref, {
                owner: o.owner,
                due: o.due,
                description: o.text,
              }),
        ),
      ),
    );
  meeting
    .command('late-notes')
    .description('meetings whose notes are overdue or were published late, against the governance file')
    .option('--group <slug>', 'a group')
    .action((o: { group?: string }) =>
      report(
        async (hub) => (await outcomes()).listLateNotes(hub, o.group ? { group: o.group } : {}),
        (r) =>
          r
            .map(
              (m) =>
                `${m.ref.padEnd(5)} ${m.group.padEnd(14)} ${m.startsAt}  ${m.title}${m.occurrence ? ' (a meeting of the series with no meeting of its own: schedule it with --series to record its notes)' : ''}: notes ${m.deadline.state === 'late' ? `overdue by ${m.deadline.lateByHours} h` : `published ${m.deadline.lateByHours} h late`} (due ${m.deadline.dueAt})`,
            )
            .join('\n') || 'no meeting has late notes',
      ),
    );
  meeting
    .command('fair-times')
    .description(
      "best slots for the participants' zones and hours, each person's local time and a fairness figure; --series N rotates a series",
    )
    .option('--group <slug>', "the group's active members, with their zones")
    .option('--participant <handle:zone[:HH:MM-HH:MM]>', 'a participant (repeatable)', collect, [])
    .requiredOption('--from <iso>', 'start of the window to search')
    .option('--days <n>', 'length of the window', (v) => Number(v), 14)
    .option('--minutes <n>', 'meeting length', (v) => Number(v), 60)
    .option('--top <n>', 'how many slots', (v) => Number(v), 5)
    .option('--series <n>', 'rotate a series of N meetings', (v) => Number(v))
    .option('--every <days>', 'days between meetings of the series', (v) => Number(v), 7)
    .action(
      (o: {
        group?: string;
        participant: string[];
        from: string;
        days: number;
        minutes: number;
        top: number;
        series?: number;
        every: number;
      }) =>
        report(
          async (hub) =>
            (await fairTimes()).proposeFairTimes(hub, {
              from: o.from,
              days: o.days,
              durationMinutes: o.minutes,
              top: o.top,
              ...(o.group ? { group: o.group } : {}),
              ...(o.participant.length ? { participants: o.participant.map(parseParticipant) } : {}),
              ...(o.series ? { series: { count: o.series, everyDays: o.every } } : {}),
            }),
          showFairTimes,
        ),
    );
  meeting
    .command('ical')
    .description('an iCalendar feed (RFC 5545) for a group, a topic area (--topic GROUP/TOPIC) or a person')
    .option('--group <slug>', 'a group')
    .option('--topic <group/topic>', 'a topic area')
    .option('--person <handle>', 'a person')
    .option('-o, --output <file>', 'write to a file instead of standard output')
    .action((o: { group?: string; topic?: string; person?: string; output?: string }) =>
      withHub(async (hub) => {
        const [g, t] = (o.topic ?? '').split('/');
        const text = o.person
          ? await (await calendar()).personCalendar(hub, o.person)
          : o.topic
            ? await (await calendar()).topicCalendar(hub, g!, t ?? '')
            : o.group
              ? await (await calendar()).groupCalendar(hub, o.group)
              : null;
        if (text === null) throw new Error('give --group, --topic GROUP/TOPIC or --person');
        if (o.output) writeFileSync(o.output, text);
        // iCalendar lines end in CRLF (RFC 5545): kept, while anything else unprintable in them is shown escaped
        else cliIo().stdout.write(text.split('\r\n').map(printable).join('\r\n'));
      }),
    );

  program
    .command('quarterly <group>')
    .description(
      "draft a working group's quarterly update (due end of January, April, July, October) from the record, as markdown",
    )
    .option('--due <yyyy-mm>', 'the month it is due (default: the next one)')
    .option('-o, --output <file>', 'write the markdown to a file')
    .action((group: string, o: { due?: string; output?: string }) =>
      withHub(async (hub) => {
        const d = await (await quarterly()).draftQuarterlyUpdate(hub, group, o.due ? { due: o.due } : {});
        if (o.output) writeFileSync(o.output, d.markdown);
        print(d, () =>
          o.output
            ? `wrote the ${d.group} update for ${d.period.from.slice(0, 10)}–${d.period.dueOn} to ${o.output}`
            : d.markdown,
        );
      }),
    );
}
