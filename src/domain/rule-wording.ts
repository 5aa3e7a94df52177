import type { z } from 'zod';
import { plural } from './sentence.ts';
import { characterCount, firstCharacters, printable } from './text.ts';

/**
 * Keys named when refusing keys that are no field, the rest counted: a body of 90,000 made-up keys
 * was answered naming each (twice over REST, 1.4 MB; over MCP with the tool's fields after each,
 * 6.4 MB and 3 s of the event loop; fuzz round 15).
 */
export const UNKNOWN_KEYS_NAMED = 10;

/** The first keys of `keys` to name, and what to say of the rest ('' when none is left out). */
export function keysNamed(keys: readonly string[]): { named: string[]; rest: string } {
  const left = keys.length - UNKNOWN_KEYS_NAMED;
  return {
    named: keys.slice(0, UNKNOWN_KEYS_NAMED),
    rest:
      left > 0
        ? `${left.toLocaleString('en')} more key${left === 1 ? '' : 's'} sent with ${keys.length === 1 ? 'it' : 'them'} ${left === 1 ? 'is' : 'are'} no field either`
        : '',
  };
}

/**
 * A number past what JSON reads (1e309, read as Infinity), in the one phrase every edge names it with,
 * as the value that is not what a rule wants: "must be a number (a number past 1.8e308, which JSON
 * reads as infinite, is not)" (attack round 29: JSON.stringify wrote it null).
 */
export const pastDoubles = (negative: boolean): string =>
  `a number past ${negative ? '-' : ''}1.8e308, which JSON reads as infinite,`;

// zod's own wording ("Too small: expected number to be >=1") speaks of types; a person needs the rule.
export function ruleOf(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    const { named, rest } = keysNamed(issue.keys);
    return `is not a field here: ${named.join(', ')}${rest ? `; ${rest}` : ''}`;
  }
  if (issue.code === 'invalid_type' && /^Invalid input/.test(issue.message)) {
    if (/received undefined/.test(issue.message)) return `is required (${issue.expected})`;
    // 1e309 is read as Infinity: "must be a number" told a client that sent one it had not (attack round 29)
    if (issue.expected === 'number' && /received -?Infinity$/.test(issue.message))
      return `must be a number (${pastDoubles(/-Infinity$/.test(issue.message))} is not)`;
    return `must be ${aType(issue.expected)}`;
  }
  if (issue.code === 'invalid_value') return `must be one of: ${issue.values.map(String).join(', ')}`;
  if (issue.code === 'invalid_union') return unionRule(issue.errors);
  if (!/^(Too small|Too big|Invalid)/.test(issue.message)) return issue.message; // our own wording
  if (issue.code === 'too_small')
    return issue.origin === 'string'
      ? Number(issue.minimum) <= 1
        ? 'must not be empty'
        : `must be at least ${issue.minimum} characters`
      : issue.origin === 'array'
        ? `must have at least ${plural(Number(issue.minimum), 'item')}`
        : `must be at least ${issue.minimum}`;
  if (issue.code === 'too_big')
    return issue.origin === 'string'
      ? `must be at most ${issue.maximum} characters`
      : issue.origin === 'array'
        ? `must have at most ${plural(Number(issue.maximum), 'item')}`
        : `must be at most ${issue.maximum}`;
  if (issue.code === 'invalid_format') return `must be a valid ${issue.format}`;
  return issue.message;
}

/** A field's name from its path in the input (`ref.type`, `attended[2]`); `whole` names the input itself. */
export function fieldOf(path: readonly PropertyKey[], whole = '(body)'): string {
  return (
    path
      .map((p) => (typeof p === 'number' ? `[${p}]` : `.${shownKey(String(p))}`))
      .join('')
      .replace(/^\./, '') || whole
  );
}

/**
 * A key as the sender wrote it, which may be anything (an unknown field, a key given twice): at most
 * 100 characters, controls and bidirectional overrides as escapes, so the error names it without
 * reordering its sentence or echoing a megabyte.
 */
function shownKey(key: string): string {
  return printable(characterCount(key) > 100 ? `${firstCharacters(key, 100)}…` : key);
}

/** A type as a person names it: `a whole number` for zod's int (1.5 is a number, but not one taken). */
const aType = (expected: string): string =>
  expected === 'number'
    ? 'a number'
    : expected === 'int'
      ? 'a whole number'
      : `a${/^[aeiou]/.test(expected) ? 'n' : ''} ${expected}`;

/**
 * A field taking one of several forms (an agenda item by position or by id): zod says only "Invalid
 * input". Where each form refused the value itself, the rule names the forms: "is required (a number
 * or a string)", "must be a whole number or a string", "must be one of: a, b".
 */
function unionRule(branches: readonly (readonly z.core.$ZodIssue[])[]): string {
  const issues = branches.flatMap((b) => (b.length === 1 && b[0]!.path.length === 0 ? [b[0]!] : []));
  if (!issues.length || issues.length !== branches.length) return 'does not fit any of the forms this field takes';
  const types = issues.flatMap((i) => (i.code === 'invalid_type' ? [i] : []));
  if (types.length === issues.length) {
    const forms = [...new Set(types.map((i) => aType(i.expected)))].join(' or ');
    return types.every((i) => /received undefined/.test(i.message)) ? `is required (${forms})` : `must be ${forms}`;
  }
  const values = issues.flatMap((i) => (i.code === 'invalid_value' ? i.values : []));
  if (values.length && issues.every((i) => i.code === 'invalid_value'))
    return `must be one of: ${values.map(String).join(', ')}`;
  return [...new Set(issues.map(ruleOf))].join(', or ');
}
