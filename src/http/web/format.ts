import { html } from 'hono/html';
import type { WebContext } from './context.ts';
import { plainText } from '../../domain/charter-doc/facts.ts';

// Building an Intl.DateTimeFormat costs far more than using one: keep one per zone and style.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(zone: string, dateOnly: boolean): Intl.DateTimeFormat {
  const key = `${zone}|${dateOnly}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      dateStyle: 'medium',
      ...(dateOnly ? {} : { timeStyle: 'short' }),
    });
    formatters.set(key, f);
  }
  return f;
}

/**
 * A moment in the signed-in person's time zone (named, so nobody guesses); a visitor sees UTC,
 * which app.js turns into the browser's zone.
 */
export function when(c: WebContext, iso: string, opts: { dateOnly?: boolean } = {}) {
  const zone = c.var.session?.person.time_zone ?? 'UTC';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return html`${iso}`;
  const text = formatter(zone, opts.dateOnly ?? false).format(d);
  return html`<time datetime="${d.toISOString()}"${c.var.session || opts.dateOnly ? '' : html` data-local`}>${text}${opts.dateOnly ? '' : ` (${zone})`}</time>`;
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** Markdown as a short plain-text summary for a card: links become their text, markers go. */
export function summary(md: string, max: number): string {
  const text = plainText(md.replace(/\s+/g, ' '));
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}
