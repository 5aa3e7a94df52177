import { printable } from '../domain/text.ts';
import { DomainError, InvalidInput } from '../domain/errors.ts';
import { GovernanceError } from '../domain/governance/index.ts';
import { DatabaseTooNew } from '../store/migrate.ts';

/** Exit codes, one per kind of failure, so scripts can tell them apart. */
export const EXIT = {
  ok: 0,
  failure: 1,
  invalidInput: 2,
  notFound: 3,
  forbidden: 4,
  conflict: 5,
  gateFailed: 6,
  config: 78,
} as const;

export function reportError(e: unknown): number {
  if (e instanceof InvalidInput) {
    process.stderr.write(
      printable(`wghub: invalid input\n${e.issues.map((i) => `  ${i.field}: ${i.rule}`).join('\n')}\n`),
    );
    return EXIT.invalidInput;
  }
  if (e instanceof DomainError) {
    process.stderr.write(printable(`wghub: ${e.message}\n`));
    switch (e.kind) {
      case 'not_found':
        return EXIT.notFound;
      case 'forbidden':
      case 'unauthenticated':
        return EXIT.forbidden;
      case 'conflict':
      case 'precondition_required':
        return EXIT.conflict;
      case 'gate_failed':
        return EXIT.gateFailed;
      default:
        return EXIT.failure;
    }
  }
  if (e instanceof GovernanceError || e instanceof DatabaseTooNew) {
    process.stderr.write(`wghub: ${e.message}\n`);
    return EXIT.config;
  }
  // A file or system error is the operator's to fix, and its message says what; a stack trace
  // (WGHUB_DEBUG=1) is for a bug in wghub.
  const message = e instanceof Error ? e.message : String(e);
  if (process.env.WGHUB_DEBUG) process.stderr.write(`wghub: ${(e as Error)?.stack ?? message}\n`);
  else process.stderr.write(printable(`wghub: ${message}\n(run with WGHUB_DEBUG=1 to see where it failed)\n`));
  return EXIT.failure;
}
