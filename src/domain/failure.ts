// One answer to "what went wrong and what now" for a domain error, which each edge then writes in
// its own wire format (REST problem+json, an MCP tool error, a web form, the CLI's message and exit code): the edges used to keep a
// table each, and a kind added to one was missed by the other.
import { ALREADY_AS_ASKED, type DomainError, type FieldIssue, InvalidInput } from './errors.ts';
import type { Governance } from './governance/schema.ts';
import { shownRefsOutsideQuotes } from './governance/words.ts';

export type FailureKind = DomainError['kind'];

export type Failure = {
  kind: FailureKind;
  /** The HTTP status (REST and the web pages). */
  status: number;
  /** The `wghub` command's exit code (docs/cli.md lists them). */
  exitCode: number;
  /** A short title for the kind. */
  title: string;
  /** What is wrong, in the use case's words. */
  detail: string;
  /** Each field and the rule it broke; null unless the input was invalid. */
  issues: FieldIssue[] | null;
  /** What the caller can do next: the detail says what is wrong, this says how to fix it. */
  remedy: string;
  /** The error's other facts (a conflict's current version and item, a gate's conditions). */
  extra: Record<string, unknown>;
};

export const STATUS: Record<FailureKind, number> = {
  invalid_input: 422,
  not_found: 404,
  forbidden: 403,
  unauthenticated: 401,
  conflict: 409,
  gone: 410,
  gate_failed: 422,
  precondition_required: 428,
  rate_limited: 429,
};

/** The `wghub` command's exit codes: one per kind of failure, so scripts can tell them apart. */
export const EXIT = {
  ok: 0,
  failure: 1,
  invalidInput: 2,
  notFound: 3,
  forbidden: 4,
  conflict: 5,
  gateFailed: 6,
  tooSoon: 7,
  config: 78,
} as const;

export const EXIT_CODE: Record<FailureKind, number> = {
  invalid_input: EXIT.invalidInput,
  not_found: EXIT.notFound,
  forbidden: EXIT.forbidden,
  unauthenticated: EXIT.forbidden,
  conflict: EXIT.conflict,
  gone: EXIT.conflict,
  gate_failed: EXIT.gateFailed,
  precondition_required: EXIT.conflict,
  rate_limited: EXIT.tooSoon,
};

export const TITLE: Record<FailureKind, string> = {
  invalid_input: 'The input is not valid',
  not_found: 'Not found',
  forbidden: 'Not allowed',
  unauthenticated: 'An API token is needed',
  conflict: 'Someone else changed this first',
  gone: 'No longer there',
  gate_failed: 'A condition of the barrier to change is not met',
  precondition_required: 'If-Match is required',
  rate_limited: 'Asked too often',
};

const REMEDY: Record<FailureKind, string> = {
  invalid_input: 'Fix the named fields and call the tool again.',
  not_found: 'Check the reference: list_proposals, search or the wghub:// resources show what exists.',
  forbidden:
    "It cannot be done now for the reason given, whatever the arguments; the item's `can` (get_proposal, get_decision, get_agenda, get_charter, get_person) says what you may do there now.",
  unauthenticated:
    'Connect with an API token (`wghub token create --person HANDLE`, sent as "Authorization: Bearer TOKEN"), or run `wghub mcp --as HANDLE`.',
  conflict: 'Read the item again, reapply your change and call the tool again.',
  gone: 'It is over and cannot be taken up again: ask for a new one.',
  gate_failed: 'Provide what the failing conditions ask for (check_gates lists them), then try the move again.',
  precondition_required: 'Read the item first and pass the version you read.',
  rate_limited: 'Wait until the time given (retryAt), then ask again.',
};

/**
 * How each edge sends what a failure asks for, where the use case cannot say it: a missing version
 * is If-Match over REST and --if-version on the command line (MCP's `version` is in the remedy).
 */
const HOW_ON: Record<'rest' | 'cli', Partial<Record<FailureKind, string>>> = {
  rest: { precondition_required: 'send If-Match with the ETag from GET' },
  cli: { precondition_required: 'pass --if-version with the version `show` prints' },
};

/** The failure's detail as an edge writes it: the use case's words, and how that edge sends what is missing. */
export function detailOn(f: Failure, edge: 'rest' | 'cli'): string {
  const how = HOW_ON[edge][f.kind];
  return how ? `${f.detail} (${how})` : f.detail;
}

export function describeFailure(e: DomainError, g?: Pick<Governance, 'proposals'>): Failure {
  const extra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(e.details)) if (k !== 'issues') extra[k] = v;
  // the rules' examples and the references they name, as this community cites them (RFC-2575)
  const words = (text: string) => (g ? shownRefsOutsideQuotes(g, text) : text);
  // already as asked: a conflict (someone did it first), but nothing to read again and reapply
  const already = e.kind === 'conflict' && e.details.rule === ALREADY_AS_ASKED;
  return {
    kind: e.kind,
    status: STATUS[e.kind],
    // the state the command asks for holds: a script that retries a step (or runs it under `set -e`)
    // stays green, as `mkdir -p` does; the message on standard error still says nothing was done
    exitCode: already ? EXIT.ok : EXIT_CODE[e.kind],
    title: already ? 'Already as asked' : TITLE[e.kind],
    detail: words(already ? `${e.message}: it is already so, nothing to do` : e.message),
    issues: e instanceof InvalidInput ? e.issues.map((i) => ({ ...i, rule: words(i.rule) })) : null,
    remedy: remedyFor(e),
    extra,
  };
}

/** Where an unknown thing's kind is listed, so the next call looks in the right place. */
const WHERE_TO_LOOK: Record<string, string> = {
  meeting: 'Check the reference: list_upcoming_meetings lists the meetings (M-3).',
  decision: 'Check the reference (D-3): list_decisions_needing_me lists the open decisions that wait for you.',
  group:
    'Check the slug: list_groups lists the groups (as do the group charters in resources/list, wghub://groups/{slug}/charter).',
  'topic area': "Check the slugs: get_charter lists a group's topic areas.",
  member: "Check the handle: get_charter lists a group's members.",
  person: "Check the handle: get_charter lists a group's members and get_organisation an organisation's people.",
  organisation: 'Check the slug: list_organisations lists them.',
  artifact: 'Check the path: list_documents lists the documents.',
  webhook: "Check the id: list_group_webhooks lists a group's webhooks.",
  comment: 'Check the comment: search with kind comment finds it.',
  invitation:
    "Check the id: list_my_invitations lists the invitations waiting for you, list_group_invitations a group's open ones.",
};

/**
 * A refusal's next step follows its reason: one naming who may ("Only a group lead … may …") is
 * for one of them to act on, one about the thing's state (the meeting started, no sponsor yet) is
 * not fixed by anyone's role, and missing agreements are the person's own to accept.
 */
function remedyFor(e: DomainError): string {
  // "invitation to hosting" is an invitation looked for under one group's address
  if (e.kind === 'conflict' && e.details.rule === ALREADY_AS_ASKED)
    return 'It is already so: nothing to do. Do not call the tool again for it; read the item to see who changed it and why.';
  if (e.kind === 'not_found') return WHERE_TO_LOOK[String(e.details.what).replace(/ to .*$/, '')] ?? REMEDY.not_found;
  if (e.kind !== 'forbidden') return REMEDY[e.kind];
  if (e.details.remedy === 'accept-agreements')
    return "Read and accept them on the hub's welcome page (/welcome in the browser), then call the tool again.";
  if (e.details.remedy === 'sign-in') return REMEDY.unauthenticated;
  if (e.message.startsWith('Only '))
    return `Ask one of those it names to do this${/group lead|facilitator/.test(e.message) ? " (the group's leads are on get_charter)" : ''}, or leave it to them.`;
  return REMEDY.forbidden;
}
