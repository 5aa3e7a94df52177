// A facilitator's meeting jobs in the browser: move a meeting, cancel it (members and those who
// sent written input are told), take an item off the agenda or change its kind; meetings whose notes are late; and
// the quarterly update drafted for a group. Forms show only when the meeting's `can` allows them.
import { pageParam } from '../page-query.ts';
import { html } from 'hono/html';
import type { Hono } from 'hono';
import { getGroupFor } from '../../../app/groups/groups.ts';
import { changeAgendaItemKind, moveAgendaItem, removeAgendaItem } from '../../../app/meetings/agenda.ts';
import type { MeetingView } from '../../../app/meetings/meetings.ts';
import { changeMeeting, getMeetingAt, updateMeeting } from '../../../app/meetings/meetings.ts';
import {
  choiceOfRule,
  instantToWallClock,
  ruleInWords,
  wallClockGap,
  wallClockToInstant,
} from '../../../domain/meetings/recurrence-words.ts';
import { listLateNotes } from '../../../app/meetings/outcomes.ts';
import { draftQuarterlyUpdate } from '../../../app/meetings/quarterly.ts';
import type { WebContext, WebEnv } from '../context.ts';
import { csrfField } from '../csrf.ts';
import {
  errorSummary,
  field,
  formProblem,
  formVersion,
  requiredFields,
  requiredLegend,
  versionField,
  type FormProblem,
} from '../forms.ts';
import { endSeries } from '../../../app/meetings/series-end.ts';
import { EndSeriesInput } from '../../../app/meetings/schemas.ts';
import { dayIn } from '../../../domain/meetings/recurrence.ts';
import { hoursInWords, momentsAsText, when, viewerZone } from '../format.ts';
import type { Html } from '../layout.ts';
import { render } from '../render.ts';
import { actorFor, currentPerson } from '../session.ts';
import { postForm } from '../form-post.ts';
import { repeatRule, repeatFields } from './meeting-times.ts';
import { zoneOptions, zoneShown } from './time-zones.ts';
import { markdown, select, whyNot } from './widgets.ts';
import { invalid } from '../../../domain/errors.ts';
import { AFTER_SERIES_END } from '../../../domain/policies/meeting.ts';

export type MeetingAdminForm = 'reschedule' | 'recurrence' | 'cancel' | 'remove' | 'move' | 'kind' | 'endSeries';
type Failed = { form: string; problem: FormProblem; values: Record<string, string> } | null;

/** "Move or cancel this meeting": shown to those who schedule the group's meetings. */
export function changeSection(c: WebContext, m: MeetingView, failure: Failed): Html | '' {
  // called off by its series' end: those who would restore it are told why they cannot, where Restore was
  if (currentPerson(c) && !m.can.edit.allowed && m.can.edit.reason === AFTER_SERIES_END)
    return html`<section aria-labelledby="change"><h2 id="change">Move or cancel this meeting</h2>
${whyNot(c, m.can.edit, `/meetings/${m.ref}#change`)}
</section>`;
  if (!currentPerson(c) || !m.can.edit.allowed) return '';
  const here = `/meetings/${m.ref}#change`;
  const p = (f: MeetingAdminForm) => (failure?.form === f ? failure.problem : null);
  const v = (f: MeetingAdminForm) => (failure?.form === f ? failure.values : {});
  // both refused for one reason (it has started): said once, with what it rules out
  const { reschedule, cancel } = m.can;
  if (
    !reschedule.allowed &&
    !cancel.allowed &&
    !m.cancelled &&
    !reschedule.remedy &&
    reschedule.reason === cancel.reason
  )
    return html`<section aria-labelledby="change"><h2 id="change">Move or cancel this meeting</h2>
<p class="why-not">${reschedule.reason.replace(/[.]$/, '')}, so it can no longer be moved or cancelled.</p>
${recurrenceForm(c, m, p('recurrence'), failure?.form === 'recurrence' ? failure.values : null)}
${endSeriesForm(c, m, p('endSeries'), v('endSeries'))}
</section>`;
  return html`<section aria-labelledby="change"><h2 id="change">Move or cancel this meeting</h2>
${
  m.can.reschedule.allowed
    ? html`<details${failure?.form === 'reschedule' ? html` open` : ''}><summary>Move it to another time</summary>
<form method="post" action="/meetings/${m.ref}/reschedule">${csrfField(c)}${versionField(m.version)}
${select({ name: 'timeZone', label: "Organiser's time zone", form: 'reschedule', problem: p('reschedule'), value: v('reschedule').timeZone ?? zoneShown(m.timeZone), hint: 'The new start below is read on this clock, and a series keeps its time of day in it.', options: zoneOptions(v('reschedule').timeZone ?? zoneShown(m.timeZone)) })}
${field({ name: 'startsAt', type: 'datetime-local', label: 'New start', form: 'reschedule', problem: p('reschedule'), value: v('reschedule').startsAt ?? instantToWallClock(m.startsAt, m.timeZone), hint: "Date and time on the organiser's clock (the zone above). Its notice counts from now." })}
<button type="submit">Move the meeting</button></form></details>`
    : whyNot(c, m.can.reschedule, here)
}
${recurrenceForm(c, m, p('recurrence'), failure?.form === 'recurrence' ? failure.values : null)}
${endSeriesForm(c, m, p('endSeries'), v('endSeries'))}
${
  m.can.cancel.allowed
    ? html`<form method="post" action="/meetings/${m.ref}/cancel">${csrfField(c)}${versionField(m.version)}
<p>Cancelling tells the group's members and everyone who sent written input. It can be restored.</p>
${confirmCancel(m, p('cancel'))}
<button type="submit" class="secondary">Cancel ${m.ref}</button></form>`
    : m.can.restore.allowed
      ? html`<form method="post" action="/meetings/${m.ref}/restore">${csrfField(c)}${versionField(m.version)}<button type="submit" class="secondary">Restore ${m.ref}</button></form>`
      : whyNot(c, m.cancelled ? m.can.restore : m.can.cancel, here)
}
</section>`;
}

/**
 * "Change how it repeats": the same choices as scheduling, set to the meeting's rule when the form
 * can show it. A rule made elsewhere (REST, an import) is described in words and replaced by the choice.
 */
function recurrenceForm(
  c: WebContext,
  m: MeetingView,
  problem: FormProblem | null,
  values: Record<string, string> | null,
): Html | string {
  if (!m.can.changeRecurrence.allowed)
    return m.rrule ? whyNot(c, m.can.changeRecurrence, `/meetings/${m.ref}#change`) : '';
  const now = choiceOfRule(m.rrule);
  const v = values ?? (now ? { repeat: now.repeat, times: now.times } : {});
  return html`<details${values ? html` open` : ''}><summary>${m.rrule ? 'Change how it repeats' : 'Make it repeat'}</summary>
<form method="post" action="/meetings/${m.ref}/recurrence">${csrfField(c)}${versionField(m.version)}
<p>${m.rrule ? html`Now it repeats ${ruleInWords(m.rrule)}.${now ? '' : ' Choosing below replaces that rule.'}` : 'Now it happens once.'} Meetings in the series keep the first one's time of day on the organiser's clock (${m.timeZone}).</p>
${repeatFields(v, problem, 'recurrence')}
<button type="submit">Save how it repeats</button></form></details>`;
}

const END_SERIES = requiredFields(EndSeriesInput);

/**
 * "End this series": for a series that has begun, which cannot be cancelled (its past meetings stay
 * as they were, held or not): from which day it no longer meets, and why, said on the series page.
 */
function endSeriesForm(c: WebContext, m: MeetingView, problem: FormProblem | null, v: Record<string, string>) {
  if (!m.can.endSeries.allowed) return '';
  const today = dayIn(c.var.hub.clock.now().toISOString(), m.timeZone);
  return html`<details${problem ? html` open` : ''}><summary>End this series</summary>
<form method="post" action="/meetings/${m.ref}/end-series">${csrfField(c)}${versionField(m.version)}
${requiredLegend()}
<p>The meetings before the day you choose stay as they were, held or not, with their notes. From that day on the series no longer meets: the coming meetings that have their own agenda are cancelled. The group sees why on this page.</p>
${field({ name: 'from', type: 'date', label: 'No meetings from', form: 'endSeries', problem, required: END_SERIES, value: v.from ?? today, hint: `A day on the series' own clock (${m.timeZone}); today or later.` })}
${field({ name: 'reason', label: 'Why the series ends', type: 'textarea', rows: 2, form: 'endSeries', problem, required: END_SERIES, value: v.reason, hint: 'For the group, e.g. "We meet fortnightly from April: see M-12".' })}
<button type="submit" class="secondary">End the series</button></form></details>`;
}

/** The button that takes an item off the agenda, where the item's `can` allows it. */
export function removeItemButton(
  c: WebContext,
  m: MeetingView,
  item: MeetingView['agenda']['items'][number],
): Html | '' {
  if (!item.can.remove.allowed) return '';
  return html`<form class="inline-form" method="post" action="/meetings/${m.ref}/agenda/${item.id}/remove">${csrfField(c)}<button type="submit" class="secondary">Take “${item.title}” off the agenda</button></form>`;
}

/** The id of one item's kind form, so each item's form (and its error) has ids of its own. */
export const kindFormId = (itemId: string) => `kind-${itemId}`;

/**
 * "Kind of …" for one item, for whoever added it and those who publish the agenda while it is
 * open (`can.changeKind`): an item added under the wrong kind, or read wrongly from its words, is
 * corrected in place, keeping its place, link and written input. The form carries the meeting's version,
 * so a change from a page someone else's change has overtaken is refused, showing the agenda as it is.
 */
export function changeKindForm(
  c: WebContext,
  m: MeetingView,
  item: MeetingView['agenda']['items'][number],
  failure: { problem: FormProblem; values: Record<string, string> } | null,
): Html | '' {
  if (!item.can.changeKind.allowed) return '';
  const form = kindFormId(item.id);
  const mine = failure?.values.item === item.id ? failure : null;
  return html`<form class="inline-form" method="post" action="/meetings/${m.ref}/agenda/${item.id}/kind">${csrfField(c)}${versionField(m.version)}<input type="hidden" name="item" value="${item.id}">
${select({
  name: 'kind',
  label: `Kind of “${item.title}”`,
  form,
  problem: mine?.problem ?? null,
  value: mine?.values.kind ?? item.kind,
  options: [
    { value: 'process', label: 'process (how the group operates)' },
    { value: 'content', label: 'content (what the group works on)' },
  ],
})}
<button type="submit" class="secondary">Change kind<span class="visually-hidden"> of “${item.title}”</span></button></form>`;
}

/**
 * Move up and Move down for one item, for those who order the agenda: plain buttons of one form,
 * so they work without JavaScript. The item is named by its id (an item added or taken off since
 * the page was read does not change which one moves), and the form carries the meeting's version,
 * so a move made from a page someone else's move has overtaken is refused, the page showing the
 * agenda as it is now.
 */
export function moveItemButtons(
  c: WebContext,
  m: MeetingView,
  item: MeetingView['agenda']['items'][number],
): Html | '' {
  if (!m.can.orderAgenda.allowed) return '';
  const first = item.position === 1;
  const last = item.position === m.agenda.items.length;
  return html`<form class="inline-form" method="post" action="/meetings/${m.ref}/agenda/${item.id}/move">${csrfField(c)}${versionField(m.version)}
${first ? '' : html`<button type="submit" name="direction" value="up" class="secondary">Move up<span class="visually-hidden"> “${item.title}”</span></button>`}
${last ? '' : html`<button type="submit" name="direction" value="down" class="secondary">Move down<span class="visually-hidden"> “${item.title}”</span></button>`}</form>`;
}

async function lateNotesPage(c: WebContext): Promise<Response> {
  const group = pageParam(c, 'group');
  const late = await listLateNotes(c.var.hub, group ? { group } : {});
  return render(c, {
    title: 'Late meeting notes',
    nav: 'meetings',
    body: html`<nav aria-label="Breadcrumb"><p class="muted"><a href="/meetings">Meetings</a> › Late notes</p></nav><h1>Late meeting notes</h1>
<p>Notes are due ${c.var.hub.governance.meetings.notesHours} hours after a meeting ends. These are overdue, or were published late.</p>
${
  late.length
    ? html`<div class="table-wrap"><table><caption>Meetings with late notes</caption><thead><tr><th scope="col">Meeting</th><th scope="col">Group</th><th scope="col">Ended</th><th scope="col">Notes</th></tr></thead>
<tbody>${late.map((l) => html`<tr><td><a href="/meetings/${l.ref}#notes">${l.ref}: ${l.title}</a></td><td><a href="/groups/${l.group}">${l.group}</a></td><td>${when(c, l.endsAt)}</td><td>${l.deadline.state === 'late' ? html`<span class="badge bad">overdue</span> by ${hoursInWords(l.deadline.lateByHours ?? 0)}` : html`<span class="badge warn">published late</span> by ${hoursInWords(l.deadline.lateByHours ?? 0)}`}</td></tr>`)}</tbody></table></div>`
    : html`<p>No notes are late.</p>`
}`,
  });
}

async function quarterlyPage(c: WebContext): Promise<Response> {
  const slug = c.req.param('slug')!;
  const me = currentPerson(c);
  const g = await getGroupFor(c.var.hub, slug, me ? { kind: 'person', person: me } : null);
  const due = c.req.query('due');
  let body: Html;
  let status = 200;
  try {
    const draft = await draftQuarterlyUpdate(c.var.hub, slug, due ? { due } : {});
    body = html`<h1>Quarterly update for ${g.name}, due ${draft.period.dueOn}</h1>
<p>A draft from the record: deliverables, contributions, decisions, meetings, membership and open action items. Edit it before posting. <a href="/api/groups/${slug}/quarterly-update.md${due ? `?due=${due}` : ''}">Download as markdown</a></p>
<div class="panel">${
      // right under the page's h1: its own headings start at h2, no level skipped for a screen reader's outline
      markdown(draft.markdown, c.var.hub.governance, 2)
    }</div>
<details><summary>The markdown, to copy</summary><pre>${draft.markdown}</pre></details>`;
  } catch (e) {
    const problem = formProblem(e, viewerZone(c), c.var.hub.governance);
    status = problem.status;
    body = html`<h1>Quarterly update for ${g.name}</h1>${errorSummary(problem)}`;
  }
  return render(c, {
    title: `Quarterly update: ${g.name}`,
    nav: 'groups',
    status,
    body: html`<nav aria-label="Breadcrumb"><p class="muted"><a href="/groups/${slug}">${g.name}</a> › Quarterly update</p></nav>${body}`,
  });
}

export function meetingAdminRoutes(
  web: Hono<WebEnv>,
  show: (
    c: WebContext,
    ref: string,
    failure: { form: MeetingAdminForm; problem: FormProblem; values: Record<string, string> },
  ) => Promise<Response>,
): void {
  const act =
    (
      form: MeetingAdminForm,
      run: (c: WebContext, f: Record<string, string>) => Promise<unknown>,
      done: string | ((f: Record<string, string>, result: unknown) => string),
      anchor: string,
    ) =>
    (c: WebContext) => {
      const ref = c.req.param('ref')!;
      const page = `/meetings/${encodeURIComponent(ref)}`;
      return postForm(c, {
        page,
        run: (values) => run(c, values),
        failed: (problem, values) => show(c, ref, { form, problem, values }),
        done,
        next: `${page}${anchor}`,
      });
    };
  web.get('/meetings/late-notes', lateNotesPage);
  web.get('/groups/:slug/quarterly', quarterlyPage);
  web.post(
    '/meetings/:ref/reschedule',
    act(
      'reschedule',
      async (c, f) => {
        const ref = c.req.param('ref')!;
        // the picker gives a wall-clock time: it means that time on the chosen (else the meeting's) clock
        // (a start of a series, M-1@start, is on its meeting's clock, or the series' while it has none:
        // updateMeeting then refuses it in the policy's words)
        const zone = f.timeZone?.trim() || (await getMeetingAt(c.var.hub, ref)).timeZone;
        const gap = wallClockGap(f.startsAt ?? '', zone);
        return updateMeeting(
          c.var.hub,
          actorFor(c),
          ref,
          formVersion(f),
          {
            startsAt: wallClockToInstant(f.startsAt ?? '', zone),
            ...(f.timeZone?.trim() ? { timeZone: f.timeZone.trim() } : {}),
          },
          gap ? [{ field: 'startsAt', rule: gap }] : [],
        );
      },
      'The meeting is moved; the group is told.',
      '',
    ),
  );
  web.post(
    '/meetings/:ref/recurrence',
    act(
      'recurrence',
      (c, f) =>
        updateMeeting(c.var.hub, actorFor(c), c.req.param('ref')!, formVersion(f), {
          // the form comes filled with the series' count: "Does not repeat" here ends the series, count and all
          rrule: repeatRule(f.repeat === 'none' || !f.repeat ? { ...f, times: '' } : f) ?? null,
        }),
      'How the meeting repeats is saved.',
      '',
    ),
  );
  web.post(
    '/meetings/:ref/cancel',
    act(
      'cancel',
      async (c, f) => {
        // it tells the whole group at once: one stray click must not
        if (f.confirm !== 'yes') throw invalid('confirm', 'tick the box to confirm: cancelling tells the group');
        const ref = c.req.param('ref')!;
        // cancelled already (a second click, or another facilitator first): answered as it stands, and
        // whether this request told the group is decided where the row is held, not from a read before it
        const { meeting, changed } = await changeMeeting(c.var.hub, actorFor(c), ref, formVersion(f), {
          cancelled: true,
        });
        return !changed && meeting.cancelledAt
          ? momentsAsText(
              `The meeting was already cancelled, since ${meeting.cancelledAt}: nothing to do, and nobody was told again.`,
              viewerZone(c),
            )
          : null;
      },
      (_f, already) => (typeof already === 'string' ? already : 'The meeting is cancelled; the group is told.'),
      '',
    ),
  );
  web.post(
    '/meetings/:ref/restore',
    act(
      'cancel',
      (c, f) => updateMeeting(c.var.hub, actorFor(c), c.req.param('ref')!, formVersion(f), { cancelled: false }),
      'The meeting is back on.',
      '',
    ),
  );
  web.post(
    '/meetings/:ref/end-series',
    act(
      'endSeries',
      (c, f) =>
        endSeries(c.var.hub, actorFor(c), c.req.param('ref')!, formVersion(f), {
          from: f.from ?? '',
          reason: f.reason ?? '',
        }),
      'The series is ended. Its coming meetings are called off.',
      '',
    ),
  );
  web.post(
    '/meetings/:ref/agenda/:item/move',
    act(
      'move',
      (c, f) =>
        moveAgendaItem(c.var.hub, actorFor(c), c.req.param('ref')!, formVersion(f), {
          // by its id, not its place: the place may have changed since the page was read
          item: c.req.param('item')!,
          direction: f.direction ?? '',
        }),
      'The agenda is in its new order.',
      '#agenda',
    ),
  );
  web.post(
    '/meetings/:ref/agenda/:item/kind',
    act(
      'kind',
      (c, f) =>
        // by its id, not its place: the place may have changed since the page was read
        changeAgendaItemKind(c.var.hub, actorFor(c), c.req.param('ref')!, c.req.param('item')!, formVersion(f), {
          kind: f.kind ?? '',
        }),
      'The item’s kind is changed; its place and written input stay.',
      '#agenda',
    ),
  );
  web.post(
    '/meetings/:ref/agenda/:item/remove',
    act(
      'remove',
      // the form names the item by id: positions change when items move, and a page read before a
      // move would take another item off
      (c) => removeAgendaItem(c.var.hub, actorFor(c), c.req.param('ref')!, c.req.param('item')!),
      'The item is off the agenda.',
      '#agenda',
    ),
  );
}

/** The box a cancellation needs ticked, with its error beside it when it was not. */
function confirmCancel(m: MeetingView, problem: FormProblem | null): Html {
  const issue = problem?.issues.find((i) => i.field === 'confirm');
  return html`<div class="choice"><input type="checkbox" id="f-cancel-confirm" name="confirm" value="yes" required${issue ? html` aria-invalid="true" aria-describedby="f-cancel-confirm-error"` : ''}><label for="f-cancel-confirm">Yes, cancel ${m.ref} and tell the group</label></div>
${issue ? html`<p class="field-error" id="f-cancel-confirm-error">${issue.rule}</p>` : ''}`;
}
