import type { z } from 'zod';

// zod's own wording ("Too small: expected number to be >=1") speaks of types; a person needs the rule.
export function ruleOf(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `is not a field here: ${issue.keys.join(', ')}`;
  if (issue.code === 'invalid_type' && /^Invalid input/.test(issue.message)) {
    if (/received undefined/.test(issue.message)) return `is required (${issue.expected})`;
    return `must be ${issue.expected === 'number' || issue.expected === 'int' ? 'a number' : `a${/^[aeiou]/.test(issue.expected) ? 'n' : ''} ${issue.expected}`}`;
  }
  if (issue.code === 'invalid_value') return `must be one of: ${issue.values.map(String).join(', ')}`;
  if (!/^(Too small|Too big|Invalid)/.test(issue.message)) return issue.message; // our own wording
  if (issue.code === 'too_small')
    return issue.origin === 'string'
      ? Number(issue.minimum) <= 1
        ? 'must not be empty'
        : `must be at least ${issue.minimum} characters`
      : issue.origin === 'array'
        ? `must have at least ${issue.minimum} item(s)`
        : `must be at least ${issue.minimum}`;
  if (issue.code === 'too_big')
    return issue.origin === 'string'
      ? `must be at most ${issue.maximum} characters`
      : issue.origin === 'array'
        ? `must have at most ${issue.maximum} item(s)`
        : `must be at most ${issue.maximum}`;
  if (issue.code === 'invalid_format') return `must be a valid ${issue.format}`;
  return issue.message;
}

/** A field's name from its path in the input (`ref.type`, `attended[2]`); `whole` names the input itself. */
export function fieldOf(path: readonly PropertyKey[], whole = '(body)'): string {
  return (
    path
      .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
      .join('')
      .replace(/^\./, '') || whole
  );
}
