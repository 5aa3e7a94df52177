import { z } from 'zod';
import { invalid } from '../../domain/errors.ts';
import { LIMITS } from '../../domain/limits.ts';
import { utf8Text } from '../../domain/text.ts';

/**
 * Page cursors: every list writes its cursor with `encodeCursor` and reads one a client sent back with
 * `decodeCursor` through the parts it is made of (`CursorPart`), each checked as the list wrote it: a
 * time is a date and time, an id an id, a number an int4 number, and every string is well-formed
 * Unicode without NUL. Anything else is refused the same way on every list and every edge (REST,
 * MCP, the CLI, the web): 400 naming the field, the rule and the part that breaks it. A forged cursor
 * whose time was `"x"` once answered an empty page rather than a refusal.
 */
export function encodeCursor(key: unknown): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

declare const partBrand: unique symbol;
/** One part of a cursor: its schema and the rule it holds, in words. */
export type CursorPart<T> = { readonly schema: z.ZodType<T>; readonly rule: string; readonly [partBrand]: true };

function part<T>(schema: z.ZodType<T>, rule: string): CursorPart<T> {
  return { schema, rule } as CursorPart<T>;
}

// what a stored time looks like: toISOString's, or GitHub's without milliseconds
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** 2026-02-30 has the shape of a day but is none (Date.parse rolls it over into March). */
function isCalendarDay(day: string): boolean {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const at = new Date(Date.UTC(y, m - 1, d));
  return at.getUTCFullYear() === y && at.getUTCMonth() === m - 1 && at.getUTCDate() === d;
}

/** A string part: well-formed Unicode (no lone surrogate), no NUL, at most LIMITS.param characters. */
const Text = z.string().refine((s) => s.isWellFormed() && !s.includes('\u0000') && [...s].length <= LIMITS.param);

export const CursorPart = {
  /** A stored date and time (ISO 8601). */
  time: part(
    Text.refine((s) => INSTANT.test(s) && !Number.isNaN(Date.parse(s)) && isCalendarDay(s.slice(0, 10))),
    'a date and time (ISO 8601, as 2026-12-19T16:00:00.000Z)',
  ),
  /** A row's id. */
  id: part(Text.regex(/^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,199}$/), 'an id (letters, digits, . _ : @ -)'),
  /** A meeting's ref (M-3). */
  ref: part(Text.regex(/^[A-Z]{1,10}-[1-9]\d{0,9}$/), 'a ref (as M-3)'),
  /** A number (a proposal's, a meeting's): an int4 number. */
  number: part(z.number().int().min(0).max(LIMITS.maxNumber), `a whole number from 0 to ${LIMITS.maxNumber}`),
  /** A name, a slug, a handle, a title, a path: well-formed text. */
  text: part(Text, `well-formed text (no lone surrogate, no NUL, at most ${LIMITS.param} characters)`),
  /** Any other part, checked by its own schema and told in its own words. */
  of: part,
};

type Shape = CursorPart<unknown> | readonly CursorPart<unknown>[] | { readonly [key: string]: CursorPart<unknown> };
type Read<S> =
  S extends CursorPart<infer T>
    ? T
    : S extends readonly CursorPart<unknown>[]
      ? { -readonly [K in keyof S]: S[K] extends CursorPart<infer T> ? T : never }
      : { -readonly [K in keyof S]: S[K] extends CursorPart<infer T> ? T : never };

const RULE = 'must be the nextCursor value of a previous page';

/**
 * A page cursor a client sent back, read through the parts this list writes (one part, a tuple of
 * parts, or an object of parts: a part that may be left out says so in its schema); anything else is refused naming
 * `field`, the rule, and the first part that breaks its own.
 */
export function decodeCursor<const S extends Shape>(
  cursor: string | undefined,
  shape: S,
  field = 'cursor',
): Read<S> | undefined {
  if (!cursor) return undefined;
  const text = /^[A-Za-z0-9_-]*$/.test(cursor) ? utf8Text(Buffer.from(cursor, 'base64url')) : null;
  let key: unknown;
  try {
    key = text === null ? undefined : JSON.parse(text);
  } catch {
    key = undefined;
  }
  const refuse = (why?: string) => invalid(field, why ? `${RULE}: ${why}` : RULE);
  const check = (p: CursorPart<unknown>, value: unknown, name: string) => {
    if (!p.schema.safeParse(value).success) throw refuse(`its ${name} must be ${p.rule}`);
  };
  if (key === undefined) throw refuse();
  if (isPart(shape)) {
    check(shape, key, 'value');
  } else if (Array.isArray(shape)) {
    if (!Array.isArray(key) || key.length !== shape.length) throw refuse(`it must hold ${shape.length} parts`);
    for (const [i, p] of (shape as readonly CursorPart<unknown>[]).entries()) check(p, key[i], `part ${i + 1}`);
  } else {
    if (typeof key !== 'object' || key === null || Array.isArray(key)) throw refuse();
    const parts = shape as Record<string, CursorPart<unknown>>;
    for (const name of Object.keys(key)) if (!Object.hasOwn(parts, name)) throw refuse(`it holds no part ${name}`);
    for (const [name, p] of Object.entries(parts)) check(p, (key as Record<string, unknown>)[name], name);
  }
  return key as Read<S>;
}

function isPart(shape: Shape): shape is CursorPart<unknown> {
  return 'schema' in shape && 'rule' in shape && !Array.isArray(shape);
}
