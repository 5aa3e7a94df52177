import { html } from 'hono/html';
import type { WebContext } from './context.ts';
import { plainText } from '../../domain/charter-doc/facts.ts';
import { plural } from '../../domain/sentence.ts';
import { characterCount, firstCharacters } from '../../domain/text.ts';

// Building an Intl.DateTimeFormat costs far more than using one: keep one per zone and style.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(zone: string, dateOnly: boolean): Intl.DateTimeFormat {
  const key = `${zone}|${dateOnly}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      ...(dateOnly ? {} : { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
    });
    formatters.set(key, f);
  }
  return f;
}

/** "Tue 8 Dec 2026, 15:00": the weekday helps more than the year when planning a week. */
export function absolute(d: Date, zone: string, dateOnly = false): string {
  return formatter(zone, dateOnly)
    .format(d)
    .replace(/^(\w{3}),? /, '$1 ');
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['minute', 60_000],
  ['hour', 3_600_000],
  ['day', 86_400_000],
  ['week', 7 * 86_400_000],
];
const relativeFormat = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/**
 * "in 3 days", "2 hours ago", "tomorrow": only within six weeks, where it helps; further away the
 * date says more. Null when it would not help.
 */
export function relative(d: Date, now: Date, dateOnly = false): string | null {
  const ms = d.getTime() - now.getTime();
  const abs = Math.abs(ms);
  if (abs > 6 * 7 * 86_400_000) return null;
  if (dateOnly) {
    const days = Math.round(ms / 86_400_000);
    return relativeFormat.format(days, 'day');
  }
  if (abs < 60_000) return ms > 0 ? 'in less than a minute' : 'just now';
  // the largest unit that still counts at least one, except weeks below three (“in 10 days” reads better)
  let unit = UNITS[0]!;
  for (const u of UNITS) if (abs >= u[1] && !(u[0] === 'week' && abs < 21 * 86_400_000)) unit = u;
  return relativeFormat.format(Math.round(ms / unit[1]), unit[0]);
}

/** The zone a page shows moments in: the signed-in person's, else UTC (which app.js turns into the browser's). */
export function viewerZone(c: WebContext): string {
  return c.var.session?.person.time_zone ?? 'UTC';
}

/**
 * A moment in the signed-in person's time zone (named, so nobody guesses), with how far away it
 * is when that helps: "in 3 days, Tue 8 Dec 2026, 15:00 (Europe/Berlin)". A visitor sees UTC,
 * which app.js turns into the browser's zone.
 */
export function when(c: WebContext, iso: string, opts: { dateOnly?: boolean } = {}) {
  const zone = c.var.session?.person.time_zone ?? 'UTC';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return html`${iso}`;
  const dateOnly = opts.dateOnly ?? false;
  const rel = relative(d, c.var.hub.clock.now(), dateOnly);
  const text = `${rel ? `${rel}, ` : ''}${absolute(d, zone, dateOnly)}${dateOnly ? '' : ` (${zone})`}`;
  return html`<time datetime="${d.toISOString()}"${c.var.session || dateOnly ? '' : html` data-local`}>${text}</time>`;
}

export { plural };

/** A length of time given in hours, as people say it: "5 hours", "2 days and 12 hours", never "60.1 hours". */
export function hoursInWords(hours: number): string {
  const h = Math.round(hours);
  if (h < 1) return 'less than an hour';
  if (h < 48) return plural(h, 'hour');
  const days = Math.floor(h / 24);
  return h % 24 ? `${plural(days, 'day')} and ${plural(h % 24, 'hour')}` : plural(days, 'day');
}

/** Markdown as a short plain-text summary for a card: links become their text, markers go. */
export function summary(md: string, max: number): string {
  const text = plainText(md.replace(/\s+/g, ' '));
  // counted and cut in characters: a cut between an emoji's two halves showed U+FFFD on the card
  return characterCount(text) > max ? `${firstCharacters(text, max - 1).trimEnd()}…` : text;
}

const ISO_MOMENT = /(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z)/;

/**
 * Text from the domain that names moments as ISO timestamps ("lazy consensus until
 * 2026-12-07T10:54:41.948Z"), with each moment shown in the reader's zone like the rest of the page.
 */
export function withMoments(c: WebContext, text: string) {
  const zone = c.var.session?.person.time_zone ?? 'UTC';
  return text.split(ISO_MOMENT).map((part, i) => {
    if (i % 2 === 0) return part;
    const d = new Date(part);
    if (Number.isNaN(d.getTime())) return part;
    // a moment inside a sentence ("until …") reads as the date alone, for a visitor too: app.js adds no "in 6 days, " to it
    return html`<time datetime="${d.toISOString()}"${c.var.session ? '' : html` data-local="moment"`}>${absolute(d, zone)} (${zone})</time>`;
  });
}

/**
 * The same for text that ends up in plain strings (a form's error rules): each ISO moment as
 * "Sat 7 Nov 2026, 01:00 (America/Los_Angeles)" in the given zone.
 */
export function momentsAsText(text: string, zone: string): string {
  return text.replace(new RegExp(ISO_MOMENT.source, 'g'), (iso) => {
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? iso : `${absolute(d, zone)} (${zone})`;
  });
}

/** A title as written in a SEP ("Tools `inputSchema` & …"): code spans shown as code, never as backticks. */
export function titleHtml(title: string) {
  const parts = title.split(/`([^`]+)`/);
  return html`${parts.map((p, i) => (i % 2 ? html`<code>${p}</code>` : p))}`;
}

/** The same title as plain text, for a window's title or an attribute. */
export function titleText(title: string): string {
  return title.replace(/`([^`]+)`/g, '$1');
}

/** The hub's own work in words, never its internal label ("system:decisions"). */
const SYSTEM_WORDS: Record<string, string> = {
  operator: 'an operator (command line or import)',
  decisions: "the hub's deadline timer",
  dormancy: "the hub's dormancy check",
  github: 'the GitHub bridge',
  'prior-work': "the hub's prior-work check",
  'sign-in': 'sign-in',
};
export function systemWords(actor: string | null): string {
  if (!actor) return 'the hub';
  if (!actor.startsWith('system:')) return actor;
  const label = actor.slice('system:'.length);
  return SYSTEM_WORDS[label] ?? `the hub (${label})`;
}
