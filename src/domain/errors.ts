// Typed failures every edge maps once: HTTP status, MCP tool error, CLI exit code.
// Each carries enough for a person to fix the problem: the field and the rule, or what is missing.
import { printable } from './text.ts';

export type FieldIssue = { field: string; rule: string };

export class DomainError extends Error {
  readonly kind:
    | 'not_found'
    | 'forbidden'
    | 'unauthenticated'
    | 'conflict'
    | 'gone'
    | 'gate_failed'
    | 'invalid_input'
    | 'precondition_required'
    | 'rate_limited';
  readonly details: Record<string, unknown>;
  constructor(kind: DomainError['kind'], message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.kind = kind;
    this.details = details;
  }
}

export class NotFound extends DomainError {
  constructor(what: string, key: string) {
    // the key is whatever the address said: a bidirectional override in it would reorder the sentence around it
    const shown = printable(key);
    super('not_found', `${what} '${shown}' does not exist`, { what, key: shown });
  }
}

export class Forbidden extends DomainError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('forbidden', message, details);
  }
}

export class Unauthenticated extends DomainError {
  constructor(message: string) {
    super('unauthenticated', message);
  }
}

/** Someone else changed the item first; `current` is what is stored now. */
export class Conflict extends DomainError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('conflict', message, details);
  }
}

/**
 * `details.rule` of a conflict where the thing is already as asked (a comment already hidden, one not
 * locked unlocked): someone did it first, and the caller has nothing left to do, not a change to
 * read again and reapply (failure.ts gives it its own remedy on every edge).
 */
export const ALREADY_AS_ASKED = 'already-as-asked';

/** A conflict where the thing is already as asked: nothing to do. */
export function alreadyAsAsked(message: string, details: Record<string, unknown> = {}): Conflict {
  return new Conflict(message, { ...details, rule: ALREADY_AS_ASKED });
}

/** What was asked for existed but is over (an invitation expired or withdrawn): nothing can bring it back. */
export class Gone extends DomainError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('gone', message, details);
  }
}

/** Asked again too soon (a confirmation mail): `retryAt` says when it may be asked for again. */
export class TooSoon extends DomainError {
  constructor(message: string, retryAt: string) {
    super('rate_limited', message, { retryAt });
  }
}

export class PreconditionRequired extends DomainError {
  constructor(message: string) {
    super('precondition_required', message);
  }
}

export class InvalidInput extends DomainError {
  readonly issues: FieldIssue[];
  constructor(issues: FieldIssue[]) {
    super('invalid_input', issues.map((i) => `${i.field}: ${i.rule}`).join('; '), { issues });
    this.issues = issues;
  }
}

/** The caller gave up (a cancelled MCP request, a closed connection): nothing was recorded. */
export class Cancelled extends DomainError {
  constructor(message: string) {
    super('conflict', message);
  }
}

export function invalid(field: string, rule: string): InvalidInput {
  return new InvalidInput([{ field, rule }]);
}

/**
 * A URL setting's value as it may be printed: the password between `//user:` and the last `@` is
 * `***` (a message goes to the journal, and a password may itself hold an `@`).
 */
export function withoutPassword(url: string): string {
  return url.replace(/\/\/([^:@/]*):.*@/, '//$1:***@');
}

/**
 * A setting the operator gave (an environment variable, or the database URL) that wghub cannot use:
 * its message names the setting, the rule and the value given. The CLI prints it as it is and exits
 * 78 (configuration), as for an unusable governance file, with no hint to look for a bug in wghub.
 */
export class SettingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SettingError';
  }
}
