import { cliIo } from './io.ts';
import { printable } from '../domain/text.ts';
import { DomainError, SettingError } from '../domain/errors.ts';
import { describeFailure, detailOn, EXIT } from '../domain/failure.ts';
import { type Governance, GovernanceError } from '../domain/governance/index.ts';
import { DatabaseTooNew } from '../store/migrate.ts';

export { EXIT };

/** The governance of the hub a refusal came from, so its examples and references are cited as there (RFC-2575). */
const refusedIn = new WeakMap<DomainError, Pick<Governance, 'proposals'>>();
export function refusedByHub(e: unknown, g: Pick<Governance, 'proposals'>): void {
  if (e instanceof DomainError) refusedIn.set(e, g);
}

/**
 * Whether WGHUB_DEBUG asks for stack traces: on for `1`, `true`, `yes` or `on` (any other word
 * too), off unset, empty, or `0`, `false`, `no`, `off` (`WGHUB_DEBUG=0` turned it on).
 */
export function debugOn(env: NodeJS.ProcessEnv = cliIo().env): boolean {
  const v = env.WGHUB_DEBUG?.trim().toLowerCase();
  return !!v && !['0', 'false', 'no', 'off'].includes(v);
}

/** `json`: the command was asked for JSON (`--json`), so one that exits 0 still prints a JSON document. */
export function reportError(e: unknown, opts: { json?: boolean } = {}): number {
  if (e instanceof DomainError) {
    // the one mapping every edge reads: what went wrong in the use case's words, and its exit code
    const f = describeFailure(e, refusedIn.get(e));
    // already as asked exits 0: a script reading --json parses standard output, which must hold JSON
    if (opts.json && f.exitCode === EXIT.ok)
      cliIo().stdout.write(
        `${JSON.stringify({ alreadyAsAsked: true, rule: 'already-as-asked', detail: printable(detailOn(f, 'cli')) }, null, 2)}\n`,
      );
    const text = f.issues
      ? `invalid input\n${f.issues.map((i) => `  ${i.field}: ${i.rule}`).join('\n')}`
      : detailOn(f, 'cli');
    cliIo().stderr.write(printable(`wghub: ${text}\n`));
    return f.exitCode;
  }
  if (e instanceof GovernanceError || e instanceof DatabaseTooNew) {
    cliIo().stderr.write(`wghub: ${e.message}\n`);
    return EXIT.config;
  }
  // the operator's setting, named with its rule: nothing in wghub to debug
  if (e instanceof SettingError) {
    cliIo().stderr.write(
      printable(
        `wghub: ${e.message}\n(correct it, or unset it for its default; each setting is in docs/configuration.md)\n`,
      ),
    );
    return EXIT.config;
  }
  // A file or system error is the operator's to fix, and its message says what; a stack trace
  // (WGHUB_DEBUG=1) is for a bug in wghub.
  const message = e instanceof Error ? e.message : String(e);
  // a system error (ECONNREFUSED, EACCES, ENOSPC…) names what to fix; where it failed in wghub does not help
  const system =
    typeof (e as { code?: unknown })?.code === 'string' && /^E[A-Z0-9_]+$/.test((e as { code: string }).code);
  if (debugOn()) cliIo().stderr.write(`wghub: ${(e as Error)?.stack ?? message}\n`);
  else
    cliIo().stderr.write(
      printable(`wghub: ${message}\n${system ? '' : '(run with WGHUB_DEBUG=1 to see where it failed)\n'}`),
    );
  return EXIT.failure;
}
