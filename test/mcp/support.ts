import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import type { ServerType } from '@hono/node-server';
import { serve } from '../support/serve-test.ts';
import type { Hub } from '../../src/app/core/hub.ts';
import { createHttpApp } from '../../src/http/server.ts';
import type { McpHttpOptions } from '../../src/mcp/http.ts';
import { WGHUB } from '../support/process.ts';

export type Era = 'legacy' | 'modern';
export const ERAS: Era[] = ['legacy', 'modern'];

const negotiation = (era: Era) =>
  era === 'modern' ? { mode: { pin: '2026-07-28' } as const } : { mode: 'legacy' as const };

/** The SDK's own client over Streamable HTTP, in the given protocol era. */
export async function httpClient(url: string, era: Era, token?: string): Promise<Client> {
  const client = new Client({ name: 'wghub-test', version: '1.0.0' }, { versionNegotiation: negotiation(era) });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), {
      requestInit: { headers: token ? { Authorization: `Bearer ${token}` } : {} },
    }),
  );
  return checking(client);
}

/** The SDK's own client over stdio, starting `wghub mcp` as a real process. */
export async function stdioClient(env: Record<string, string>, args: string[], era: Era): Promise<Client> {
  const client = new Client({ name: 'wghub-test', version: '1.0.0' }, { versionNegotiation: negotiation(era) });
  await client.connect(
    new StdioClientTransport({
      command: WGHUB,
      args: [...args, 'mcp'],
      env: { ...(process.env as Record<string, string>), ...env },
      stderr: 'pipe',
    }),
  );
  return checking(client);
}

/**
 * The client once it has listed the tools, as clients do first: from then on the SDK's client
 * checks every tool's structured output against its outputSchema and throws when it does not fit,
 * so every test's tool calls check the hub's output too (e48b5a0 found one that did not).
 */
async function checking(client: Client): Promise<Client> {
  await client.listTools();
  return client;
}

export function text(r: { content?: unknown }): string {
  return ((r.content as { type: string; text?: string }[]) ?? []).map((c) => c.text ?? '').join('\n');
}

/** Every tool the hub offers. */
export const TOOLS = [
  'accept_invitation',
  'add_action_item',
  'add_agenda_item',
  'add_evidence',
  'add_group_webhook',
  'add_person',
  'add_topic_area',
  'answer_membership_request',
  'ask_for_review',
  'ask_to_be_member',
  'cancel_meeting',
  'change_agenda_item_kind',
  'change_meeting_recurrence',
  'check_gates',
  'check_prior_work',
  'comment_on_proposal',
  'complete_action_item',
  'complete_follow_up',
  'confirm_email',
  'create_draft_proposal',
  'decision_timeline',
  'decline_invitation',
  'designate_resolver',
  'draft_pull_request',
  'draft_quarterly_update',
  'edit_charter',
  'edit_comment',
  'edit_meeting',
  'edit_written_input',
  'end_meeting_series',
  'end_sponsorship',
  'extend_decision',
  'get_agenda',
  'get_charter',
  'get_decision',
  'get_document',
  'get_github_status',
  'get_inbox',
  'get_meeting_outcomes',
  'get_organisation',
  'get_person',
  'get_proposal',
  'get_topic_area',
  'give_guidance',
  'invite_to_group',
  'join_group',
  'leave_group',
  'list_comments',
  'list_decisions',
  'list_decisions_needing_me',
  'list_documents',
  'list_group_invitations',
  'list_group_webhooks',
  'list_groups',
  'list_late_notes',
  'list_membership_requests',
  'list_my_invitations',
  'list_organisations',
  'list_possible_sponsors',
  'list_proposals',
  'list_subscriptions',
  'list_upcoming_meetings',
  'mark_notifications_read',
  'mark_written_input',
  'moderate_comment',
  'move_agenda_item',
  'move_group',
  'move_stage',
  'open_decision',
  'promote_proposal',
  'propose_group',
  'publish_agenda',
  'record_attendance',
  'record_meeting_decision',
  'record_meeting_notes',
  'relate_proposal',
  'remove_agenda_item',
  'remove_group_member',
  'remove_group_webhook',
  'request_vote',
  'reschedule_meeting',
  'resend_email_confirmation',
  'respond_to_decision',
  'restore_meeting',
  'schedule_meeting',
  'search',
  'set_meeting_note_taker',
  'set_member_level',
  'set_person_role',
  'set_subscription',
  'sponsor_group',
  'sponsor_proposal',
  'submit_written_input',
  'suggest_agenda_items',
  'support_proposal',
  'update_person',
  'update_proposal',
  'update_topic_area',
  'verify_evidence',
  'vote_on_decision',
  'what_needs_me',
  'withdraw_decision',
  'withdraw_decision_response',
  'withdraw_invitation',
  'withdraw_membership_request',
  'withdraw_support',
  'withdraw_written_input',
];

/** The hub's HTTP app on a loopback port: its /mcp address and the server to close. */
export async function serveMcpOverHttp(hub: Hub, mcp?: McpHttpOptions): Promise<{ url: string; server: ServerType }> {
  const server = serve({
    fetch: createHttpApp(hub, undefined, mcp ? { mcp } : undefined).fetch,
    hostname: '127.0.0.1',
    port: 0,
  });
  await new Promise((resolve) => server.once('listening', resolve));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/mcp`, server };
}
