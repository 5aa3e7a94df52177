// /meetings/fair-times: the fair-time slot finder. For a group (its active members and their
// zones) it shows the best slots with everyone's local time, and for a series a rotation beside
// the best fixed time, so nobody's zone always gets the worst hour.
import { pageQuery } from '../page-query.ts';
import { html } from 'hono/html';
import { DateTime } from 'luxon';
import type { Hono } from 'hono';
import type { FairTimesResult } from '../../../app/meetings/fair-times.ts';
import { listGroups } from '../../../app/groups/groups.ts';
import type { SlotDetail } from '../../../domain/meetings/fair-times.ts';
import type { WebContext, WebEnv } from '../context.ts';
import { errorSummary, field, formProblem, type FormProblem } from '../forms.ts';
import { plural, when, viewerZone } from '../format.ts';
import type { Html } from '../layout.ts';
import { render } from '../render.ts';
import { select } from './widgets.ts';

const pct = (x: number) => `${Math.round(x * 100)}%`;

function slotTable(c: WebContext, slots: SlotDetail[], caption: string): Html {
  return html`<div class="table-wrap"><table><caption>${caption}</caption>
<thead><tr><th scope="col">Starts</th><th scope="col">In working hours</th><th scope="col">Worst-off convenience</th><th scope="col">Fairness</th><th scope="col">Local times</th></tr></thead>
<tbody>${slots.map(
    (
      s,
    ) => html`<tr><td>${when(c, s.startsAt)}</td><td>${s.inWindow} of ${s.participants.length}</td><td>${pct(s.worst)}${s.worstOff.length ? html`<br><span class="muted">${s.worstOff.join(', ')}</span>` : ''}</td><td>${s.fairness.toFixed(2)}</td>
<td><ul class="plain">${s.participants.map((p) => html`<li>${p.handle}: ${p.local} (${p.timeZone})${p.asleep ? html` <span class="badge bad">sleeping hours</span>` : ''}${p.dayOff ? html` <span class="badge bad">not a working day</span>` : ''}</li>`)}</ul></td></tr>`,
  )}</tbody></table></div>`;
}

function rotationSummary(r: FairTimesResult['series']): Html | '' {
  if (!r) return '';
  const row = (name: string, x: NonNullable<FairTimesResult['series']>['rotation']) =>
    html`<tr><th scope="row">${name}</th><td>${x.fairness.toFixed(2)}</td><td>${x.zones.map((z, i) => html`${i ? '; ' : ''}${z.timeZone}: ${pct(z.averageConvenience)} average, worst hour ${z.worstHourCount}×`)}</td></tr>`;
  return html`<div class="table-wrap"><table><caption>A series: rotating times compared with one fixed time</caption>
<thead><tr><th scope="col">Plan</th><th scope="col">Fairness (Jain)</th><th scope="col">Per zone</th></tr></thead>
<tbody>${row('Rotating', r.rotation)}${row('Fixed at the best single time', r.fixed)}</tbody></table></div>`;
}

const localDay = (iso: string, zone: string) => DateTime.fromISO(iso, { zone }).toFormat('ccc d LLL yyyy');

async function page(c: WebContext): Promise<Response> {
  const q = pageQuery(c);
  const groups = (await listGroups(c.var.hub, { limit: 200 })).items;
  // the day is read in the viewer's zone, as the label says: its midnight there, not in UTC
  const zone = viewerZone(c);
  const today = DateTime.fromJSDate(c.var.hub.clock.now(), { zone }).toISODate() ?? '';
  const day = q.from || today;
  const midnight = DateTime.fromISO(day, { zone });
  let result: FairTimesResult | null = null;
  let problem: FormProblem | null = null;
  if (q.group) {
    const int = (v: string | undefined, d: number) => (v && /^\d+$/.test(v) ? Number(v) : v ? v : d);
    try {
      // luxon and the slot search load on first use, not when the CLI starts
      const { proposeFairTimes } = await import('../../../app/meetings/fair-times.ts');
      result = await proposeFairTimes(c.var.hub, {
        group: q.group,
        from: midnight.isValid ? (midnight.toUTC().toISO() ?? day) : `${day}T00:00:00Z`,
        days: int(q.days, 7),
        durationMinutes: int(q.durationMinutes, 60),
        top: 5,
        ...(q.seriesCount ? { series: { count: int(q.seriesCount, 6), everyDays: int(q.everyDays, 7) } } : {}),
      });
    } catch (e) {
      problem = formProblem(e, zone, c.var.hub.governance);
    }
  }
  // nothing to search in a hub with no group yet: the page says so instead of a form that answers nothing
  const form = html`<form method="get" action="/meetings/fair-times">
${select({ name: 'group', label: 'Group', value: q.group, problem, options: groups.map((g) => ({ value: g.slug, label: g.name })) })}
${field({ name: 'from', label: `From (a day, in ${zone})`, type: 'date', value: day, problem })}
${field({ name: 'days', label: 'Days to search', value: q.days || '7', problem })}
${field({ name: 'durationMinutes', label: 'Meeting length in minutes', value: q.durationMinutes || '60', problem })}
${field({ name: 'seriesCount', label: 'For a series: how many meetings (optional)', value: q.seriesCount, problem, field: 'series.count' })}
${field({ name: 'everyDays', label: 'For a series: every how many days', value: q.everyDays || '7', problem, field: 'series.everyDays' })}
<button type="submit">Find times</button></form>`;
  const body = html`<nav aria-label="Breadcrumb"><p class="muted"><a href="/meetings">Meetings</a> › Fair times</p></nav>
<h1>Find a fair meeting time</h1>
<p>For a group spread over time zones: the slots that fit most people's working hours (${c.var.hub.governance.meetings.workingHours.start}–${c.var.hub.governance.meetings.workingHours.end} local), avoiding anyone's sleeping hours, and for a series a rotation so the same zone does not always take the worst hour.</p>
${errorSummary(problem)}
${
  groups.length
    ? form
    : html`<p>No groups yet: a fair time is found among a group's members and their time zones, so there is nothing to search until the first group has members. <a href="/groups">Groups</a> says how the first one starts.</p>`
}
${
  result
    ? html`<section aria-labelledby="results" class="result"><h2 id="results">Best times for ${plural(result.participants, 'person', 'people')} in ${plural(result.zones, 'time zone group')}</h2>
${slotTable(c, result.best, `The ${result.best.length} best ${result.durationMinutes}-minute slots between ${localDay(result.from, zone)} and ${localDay(result.to, zone)} (${zone}), each at another time of day, at least ${c.var.hub.governance.meetings.fairTimes.alternativesApartHours} hours from the others`)}
${rotationSummary(result.series)}
${result.series ? slotTable(c, result.series.rotation.meetings, 'The rotating series, meeting by meeting') : ''}
</section>`
    : ''
}`;
  return render(c, { title: 'Fair meeting times', nav: 'meetings', body, status: problem?.status ?? 200 });
}

export function fairTimeRoutes(web: Hono<WebEnv>): void {
  web.get('/meetings/fair-times', page);
}
