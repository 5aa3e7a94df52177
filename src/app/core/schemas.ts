// Inputs shared by every feature: text fields, zones, calendar dates, list pages and the event log query.
import { z } from 'zod';
import { LIMITS } from '../../domain/limits.ts';
import { pastDoubles } from '../../domain/rule-wording.ts';
import { ianaZone, isTimeZone, ISO_DATE } from '../../domain/people.ts';
import {
  characterCount,
  controlCharacterProblem,
  firstCharacters,
  nothingVisibleProblem,
  stackedMarksProblem,
  withoutZeroWidth,
} from '../../domain/text.ts';

/**
 * One line of text (a title, a name, a label): trimmed, at most `max` characters, and free of
 * control characters, line breaks, bidirectional overrides and non-characters, which would
 * reach an operator's terminal or reorder what a reader sees.
 */
/**
 * `word` matched in any case, spelt out as character classes (`[Mm]`): the JSON Schema a client reads
 * (OpenAPI, an MCP tool's inputSchema) carries a regex's source but not its flags, so a pattern
 * written with `/i` told clients to refuse the lower-case references the hub itself accepts.
 */
export function caseless(word: string): string {
  return [...word]
    .map((c) => (c.toLowerCase() === c.toUpperCase() ? c : `[${c.toUpperCase()}${c.toLowerCase()}]`))
    .join('');
}

export function Line(max: number = LIMITS.line) {
  return z
    .string()
    .overwrite(withoutZeroWidth)
    .trim()
    .max(max, `must be at most ${max} characters`)
    .superRefine((v, ctx) => {
      const problem = controlCharacterProblem(v, false) ?? nothingVisibleProblem(v) ?? stackedMarksProblem(v);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });
}

/** Text of several lines (markdown, notes): like `Line`, but keeps line breaks and tabs (CRLF becomes LF). */
export function Prose(max: number = LIMITS.prose) {
  return z
    .string()
    .overwrite((v) => v.replace(/\r\n?/g, '\n'))
    .trim()
    .max(max, `must be at most ${max} characters`)
    .superRefine((v, ctx) => {
      const problem = controlCharacterProblem(v, true);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });
}

/**
 * A value as the client wrote it, for a rule's words: JSON reads 1e309 as Infinity, which JSON.stringify
 * writes as null, so the rule told a client that sent a number it had sent null (attack round 29).
 */
function shownInput(input: unknown): string {
  if (typeof input === 'number' && !Number.isFinite(input)) return Number.isNaN(input) ? 'NaN' : pastDoubles(input < 0);
  const shown = String(JSON.stringify(input));
  if (characterCount(shown) <= 24) return shown;
  // cut, with its closing quote kept: `("99999999999999999999999 is not)` left the quote open (attack round 31)
  return typeof input === 'string' ? `${firstCharacters(shown, 22)}…"` : `${firstCharacters(shown, 23)}…`;
}

/**
 * A whole number, as JSON sends it or as a query string writes it: in decimal digits. Not
 * z.coerce, whose Number() also reads '0x10' as 16, '1e1' as 10, '' as 0 and ' 7 ' as 7, so a
 * typo or a probe silently became another query.
 */
export function WholeNumber(bounds: (n: z.ZodNumber) => z.ZodNumber) {
  const number = z
    .number({
      error: (iss) =>
        iss.input === undefined
          ? undefined // zod's own wording, which ruleOf turns into "is required"
          : `must be a whole number written in digits (${shownInput(iss.input)} is not)`,
    })
    .int('must be a whole number');
  // digits past a double's precision are still a number, past every bound: named by the bound ("must be
  // at most 100"), where 17 digits or more were told they were not written in digits (attack round 31)
  return z.preprocess(
    (v) =>
      typeof v === 'string' && /^-?\d+$/.test(v)
        ? Math.max(-Number.MAX_VALUE, Math.min(Number.MAX_VALUE, Number(v)))
        : v,
    bounds(number),
  );
}

/** An IANA time zone, kept as IANA spells it (`ianaZone`: "europe/berlin" is stored Europe/Berlin; "+02:00" is refused). */
export const TimeZone = z
  .string()
  .max(64, 'must be an IANA time zone such as Europe/Berlin or UTC')
  .overwrite((v) => ianaZone(v) ?? v)
  .refine(isTimeZone, 'must be an IANA time zone such as Europe/Berlin or UTC');

/**
 * Raw input with its `timeZone` dropped when it is the zone already stored, unchanged: a zone saved
 * before zones were checked ("+02:00", which no IANA zone names) is sent back by every form that shows
 * it, and a person changing only their name, or a meeting only its start, was refused for it (attack
 * round 28). Any other zone is read as `TimeZone` reads it.
 */
export function withoutStoredZone(raw: unknown, stored: string): unknown {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const { timeZone, ...rest } = raw as Record<string, unknown>;
  return timeZone === stored && ianaZone(stored) === null ? rest : raw;
}
/**
 * A refinement for an ISO date-time with a zone: its instant must fall in a four-digit year in UTC,
 * as instants are stored (ISO text in UTC). 9999-12-31T23:59-12:00 is '+010000-01-01T11:59Z', text
 * that sorts before every other instant, so a meeting there listed as long past (fuzz round 6).
 */
export const inStoredYears = [
  (iso: string) => {
    const at = new Date(iso);
    // a text that is no instant at all is the format rule's to name
    return Number.isNaN(at.getTime()) || /^\d{4}-/.test(at.toISOString());
  },
  { message: 'must fall between the years 0000 and 9999 in UTC' },
] as const;

export const IsoDate = z
  .string()
  // a date picker left empty sends '': the day is missing, not written wrong
  .min(1, { message: 'is required: a date', abort: true })
  .regex(ISO_DATE, { message: 'must be a date as YYYY-MM-DD', abort: true })
  // 2026-13-45 has the right shape but is no day of any calendar.
  .refine(
    (d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) === d,
    { error: (iss) => `must be a real calendar date as YYYY-MM-DD (${String(iss.input)} is not)` },
  );

export const ListQuery = z.object({
  limit: WholeNumber((n) => n.min(1, 'must be at least 1').max(200, 'must be at most 200'))
    .default(50)
    .describe('how many items per page'),
  cursor: z
    .string()
    .max(LIMITS.cursor, `must be at most ${LIMITS.cursor} characters`)
    .optional()
    .describe("the previous page's nextCursor, for the next page; omitted: the first page"),
});

export const EventsQuery = z.object({
  limit: WholeNumber((n) => n.min(1, 'must be at least 1').max(500, 'must be at most 500')).default(50),
  // an event number is an int4 column: a larger one is the client's error, named (PostgreSQL refused it unnamed)
  before: WholeNumber((n) =>
    n.min(1, 'must be an event number').max(LIMITS.maxNumber, `must be at most ${LIMITS.maxNumber}`),
  ).optional(),
});

/** A list of handles that names nobody twice (handles compare without case, like sign-in does). */
export function uniqueHandles<T extends z.ZodType<string[]>>(list: T) {
  return list.superRefine((handles, ctx) => {
    const seen = new Set<string>();
    handles.forEach((h, i) => {
      const key = h.toLowerCase();
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [i], message: `names ${h} a second time` });
      seen.add(key);
    });
  });
}

/**
 * An update names at least one field to change (fuzz round 10): one that named none (`PATCH {}`)
 * moved the record's version, so every other open edit of it became stale, and recorded a change
 * nobody made (a charter amendment in the group's public history, a proposal update written back to
 * GitHub). Refused naming the body and the fields it may send.
 */
export function namingAChange<S extends z.ZodObject>(schema: S) {
  const fields = Object.keys(schema.shape);
  return schema.refine((v) => Object.values(v as object).some((x) => x !== undefined), {
    message: `names nothing to change: send at least one of ${fields.join(', ')}`,
    when: (payload) => payload.issues.length === 0,
  });
}
