// /meetings: the list with calendar subscriptions, scheduling, and one meeting with its agenda
// (add an item, written input from those who cannot attend, marked presented or not), notes,
// attendance, decisions taken and action items. Every rule is the meeting use cases'.
import { pageQuery, pageParam } from '../page-query.ts';
import { trustedOrigin } from './auth.ts';
import { HINTS_SCRIPT } from './hints-live.ts';
import { scriptAsset, serveAsset } from '../assets.ts';
import { html } from 'hono/html';
import { stageLabel } from './proposals.ts';
import { agendaSuggestions, type AgendaSuggestion } from '../../../app/meetings/agenda-suggestions.ts';
import { shownRef } from '../../../domain/governance/words.ts';
import { quotedLine } from '../../../domain/text.ts';
import type { Hono } from 'hono';
import { listGroups } from '../../../app/groups/groups.ts';
import { discussionsOfMeeting } from '../../../app/github/discussions.ts';
import { groupsAllowing } from '../../../app/groups/group-can.ts';
import { listTopicAreas } from '../../../app/groups/topic-areas.ts';
import {
  addAgendaItem,
  agendaChangesSince,
  markWrittenInput,
  publishAgenda,
  submitWrittenInput,
} from '../../../app/meetings/agenda.ts';
import {
  addActionItem,
  completeActionItem,
  meetingNotesTemplate,
  recordAttendance,
  recordMeetingDecision,
  recordNotes,
} from '../../../app/meetings/outcomes.ts';
import { SERIES_SHOWN, type SeriesStart, seriesStartPath, seriesStarts } from '../../../app/meetings/series-starts.ts';
import { LIMITS } from '../../../domain/limits.ts';
import {
  getMeeting,
  getMeetingAt,
  scheduleMeeting,
  updateMeeting,
  type MeetingSummary,
  type MeetingView,
  seriesAnchor,
  unopenedStartsReason,
} from '../../../app/meetings/meetings.ts';
import { heldMeetings, upcomingMeetings } from '../../../app/meetings/upcoming.ts';
import type { WebContext, WebEnv } from '../context.ts';
import { csrfField } from '../csrf.ts';
import {
  errorSummary,
  field,
  listErrorSummary,
  fieldId,
  formFields,
  formProblem,
  formVersion,
  formVersionIfSent,
  versionField,
  type FormProblem,
  requiredFields,
  requiredLegend,
} from '../forms.ts';
import { absolute, hoursInWords, plural, when, viewerZone } from '../format.ts';
import type { Html } from '../layout.ts';
import { facilitatedTopics } from '../../../app/groups/taking-part.ts';
import { render } from '../render.ts';
import { actorFor, currentPerson, flash } from '../session.ts';
import { optional, postForm, type FormValues } from '../form-post.ts';
import { linkedDecisionStanding } from '../../../app/meetings/decision-standing.ts';
import { OUTCOME_WORDS } from '../../../domain/decisions/outcome.ts';
import { bothZones } from './decisions.ts';
import { fairTimeRoutes } from './fair-times.ts';
import { registerMeetingHomeSections } from './meetings-home.ts';
import {
  changeSection,
  meetingAdminRoutes,
  moveItemButtons,
  changeKindForm,
  kindFormId,
  removeItemButton,
  type MeetingAdminForm,
} from './meeting-admin.ts';
import { noteTakerField, noteTakerOf, noteTakerSection } from './meeting-note-taker.ts';
import { confirmedWithdrawal, inputFormId, type InputFailure, ownInputControls } from './written-input-forms.ts';
import { editWrittenInput, withdrawWrittenInput } from '../../../app/meetings/written-input-edits.ts';
import {
  contributionNote,
  day,
  hints,
  markdown,
  personIn,
  personNamed,
  radios,
  select,
  noGroupYet,
  noMoreOn,
  pager,
  whyNot,
} from './widgets.ts';
import { contributionAdvisers } from '../../../app/people/advisers.ts';
import { repeatFields, repeatChoice } from './meeting-times.ts';
import { zoneOptions, zoneShown } from './time-zones.ts';
import { ruleInWords, wallClockGap, wallClockToInstant } from '../../../domain/meetings/recurrence-words.ts';
import { inCommunityWords, isProposalRef } from '../../../domain/governance/words.ts';
import type { Governance } from '../../../domain/governance/schema.ts';
import { whoMay } from '../../../domain/policies/rules.ts';
import { WORDING } from '../../../domain/policies/wording.ts';
import {
  ActionItemInput,
  AgendaItemInput,
  MeetingDecisionInput,
  ScheduleMeetingInput,
} from '../../../app/meetings/schemas.ts';

/** The fields the form marks required: those its use case cannot do without. */
const SCHEDULE = requiredFields(ScheduleMeetingInput);
const AGENDA_ITEM = requiredFields(AgendaItemInput);
const ACTION_ITEM = requiredFields(ActionItemInput);
const MEETING_DECISION = requiredFields(MeetingDecisionInput);

const NOTES_STATE: Record<string, string> = {
  'not-due': 'not due yet',
  due: 'due',
  late: 'late',
  published: 'published on time',
  'published-late': 'published late',
};

// The topic list offers every group's areas under its name (enough without JavaScript); this keeps
// only the chosen group's areas choosable, so one of another group is not picked and then refused.
// Each heading and option names its group (data-group): two groups may each have an area with the
// same short name, so an option's value alone does not say whose area it is.
const TOPIC_SCRIPT_BODY = `
(function(){var w=document.querySelector('[data-topic-groups]');if(!w)return;var f=w.closest('form');var g=f&&f.elements.group;var t=w.querySelector('select');if(!g||!t)return;
function sync(){var gs=t.querySelectorAll('optgroup');for(var i=0;i<gs.length;i++){var off=gs[i].getAttribute('data-group')!==g.value;gs[i].disabled=off;gs[i].hidden=off}
var o=t.options[t.selectedIndex];var of=o&&o.getAttribute('data-group');if(of&&of!==g.value)t.value=''}
g.addEventListener('change',sync);sync()})();
`.trim();

export const TOPIC_SCRIPT = scriptAsset('meeting-topics', TOPIC_SCRIPT_BODY);

/** The start on the organiser's wall clock, beside the viewer's zone and UTC. */
function meetingTime(c: WebContext, iso: string, zone: string): Html {
  // a reader on the organiser's clock already reads the organiser's time: it is not said twice
  if (viewerZone(c) === zone) return html`${bothZones(c, iso)}`;
  const local = absolute(new Date(iso), zone);
  return html`${bothZones(c, iso)} <span class="muted">· organiser's time ${local} (${zone})</span>`;
}

/** A calendar feed: what it holds and its path under this hub. */
export type CalendarFeed = { name: string; path: string };

/**
 * The calendar feeds to subscribe to. Following a feed's plain address downloads a file, which a
 * calendar imports once and never updates; so each feed is offered as a webcal: link (the calendar
 * app's subscribe dialog) and as its address to paste into a web calendar's "From URL".
 */
export function calendarLinks(c: WebContext, feeds: CalendarFeed[]): Html {
  const me = currentPerson(c);
  // WGHUB_PUBLIC_URL, or a Host header the hub trusts: an untrusted one is never written into a
  // feed's address (a cache in front could hand everyone a calendar subscribed to that host)
  const origin = trustedOrigin(c);
  const all = me
    ? [{ name: 'every meeting of my groups and topics', path: `/api/people/${me.handle}/calendar.ics` }, ...feeds]
    : feeds;
  // no address to subscribe to: each feed downloads from here, and the page says what would make subscribing work
  if (!origin)
    return html`<section aria-labelledby="calendars"><h2 id="calendars">Calendar files</h2>
<p class="hint">This hub does not know its public address, so it cannot give an address to subscribe to: the hub's operator sets it with WGHUB_PUBLIC_URL. Until then, download a calendar file (it does not update by itself).</p>
<ul class="feeds">${all.map((f) => html`<li><a href="${f.path}" download>Download ${f.name}</a></li>`)}</ul></section>`;
  return html`<section aria-labelledby="calendars"><h2 id="calendars">Subscribe in your calendar</h2>
<p class="hint">Subscribe, and changes to meetings reach your calendar by themselves: "Subscribe to…" opens your calendar app's own dialog; in a web calendar (Google, Outlook on the web) add a calendar "from URL" and paste the address. Times keep the organiser's zone, so a series stays put when clocks change.</p>
<ul class="feeds">${all.map((f, i) => {
    const url = origin + f.path;
    return html`<li><a href="${url.replace(/^https?:/, 'webcal:')}">Subscribe to ${f.name}</a>
<label for="feed-${i}" class="feed-label">or copy its address</label> <input id="feed-${i}" class="feed-url" readonly value="${url}" aria-label="Address of ${f.name}"></li>`;
  })}</ul></section>`;
}

/** A meeting in the list at one of its starts: a series at its next (or its latest) meeting. */
type Listed = { m: MeetingSummary; at: string };

function meetingTable(c: WebContext, caption: string, rows: Listed[], showNotice: boolean): Html {
  return html`<div class="table-wrap"><table><caption>${caption}</caption>
<thead><tr><th scope="col">Meeting</th><th scope="col">Group / topic</th><th scope="col">Kind</th><th scope="col">When</th>${showNotice ? html`<th scope="col">Notice</th>` : ''}</tr></thead>
<tbody>${rows.map(
    ({ m, at }) =>
      html`<tr><td><a href="/meetings/${m.ref}${
        // a series listed at a later meeting: its page is the first meeting's, long over; its list of coming ones is what they look for
        m.rrule && at !== m.startsAt ? '#series' : ''
      }">${m.ref}: ${m.title}</a>${m.cancelled ? html` <span class="badge bad">cancelled</span>` : ''}${m.rrule ? html` <span class="badge">series: ${ruleInWords(m.rrule)}</span>` : ''}</td><td><a href="/groups/${m.group}">${m.groupName}</a>${m.topic ? html` / ${m.topicName ?? m.topic}` : ''}</td><td>${m.kind}</td><td>${when(c, at)}</td>${showNotice ? html`<td>${m.notice.short ? html`<span class="badge warn">short notice</span>` : 'ok'}</td>` : ''}</tr>`,
  )}</tbody></table></div>`;
}

async function listPage(c: WebContext): Promise<Response> {
  const q = pageQuery(c);
  const nowMs = c.var.hub.clock.now().getTime();
  const from = q.past === '1' ? undefined : new Date(nowMs - 60 * 86_400_000).toISOString();
  let problem: FormProblem | null = null;
  let upcoming: Listed[] = [];
  let past: Listed[] = [];
  // each list a page at a time, with its own cursor: `cursor` is REST's /api/meetings/upcoming cursor,
  // `pastCursor` the meetings held; a cursor neither gave is named (422), never an empty list
  let upcomingNext: string | null = null;
  let pastNext: string | null = null;
  try {
    const group = q.group ? { group: q.group } : {};
    const coming = await upcomingMeetings(c.var.hub, {
      ...group,
      limit: LIMITS.webListPage,
      ...(q.cursor ? { cursor: q.cursor } : {}),
    });
    upcoming = coming.items.map((m) => ({ m, at: m.nextStartsAt }));
    upcomingNext = coming.nextCursor;
    const held = await heldMeetings(
      c.var.hub,
      { ...group, ...(from ? { since: from } : {}), limit: LIMITS.webListPage, cursor: q.pastCursor },
      'pastCursor',
    );
    past = held.items.map((m) => ({ m, at: m.lastStartsAt }));
    pastNext = held.nextCursor;
  } catch (e) {
    problem = formProblem(e, viewerZone(c), c.var.hub.governance);
  }
  // a list's pages keep the filters and the other list's page
  const listAt = (change: Record<string, string | null>) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries({
      group: q.group ?? null,
      past: q.past === '1' ? '1' : null,
      cursor: q.cursor ?? null,
      pastCursor: q.pastCursor ?? null,
      ...change,
    }))
      if (v) params.set(k, v);
    return params.size ? `/meetings?${params}` : '/meetings';
  };
  const upcomingFirst = q.cursor ? listAt({ cursor: null }) : null;
  const upcomingPager = pager(
    'upcoming meetings',
    upcomingFirst,
    upcomingNext ? listAt({ cursor: upcomingNext }) : null,
  );
  const pastFirst = q.pastCursor ? listAt({ pastCursor: null }) : null;
  const pastPager = pager('past meetings', pastFirst, pastNext ? listAt({ pastCursor: pastNext }) : null);
  const me = currentPerson(c);
  const groups = (await listGroups(c.var.hub, { limit: 200 })).items;
  // offered only to one who may schedule in some group (its leads, a topic area's facilitators), or in the group filtered on
  const schedulable = me ? (await groupsAllowing(c.var.hub, actorFor(c), 'scheduleMeeting')).groups : [];
  const maySchedule = q.group ? schedulable.some((g) => g.slug === q.group) : schedulable.length > 0;
  const body = html`<h1>Meetings</h1>
<p>Agendas are published in advance, anyone who cannot attend may send written input, and notes follow within ${c.var.hub.governance.meetings.notesHours} hours. <a href="/meetings/fair-times">Find a fair time</a> · <a href="/meetings/late-notes">Late notes</a>${maySchedule ? html` · <a href="/meetings/new${q.group ? `?group=${encodeURIComponent(q.group)}` : ''}">Schedule a meeting</a>` : ''}</p>
${listErrorSummary(problem, listAt({ cursor: null, pastCursor: null }))}
<form method="get" action="/meetings" class="filters" role="search" aria-label="Filter meetings">
<div class="row"><div>${select({ name: 'group', label: 'Group', empty: 'Any group', value: q.group, options: groups.map((g) => ({ value: g.slug, label: g.name })), problem })}</div></div>
<div class="choice"><input type="checkbox" id="f-past" name="past" value="1"${q.past === '1' ? html` checked` : ''}><label for="f-past">Include past meetings older than 60 days</label></div>
<button type="submit">Filter</button> <a href="/meetings">Clear filters</a>
</form>
<section aria-labelledby="upcoming"><h2 id="upcoming">Upcoming</h2>
${
  upcoming.length
    ? meetingTable(
        c,
        upcomingFirst || upcomingNext
          ? 'Meetings to come, soonest first, a page at a time'
          : `${plural(upcoming.length, 'meeting')} to come, soonest first`,
        upcoming,
        true,
      )
    : problem
      ? ''
      : upcomingFirst
        ? noMoreOn('meetings to come', upcomingFirst)
        : html`<p>No meetings coming up${q.group ? ' in this group' : ''}. ${maySchedule ? html`<a href="/meetings/new${q.group ? `?group=${encodeURIComponent(q.group)}` : ''}">Schedule one</a>, after <a href="/meetings/fair-times">finding a fair time</a> for everyone.` : whoSchedules(c.var.hub.governance)}</p>`
}${upcomingPager}
</section>
<section aria-labelledby="past"><h2 id="past">Past</h2>
${
  past.length
    ? meetingTable(
        c,
        pastFirst || pastNext
          ? 'Meetings held, latest first, a page at a time'
          : `${plural(past.length, 'meeting')} held, latest first`,
        past,
        false,
      )
    : problem
      ? ''
      : pastFirst
        ? noMoreOn('past meetings', pastFirst)
        : html`<p>No past meetings${q.past === '1' ? '' : ' in the last 60 days'}. Their notes appear here once they have met.</p>`
}${pastPager}
</section>
${calendarLinks(
  c,
  groups.map((g) => ({ name: `${g.name} meetings`, path: `/api/groups/${g.slug}/calendar.ics` })),
)}`;
  return render(c, { title: 'Meetings', nav: 'meetings', body, status: problem?.status });
}

/**
 * A facilitator refused a meeting of the whole group (or of another's topic area) learns which topic
 * areas' meetings are theirs to schedule: the refusal named only who may schedule for the group.
 */
async function facilitatorHint(
  c: WebContext,
  v: Record<string, string>,
  problem: FormProblem | null,
): Promise<Html | ''> {
  if (problem?.status !== 403 || !v.group) return '';
  const mine = await facilitatedTopics(c.var.hub, actorFor(c), v.group).catch(() => []);
  if (!mine.length || mine.some((t) => t.slug === v.topic)) return '';
  const names = mine.map((t) => `“${t.name}”`).join(', ');
  return html`<p class="why-not">You facilitate ${names}: choose ${mine.length === 1 ? 'it' : 'one of them'} under “Topic area” to schedule ${mine.length === 1 ? 'its' : 'its own'} meeting. Meetings of the whole group, and of other topic areas, are scheduled by the group's leads.</p>`;
}

async function schedulePage(
  c: WebContext,
  v: Record<string, string> = {},
  problem: FormProblem | null = null,
): Promise<Response> {
  const actor = actorFor(c);
  const me = actor.person;
  const { groups, refusal } = await groupsAllowing(c.var.hub, actor, 'scheduleMeeting');
  // the note-taker field only where this person may name one (meeting.assignNoteTaker) in some group offered
  const naming = (await groupsAllowing(c.var.hub, actor, 'assignNoteTaker')).groups.filter((g) =>
    groups.some((x) => x.slug === g.slug),
  );
  // each group's topic areas under its name, to choose from rather than to type
  const topics = (
    await Promise.all(
      groups.map(async (g) => ({
        group: g.slug,
        label: g.name,
        options: (await listTopicAreas(c.var.hub, g.slug)).map((t) => ({ value: t.slug, label: t.name })),
      })),
    )
  ).filter((t) => t.options.length);
  const body = html`<nav aria-label="Breadcrumb"><p class="muted"><a href="/meetings">Meetings</a> › Schedule</p></nav>
<h1>Schedule a meeting</h1>
<p>List it at least ${c.var.hub.governance.meetings.noticeDays} days ahead: shorter notice is allowed but flagged on the meeting. <a href="/meetings/fair-times">Find a fair time</a> first if the group spans time zones.</p>
${
  !groups.length && !refusal
    ? noGroupYet('a meeting')
    : refusal
      ? html`${whyNot(c, refusal, '/meetings/new')}${refusal.allowed || refusal.remedy ? '' : html`<p>What you can do instead: add your topic to the agenda of a <a href="/meetings">coming meeting</a> of your group, or send written input on one if you cannot attend; or ask a lead of your group to schedule a meeting.</p>`}`
      : html`${errorSummary(problem)}
${await facilitatorHint(c, v, problem)}
<form method="post" action="/meetings/new">${csrfField(c)}
${requiredLegend()}
${select({ name: 'group', required: SCHEDULE, label: 'Group', value: v.group, problem, options: groups.map((g) => ({ value: g.slug, label: g.name })) })}
<div data-topic-groups>${select({
          name: 'topic',
          required: SCHEDULE,
          label: 'Topic area (optional)',
          value: v.topic,
          problem,
          within: v.group,
          empty: 'None: the whole group',
          hint: "A content meeting often belongs to one of the group's topic areas; its facilitators may then run it. Each area is listed under its group's name.",
          options: [],
          optgroups: topics,
        })}</div>
${radios({
  name: 'kind',
  required: SCHEDULE,
  label: 'Kind of meeting',
  value: v.kind ?? 'process',
  problem,
  options: [
    { value: 'process', label: 'Process: how the group works (timelines, facilitators, outputs)' },
    { value: 'content', label: 'Content: technical deep-dives and design' },
  ],
})}
${field({ name: 'title', required: SCHEDULE, label: 'Title', value: v.title, problem })}
${field({ name: 'description', required: SCHEDULE, label: 'Description (optional)', type: 'textarea', rows: 3, value: v.description, problem })}
${select({ name: 'timeZone', required: SCHEDULE, label: "Organiser's time zone", value: v.timeZone ?? zoneShown(me.time_zone), problem, hint: 'The start below is read on this clock, and a series keeps its time of day in it.', options: zoneOptions(v.timeZone ?? zoneShown(me.time_zone)) })}
${field({ name: 'startsAt', required: SCHEDULE, type: 'datetime-local', label: 'Starts at', value: v.startsAt, problem, hint: "Date and time on the organiser's clock (the zone above)." })}
${field({ name: 'durationMinutes', required: SCHEDULE, type: 'number', label: 'Duration in minutes', value: v.durationMinutes ?? '60', problem })}
${repeatFields(v, problem)}
${field({ name: 'location', required: SCHEDULE, label: 'Where (optional)', value: v.location, problem, hint: 'A call link or a room.' })}
${naming.length ? noteTakerField(v.noteTaker, problem, naming.length < groups.length ? `You may name one in ${naming.map((g) => g.name).join(', ')}.` : '') : ''}
<button type="submit">Schedule</button></form>
<script src="${TOPIC_SCRIPT.path}" defer></script>`
}`;
  return render(c, { title: 'Schedule a meeting', nav: 'meetings', body, status: problem?.status ?? 200 });
}

type Failure = {
  form:
    | 'item'
    | 'publish'
    | 'input'
    | 'inputFor'
    | 'mark'
    | InputFailure['form']
    | 'notes'
    | 'attendance'
    | 'decision'
    | 'action'
    | 'done'
    | 'noteTaker'
    | 'occurrence'
    | MeetingAdminForm;
  problem: FormProblem;
  values: Record<string, string>;
};

function agendaSection(
  c: WebContext,
  m: MeetingView,
  failure: Failure | null,
  /** The contribution terms' note, under the written-input form. */
  note: Html | string,
  /** Items removed and moves made on the agenda since it was published (for one who may publish it). */
  changed: { removed: number; moved: number; kindChanged: number },
  /** What needs the group, for one who may add agenda items (empty otherwise), on a meeting of either kind. */
  suggestions: AgendaSuggestion[] = [],
): Html {
  const here = `/meetings/${m.ref}`;
  const p = (f: Failure['form']) => (failure?.form === f ? failure.problem : null);
  const v = (f: Failure['form']) => (failure?.form === f ? failure.values : {});
  return html`<section aria-labelledby="agenda"><h2 id="agenda">Agenda</h2>
<p>${m.agenda.publishedAt ? html`<span class="badge ok">published</span> ${when(c, m.agenda.publishedAt)}` : html`<span class="badge warn">not published yet</span>`}</p>
${
  m.agenda.items.length
    ? html`<ol class="agenda">${m.agenda.items.map(
        (
          i,
        ) => html`<li id="item-${i.position}"><h3>${i.title} <span class="badge"><span class="visually-hidden">(</span>${i.kind}<span class="visually-hidden"> item)</span></span></h3>
${i.description ? markdown(i.description, c.var.hub.governance) : ''}
<p class="muted">Added by ${personNamed(i.addedBy, i.addedByName)} ${when(c, i.addedAt)}${i.link ? html` · about ${i.link.type === 'proposal' ? html`<a href="/proposals/${i.link.ref}">${i.link.ref}</a>` : i.link.type === 'decision' ? html`<a href="/decisions/${i.link.ref}">${i.link.ref}</a>` : i.link.ref}` : ''}</p>
${
  i.warning
    ? // the warning said to consider moving it, and no more: an item read wrongly (its kind is guessed from
      // its words unless chosen) is corrected in place, keeping its place and written input
      html`<p class="warning" role="note">${i.warning.message}${i.can.changeKind.allowed ? ` Not a ${i.kind} item? Change its kind below (“Kind of “${i.title}””): its place and written input stay.` : ''}</p>`
    : ''
}
${changeKindForm(c, m, i, failure?.form === 'kind' ? failure : null)}${moveItemButtons(c, m, i)}${removeItemButton(c, m, i)}
${
  i.writtenInput.length
    ? html`<div class="written"><h4>Written input (${i.writtenInput.length})</h4><ul>${i.writtenInput.map(
        (
          w,
        ) => html`<li id="input-${w.id}"><p><strong>${personNamed(w.author, w.authorName)}</strong>, ${when(c, w.submittedAt)}${w.recordedBy ? html` <span class="muted">(sent by other means; recorded for them by ${personNamed(w.recordedBy.handle, w.recordedBy.name)})</span>` : ''}${w.editedAt ? html` <span class="muted">(edited ${when(c, w.editedAt)})</span>` : ''}:</p>${markdown(w.body, c.var.hub.governance)}
${w.author === currentPerson(c)?.handle ? hints(w.flags, 'Hints on your written input') : ''}
${ownInputControls(c, m, w, failure?.form === 'editInput' || failure?.form === 'withdrawInput' ? { ...failure, form: failure.form } : null)}
${w.presented === null ? html`<span class="badge warn">not yet presented</span>` : w.presented ? html`<span class="badge ok">presented at the meeting</span>` : html`<span class="badge bad">not presented</span>`}${w.note ? html` — ${w.note}` : ''}
${
  m.can.markWrittenInput.allowed && w.presented === null
    ? html`<form class="mark" method="post" action="/meetings/${m.ref}/written-input/${w.id}/mark">${csrfField(c)}
${radios({
  name: 'presented',
  label: `Was ${w.authorName}'s input presented?`,
  form: `mark-${w.id}`,
  problem: failure?.form === 'mark' && failure.values.input === w.id ? failure.problem : null,
  value: failure?.form === 'mark' && failure.values.input === w.id ? failure.values.presented : undefined,
  options: [
    { value: 'yes', label: 'Yes, presented' },
    { value: 'no', label: 'No (say why below)' },
  ],
})}
${field({ name: 'note', label: 'Note (needed when not presented)', form: `mark-${w.id}`, problem: failure?.form === 'mark' && failure.values.input === w.id ? failure.problem : null })}
<input type="hidden" name="input" value="${w.id}">${versionField(w.version)}<button type="submit" class="secondary">Record</button></form>`
    : ''
}</li>`,
      )}</ul></div>`
    : ''
}</li>`,
      )}</ol>`
    : // the form is offered only to those who may add: to others "Propose one with…" named a control they did not have
      m.can.addAgendaItem.allowed
      ? html`<p>No agenda items yet. Add the first with “Add an agenda item” below.</p>`
      : html`<p>No agenda items yet.</p>`
}
${m.can.addAgendaItem.allowed ? suggestionsList(c, m, suggestions) : ''}
${
  m.can.addAgendaItem.allowed
    ? html`<details${failure?.form === 'item' ? html` open` : ''}><summary>Add an agenda item</summary>
<form method="post" action="/meetings/${m.ref}/agenda">${csrfField(c)}
${requiredLegend()}
${field({ name: 'title', required: AGENDA_ITEM, label: 'Item', form: 'item', problem: p('item'), value: v('item').title })}
${field({ name: 'description', required: AGENDA_ITEM, label: 'Details (optional)', type: 'textarea', rows: 3, form: 'item', problem: p('item'), value: v('item').description })}
${select({
  name: 'kind',
  required: AGENDA_ITEM,
  label: 'Kind (optional)',
  empty: 'Read it from the text',
  form: 'item',
  problem: p('item'),
  value: v('item').kind,
  options: [
    { value: 'process', label: 'process' },
    { value: 'content', label: 'content' },
  ],
})}
${field({ name: 'link', required: AGENDA_ITEM, label: 'About a proposal or decision (optional)', form: 'item', problem: p('item'), field: 'link.ref', value: v('item').link, hint: inCommunityWords('A reference such as P-12, SEP-2575 or D-3.', c.var.hub.governance) })}
<button type="submit">Add to the agenda</button></form></details>`
    : whyNot(c, m.can.addAgendaItem, here, 'add to the agenda')
}
${
  m.can.writtenInput.allowed
    ? html`<details${failure?.form === 'input' ? html` open` : ''}><summary>Cannot attend? Send written input</summary>
<form id="written-input" method="post" action="/meetings/${m.ref}/written-input" data-hints>${csrfField(c)}
${select({ name: 'item', label: 'On which item', form: 'input', problem: p('input'), value: v('input').item, options: m.agenda.items.map((i) => ({ value: i.id, label: `${i.position}. ${i.title}` })) })}
${field({ name: 'body', label: 'Your input', type: 'textarea', rows: 4, form: 'input', problem: p('input'), value: v('input').body, hint: inputHint(c, m) })}
${note}
<button type="submit">Send written input</button></form></details>
<script src="${HINTS_SCRIPT.path}" defer></script>`
    : // one who could once signed in, or once they accept the agreements, is told so where the form would be
      // (a visitor sent here from a proposal's "Send written input" found nothing about it); a refusal
      // for another reason (the agenda closed) is said once, above
      m.can.writtenInput.remedy
      ? whyNot(c, m.can.writtenInput, here, 'send written input if you cannot attend', 'written-input')
      : ''
}
${
  m.can.recordWrittenInputFor.allowed
    ? html`<details${failure?.form === 'inputFor' ? html` open` : ''}><summary>Record written input someone sent by mail</summary>
<form method="post" action="/meetings/${m.ref}/written-input/for">${csrfField(c)}
<p class="hint">For input a member sent you another way (by mail, in a chat): it goes on the agenda under their name, saying you recorded it, and they are told, so they may change or withdraw it as their own.</p>
${field({ name: 'for', label: 'Whose input (their handle)', form: 'inputFor', problem: p('inputFor'), value: v('inputFor').for, hint: 'As their name shows it after @ (for @amara, amara); the @ may be typed too.' })}
${select({ name: 'item', label: 'On which item', form: 'inputFor', problem: p('inputFor'), value: v('inputFor').item, options: m.agenda.items.map((i) => ({ value: i.id, label: `${i.position}. ${i.title}` })) })}
${field({ name: 'body', label: 'Their input, as they sent it', type: 'textarea', rows: 4, form: 'inputFor', problem: p('inputFor'), value: v('inputFor').body })}
<button type="submit">Record their written input</button></form></details>`
    : ''
}
${m.can.publishAgenda.allowed ? publishAgendaForm(c, m, changed) : ''}
</section>`;
}

/**
 * Publishing the agenda, with what it does: it tells the group's members, each time. "Publish the
 * agenda again" said neither that nor whether anything had changed since, so a facilitator could not
 * tell whether items added after publishing had reached anyone, nor that a second click tells everyone again.
 */
function publishAgendaForm(
  c: WebContext,
  m: MeetingView,
  changed: { removed: number; moved: number; kindChanged: number },
): Html {
  const at = m.agenda.publishedAt;
  const added = at ? m.agenda.items.filter((i) => i.addedAt > at).length : 0;
  // removals and moves too: after one the page said "Nothing was added", as if the group had been told
  const changes = [
    added ? `${plural(added, 'item')} added` : '',
    changed.removed ? `${plural(changed.removed, 'item')} removed` : '',
    changed.moved ? (changed.moved === 1 ? '1 move of an item' : `${changed.moved} moves of items`) : '',
    changed.kindChanged
      ? changed.kindChanged === 1
        ? "1 item's kind changed"
        : `${changed.kindChanged} changes of an item's kind`
      : '',
  ].filter(Boolean);
  const since = changes.length > 0;
  const hint = !at
    ? "Publishing tells the group's members the agenda is out. Items may still be added after."
    : since
      ? `Changed since it was published, and not yet told to the group: ${changes.join(', ')}. Publishing again tells the group's members.`
      : "Nothing was added, removed or moved since it was published. Publishing again tells the group's members once more.";
  return html`<form method="post" action="/meetings/${m.ref}/publish">${csrfField(c)}${versionField(m.version)}
<p class="hint" id="publish-hint">${hint}</p>
<button type="submit" aria-describedby="publish-hint"${at && !since ? html` class="secondary"` : ''}>${at ? 'Publish the agenda again' : 'Publish the agenda'}</button></form>`;
}

/**
 * Until when written input may be sent: the agenda closes when the meeting starts, so one who cannot
 * attend (often in a zone where it falls at night) reads the moment on their own clock beside the field.
 */
function inputHint(c: WebContext, m: MeetingView): string {
  const zone = viewerZone(c);
  return `Send it before the meeting starts, ${absolute(new Date(m.startsAt), zone)} (${zone}): the agenda closes then, and until then you may change or withdraw it. The facilitators commit to presenting it at the meeting.`;
}

async function outcomesSection(c: WebContext, m: MeetingView, failure: Failure | null): Promise<Html> {
  const record = m.can.recordOutcomes.allowed;
  // a facilitator who opened a decision here came back to see whether it closed, and read only its number
  const standing = await linkedDecisionStanding(c.var.hub, m.decisions);
  const read = new Map(standing.items.map((s) => [s.ref, s]));
  const stands = (ref: string | null): Html | '' => {
    const s = ref ? read.get(ref) : undefined;
    if (!s) return '';
    return s.outcome === 'pending' && s.phase === 'lazy-consensus'
      ? html`, open: silence is consent until ${when(c, s.deadline)}`
      : html`, ${OUTCOME_WORDS[s.outcome]}`;
  };
  const p = (f: Failure['form']) => (failure?.form === f ? failure.problem : null);
  const v = (f: Failure['form']) => (failure?.form === f ? failure.values : {});
  // who may open a decision in the group (its policy decides) may open one from what the meeting decided
  const mayOpen =
    record && (await groupsAllowing(c.var.hub, actorFor(c), 'openDecision')).groups.some((g) => g.slug === m.group);
  const days = c.var.hub.governance.decisions.minimumDays;
  // a rule broken by the choice to open one itself (not its question's or significance's), beside it
  const openIssue = p('decision')?.issues.find((i) => i.field === 'open');
  const template =
    record && m.notes.markdown === null && failure?.form !== 'notes'
      ? await meetingNotesTemplate(c.var.hub, m.ref)
      : null;
  return html`<section aria-labelledby="notes"><h2 id="notes">Notes</h2>
${
  m.notes.deadline.state === 'cancelled'
    ? html`<p>No notes are due: the meeting was cancelled.</p>`
    : html`<p>Due ${when(c, m.notes.deadline.dueAt)}: <span class="badge ${m.notes.deadline.state.startsWith('published') ? 'ok' : m.notes.deadline.state === 'late' ? 'bad' : 'warn'}">${NOTES_STATE[m.notes.deadline.state] ?? m.notes.deadline.state}</span>${m.notes.deadline.lateByHours ? ` (${hoursInWords(m.notes.deadline.lateByHours)} late)` : ''}</p>`
}
${
  m.notes.markdown
    ? markdown(m.notes.markdown, c.var.hub.governance)
    : m.notes.deadline.state === 'cancelled'
      ? ''
      : html`<p>No notes yet. ${
          // the one named takes them, as their home's 'Notes you owe' says; else whoever may publish
          m.noteTaker
            ? m.noteTaker === currentPerson(c)?.handle
              ? 'You take them: publish them'
              : html`${personNamed(m.noteTaker, m.noteTakerName ?? m.noteTaker)} takes them and publishes them`
            : 'The facilitators publish them'
        } within ${c.var.hub.governance.meetings.notesHours} hours of the meeting.</p>`
}
${
  record
    ? html`<details${failure?.form === 'notes' ? html` open` : ''}><summary>${m.notes.markdown ? 'Revise the notes' : 'Write the notes'}</summary>
<form method="post" action="/meetings/${m.ref}/notes">${csrfField(c)}${versionField(m.version)}
${field({ name: 'notes', label: 'Notes (markdown)', type: 'textarea', rows: 12, form: 'notes', problem: p('notes'), value: v('notes').notes ?? m.notes.markdown ?? template ?? '', hint: m.notes.markdown ? 'A revision replaces the notes everyone reads; every earlier version stays in the event log.' : 'Everyone can read them once published, and the group is told: there is no private draft, so write them out first.' })}
<button type="submit">${m.notes.markdown ? 'Publish the revision' : 'Publish the notes'}</button></form></details>`
    : currentPerson(c)
      ? whyNot(c, m.can.recordOutcomes, `/meetings/${m.ref}`)
      : ''
}
</section>
<section aria-labelledby="attendance"><h2 id="attendance">Attendance (${m.attendance.length})</h2>
${m.attendance.length ? html`<p>${m.attendees.map((a, i) => html`${i ? ', ' : ''}${personNamed(a.handle, a.name)}`)}</p>` : html`<p>Not recorded yet. ${m.can.recordOutcomes.allowed ? 'Record who attended below.' : m.startsAt <= c.var.hub.clock.now().toISOString() ? 'The facilitators record who attended.' : 'The facilitators record who attended once the meeting has started.'}</p>`}
${
  record
    ? html`<form method="post" action="/meetings/${m.ref}/attendance">${csrfField(c)}${versionField(m.version)}
${field({ name: 'attended', label: 'Who attended (handles, separated by spaces or commas)', form: 'attendance', problem: p('attendance'), value: v('attendance').attended ?? m.attendance.join(' ') })}
<button type="submit" class="secondary">Record attendance</button></form>`
    : ''
}
</section>
<section aria-labelledby="taken"><h2 id="taken">Decisions taken</h2>
${m.decisions.length ? html`<ul>${m.decisions.map((d) => html`<li>${d.summary}${d.decision ? html` (<a href="/decisions/${d.decision}">${d.decision}</a>${stands(d.decision)})` : ''} <span class="muted">recorded by ${personIn(d.recordedByName !== null ? { [d.recordedBy]: d.recordedByName } : {}, d.recordedBy)}</span></li>`)}</ul>` : html`<p>None recorded. Decisions taken at the meeting are written here after it.</p>`}
${standing.leftOut ? html`<p class="muted">Where the first ${standing.items.length} linked decisions stand is shown; ${standing.leftOut} more ${standing.leftOut === 1 ? 'says' : 'say'} so on ${standing.leftOut === 1 ? 'its' : 'their'} own page.</p>` : ''}
${
  record
    ? html`<details${failure?.form === 'decision' ? html` open` : ''}><summary>Record a decision</summary><form method="post" action="/meetings/${m.ref}/decisions">${csrfField(c)}
${requiredLegend()}
${field({ name: 'summary', label: 'What was decided', required: MEETING_DECISION, form: 'decision', problem: p('decision'), value: v('decision').summary })}
${field({ name: 'decision', label: 'Existing decision (optional)', form: 'decision', problem: p('decision'), value: v('decision').decision, hint: 'A reference such as D-3.' })}
${
  mayOpen
    ? html`${openIssue ? html`<p class="field-error" id="${fieldId('decision-open')}-error">${openIssue.rule}</p>` : ''}<div class="choice"><input type="checkbox" id="${fieldId('decision-open')}" name="open" value="yes"${v('decision').open === 'yes' ? html` checked` : ''}${openIssue ? html` aria-describedby="${fieldId('decision-open')}-error" aria-invalid="true"` : ''}><label for="${fieldId('decision-open')}">Open it as a group decision now, under lazy consensus: those who were not at the meeting may object until its deadline</label></div>
${field({ name: 'open.question', label: 'The question for the group (when opening it; the summary if left empty)', form: 'decision', problem: p('decision'), value: v('decision')['open.question'], hint: 'In one line, at least 10 characters.' })}
${radios({
  name: 'open.significance',
  label: `Significance (when opening it)`,
  form: 'decision',
  problem: p('decision'),
  value: v('decision')['open.significance'] ?? 'minor',
  options: [
    { value: 'minor', label: `Minor (at least ${days.minor} days to object)` },
    { value: 'significant', label: `Significant (at least ${days.significant} days to object)` },
  ],
})}`
    : ''
}
<button type="submit" class="secondary">Record</button></form></details>`
    : ''
}
</section>
<section aria-labelledby="actions"><h2 id="actions">Action items</h2>
${
  m.actions.length
    ? html`<ul>${m.actions.map(
        (
          a,
        ) => html`<li>${a.done ? html`<span class="badge ok">done</span> ` : ''}${personNamed(a.owner, a.ownerName)}: ${a.description}, due ${day(a.due)}
${a.can.complete.allowed && !a.done ? html`<form class="inline-form" method="post" action="/meetings/${m.ref}/actions/${a.id}/done">${csrfField(c)}<button type="submit" class="secondary">Mark “${a.description}” done</button></form>` : ''}</li>`,
      )}</ul>`
    : html`<p>None yet. Action items agreed at the meeting are added here, each with an owner and a due date.</p>`
}
${
  m.can.addActionItem.allowed
    ? html`<details${failure?.form === 'action' ? html` open` : ''}><summary>Add an action item</summary><form method="post" action="/meetings/${m.ref}/actions">${csrfField(c)}
${requiredLegend()}
${field({ name: 'owner', label: 'Owner (handle)', required: ACTION_ITEM, form: 'action', problem: p('action'), value: v('action').owner, hint: 'They are told at once, with what it is and when it is due, and again when it falls due.' })}
${field({ name: 'description', label: 'What is to be done', required: ACTION_ITEM, form: 'action', problem: p('action'), value: v('action').description })}
${field({ name: 'due', label: 'Due date', required: ACTION_ITEM, type: 'date', form: 'action', problem: p('action'), value: v('action').due })}
<button type="submit" class="secondary">Add action item</button></form></details>`
    : ''
}
</section>`;
}

/**
 * One start in a series' list, with its anchor (what_needs_me's and the home page's links land on it):
 * the series' own first meeting, a meeting of its own opened there, or none yet, with the form that
 * opens one for those who may. On the "later meetings" page the first meeting's agenda is a link away.
 */
function seriesStartItem(c: WebContext, m: MeetingView, s: SeriesStart, onSeriesPage: boolean): Html {
  const at = seriesAnchor(s.startsAt);
  if (s.startsAt === m.startsAt)
    return onSeriesPage
      ? html`<li id="${at}">${when(c, s.startsAt)}: its agenda is on this page</li>`
      : html`<li id="${at}">${when(c, s.startsAt)}: <a href="/meetings/${m.ref}#agenda">${m.ref}, its agenda</a></li>`;
  if (s.ref)
    return html`<li id="${at}">${s.movedTo ? html`<del>${when(c, s.startsAt)}</del> moved to ${when(c, s.movedTo)}` : when(c, s.startsAt)}: <a href="/meetings/${s.ref}">${s.ref}, its agenda</a></li>`;
  if (!m.can.openOccurrence.allowed) return html`<li id="${at}">${when(c, s.startsAt)}: no agenda yet</li>`;
  return html`<li id="${at}">${when(c, s.startsAt)} <form class="inline-form" method="post" action="/meetings/${m.ref}/occurrences">${csrfField(c)}<input type="hidden" name="startsAt" value="${s.startsAt}"><button type="submit" class="secondary">Open the agenda of ${absolute(new Date(s.startsAt), viewerZone(c))}</button></form></li>`;
}

/**
 * Why the coming meetings of a series listed have no agenda of their own, for those who may or may not
 * open one: to one who may, how to move one alone; to anyone else, the meeting policy's sentence
 * (`unopenedStartsReason`: who opens them, or why they get none).
 */
async function openingHint(c: WebContext, m: MeetingView, starts: readonly SeriesStart[]): Promise<Html | string> {
  const waiting = starts.some((s) => s.startsAt !== m.startsAt && !s.ref);
  if (!waiting) return '';
  if (m.can.openOccurrence.allowed)
    return m.can.edit.allowed
      ? html`<p class="hint">To move or cancel one of the next meetings alone, open its agenda: it then has a page of its own, with “Move or cancel this meeting”.</p>`
      : '';
  const me = currentPerson(c);
  return html`<p class="hint">${await unopenedStartsReason(c.var.hub, m.ref, me ? { kind: 'person', person: me } : null)}.</p>`;
}

/** The link to a series' "later meetings" page, beginning at `from`. */
const laterMeetingsPath = (ref: string, from: string) =>
  `/meetings/${ref}/occurrences?from=${encodeURIComponent(from)}`;

/**
 * A series' next meetings. The series' own page holds its first meeting's agenda and notes; a later
 * meeting gets an agenda of its own when those who schedule the group's meetings open one (before,
 * a "Next" meeting led here to an agenda that had closed, with no way to add to the coming one).
 * The page lists the next SERIES_SHOWN and links to the "later meetings" pages for the rest.
 */
async function seriesSection(c: WebContext, m: MeetingView): Promise<Html> {
  const ended = m.seriesEnd
    ? html`<p class="warning" role="note"><strong>This series has ended:</strong> no meetings from ${day(m.seriesEnd.from)} on (${m.timeZone}). Why: ${m.seriesEnd.reason}${m.lastStartsAt ? html` The last meeting was ${when(c, m.lastStartsAt)}.` : ''}</p>`
    : '';
  const rule = html`${ended}<p id="series">Repeats ${ruleInWords(m.rrule!)} (on the organiser's clock, ${m.timeZone}).${m.upcoming.length ? html` Next:` : ' No meetings left in the series.'}</p>`;
  if (!m.upcoming.length) return rule;
  const shown = await seriesStarts(c.var.hub, m.ref, {}, SERIES_SHOWN);
  // the list is cut short: say what follows, so a series of six never reads as one of four
  const more = m.stillToCome === null ? null : m.stillToCome - shown.items.length;
  const after =
    more === null
      ? html`<p>After these it goes on until the series is changed or cancelled.</p>`
      : more > 0 && m.lastStartsAt
        ? html`<p>Then ${plural(more, 'more meeting')}, the last ${when(c, m.lastStartsAt)}.</p>`
        : '';
  const later = shown.next
    ? html`<p><a href="${laterMeetingsPath(m.ref, shown.next)}">Later meetings of the series</a>, ${LIMITS.seriesStartsPage} at a time, each with its agenda or the way to open one.</p>`
    : '';
  return html`${rule}<ul class="series-next">${shown.items.map((s) => seriesStartItem(c, m, s, true))}</ul>${after}${later}${await openingHint(c, m, shown.items)}`;
}

/**
 * A series' later meetings, LIMITS.seriesStartsPage at a time from `?from=` (a start; the next to come
 * when omitted or past), each with its anchor, and a link to the next page while the series goes on.
 */
async function laterMeetingsPage(c: WebContext, ref: string): Promise<Response> {
  const me = currentPerson(c);
  const m = await getMeeting(c.var.hub, ref, me ? { kind: 'person', person: me } : null);
  const page = await seriesStarts(c.var.hub, m.ref, c.req.query());
  const body = html`<nav aria-label="Breadcrumb"><p class="muted"><a href="/meetings">Meetings</a> › <a href="/meetings/${m.ref}">${m.ref}</a> › Later meetings</p></nav>
<h1>Later meetings of ${m.ref}: ${m.title}</h1>
<p>Repeats ${ruleInWords(m.rrule!)} (on the organiser's clock, ${m.timeZone}). Its meetings from ${when(c, page.from)} on, ${LIMITS.seriesStartsPage} a page.</p>
${
  page.items.length
    ? html`<ul class="series-next">${page.items.map((s) => seriesStartItem(c, m, s, false))}</ul>`
    : html`<p>No meetings of the series from then on.</p>`
}
${await openingHint(c, m, page.items)}
<nav aria-label="More meetings of the series"><p>${page.next ? html`<a href="${laterMeetingsPath(m.ref, page.next)}">The next ${LIMITS.seriesStartsPage} meetings</a> · ` : ''}<a href="/meetings/${m.ref}#series">Back to the series</a></p></nav>`;
  return render(c, { title: `Later meetings of ${m.ref}: ${m.title}`, nav: 'meetings', body });
}

/**
 * One start of a series by what_needs_me's id (M-1@start) in the browser: the meeting of its own there,
 * or the start's place in the series' list (`seriesStartPath`).
 */
async function startPlace(c: WebContext, id: string): Promise<Response> {
  const { occurrence, ...m } = await getMeetingAt(c.var.hub, id);
  if (!occurrence || occurrence.ref) return c.redirect(`/meetings/${occurrence?.ref ?? m.ref}`);
  const position = m.upcoming.indexOf(occurrence.startsAt);
  return c.redirect(seriesStartPath(m.ref, occurrence.startsAt, position < 0 ? SERIES_SHOWN : position));
}

/**
 * What needs the group, each a button away from the agenda: its open decisions, soonest to close first
 * (one closing before the meeting said so), and its proposals waiting for a sponsor. A facilitator had
 * to find them on other pages and type their references into the form. On a meeting of either kind, as
 * REST, MCP and the CLI answer for either: a content meeting discusses content, and an open decision or a
 * proposal may be on content too; the item added is of the meeting's kind, so it is not warned of.
 */
/** An agenda item's title: Line(300) in app/meetings/schemas.ts. */
const AGENDA_TITLE = 300;

function suggestionsList(c: WebContext, m: MeetingView, items: AgendaSuggestion[]): Html {
  const g = c.var.hub.governance;
  // an agenda item's title is one line of at most 300 characters, a decision's question may have line
  // breaks and be longer: made one line, cut with an ellipsis, so the button never fails in a form the
  // person never saw
  const add = (title: string, ref: string) =>
    html`<form class="inline-form" method="post" action="/meetings/${m.ref}/agenda">${csrfField(c)}<input type="hidden" name="title" value="${quotedLine(title, AGENDA_TITLE - 1)}"><input type="hidden" name="link" value="${ref}"><input type="hidden" name="kind" value="${m.kind}"><button type="submit" class="secondary">Add ${shownRef(g, ref)} to the agenda</button></form>`;
  return html`<section aria-labelledby="needs-the-group"><h3 id="needs-the-group">What needs the group</h3>
${
  items.length
    ? html`<p class="hint">Open decisions of the group, soonest to close first, and its proposals waiting for a sponsor${m.kind === 'content' ? ', then the proposals it is working on' : ''}, not yet on this agenda.</p>
<ul id="agenda-suggestions">${items.map((s) =>
        s.type === 'decision'
          ? html`<li><a href="/decisions/${s.ref}">${s.ref}: ${s.title}</a> (${s.phase === 'vote' ? 'in a vote that closes' : 'closes'} ${when(c, s.closesAt)}${s.closesBeforeMeeting ? html`, <strong>before this meeting</strong>` : ''}) ${add(s.title, s.ref)}</li>`
          : s.waitingForSponsor
            ? html`<li><a href="/proposals/${s.ref}">${shownRef(g, s.ref)}: ${s.title}</a> (waiting for a sponsor since ${when(c, s.since, { dateOnly: true })}) ${add(`Find a sponsor: ${s.title}`, s.ref)}</li>`
            : html`<li><a href="/proposals/${s.ref}">${shownRef(g, s.ref)}: ${s.title}</a> (at ${stageLabel(s.stage)} since ${when(c, s.since, { dateOnly: true })}) ${add(s.title, s.ref)}</li>`,
      )}</ul>`
    : html`<p>No open decision and no proposal waiting for a sponsor${m.kind === 'content' ? ' or being worked on' : ''} that is not on this agenda already.</p>`
}</section>`;
}

async function meetingPage(c: WebContext, ref: string, failure: Failure | null = null): Promise<Response> {
  const me = currentPerson(c);
  const viewer = me ? ({ kind: 'person', person: me } as const) : null;
  // a form sent to one start of a series (M-1@start) is answered on the page of the meeting of its own
  // there, or of the series while it has none (its refusal in the error summary)
  const o = ref.includes('@') ? (await getMeetingAt(c.var.hub, ref, viewer)).occurrence : null;
  const m = await getMeeting(c.var.hub, o ? (o.ref ?? o.series) : ref, viewer);
  const groupName =
    (await listGroups(c.var.hub, { limit: 200 })).items.find((g) => g.slug === m.group)?.name ?? m.group;
  const summaryForm = failure
    ? failure.form === 'mark'
      ? `mark-${failure.values.input}`
      : failure.form === 'editInput' || failure.form === 'withdrawInput'
        ? inputFormId(failure.form, failure.values.input)
        : failure.form === 'kind' && failure.values.item
          ? kindFormId(failure.values.item)
          : failure.form
    : undefined;
  const body = html`<nav aria-label="Breadcrumb"><p class="muted"><a href="/meetings">Meetings</a> › ${m.ref}</p></nav>
<h1>${m.ref}: ${m.title}</h1>
${failure ? errorSummary(failure.problem, summaryForm) : ''}
<p><span class="badge">${m.kind} meeting</span>${m.cancelled ? html` <span class="badge bad">cancelled</span>` : ''} · <a href="/groups/${m.group}">${groupName}</a>${m.topic ? html` / ${m.topicName ?? m.topic}` : ''}${m.organiser ? html` · organised by ${personNamed(m.organiser, m.organiserName ?? m.organiser)}` : ''}${m.noteTaker ? html` · notes by ${personNamed(m.noteTaker, m.noteTakerName ?? m.noteTaker)}` : ''}</p>
<p><strong>When:</strong> ${meetingTime(c, m.startsAt, m.timeZone)}, ${m.durationMinutes} minutes</p>
${m.location ? html`<p><strong>Where:</strong> ${/^https?:\/\//i.test(m.location) ? html`<a href="${m.location}">${m.location}</a>` : m.location}</p>` : ''}
${m.notice.short ? html`<p class="warning" role="note"><strong>Short notice:</strong> ${m.notice.why}</p>` : ''}
${m.rrule ? await seriesSection(c, m) : ''}
${m.series ? html`<p>One meeting of the series <a href="/meetings/${m.series}">${m.series}</a>.</p>` : ''}
${m.description ? markdown(m.description, c.var.hub.governance) : ''}
${agendaSection(c, m, failure, m.can.writtenInput.allowed ? contributionNote(c.var.hub.governance, await contributionAdvisers(c.var.hub, m.group)) : '', m.can.publishAgenda.allowed && m.agenda.publishedAt ? await agendaChangesSince(c.var.hub, m.ref, m.agenda.publishedAt) : { removed: 0, moved: 0, kindChanged: 0 }, m.can.addAgendaItem.allowed ? (await agendaSuggestions(c.var.hub, viewer, m.ref)).items : [])}
${await outcomesSection(c, m, failure)}
${githubSection(await discussionsOfMeeting(c.var.hub, m.ref))}
${calendarLinks(c, [
  { name: `${groupName} meetings`, path: `/api/groups/${m.group}/calendar.ics` },
  ...(m.topic
    ? [{ name: `${m.topicName ?? m.topic} meetings`, path: `/api/groups/${m.group}/topics/${m.topic}/calendar.ics` }]
    : []),
])}
${
  // last on the page, as the decision page's withdraw form: a reader meets the meeting, its agenda and
  // notes before the forms that run it (moving or cancelling it sat above the agenda, the first thing met)
  await noteTakerSection(c, m, failure)
}
${changeSection(c, m, failure)}`;
  return render(c, { title: `${m.ref}: ${m.title}`, nav: 'meetings', body, status: failure?.problem.status ?? 200 });
}

/** The meeting's notes or agenda as Discussions on GitHub, mirrored and matched by the bridge. */
function githubSection(ds: Awaited<ReturnType<typeof discussionsOfMeeting>>): Html | string {
  if (!ds.length) return '';
  return html`<section aria-labelledby="on-github"><h2 id="on-github">On GitHub</h2>
<ul>${ds.map((d) => html`<li><a href="/github/${d.repo}/discussions/${d.number}">${d.title}</a> (${d.kind === 'agendas' ? 'agenda' : 'notes'}; <a href="${d.url}">Discussion #${d.number} on GitHub</a>)</li>`)}</ul></section>`;
}

/** A form on the meeting page: on a domain error the page is shown again with it in that form. */
function act(
  c: WebContext,
  form: Failure['form'],
  run: (f: FormValues) => Promise<unknown>,
  done: string | ((values: FormValues, result: unknown) => string),
  anchor = '',
): Promise<Response> {
  const ref = c.req.param('ref')!;
  const page = `/meetings/${encodeURIComponent(ref)}`;
  return postForm(c, {
    page,
    run,
    failed: (problem, values) => meetingPage(c, ref, { form, problem, values }),
    done,
    next: `${page}${anchor}`,
  });
}

/** "P-12", "SEP-2575" (or the community's own prefix, "RFC-12") or "D-3" as the agenda item's link. */
function linkOf(g: Governance, ref: string | undefined) {
  const r = optional(ref);
  if (!r) return undefined;
  return { type: /^D-\d+$/i.test(r) ? 'decision' : isProposalRef(g, r) ? 'proposal' : 'artifact', ref: r };
}

export function meetingRoutes(web: Hono<WebEnv>): void {
  registerMeetingHomeSections();
  fairTimeRoutes(web);
  serveAsset(web, TOPIC_SCRIPT);
  web.get('/meetings', listPage);
  web.get('/meetings/new', (c) => {
    // a link may name the group and one of its topic areas ("Schedule a meeting of …" on the group page),
    // and the kind ("No process meeting ahead" on the group home asks for a process meeting)
    const group = pageParam(c, 'group');
    const topic = pageParam(c, 'topic');
    const kind = c.req.query('kind');
    return schedulePage(c, {
      ...(group ? { group, ...(topic ? { topic } : {}) } : {}),
      ...(kind === 'process' || kind === 'content' ? { kind } : {}),
    });
  });
  meetingAdminRoutes(web, (c, ref, failure) => meetingPage(c, ref, failure));
  web.post('/meetings/new', async (c) => {
    const f = formFields(await c.req.parseBody());
    let ref: string;
    try {
      const minutes = optional(f.durationMinutes);
      const { rule, issues } = repeatChoice(f);
      const zone = optional(f.timeZone) ?? actorFor(c).person.time_zone;
      const gap = wallClockGap(f.startsAt ?? '', zone);
      if (gap) issues.push({ field: 'startsAt', rule: gap });
      ref = (
        await scheduleMeeting(
          c.var.hub,
          actorFor(c),
          {
            group: f.group ?? '',
            ...(optional(f.topic) ? { topic: optional(f.topic) } : {}),
            kind: f.kind,
            title: f.title ?? '',
            description: f.description ?? '',
            startsAt: wallClockToInstant(f.startsAt ?? '', zone),
            ...(optional(f.timeZone) ? { timeZone: optional(f.timeZone) } : {}),
            ...(minutes ? { durationMinutes: /^\d+$/.test(minutes) ? Number(minutes) : minutes } : {}),
            ...(rule ? { rrule: rule } : {}),
            ...(optional(f.location) ? { location: optional(f.location) } : {}),
            ...(noteTakerOf(f.noteTaker) ? { noteTaker: noteTakerOf(f.noteTaker) } : {}),
          },
          issues,
        )
      ).ref;
    } catch (e) {
      return schedulePage(c, f, formProblem(e, viewerZone(c), c.var.hub.governance));
    }
    flash(c, `${ref} is listed. Add agenda items, then publish the agenda.`);
    return c.redirect(`/meetings/${ref}`, 303);
  });
  web.get('/meetings/:ref', (c) =>
    c.req.param('ref').includes('@') ? startPlace(c, c.req.param('ref')) : meetingPage(c, c.req.param('ref')),
  );
  web.get('/meetings/:ref/occurrences', (c) => laterMeetingsPage(c, c.req.param('ref')));
  // one coming meeting of a series gets its own page (agenda, written input, notes), titled as the series
  web.post('/meetings/:ref/occurrences', (c) => {
    const ref = c.req.param('ref');
    const page = `/meetings/${encodeURIComponent(ref)}`;
    return postForm(c, {
      page,
      run: async (f) => {
        const s = await getMeeting(c.var.hub, ref);
        return scheduleMeeting(c.var.hub, actorFor(c), {
          group: s.group,
          ...(s.topic ? { topic: s.topic } : {}),
          kind: s.kind,
          title: s.title,
          description: s.description,
          startsAt: f.startsAt ?? '',
          timeZone: s.timeZone,
          durationMinutes: s.durationMinutes,
          ...(s.location ? { location: s.location } : {}),
          seriesOf: s.ref,
        });
      },
      failed: (problem, values) => meetingPage(c, ref, { form: 'occurrence', problem, values }),
      done: 'The meeting has its own agenda now: add items, then publish it.',
      next: (o) => `/meetings/${o.ref}#agenda`,
    });
  });
  web.post('/meetings/:ref/agenda', (c) =>
    act(
      c,
      'item',
      (f) =>
        addAgendaItem(c.var.hub, actorFor(c), c.req.param('ref'), {
          title: f.title ?? '',
          description: f.description ?? '',
          ...(optional(f.kind) ? { kind: f.kind } : {}),
          ...(linkOf(c.var.hub.governance, f.link) ? { link: linkOf(c.var.hub.governance, f.link) } : {}),
        }),
      'The item is on the agenda.',
      '#agenda',
    ),
  );
  web.post('/meetings/:ref/publish', (c) =>
    act(
      c,
      'publish',
      (f) => publishAgenda(c.var.hub, actorFor(c), c.req.param('ref'), formVersionIfSent(f)),
      // how many were told, from the notices written: "The agenda is published." said neither who nor how many
      (_f, result) => (result as Awaited<ReturnType<typeof publishAgenda>>).told.message,
      '#agenda',
    ),
  );
  web.post('/meetings/:ref/written-input', (c) =>
    act(
      c,
      'input',
      (f) =>
        submitWrittenInput(c.var.hub, actorFor(c), c.req.param('ref'), {
          // as sent: the use case reads digits as a position (Number() made 400 nines Infinity)
          item: f.item ?? '',
          body: f.body ?? '',
        }),
      (_f, result) =>
        (result as Awaited<ReturnType<typeof submitWrittenInput>>).writtenInput.alreadySent
          ? 'You had already sent this input on this item: it is on the agenda once; the facilitators will present it.'
          : 'Your written input is on the agenda; the facilitators will present it.',
      '#agenda',
    ),
  );
  web.post('/meetings/:ref/written-input/for', (c) =>
    act(
      c,
      'inputFor',
      (f) =>
        submitWrittenInput(c.var.hub, actorFor(c), c.req.param('ref'), {
          item: f.item ?? '',
          body: f.body ?? '',
          // as typed: an empty field is named as missing, not read as one's own input
          for: (f.for ?? '').trim().replace(/^@/, ''),
        }),
      (f, result) => {
        const who = `@${(f.for ?? '').trim().replace(/^@/, '')}`;
        // an input already stored is not stored again, and they are told nothing new
        return (result as Awaited<ReturnType<typeof submitWrittenInput>>).writtenInput.alreadySent
          ? `${who}'s written input was already recorded on this item: it is on the agenda once, under their name.`
          : `${who}'s written input is on the agenda under their name; they are told you recorded it.`;
      },
      '#agenda',
    ),
  );
  web.post('/meetings/:ref/written-input/:id/edit', (c) =>
    act(
      c,
      'editInput',
      (f) =>
        editWrittenInput(c.var.hub, actorFor(c), c.req.param('ref'), c.req.param('id'), formVersion(f), {
          body: f.body ?? '',
        }),
      'Your written input is changed; the facilitators see the new text.',
      `#input-${c.req.param('id')}`,
    ),
  );
  web.post('/meetings/:ref/written-input/:id/withdraw', (c) =>
    act(
      c,
      'withdrawInput',
      (f) => {
        confirmedWithdrawal(f);
        return withdrawWrittenInput(c.var.hub, actorFor(c), c.req.param('ref'), c.req.param('id'), formVersion(f));
      },
      'Your written input is withdrawn: it is off the agenda, and the facilitators are told.',
      '#agenda',
    ),
  );
  web.post('/meetings/:ref/written-input/:id/mark', (c) =>
    act(
      c,
      'mark',
      (f) =>
        markWrittenInput(
          c.var.hub,
          actorFor(c),
          c.req.param('ref'),
          c.req.param('id'),
          { presented: f.presented === 'yes', ...(optional(f.note) ? { note: optional(f.note) } : {}) },
          formVersionIfSent(f),
        ),
      'Recorded.',
      '#agenda',
    ),
  );
  web.post('/meetings/:ref/notes', (c) =>
    act(
      c,
      'notes',
      (f) => recordNotes(c.var.hub, actorFor(c), c.req.param('ref'), formVersion(f), { notes: f.notes ?? '' }),
      'The notes are published.',
      '#notes',
    ),
  );
  web.post('/meetings/:ref/attendance', (c) =>
    act(
      c,
      'attendance',
      (f) =>
        recordAttendance(c.var.hub, actorFor(c), c.req.param('ref'), formVersion(f), {
          attended: (f.attended ?? '')
            .split(/[\s,]+/)
            .map((h) => h.replace(/^@/, ''))
            .filter(Boolean),
        }),
      'Attendance is recorded.',
      '#attendance',
    ),
  );
  web.post('/meetings/:ref/decisions', (c) =>
    act(
      c,
      'decision',
      (f) =>
        recordMeetingDecision(c.var.hub, actorFor(c), c.req.param('ref'), {
          summary: f.summary ?? '',
          ...(optional(f.decision) ? { decision: optional(f.decision) } : {}),
          // the group confirms it under lazy consensus, so those who were not there may still object;
          // the question is the summary unless the form says it otherwise
          ...(f.open === 'yes'
            ? {
                open: {
                  question: optional(f['open.question']) ?? f.summary ?? '',
                  significance: f['open.significance'] ?? 'minor',
                },
              }
            : {}),
        }),
      (f, result) => {
        const opened = f.open === 'yes' ? (result as MeetingView).decisions.at(-1)?.decision : undefined;
        return opened
          ? `The decision is recorded, and ${opened} is open for the group to confirm: those who were not there may object until its deadline.`
          : 'The decision is recorded.';
      },
      '#taken',
    ),
  );
  web.post('/meetings/:ref/actions', (c) =>
    act(
      c,
      'action',
      (f) =>
        addActionItem(c.var.hub, actorFor(c), c.req.param('ref'), {
          owner: (f.owner ?? '').replace(/^@/, '').trim(),
          description: f.description ?? '',
          due: (f.due ?? '').trim(),
        }),
      'The action item is added.',
      '#actions',
    ),
  );
  web.post('/meetings/:ref/note-taker', (c) =>
    act(
      c,
      'noteTaker',
      (f) =>
        updateMeeting(c.var.hub, actorFor(c), c.req.param('ref'), formVersion(f), {
          noteTaker: noteTakerOf(f.noteTaker) ?? null,
        }),
      'The note-taker is saved.',
      '#note-taker',
    ),
  );
  web.post('/meetings/:ref/actions/:id/done', (c) =>
    act(
      c,
      'done',
      () => completeActionItem(c.var.hub, actorFor(c), c.req.param('ref'), c.req.param('id')),
      'The action item is done.',
      '#actions',
    ),
  );
}

/**
 * Who schedules meetings, from the governance file's `meeting.schedule` (a hub may give it to others),
 * for one who may not: a topic area's facilitators act as leads for their topic's meetings, so they
 * are named when the rule names a group's leads.
 */
function whoSchedules(g: Governance): string {
  const rule = g.permissions['meeting.schedule'];
  const who = whoMay(g, rule, WORDING['meeting.schedule']);
  const facilitators = rule.groupLevels?.includes('lead')
    ? ", and a topic area's facilitators those of their topic"
    : '';
  return who ? `${who.charAt(0).toUpperCase()}${who.slice(1)} may schedule a group's meetings${facilitators}.` : '';
}
