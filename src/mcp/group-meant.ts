// A tool refusing its `group` argument (not a slug's shape, or no group of that slug) names the group
// the text looks like, and one refusing a handle the person the text looks like ("Priya Nair"), so an assistant that sent what its person said ("Hosting WG") recovers in one
// call instead of listing the groups and guessing again (app/groups/groups-meant.ts decides).
import type { CallToolResult } from '@modelcontextprotocol/server';
import type { Hub } from '../app/core/hub.ts';
import { InvalidInput, NotFound } from '../domain/errors.ts';
import { peopleMeant } from '../app/people/people-meant.ts';
import { groupMeantLine, personMeantLine, proposalMeantLine } from '../domain/meant.ts';
import { proposalsMeant } from '../app/proposals/proposals-meant.ts';
import { printable } from '../domain/text.ts';
import { groupsMeant } from '../app/groups/groups-meant.ts';

/**
 * A refusal that is about the `group` argument: its one issue in the first line, one of several listed
 * below it, or the group not found.
 */
const ABOUT_GROUP = /(^|\n) {2}- group: |^invalid input: group: |^not found: group '/;

/**
 * The refusal with a line naming the group `sent.group` may mean, after the group's issue or before
 * the last line (what to do); any other answer, or one about a group no name matches, as it was.
 */
export async function withGroupMeant(hub: Hub, sent: unknown, answer: CallToolResult): Promise<CallToolResult> {
  const said = (sent as { group?: unknown } | null | undefined)?.group;
  const first = answer.content?.[0];
  if (!answer.isError || typeof said !== 'string' || first?.type !== 'text' || !ABOUT_GROUP.test(first.text))
    return answer;
  const line = groupMeantLine('group', said, await groupsMeant(hub, said));
  if (!line) return answer;
  const lines = first.text.split('\n');
  // beside the group's own issue, else before the last line (what to do)
  const issue = lines.findIndex((l) => l.startsWith('  - group: '));
  lines.splice(issue === -1 ? Math.max(1, lines.length - 1) : issue + 1, 0, `  - ${line}`);
  return { ...answer, content: [{ ...first, text: lines.join('\n') }, ...answer.content.slice(1)] };
}

/**
 * The sentence naming the group `args.group` may mean when `e` refuses that argument (its shape, or
 * no such group), for a prompt's -32602; null otherwise. A person picking `draft_proposal` from a
 * menu types the group as they say it, as a model fills a tool's argument.
 */
export async function groupMeantFor(hub: Hub, args: unknown, e: unknown): Promise<string | null> {
  const said = (args as { group?: unknown } | null | undefined)?.group;
  if (typeof said !== 'string') return null;
  const about =
    (e instanceof InvalidInput && e.issues.some((i) => i.field === 'group')) ||
    (e instanceof NotFound && e.details.what === 'group');
  return about ? groupMeantLine('group', said, await groupsMeant(hub, said)) : null;
}

/** The arguments that name someone already here by handle (add_person's `handle` is a new one's). */
const HANDLE_FIELDS = ['handle', 'designee', 'for', 'owner', 'noteTaker'] as const;
const NEW_HANDLE_TOOLS = new Set(['add_person']);

/**
 * The refusal of a handle argument (its format, or nobody of that handle) with a line naming whom
 * the text looks like ("Priya Nair" is @priya), beside the field's issue or before the last line.
 */
export async function withPersonMeant(
  hub: Hub,
  tool: string,
  sent: unknown,
  answer: CallToolResult,
): Promise<CallToolResult> {
  const first = answer.content?.[0];
  if (!answer.isError || first?.type !== 'text' || NEW_HANDLE_TOOLS.has(tool)) return answer;
  const args = (sent ?? {}) as Record<string, unknown>;
  for (const field of HANDLE_FIELDS) {
    const said = args[field];
    if (typeof said !== 'string') continue;
    const lines = first.text.split('\n');
    // its one issue is the first line; one of several is listed below it
    const issue = lines[0]!.startsWith(`invalid input: ${field}: `)
      ? 0
      : lines.findIndex((l) => l.startsWith(`  - ${field}: `));
    const notFound = lines[0]!.startsWith('not found: ') && lines[0]!.includes(`'${printable(said)}'`);
    if (issue === -1 && !notFound) continue;
    const line = personMeantLine(field, said, await peopleMeant(hub, said));
    if (!line) continue;
    lines.splice(issue === -1 ? Math.max(1, lines.length - 1) : issue + 1, 0, `  - ${line}`);
    return { ...answer, content: [{ ...first, text: lines.join('\n') }, ...answer.content.slice(1)] };
  }
  return answer;
}

/** The arguments that name a proposal by its reference. */
const PROPOSAL_FIELDS = ['ref', 'proposal'] as const;

/**
 * A refusal saying no proposal has the reference sent, with a line naming the proposal its text looks
 * like when it is a title ("Server cards" is P-3 "Server Cards for discovery"), before the last line
 * (what to do): an assistant that sent what its person called the proposal recovers in one call.
 */
export async function withProposalMeant(hub: Hub, sent: unknown, answer: CallToolResult): Promise<CallToolResult> {
  const first = answer.content?.[0];
  if (!answer.isError || first?.type !== 'text' || !first.text.startsWith("not found: proposal '")) return answer;
  const args = (sent ?? {}) as Record<string, unknown>;
  for (const field of PROPOSAL_FIELDS) {
    const said = args[field];
    if (typeof said !== 'string' || !first.text.split('\n')[0]!.includes(`'${printable(said)}'`)) continue;
    const line = proposalMeantLine(field, said, await proposalsMeant(hub, said));
    if (!line) return answer;
    const lines = first.text.split('\n');
    lines.splice(Math.max(1, lines.length - 1), 0, `  - ${line}`);
    return { ...answer, content: [{ ...first, text: lines.join('\n') }, ...answer.content.slice(1)] };
  }
  return answer;
}
