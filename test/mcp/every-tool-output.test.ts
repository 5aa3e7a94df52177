// Every tool called once as an outside client calls it (plain fetch, JSON-RPC written by hand, the
// 2025-11-25 era with `Accept: application/json`) on the demo community, and every answer checked
// with a JSON Schema validator the hub does not use (ajv, draft 2020-12) against the outputSchema
// tools/list gave, its text agreeing with its structured content. The SDK's own client checks
// output too, but only for the calls a test happens to make, and with the SDK's own reading of
// the schema. Then what such a client met and was not told plainly: write tools without a token,
// filters naming no group, prompt arguments.
import path from 'node:path';
import type { ServerType } from '@hono/node-server';
import { Ajv2020 } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { addComment } from '../../src/app/proposals/comments.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { confirmationToken } from '../../src/app/people/email.ts';
import { importArtifact } from '../../src/app/imports/artifacts.ts';
import { databases } from '../support/databases.ts';
import { openDemoHub, asActor, type TestHub } from '../support/hub.ts';
import { ROOT } from '../support/process.ts';
import { serveMcpOverHttp, TOOLS } from './support.ts';

// biome-ignore lint/suspicious/noExplicitAny: answers off the wire, read by shape in the assertions
type Wire = any;
type Tool = { name: string; outputSchema: object; annotations: { readOnlyHint: boolean } };

/**
 * Tools whose first text is the document itself (markdown), which structuredContent carries as
 * `markdown`; the rest follows as JSON, so a client that reads only text loses nothing.
 */
const MARKDOWN = new Set(['get_charter', 'draft_quarterly_update', 'draft_pull_request']);

let id = 0;
async function rpc(url: string, token: string | null, method: string, params?: unknown): Promise<Wire> {
  const r = await fetch(url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Accept: 'application/json',
      'MCP-Protocol-Version': '2025-11-25',
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: ++id, method, ...(params ? { params } : {}) }),
    signal: AbortSignal.timeout(30_000),
  });
  expect(r.status, method).toBe(200);
  return r.json();
}

describe.each(databases)('every tool, as a hand-written client calls it, on $name', (database) => {
  let hub: TestHub;
  let main: { url: string; server: ServerType };
  let anonymous: { url: string; server: ServerType };
  const tokens: Record<string, string> = {};
  let tools: Tool[];

  beforeAll(async () => {
    hub = await openDemoHub(database, { work: true, start: '2026-12-05T12:00:00Z' });
    hub.governance.rateLimits = { ...hub.governance.rateLimits, enabled: false };
    hub.governance.evidence = {
      ...hub.governance.evidence,
      probeTimeoutSeconds: 30,
      stdioCommands: {
        good: [path.join(ROOT, 'node_modules/.bin/node'), path.join(ROOT, 'test/fixtures/mcp/good-server.ts')],
      },
    };
    for (const handle of ['sam-lead', 'priya', 'amara', 'lena-core', 'kai-core', 'ines-core']) {
      tokens[handle] = (await createToken(hub, SYSTEM, handle)).token;
    }
    main = await serveMcpOverHttp(hub);
    anonymous = await serveMcpOverHttp(hub, { anonymousReads: true });
    tools = (await rpc(main.url, tokens.priya!, 'tools/list')).result.tools;
  });
  afterAll(async () => {
    main?.server.close();
    anonymous?.server.close();
    await hub?.close();
  });

  it('answers every tool with structured content that fits its outputSchema, and text that says the same', async () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    // a CommonJS module whose default export TypeScript reads as the module itself
    (formats as unknown as { default: (a: Ajv2020) => void }).default(ajv);
    const fits = new Map(tools.map((t) => [t.name, ajv.compile(t.outputSchema)]));
    const answered = new Set<string>();
    const call = async (who: string, name: string, args: Record<string, unknown>) => {
      const { result, error } = await rpc(main.url, tokens[who]!, 'tools/call', { name, arguments: args });
      expect(error, name).toBeUndefined();
      const text = result.content.map((c: { text: string }) => c.text).join('\n');
      expect(result.isError, `${name}: ${text}`).toBeFalsy();
      const out = result.structuredContent;
      const check = fits.get(name)!;
      expect(check(out) ? [] : check.errors, name).toEqual([]);
      if (MARKDOWN.has(name)) {
        // a client that hands its model only `content` needs get_charter's group.version for edit_charter
        const { markdown, ...rest } = out;
        expect(
          result.content.map((c: { text: string }) => c.text),
          name,
        ).toEqual([markdown, JSON.stringify(rest)]);
      } else expect(text, name).toBe(JSON.stringify(out));
      answered.add(name);
      return out;
    };
    const version = async (ref: string) => (await call('sam-lead', 'get_agenda', { ref })).version as number;

    // reads
    await call('priya', 'search', { q: 'session affinity' });
    await call('priya', 'check_prior_work', { title: 'Retry guidance', text: 'gateways drop connections' });
    await call('priya', 'list_proposals', { limit: 2 });
    await call('priya', 'get_proposal', { ref: 'P-2' });
    await call('priya', 'check_gates', { ref: 'P-2' });
    await call('priya', 'list_possible_sponsors', { ref: 'P-2' });
    await call('priya', 'draft_pull_request', { ref: 'P-2' });
    await call('sam-lead', 'list_decisions_needing_me', {});
    await call('priya', 'what_needs_me', {});
    await call('priya', 'get_decision', { ref: 'D-1' });
    await call('priya', 'decision_timeline', { ref: 'D-1' });
    await call('priya', 'list_decisions', { subject: 'P-2', open: true });
    await call('priya', 'get_inbox', {});
    await call('lena-core', 'get_github_status', {});
    await call('priya', 'list_groups', {});
    await call('priya', 'get_charter', { group: 'hosting' });
    await call('priya', 'list_upcoming_meetings', {});
    await call('priya', 'get_topic_area', { group: 'hosting', topic: 'horizontal-scaling' });
    await call('sam-lead', 'list_late_notes', {});
    await call('sam-lead', 'draft_quarterly_update', { group: 'hosting' });
    await call('sam-lead', 'list_group_webhooks', { group: 'hosting' });
    await call('priya', 'get_person', { handle: 'sam-lead' });
    await call('priya', 'list_organisations', {});
    await call('priya', 'get_organisation', { slug: 'nebula-tools' });
    await call('priya', 'list_subscriptions', {});
    await call('priya', 'list_documents', {});

    // a proposal on the route, with evidence verified against a fixture server
    const { ref, version: drafted } = await call('amara', 'create_draft_proposal', {
      title: 'Backoff headers for gateways',
      problem: 'Clients cannot tell how long to wait when a gateway sheds load.',
      examples: ['A 503 with no Retry-After'],
      layer: 'supporting-resource',
      group: 'hosting',
    });
    const edited = await call('amara', 'update_proposal', {
      ref,
      version: drafted,
      examples: ['A 503 with no Retry-After', 'A 429 whose Retry-After is a date'],
      links: { forum: 'https://forum.example.org/t/backoff-headers' },
    });
    expect([edited.examples.length, edited.links.forum, edited.version]).toEqual([
      2,
      'https://forum.example.org/t/backoff-headers',
      drafted + 1,
    ]);
    await call('amara', 'move_stage', { ref, to: 'prior-work-checked' });
    await call('amara', 'relate_proposal', { ref, kind: 'builds-on', to: 'P-1' });
    const { evidence } = await call('amara', 'add_evidence', {
      ref,
      kind: 'implementation',
      description: 'The fixture server implements it',
      url: 'stdio:good',
      organisation: 'Independent',
    });
    await call('lena-core', 'verify_evidence', { ref, evidenceId: evidence[0].id });
    await call('amara', 'ask_for_review', { ref });
    await call('priya', 'respond_to_decision', { ref: 'D-1', kind: 'consent' });
    await call('priya', 'withdraw_decision_response', { ref: 'D-1' });
    await call('priya', 'support_proposal', { ref: 'P-1' });
    await call('priya', 'withdraw_support', { ref: 'P-1' });
    await call('priya', 'comment_on_proposal', { ref: 'P-1', body: 'We see the same retries behind our gateway.' });
    const thread = await call('priya', 'list_comments', { ref: 'P-1' });
    const said = thread.items.find((c: { author: string }) => c.author === 'priya');
    await call('priya', 'edit_comment', {
      comment: said.id,
      body: 'We see the same retries behind our gateway, twice a day.',
      version: said.version,
    });
    await call('sam-lead', 'mark_notifications_read', {});
    await call('priya', 'set_subscription', { subjectType: 'proposal', subjectRef: 'P-2', level: 'watching' });

    // a meeting to come (M-2): its agenda, then moved and called off
    const added = await call('priya', 'add_agenda_item', {
      ref: 'M-2',
      title: 'Scaling notes review',
      kind: 'content',
    });
    const item = added.agenda.items.at(-1);
    const sentInput = await call('amara', 'submit_written_input', {
      ref: 'M-2',
      item: item.position,
      body: 'I will read the notes.',
    });
    const mine = sentInput.agenda.items.at(-1).writtenInput[0];
    await call('amara', 'edit_written_input', {
      ref: 'M-2',
      input: mine.id,
      body: 'I will read the notes afterwards.',
      version: mine.version,
    });
    const second = await call('amara', 'submit_written_input', {
      ref: 'M-2',
      item: item.position,
      body: 'On second thought, nothing more.',
    });
    await call('amara', 'withdraw_written_input', {
      ref: 'M-2',
      input: second.agenda.items.at(-1).writtenInput[1].id,
    });
    await call('priya', 'add_agenda_item', { ref: 'M-2', title: 'Anything else', kind: 'content' });
    await call('sam-lead', 'move_agenda_item', {
      ref: 'M-2',
      item: item.position,
      direction: 'down',
      version: await version('M-2'),
    });
    await call('sam-lead', 'change_agenda_item_kind', {
      ref: 'M-2',
      item: 1,
      kind: 'process',
      version: await version('M-2'),
    });
    await call('sam-lead', 'set_meeting_note_taker', { ref: 'M-2', noteTaker: 'priya', version: await version('M-2') });
    expect((await call('sam-lead', 'suggest_agenda_items', { ref: 'M-2' })).items.length).toBeGreaterThan(0);
    const agenda = await call('sam-lead', 'get_agenda', { ref: 'M-2' });
    const free = agenda.agenda.items.find((i: { writtenInput: unknown[] }) => !i.writtenInput.length);
    await call('sam-lead', 'remove_agenda_item', { ref: 'M-2', item: free.position, version: agenda.version });
    await call('sam-lead', 'reschedule_meeting', {
      ref: 'M-2',
      startsAt: '2026-12-16T13:00:00Z',
      version: await version('M-2'),
    });
    await call('sam-lead', 'cancel_meeting', { ref: 'M-2', version: await version('M-2') });
    expect(await call('sam-lead', 'restore_meeting', { ref: 'M-2' })).toMatchObject({ cancelled: false });
    await call('sam-lead', 'edit_meeting', { ref: 'M-2', location: 'Room 2', version: await version('M-2') });
    await call('sam-lead', 'publish_agenda', { ref: 'M-2' });
    const scheduled = await call('sam-lead', 'schedule_meeting', {
      group: 'hosting',
      kind: 'process',
      title: 'Facilitation rota',
      startsAt: '2026-12-18T16:00:00Z',
    });
    expect(scheduled).toMatchObject({ group: 'hosting', kind: 'process', rrule: null, notice: { short: false } });
    await call('sam-lead', 'change_meeting_recurrence', {
      ref: scheduled.ref,
      rrule: 'FREQ=MONTHLY;COUNT=3',
      version: scheduled.version,
    });

    // a meeting held (M-1): its outcomes, then the series ended
    await call('sam-lead', 'record_meeting_notes', {
      ref: 'M-1',
      notes: '## Notes\nWe agreed timelines.',
      version: await version('M-1'),
    });
    await call('sam-lead', 'record_attendance', {
      ref: 'M-1',
      attended: ['sam-lead', 'priya'],
      version: await version('M-1'),
    });
    await call('sam-lead', 'record_meeting_decision', { ref: 'M-1', summary: 'The guide lands before the release' });
    await call('sam-lead', 'record_meeting_decision', {
      ref: 'M-1',
      summary: 'The guide lands before the release',
      decision: 'D-1',
    });
    const outcomes = await call('priya', 'get_meeting_outcomes', { ref: 'M-1' });
    expect(outcomes.decisionStanding).toMatchObject({ items: [{ ref: 'D-1' }], leftOut: 0 });
    const held = await call('sam-lead', 'get_agenda', { ref: 'M-1' });
    const heard = held.agenda.items.flatMap((i: { writtenInput: { id: string }[] }) => i.writtenInput)[0];
    const marked = await call('sam-lead', 'mark_written_input', {
      ref: 'M-1',
      input: heard.id,
      presented: false,
      note: 'We ran out of time; it opens the next meeting.',
    });
    expect(
      marked.agenda.items
        .flatMap((i: { writtenInput: { id: string }[] }) => i.writtenInput)
        .find((w: { id: string }) => w.id === heard.id),
    ).toMatchObject({ presented: false });
    const assigned = await call('sam-lead', 'add_action_item', {
      ref: 'M-1',
      owner: 'priya',
      description: 'Draft section 2',
      due: '2026-12-20',
    });
    const action = assigned.actions.find((a: { description: string }) => a.description === 'Draft section 2');
    await call('priya', 'complete_action_item', { ref: 'M-1', action: action.id });
    await call('sam-lead', 'end_meeting_series', {
      ref: 'M-1',
      from: '2027-01-01',
      reason: 'Moving to monthly',
      version: await version('M-1'),
    });

    // groups, topic areas and membership
    await call('sam-lead', 'set_member_level', { group: 'hosting', handle: 'priya', level: 'member' });
    await call('sam-lead', 'add_topic_area', {
      group: 'hosting',
      slug: 'retries',
      name: 'Retries',
      goal: 'common-patterns',
      facilitators: ['sam-lead'],
    });
    const topic = await call('sam-lead', 'get_topic_area', { group: 'hosting', topic: 'retries' });
    await call('sam-lead', 'update_topic_area', {
      group: 'hosting',
      topic: 'retries',
      name: 'Retries and backoff',
      version: topic.version,
    });
    await call('priya', 'propose_group', {
      slug: 'registry',
      name: 'Registry',
      kind: 'working',
      mission: 'Run the server registry well for everyone who publishes to it.',
      scopeIn: ['Registry API'],
      leads: ['priya'],
    });
    await call('lena-core', 'sponsor_group', { group: 'registry' });
    await call('lena-core', 'move_group', { group: 'registry', to: 'active' });
    await call('amara', 'ask_to_be_member', { group: 'hosting', note: 'I run a gateway.' });
    const requests = await call('sam-lead', 'list_membership_requests', { group: 'hosting' });
    await call('sam-lead', 'answer_membership_request', {
      group: 'hosting',
      id: requests.items[0].id,
      answer: 'accepted',
    });
    await call('amara', 'ask_to_be_member', { group: 'security', note: 'Interested in tool poisoning.' });
    await call('amara', 'withdraw_membership_request', { group: 'security' });
    await call('amara', 'leave_group', { group: 'hosting' });
    await call('amara', 'join_group', { group: 'hosting', level: 'observer' });
    await call('sam-lead', 'remove_group_member', { group: 'hosting', handle: 'amara' });
    // someone not in the group is invited, never placed: a lead withdraws, they accept; another declines
    // (after a decline nobody is invited to that group again for a while, so the one who declines is another)
    const invited = await call('sam-lead', 'invite_to_group', {
      group: 'hosting',
      handle: 'amara',
      level: 'participant',
      message: 'Come back',
    });
    await call('sam-lead', 'list_group_invitations', { group: 'hosting' });
    await call('amara', 'list_my_invitations', {});
    await call('sam-lead', 'withdraw_invitation', { group: 'hosting', id: invited.id });
    const again = await call('sam-lead', 'set_member_level', { group: 'hosting', handle: 'amara', level: 'observer' });
    await call('amara', 'accept_invitation', { id: again.invitation.id });
    const declined = await call('sam-lead', 'invite_to_group', {
      group: 'hosting',
      handle: 'kai-core',
      level: 'observer',
    });
    await call('kai-core', 'decline_invitation', { id: declined.id });
    // the lead reads from when kai-core may be invited again, by the rules inviting checks
    expect((await call('sam-lead', 'list_group_invitations', { group: 'hosting' })).recentlyDeclined).toEqual([
      expect.objectContaining({
        handle: 'kai-core',
        inviteAgain: expect.objectContaining({
          allowed: false,
          rule: 'invite-again-after-decline',
          from: expect.any(String),
        }),
      }),
    ]);
    const hostingGroup = (await call('sam-lead', 'get_charter', { group: 'hosting' })).group;
    await call('sam-lead', 'edit_charter', {
      group: 'hosting',
      changelog: 'Named the registry work in scope.',
      version: hostingGroup.version,
    });
    const hook = await call('sam-lead', 'add_group_webhook', {
      group: 'hosting',
      format: 'slack',
      url: 'https://hooks.slack.com/services/T000/B000/XXXX',
    });
    await call('sam-lead', 'remove_group_webhook', { group: 'hosting', id: hook.id });

    // people
    const me = await call('priya', 'get_person', {});
    await call('priya', 'update_person', { name: 'Priya N.', version: me.version });
    await call('priya', 'update_person', { email: 'priya@example.org' });
    // a second mail is sent no sooner than five minutes after the first
    hub.clock.set(new Date(hub.clock.now().getTime() + 6 * 60_000).toISOString());
    await call('priya', 'resend_email_confirmation', {});
    // the token is in the mail, which no worker sends here: made as the hub makes it
    const sent = await hub.store.db
      .selectFrom('email_confirmations')
      .select('id')
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
    await call('priya', 'confirm_email', { token: await confirmationToken(hub.store.db, sent.id) });
    await call('lena-core', 'add_person', { handle: 'zoe', name: 'Zoe Martin', timeZone: 'Europe/Paris' });
    const zoe = await call('lena-core', 'get_person', { handle: 'zoe' });
    await call('lena-core', 'set_person_role', { handle: 'zoe', role: 'member', version: zoe.version });

    // moderation, sponsorship and decisions
    const comment = await addComment(hub, await asActor(hub, 'jonas'), 'P-2', {
      body: 'Off-topic: has anyone tried the new gateway release?',
    });
    await call('sam-lead', 'moderate_comment', { comment: comment.id, action: 'hide', reason: 'Off topic here' });
    await call('kai-core', 'sponsor_proposal', { ref: 'P-2' });
    await call('kai-core', 'end_sponsorship', { ref: 'P-2', reason: 'I can no longer give it the time.' });
    await call('sam-lead', 'vote_on_decision', { ref: 'D-2', choice: 'yes' });
    await call('priya', 'request_vote', { ref: 'D-1' });
    // more time for D-1, from the version its lead read: a day past its deadline, with why
    const d1 = await call('sam-lead', 'get_decision', { ref: 'D-1' });
    const extended = await call('sam-lead', 'extend_decision', {
      ref: 'D-1',
      version: d1.version,
      deadline: new Date(Date.parse(d1.deadline) + 86_400_000).toISOString(),
      reason: 'Two members were not reached: their mail bounced.',
    });
    expect([extended.version, extended.timeline.at(-1).kind]).toEqual([d1.version + 1, 'decision.extended']);
    await call('sam-lead', 'withdraw_decision', { ref: 'D-2', reason: 'No longer needed after the survey.' });
    await call('sam-lead', 'promote_proposal', { ref: 'P-1' });
    // a follow-up as an accepted specification change's cascade opens it
    const p2 = await hub.store.db
      .selectFrom('proposals')
      .select('id')
      .where('number', '=', 2)
      .executeTakeFirstOrThrow();
    await hub.store.db
      .insertInto('follow_ups')
      .values({
        id: 'fu-go',
        proposal_id: p2.id,
        kind: 'sdk',
        target: 'go',
        status: 'open',
        created_at: hub.clock.now().toISOString(),
        done_at: null,
        done_by: null,
      })
      .execute();
    await call('priya', 'complete_follow_up', { ref: 'P-2', followUp: 'fu-go' });
    // a decision whose vote nobody answers escalates; a lead maintainer names who resolves it, who does
    const charter = await call('sam-lead', 'open_decision', {
      group: 'hosting',
      subject: { type: 'charter' },
      question: 'Add registry hosting to the charter scope?',
      significance: 'minor',
    });
    await call('sam-lead', 'request_vote', { ref: charter.ref });
    hub.clock.set(new Date(hub.clock.now().getTime() + 30 * 86_400_000).toISOString());
    await call('lena-core', 'designate_resolver', { ref: charter.ref, designee: 'ines-core' });
    await call('ines-core', 'give_guidance', {
      ref: charter.ref,
      kind: 'more-information',
      guidance: 'Which registries?',
    });
    await call('priya', 'get_document', { path: await firstDocument() });

    expect(TOOLS.filter((t) => !answered.has(t))).toEqual([]);
  });

  it('says in the outputSchema of each tool that changes a meeting or a topic area that it answers its version', async () => {
    // each of them asks for the version get_agenda showed; the answer carries the new one, for the
    // next change, and a client that reads only what the schema lists must find it there
    for (const name of [
      'reschedule_meeting',
      'cancel_meeting',
      'restore_meeting',
      'edit_meeting',
      'change_meeting_recurrence',
      'publish_agenda',
      'set_meeting_note_taker',
      'remove_agenda_item',
      'move_agenda_item',
      'change_agenda_item_kind',
      'end_meeting_series',
      'record_meeting_notes',
      'record_attendance',
      // and a topic area's, which update_topic_area asks for
      'add_topic_area',
      'get_topic_area',
      'update_topic_area',
    ]) {
      const out = tools.find((t) => t.name === name)!.outputSchema as {
        required: string[];
        properties: Record<string, { type: string }>;
      };
      expect(out.required, name).toContain('version');
      expect(out.properties.version, name).toMatchObject({ type: 'integer' });
    }
  });

  it('tells a client without a token that a write needs one before it reads the arguments', async () => {
    // with `--mcp-anonymous-reads` every write but confirming a mail address (its token is the
    // proof) acts as a person: said at once, not "ref: is required" first and "unauthenticated"
    // only once the arguments are right
    const writes = tools.filter((t) => !t.annotations.readOnlyHint && t.name !== 'confirm_email');
    expect(writes.length).toBeGreaterThan(30);
    for (const { name } of writes) {
      const { result } = await rpc(anonymous.url, null, 'tools/call', { name, arguments: {} });
      expect(result.isError, name).toBe(true);
      expect(result.content[0].text, name).toMatch(
        new RegExp(
          `^unauthenticated: ${name} acts as a person, and this connection has no API token\nConnect with an API token`,
        ),
      );
    }
    const confirm = await rpc(anonymous.url, null, 'tools/call', { name: 'confirm_email', arguments: {} });
    expect(confirm.result.content[0].text).toMatch(/^invalid input: token: is required/);
  });

  it('refuses a filter naming a group or topic area that does not exist, rather than answering nothing', async () => {
    // "hostng" for hosting read as "the group has no meetings", "nothing needs you", "no documents"
    for (const [name, args, said] of [
      ['list_upcoming_meetings', { group: 'hostng' }, "group 'hostng' does not exist"],
      ['list_upcoming_meetings', { group: 'hosting', topic: 'scaling' }, "topic area 'hosting/scaling' does not exist"],
      ['list_upcoming_meetings', { topic: 'scaling' }, "topic area 'scaling' does not exist"],
      ['list_decisions_needing_me', { group: 'hostng' }, "group 'hostng' does not exist"],
      ['list_documents', { group: 'hostng' }, "group 'hostng' does not exist"],
      ['search', { q: 'session affinity', group: 'hostng' }, "group 'hostng' does not exist"],
      ['check_prior_work', { title: 'Retry guidance', group: 'hostng' }, "group 'hostng' does not exist"],
      [
        'check_prior_work',
        { title: 'Retry guidance', group: 'hosting', topicArea: 'scaling' },
        "topic area 'hosting/scaling' does not exist",
      ],
    ] as const) {
      const { result } = await rpc(main.url, tokens.priya!, 'tools/call', { name, arguments: args });
      expect(result.isError, name).toBe(true);
      expect(result.content[0].text, `${name} ${JSON.stringify(args)}`).toMatch(new RegExp(`^not found: ${said}\n`));
    }
    // a group that exists and has nothing to show is still an empty list
    const none = await rpc(main.url, tokens.priya!, 'tools/call', {
      name: 'list_documents',
      arguments: { group: 'observability' },
    });
    expect(none.result.structuredContent).toEqual({ group: 'observability', items: [], nextCursor: null });
  });

  it("answers a prompt's missing, unknown or unfounded argument -32602 naming it in the hub's words", async () => {
    const refusal = async (name: string, args: Record<string, string>) =>
      (await rpc(main.url, tokens.priya!, 'prompts/get', { name, arguments: args })).error;
    // as a tool's arguments read, not zod's "Invalid input: expected string, received undefined"
    expect(await refusal('draft_proposal', {})).toEqual({
      code: -32602,
      message: 'Invalid arguments for prompt draft_proposal: idea: is required (string)',
    });
    expect(await refusal('summarise_discussion', {})).toEqual({
      code: -32602,
      message: 'Invalid arguments for prompt summarise_discussion: ref: is required (string)',
    });
    expect(await refusal('prepare_meeting_agenda', {})).toEqual({
      code: -32602,
      message: 'Invalid arguments for prompt prepare_meeting_agenda: ref: is required (string)',
    });
    // a misspelt argument was dropped, and the draft made for no group at all
    expect(
      await refusal('draft_proposal', { idea: 'Clients should learn how long to back off.', grop: 'hosting' }),
    ).toEqual({
      code: -32602,
      message:
        'Invalid arguments for prompt draft_proposal: grop: is not an argument of draft_proposal; its arguments are idea, group',
    });
    expect(await refusal('summarise_discussion', { ref: 'P-2', extra: 'x' })).toMatchObject({
      code: -32602,
      message: expect.stringContaining('extra: is not an argument of summarise_discussion; its arguments are ref'),
    });
    // a group that does not exist was written into the draft as if it did
    expect(
      await refusal('draft_proposal', { idea: 'Clients should learn how long to back off.', group: 'hostng' }),
    ).toEqual({
      code: -32602,
      // and the group it looks like is named with its slug (independent-clients-2.test.ts)
      message:
        'group \'hostng\' does not exist; group: "hostng" is no group\'s slug; it looks like the group Hosting, whose slug is "hosting": send "group": "hosting"',
    });
    // the arguments are still listed, with what each takes, and completed
    const { prompts } = (await rpc(main.url, tokens.priya!, 'prompts/list')).result;
    expect(prompts.find((p: { name: string }) => p.name === 'draft_proposal').arguments).toEqual([
      { name: 'idea', description: expect.stringMatching(/^the rough idea/), required: true },
      { name: 'group', description: 'the group it belongs to, if any (slug)', required: false },
    ]);
    const done = await rpc(main.url, tokens.priya!, 'completion/complete', {
      ref: { type: 'ref/prompt', name: 'draft_proposal' },
      argument: { name: 'group', value: 'ho' },
    });
    expect(done.result.completion.values).toEqual(['hosting']);
    const drafted = await rpc(main.url, tokens.priya!, 'prompts/get', {
      name: 'draft_proposal',
      arguments: { idea: 'Clients should learn how long to back off.', group: 'hosting' },
    });
    expect(drafted.result.messages[0].content.text).toContain('Group: hosting');
  });

  /** A document to read: the demo has none, so one is imported as the corpus importer does. */
  async function firstDocument(): Promise<string> {
    const at = 'working-groups/hosting/affinity.md';
    await importArtifact(hub, SYSTEM, at, '# Session affinity\n\nWhat we learnt running three gateways.', 'hosting');
    return at;
  }
});
