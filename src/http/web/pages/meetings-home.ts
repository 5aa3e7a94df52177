// The member home's meeting sections: meetings I may attend (in my zone) with their agendas, and
// my open action items. Appended to the home page's section list, which is built for that.
import { html } from 'hono/html';
import { groupNames } from '../../../app/groups/group-directory.ts';
import { MEETING_DAYS, needCounts } from '../../../app/home/what-needs-me.ts';
import { csrfField } from '../csrf.ts';
import { when } from '../format.ts';
import { homeSections, type HomeSection, leftOut } from './home.ts';
import { day } from './widgets.ts';
import { pastDue } from '../../../domain/meetings/deadlines.ts';

const meetingsSection: HomeSection = async (c, _me, needs) => {
  const meetings = needs.meetings.listed;
  const names = new Map((await groupNames(c.var.hub)).map((g) => [g.slug, g.name]));
  return html`<section aria-labelledby="h-meetings"><h2 id="h-meetings">Meetings you may attend (next ${MEETING_DAYS} days)</h2>
${
  meetings.length
    ? html`<ul class="meetings">${meetings.map(
        (
          m,
        ) => html`<li><a href="${m.path}">${m.ref}: ${m.title}</a> — ${when(c, m.startsAt)} <span class="muted">(${names.get(m.group) ?? m.group}${m.topic ? ` / ${m.topicName ?? m.topic}` : ''}, ${m.kind} meeting)</span>
${
  m.agenda.length
    ? html`<br>Agenda${m.agendaPublished ? '' : ' (draft)'}: ${m.agenda.map((i, n) => html`${n ? '; ' : ''}${i.position}. ${i.title}${i.writtenInput ? ` (${i.writtenInput} written input)` : ''}`)}${m.moreAgendaItems ? `; and ${m.moreAgendaItems.toLocaleString('en')} more item${m.moreAgendaItems === 1 ? '' : 's'} on its page` : ''}`
    : m.laterInSeries
      ? // its link leads to the series' first meeting, which may have met already: say so before the click
        // worded by who reads it: only those the meeting's policy lets open it are told to
        html`<br><span class="muted">No agenda yet. A coming meeting of the ${m.ref} series: the series' page lists it${m.opensAgenda ? ', and you open its agenda there.' : html`. ${m.noAgendaYet}.`}</span>`
      : html`<br><span class="muted">No agenda yet.</span>`
}</li>`,
      )}</ul>
${leftOut(needCounts(needs).meeting, html`<a href="/meetings">all meetings</a>`)}
<p class="muted">Times are in your zone. <a href="/meetings#calendars">Subscribe to them in your calendar</a>.</p>`
    : html`<p>No meetings in your groups, or the groups you watch, in the next ${MEETING_DAYS} days.</p>`
}</section>`;
};

/** Notes the person owes for a meeting that has ended (nothing when none): the guide asks for them within notesHours. */
const notesSection: HomeSection = (c, _me, needs) => {
  const owed = needs.notes.owed;
  return owed.length
    ? html`<section aria-labelledby="h-notes"><h2 id="h-notes">Notes you owe</h2>
<ul>${owed.map((n) => html`<li><a href="/meetings/${n.ref}#notes">${n.ref}: ${n.title}</a> — ${n.state === 'late' ? html`<span class="badge bad">late</span> the notes were due ${when(c, n.dueAt)}` : html`due ${when(c, n.dueAt)}`}</li>`)}</ul>
${leftOut(needCounts(needs).notes, html`<a href="/meetings">the meetings</a>`)}
<p class="muted">You take the notes of ${owed.length === 1 ? 'this meeting' : 'these meetings'}. The community asks for notes within ${c.var.hub.governance.meetings.notesHours} hours of a meeting, so those who could not be there can follow what was said and decided.</p></section>`
    : html``;
};

/**
 * The person's open action items, earliest due first: one past its due date (in their own zone) says
 * so, as late notes do, and each is marked done here in one click (one back from two weeks away found
 * an item ten days past due listed as any other, and its button only on the meeting's page).
 */
const actionsSection: HomeSection = (c, me, needs) => {
  const items = needs.actions.listed;
  return html`<section aria-labelledby="h-actions"><h2 id="h-actions">Your action items</h2>
${
  items.length
    ? html`<ul>${items.map(
        (
          a,
        ) => html`<li>${pastDue(a.due, c.var.hub.clock.now(), me.time_zone) ? html`<span class="badge bad">past due</span> ` : ''}${a.description} — due ${day(a.due)} <span class="muted">(from <a href="/meetings/${a.meeting}#actions">${a.meeting}: ${a.meetingTitle}</a>)</span>
${
  a.can.complete.allowed
    ? html`<form class="inline-form" method="post" action="/meetings/${a.meeting}/actions/${a.id}/done">${csrfField(c)}<button type="submit" class="secondary">Mark done<span class="visually-hidden"> “${a.description}”</span></button></form>`
    : html` <span class="why-not">${a.can.complete.reason}</span>`
}</li>`,
      )}</ul>${leftOut(needCounts(needs)['action-item'], 'each is on its meeting’s page')}`
    : html`<p>None open. Action items are added on a meeting's page, before it or as it meets, each with an owner and a due date.</p>`
}
</section>`;
};

/** Adds the sections once, however many web apps are built (tests build many). */
export function registerMeetingHomeSections(): void {
  for (const s of [meetingsSection, notesSection, actionsSection]) if (!homeSections.includes(s)) homeSections.push(s);
}
