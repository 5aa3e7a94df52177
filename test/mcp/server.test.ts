// The MCP server as a real client uses it: the SDK's own client over Streamable HTTP (a real
// loopback port) in both protocol eras, on both databases.
import type { ServerType } from '@hono/node-server';
import { serve } from '../support/serve-test.ts';
import type { Client } from '@modelcontextprotocol/client';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addComment } from '../../src/app/proposals/comments.ts';
import { openDecision } from '../../src/app/decisions/decisions.ts';
import { placeInGroup, proposeGroup } from '../../src/app/groups/groups.ts';
import { encodeCursor, SYSTEM, type Actor } from '../../src/app/core/hub.ts';
import { createProposal } from '../../src/app/proposals/proposals.ts';
import { scheduleMeeting } from '../../src/app/meetings/meetings.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { createHttpApp } from '../../src/http/server.ts';
import { databases } from '../support/databases.ts';
import { openTestHub, person, type TestHub } from '../support/hub.ts';
import { ROOT } from '../support/process.ts';
import { ERAS, httpClient, text, TOOLS } from './support.ts';

/**
 * Tools that may take something away (end, remove, close, retire, replace what a person said): a
 * client may ask before running them, so a move that can close a proposal for good is one, as
 * moving a group (to retired) is, and ending a sponsorship as leaving a group is. So are writes that
 * replace what was there (MCP's destructiveHint false promises only additive updates): a level that
 * can set a lead back to observer, an attendance or facilitator list that leaves someone out,
 * affiliations replaced, notes written over; a meeting moved or its note-taker replaced or cleared
 * (as edit_meeting and designate_resolver were already), and a request to join closed, declined by
 * the leads or withdrawn by its author (as withdraw_support was).
 */
const DESTRUCTIVE = [
  'answer_membership_request',
  'cancel_meeting',
  'change_agenda_item_kind',
  'change_meeting_recurrence',
  'decline_invitation',
  'designate_resolver',
  'edit_charter',
  'edit_comment',
  'edit_meeting',
  'edit_written_input',
  'end_meeting_series',
  'end_sponsorship',
  'give_guidance',
  'leave_group',
  'mark_written_input',
  'moderate_comment',
  'move_group',
  'move_stage',
  'record_attendance',
  'record_meeting_notes',
  'remove_agenda_item',
  'remove_group_member',
  'remove_group_webhook',
  'reschedule_meeting',
  'respond_to_decision',
  'set_meeting_note_taker',
  'set_member_level',
  'set_person_role',
  'update_person',
  'update_proposal',
  'update_topic_area',
  'vote_on_decision',
  'withdraw_decision',
  'withdraw_decision_response',
  'withdraw_invitation',
  'withdraw_membership_request',
  'withdraw_support',
  'withdraw_written_input',
];
const READ_ONLY = [
  'check_gates',
  'check_prior_work',
  'draft_pull_request',
  'draft_quarterly_update',
  'get_agenda',
  'get_charter',
  'get_decision',
  'decision_timeline',
  'get_document',
  'get_github_status',
  'get_inbox',
  'get_meeting_outcomes',
  'get_organisation',
  'get_person',
  'get_proposal',
  'get_topic_area',
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
  'search',
  'suggest_agenda_items',
  'what_needs_me',
];

function listen(fetch: (r: Request) => Response | Promise<Response>): Promise<{ url: string; server: ServerType }> {
  const server = serve({ fetch, hostname: '127.0.0.1', port: 0 });
  // Node closes a connection idle for 5 s, and a client stalled past its own 4 s (a loaded CI
  // machine) may post on it as it closes: fetch then fails ECONNRESET (a clean-clone CI run,
  // 2026-12-06). No test here waits between calls, so idle connections are kept longer than any stall.
  (server as import('node:http').Server).keepAliveTimeout = 60_000;
  return new Promise((resolve) =>
    server.once('listening', () =>
      resolve({ url: `http://127.0.0.1:${(server.address() as { port: number }).port}/mcp`, server }),
    ),
  );
}

const call = async (c: Client, name: string, args: Record<string, unknown>) =>
  (await c.callTool({ name, arguments: args })) as {
    isError?: boolean;
    structuredContent?: Record<string, any>;
    content: unknown;
  };

describe.each(databases)('MCP over Streamable HTTP on $name', (database) => {
  let hub: TestHub;
  let sam: Actor;
  let priya: Actor;
  const tokens: Record<string, string> = {};
  let main: { url: string; server: ServerType };
  let anonymous: { url: string; server: ServerType };
  let app: ReturnType<typeof createHttpApp>;

  beforeAll(async () => {
    hub = await openTestHub(database, '2026-03-02T12:00:00Z');
    // each era's tests make the same calls back to back, with the same tokens: within one second a
    // second verify_evidence is past the one-probe-a-second budget a tool call now spends, and which
    // call meets it depends on the machine's speed (the budgets have their own test: rate-limits.test.ts)
    hub.governance.rateLimits = { ...hub.governance.rateLimits, enabled: false };
    hub.governance.evidence = {
      allowedHosts: ['127.0.0.1'],
      probeTimeoutSeconds: 30,
      stdioCommands: {
        good: [path.join(ROOT, 'node_modules/.bin/node'), path.join(ROOT, 'test/fixtures/mcp/good-server.ts')],
      },
    };
    // this hub lets members verify evidence (the default is maintainers and up: evidence.verify)
    hub.governance.permissions['evidence.verify'] = { atLeast: 'member', roles: ['moderator'] };
    sam = await person(hub, 'sam', { role: 'member', org: 'Acme' });
    priya = await person(hub, 'priya', { role: 'member', org: 'Nebula' });
    await person(hub, 'jonas', { org: 'Galactic' });
    await proposeGroup(hub, sam, {
      slug: 'hosting',
      name: 'Hosting',
      kind: 'working',
      mission: 'Share practices for hosting MCP servers at scale.',
      scopeIn: ['Scaling'],
      leads: ['sam'],
    });
    await placeInGroup(hub, SYSTEM, 'hosting', 'priya', { level: 'member' });
    await createProposal(hub, priya, {
      title: 'Session affinity guide',
      problem: 'Operators cannot scale stateful MCP servers behind a load balancer.',
      examples: ['A gateway loses sessions on every deploy'],
      layer: 'working-group-artifact',
      group: 'hosting',
    });
    await addComment(hub, sam, 'P-1', { body: 'We see this at Acme every deploy; sticky cookies are our workaround.' });
    await scheduleMeeting(hub, sam, {
      group: 'hosting',
      kind: 'process',
      title: 'Hosting WG coordination',
      startsAt: '2026-03-16T16:00:00Z',
      timeZone: 'Europe/Berlin',
    });
    for (const h of ['priya', 'jonas']) tokens[h] = (await createToken(hub, SYSTEM, h)).token;
    app = createHttpApp(hub);
    main = await listen(app.fetch);
    anonymous = await listen(createHttpApp(hub, undefined, { mcp: { anonymousReads: true } }).fetch);
  });
  afterAll(async () => {
    main?.server.close();
    anonymous?.server.close();
    await hub?.close();
  });

  it('says what every tool parameter is, and bounds every one', async () => {
    // what an assistant with a generic client reads before its first call: each parameter (and each
    // field of a nested object) described, every string, list and number bounded
    const c = await httpClient(main.url, 'modern', tokens.priya);
    const { tools } = await c.listTools();
    await c.close();
    type Schema = {
      type?: string | string[];
      description?: string;
      maxLength?: number;
      enum?: unknown[];
      pattern?: string;
      maxItems?: number;
      maximum?: number;
      properties?: Record<string, Schema>;
      items?: Schema;
      anyOf?: Schema[];
      oneOf?: Schema[];
    };
    const missing: string[] = [];
    const walk = (tool: string, s: Schema, at: string, described: boolean) => {
      const types = [s.type ?? []].flat();
      if (!described && !s.description) missing.push(`${tool} ${at}: no description`);
      if (types.includes('string') && s.maxLength === undefined && !s.enum && !s.pattern)
        missing.push(`${tool} ${at}: no maxLength`);
      if (types.includes('array') && s.maxItems === undefined) missing.push(`${tool} ${at}: no maxItems`);
      if ((types.includes('integer') || types.includes('number')) && s.maximum === undefined)
        missing.push(`${tool} ${at}: no maximum`);
      for (const [k, v] of Object.entries<Schema>(s.properties ?? {})) walk(tool, v, `${at}.${k}`, false);
      if (s.items) walk(tool, s.items, `${at}[]`, true);
      for (const v of [...(s.anyOf ?? []), ...(s.oneOf ?? [])]) walk(tool, v, at, true);
    };
    for (const t of tools) walk(t.name, t.inputSchema as Schema, '', true);
    expect(missing).toEqual([]);

    // a client checks arguments by these patterns, which carry no regex flags: each accepts what the hub
    // accepts (written with /i, they refused the lower-case m-3 and d-3 the hub takes)
    const pattern = (tool: string, field: string) => {
      const schema = tools.find((t) => t.name === tool)!.inputSchema as Schema;
      return new RegExp(schema.properties![field]!.pattern!, 'u');
    };
    expect(['M-3', 'm-3'].map((r) => pattern('change_meeting_recurrence', 'ref').test(r))).toEqual([true, true]);
    // a meeting or one start of a series, as get_agenda takes it
    expect(
      ['M-3', 'm-3', 'M-3@2026-12-19T16:00:00.000Z', 'm-3@2026-12-19T16:00:00.000Z', 'P-3', 'M-3@'].map((r) =>
        pattern('get_agenda', 'ref').test(r),
      ),
    ).toEqual([true, true, true, true, false, false]);
    expect(['D-3', 'd-3'].map((r) => pattern('record_meeting_decision', 'decision').test(r))).toEqual([true, true]);
    for (const to of ['RFC-12', 'sep-2575', '#12', 'proposal:P-12', 'PROPOSAL:p-12'])
      expect(pattern('relate_proposal', 'to').test(to), to).toBe(true);

    // and who may use a tool that not everyone may, as this hub's governance file says (evidence.verify
    // is lowered to members here), so an assistant does not learn it from a refusal
    const says = (name: string) => tools.find((t) => t.name === name)!.description;
    expect(says('verify_evidence')).toContain('Who may: a member or above on the contributor ladder or a moderator.');
    expect(says('create_draft_proposal')).toContain('Who may: a contributor or above or a moderator.');
    expect(says('add_evidence')).toContain('Who may: a contributor or above or a moderator.');
    expect(says('respond_to_decision')).toContain('Who may: a contributor or above or a moderator');
    expect(says('propose_group')).toContain('Who may: a member or above on the contributor ladder.');
    expect(says('add_topic_area')).toContain('Who may: a group lead, a core maintainer or a lead maintainer.');
    expect(says('add_agenda_item')).toContain(
      'Who may: a group participant, member or lead, a core maintainer or a lead maintainer.',
    );
    expect(says('submit_written_input')).toContain('Who may: a contributor or above or a moderator.');
    for (const name of ['reschedule_meeting', 'cancel_meeting'])
      expect(says(name)).toContain('Who may: a group lead, a core maintainer or a lead maintainer.');
    // these two said "maintainers", whom the governance file does not name (found checking the docs)
    expect(says('set_member_level')).toContain('Who may: a group lead, a core maintainer or a lead maintainer.');
    expect(says('add_person')).toMatch(/Who may: a moderator, a (core|lead) maintainer or a (core|lead) maintainer\./);
  });

  describe.each(ERAS)('%s era', (era) => {
    it('lists every tool with input and output schemas and annotations, and calls each one', async () => {
      const c = await httpClient(main.url, era, tokens.priya);
      expect(c.getNegotiatedProtocolVersion()).toBe(era === 'modern' ? '2026-07-28' : '2025-11-25');
      const { tools } = await c.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual(TOOLS);
      for (const t of tools) {
        expect(t.inputSchema.type, t.name).toBe('object');
        expect(t.inputSchema.additionalProperties, t.name).toBe(false);
        expect(t.outputSchema?.type, t.name).toBe('object');
        expect(t.annotations?.readOnlyHint, t.name).toBe(READ_ONLY.includes(t.name));
        expect(t.annotations?.destructiveHint, t.name).toBe(DESTRUCTIVE.includes(t.name));
        expect(typeof t.annotations?.idempotentHint, t.name).toBe('boolean');
        // 2025-03-26 has no title on a tool, only annotations.title: a client of that version showed bare names
        expect(t.annotations?.title, t.name).toBe(t.title);
        expect(t.title, t.name).toMatch(/^\S/);
      }

      const found = await call(c, 'search', { q: 'load balancer' });
      expect(found.structuredContent!.items.map((i: { ref: string }) => i.ref)).toContain('P-1');
      const prior = await call(c, 'check_prior_work', {
        title: 'Stateful servers behind a load balancer',
        text: 'sessions lost on deploy',
      });
      expect(prior.structuredContent!.items[0]).toMatchObject({
        title: 'Session affinity guide',
        reasons: expect.any(Array),
      });
      const list = await call(c, 'list_proposals', { limit: 1 });
      expect(list.structuredContent).toMatchObject({ items: [{ ref: 'P-1' }] });
      expect(
        typeof list.structuredContent!.nextCursor === 'string' || list.structuredContent!.nextCursor === null,
      ).toBe(true);
      expect((await call(c, 'get_proposal', { ref: 'P-1' })).structuredContent).toMatchObject({
        ref: 'P-1',
        stage: 'idea',
        group: 'hosting',
      });
      expect((await call(c, 'check_gates', { ref: 'P-1' })).structuredContent).toMatchObject({
        ref: 'P-1',
        layer: 'working-group-artifact',
        passed: true,
      });
      // the text answer is the description itself, with links to the hub as this client reaches it,
      // then the rest as JSON (gaps among it) for a client that reads only text
      const draft = await call(c, 'draft_pull_request', { ref: 'P-1' });
      const origin = new URL(main.url).origin;
      expect(draft.structuredContent).toMatchObject({ proposal: 'P-1', gaps: expect.any(Array) });
      const { markdown, ...rest } = draft.structuredContent!;
      expect(draft.content).toEqual([
        { type: 'text', text: markdown },
        { type: 'text', text: JSON.stringify(rest) },
      ]);
      expect(draft.structuredContent!.markdown).toContain(`[P-1](${origin}/proposals/P-1)`);
      expect(draft.structuredContent!.gaps).toContain(
        'No tracker link: the guide asks for it on the CWG Project Tracker.',
      );

      const created = await call(c, 'create_draft_proposal', {
        title: `Resumable streams (${era})`,
        problem: 'Clients lose every in-flight result when a long-running stream drops.',
        examples: ['A mobile client on a train'],
        layer: 'specification',
        group: 'hosting',
      });
      expect(created.isError).toBeFalsy();
      const ref = created.structuredContent!.ref as string;
      expect(created.structuredContent!.priorWork).not.toBeNull();
      expect((await call(c, 'move_stage', { ref, to: 'prior-work-checked' })).structuredContent).toMatchObject({
        ref,
        stage: 'prior-work-checked',
      });
      // what check_prior_work found can be recorded: suggested first, then confirmed by calling again
      const earlier = await call(c, 'create_draft_proposal', {
        title: `Stream checkpoints (${era})`,
        problem: 'A dropped stream should resume from the last event the client saw.',
        layer: 'specification',
        group: 'hosting',
      });
      const earlierRef = earlier.structuredContent!.ref as string;
      const suggested = await call(c, 'relate_proposal', { ref, kind: 'builds-on', to: earlierRef, suggested: true });
      expect(suggested.structuredContent!.relations).toEqual([
        expect.objectContaining({ kind: 'builds-on', direction: 'outgoing', ref: earlierRef, status: 'suggested' }),
      ]);
      const confirmed = await call(c, 'relate_proposal', { ref, kind: 'builds-on', to: `proposal:${earlierRef}` });
      expect(confirmed.structuredContent!.relations).toEqual([
        expect.objectContaining({ ref: earlierRef, status: 'confirmed' }),
      ]);
      const wrong = await call(c, 'relate_proposal', { ref, kind: 'inspired-by', to: earlierRef });
      expect(wrong.isError).toBe(true);
      expect(text(wrong)).toMatch(/kind/);
      const withEvidence = await call(c, 'add_evidence', {
        ref,
        kind: 'implementation',
        description: 'Fixture server implements it',
        url: 'stdio:good',
        organisation: 'Nebula',
      });
      const evidenceId = withEvidence.structuredContent!.evidence[0].id;
      const verified = await call(c, 'verify_evidence', { ref, evidenceId });
      expect(verified.structuredContent).toMatchObject({
        status: 'verified',
        server: { name: 'fixture-good' },
        toolNames: expect.arrayContaining(['echo', 'add']),
      });

      const d = await openDecision(hub, sam, {
        group: 'hosting',
        subject: { type: 'process' },
        question: `Meet fortnightly in the ${era} era?`,
        significance: 'minor',
      });
      const needing = await call(c, 'list_decisions_needing_me', {});
      expect(needing.structuredContent!.items.map((i: { ref: string }) => i.ref)).toContain(d.ref);
      const responded = await call(c, 'respond_to_decision', {
        ref: d.ref,
        kind: 'concern',
        amendment: 'Yes, and publish notes within 48 hours',
      });
      expect(responded.structuredContent!.responses).toEqual([
        expect.objectContaining({ handle: 'priya', kind: 'concern' }),
      ]);
      // the view says what the caller may do next, and why not, in words for the person
      expect(responded.structuredContent!.can).toMatchObject({
        respond: { allowed: true },
        withdrawResponse: { allowed: true },
        vote: { allowed: false, reason: 'No vote is open' },
      });
      const read = (await call(c, 'get_decision', { ref: d.ref })).structuredContent!;
      expect(read.can.designate).toEqual({
        allowed: false,
        reason: 'The decision is not escalated',
      });
      // the opener, named by handle alone in openedBy, has their name in names (the output schema lists it)
      expect(read.openedBy).toBe('sam');
      expect(read.names).toMatchObject({ sam: 'Sam' });
      expect(
        (await call(c, 'list_decisions_needing_me', {})).structuredContent!.items.map((i: { ref: string }) => i.ref),
      ).not.toContain(d.ref);

      const upcoming = await call(c, 'list_upcoming_meetings', { group: 'hosting' });
      expect(upcoming.structuredContent!.items).toEqual([
        expect.objectContaining({ ref: 'M-1', title: 'Hosting WG coordination', startsAt: '2026-03-16T16:00:00.000Z' }),
      ]);
      const added = await call(c, 'add_agenda_item', {
        ref: 'M-1',
        title: `Prioritise the session affinity guide (${era})`,
        // this era's own proposal: an agenda links one item once (the other era linked its own)
        link: { type: 'proposal', ref },
      });
      const item = added.structuredContent!.agenda.items.find((i: { title: string }) => i.title.endsWith(`(${era})`));
      expect(item).toMatchObject({ kind: 'process', link: { type: 'proposal', ref } });
      const input = await call(c, 'submit_written_input', {
        ref: 'M-1',
        item: item.position,
        body: `I cannot attend; please take the guide first (${era}).`,
      });
      expect(input.structuredContent!.agenda.items.find((i: { id: string }) => i.id === item.id).writtenInput).toEqual([
        // the author's name beside the handle passes the agenda's output schema
        expect.objectContaining({ author: 'priya', authorName: 'Priya' }),
      ]);
      const agenda = await call(c, 'get_agenda', { ref: 'M-1' });
      expect(agenda.structuredContent!.markdown).toContain(
        `**Prioritise the session affinity guide (${era})** [process] — proposal ${ref} (added by Priya (@priya))`,
      );
      expect(agenda.structuredContent!.markdown).toContain(
        `written input from Priya (@priya) (2026-03-02): I cannot attend; please take the guide first (${era}).`,
      );

      // this hub tells nobody (no notifications reaction): the inbox is empty, not an error
      expect((await call(c, 'get_inbox', {})).structuredContent).toEqual({
        items: [],
        nextCursor: null,
        unread: 0,
        // nothing unread: nothing to mark, in words to pass on (marking all still answers, marking none)
        can: { markAllRead: { allowed: false, reason: 'Everything here is already read' } },
      });
      expect((await call(c, 'mark_notifications_read', {})).structuredContent).toEqual({ marked: 0, unread: 0 });

      const charter = await call(c, 'get_charter', { group: 'hosting' });
      expect(charter.structuredContent!.group).toMatchObject({ slug: 'hosting', name: 'Hosting' });
      expect(charter.structuredContent!.markdown).toContain('Share practices for hosting MCP servers at scale.');
      await c.close();
    });

    it('reads every resource, pages the list, completes slugs and references', async () => {
      const c = await httpClient(main.url, era, tokens.priya);
      const all = await c.listResources();
      const uris = all.resources.map((r) => r.uri);
      expect(uris).toEqual(
        expect.arrayContaining([
          'wghub://governance',
          'wghub://log/tail',
          'wghub://groups/hosting/charter',
          'wghub://proposals/P-1',
          'wghub://meetings/M-1/agenda',
        ]),
      );
      const second = await c.listResources({ cursor: encodeCursor({ part: 'proposals' }) });
      // the proposals, and the agendas after them on the same page (a page is filled across parts)
      expect([...new Set(second.resources.map((r) => r.uri.split('/')[2]))]).toEqual(['proposals', 'meetings']);
      const templates = (await c.listResourceTemplates()).resourceTemplates.map((t) => t.uriTemplate).sort();
      expect(templates).toEqual([
        'wghub://groups/{slug}/charter',
        'wghub://meetings/{ref}/agenda',
        'wghub://proposals/{ref}',
      ]);

      const read = async (uri: string) => ((await c.readResource({ uri })).contents[0] as { text: string }).text;
      // the rules the server's instructions send an assistant to: decisions and the contribution
      // route too (its description promises both), in the guide's words
      const rules = await read('wghub://governance');
      expect(rules).toMatch(/^# How we work\n[\s\S]*## Groups\n/);
      expect(rules).toContain(
        '## Decisions\n\n- Decisions are consensus managed by objection: lazy consensus until a deadline at least 5 days away for minor items and 10 for significant ones; silence is consent.',
      );
      expect(rules).toContain('a block is a documented objection: it gives its reason and an alternative');
      expect(rules).toMatch(/## Contributions\n[\s\S]*- The guide's contribution route: idea → prior-work-checked → /);
      expect(rules).toContain("- The Specification layer's barrier to change: a validated problem");
      // the guide's getting started and ideal topic facilitator; the contribution note is in the instructions
      expect(rules).toMatch(/## Getting started\n\n- 1\. Read the Model Context Protocol specification/);
      expect(rules).toContain('## The ideal topic facilitator');
      expect(c.getInstructions()).toContain(
        'All content added here is contributed under the MIT License. If you are unsure if you are able to include content under that license, please contact one of the group administrators for advice.',
      );
      const tail = JSON.parse(await read('wghub://log/tail'));
      expect(tail.items[0]).toMatchObject({ seq: expect.any(Number), kind: expect.any(String) });
      expect(tail.can).toEqual({ read: { allowed: true }, verify: { allowed: true } });
      expect(await read('wghub://groups/hosting/charter')).toContain('## Mission Statement');
      const p1 = await read('wghub://proposals/P-1');
      expect(p1).toContain('# P-1: Session affinity guide');
      expect(p1).toContain('## Problem\n\nOperators cannot scale stateful MCP servers');
      expect(p1).toContain('- A gateway loses sessions on every deploy');
      expect(await read('wghub://meetings/M-1/agenda')).toMatch(
        /^# Agenda: M-1 Hosting WG coordination\n[\s\S]*a process meeting/,
      );
      await expect(c.readResource({ uri: 'wghub://proposals/P-999' })).rejects.toMatchObject({
        code: -32602,
        data: { uri: 'wghub://proposals/P-999' },
        message: expect.stringContaining("proposal 'P-999' does not exist"),
      });

      const slugs = await c.complete({
        ref: { type: 'ref/resource', uri: 'wghub://groups/{slug}/charter' },
        argument: { name: 'slug', value: 'ho' },
      });
      expect(slugs.completion.values).toEqual(['hosting']);
      const refs = await c.complete({
        ref: { type: 'ref/resource', uri: 'wghub://proposals/{ref}' },
        argument: { name: 'ref', value: 'P-' },
      });
      expect(refs.completion.values).toContain('P-1');
      expect(
        (
          await c.complete({
            ref: { type: 'ref/resource', uri: 'wghub://meetings/{ref}/agenda' },
            argument: { name: 'ref', value: 'M-' },
          })
        ).completion.values,
      ).toEqual(['M-1']);
      expect(
        (
          await c.complete({
            ref: { type: 'ref/prompt', name: 'prepare_meeting_agenda' },
            argument: { name: 'ref', value: '1' },
          })
        ).completion.values,
      ).toEqual(['M-1']);
      const groupArg = await c.complete({
        ref: { type: 'ref/prompt', name: 'draft_proposal' },
        argument: { name: 'group', value: 'h' },
      });
      expect(groupArg.completion.values).toEqual(['hosting']);
      await c.close();
    });

    it('gets every prompt, filled in from the hub', async () => {
      const c = await httpClient(main.url, era, tokens.priya);
      expect((await c.listPrompts()).prompts.map((p) => p.name).sort()).toEqual([
        'draft_proposal',
        'prepare_meeting_agenda',
        'summarise_discussion',
      ]);
      const prep = await c.getPrompt({ name: 'prepare_meeting_agenda', arguments: { ref: 'M-1' } });
      const pt = (prep.messages[0]!.content as { text: string }).text;
      expect(pt).toContain('Prepare the agenda of M-1 "Hosting WG coordination", a process meeting of hosting');
      expect(pt).toContain('- P-1: Session affinity guide (stage idea, working-group-artifact)');
      expect(pt).toMatch(/Open decisions in the group:\n- D-\d+: /);
      const draft = await c.getPrompt({
        name: 'draft_proposal',
        arguments: { idea: 'Sessions should survive a load balancer moving them', group: 'hosting' },
      });
      const dt = (draft.messages[0]!.content as { text: string }).text;
      expect(dt).toContain('interest-not-position');
      expect(dt).toMatch(/Problem — the specific problem/);
      expect(dt).toMatch(/Examples — real-world cases/);
      expect(dt).toContain('P-1: Session affinity guide');
      const sum = await c.getPrompt({ name: 'summarise_discussion', arguments: { ref: 'P-1' } });
      expect((sum.messages[0]!.content as { text: string }).text).toContain(
        'Sam (@sam) (2026-03-02): We see this at Acme every deploy',
      );
      await c.close();
    });

    it('refuses what the person may not do and names what to fix in bad arguments', async () => {
      const jonas = await httpClient(main.url, era, tokens.jonas);
      const refused = await call(jonas, 'move_stage', { ref: 'P-1', to: 'declined' });
      expect(refused.isError).toBe(true);
      expect(text(refused)).toMatch(/^forbidden: /);
      // who may is in the reason, and the next step is to ask one of them (not a group lead who may not)
      expect(text(refused)).toMatch(/^forbidden: Only .* may move it from idea to declined\nAsk one of those it names/);
      // a refusal for the item's state is not sent to someone with another role
      const noSponsor = await call(jonas, 'end_sponsorship', { ref: 'P-1', reason: 'I can no longer sponsor it.' });
      expect(text(noSponsor)).toMatch(/^forbidden: It has no sponsor\nIt cannot be done now for the reason given/);
      expect(text(noSponsor)).not.toMatch(/role|ask a group lead/);
      // a rule that names no group role does not send the person to a group's leads
      const notVerifier = await call(jonas, 'verify_evidence', { ref: 'P-1', evidenceId: 'none' });
      expect(text(notVerifier)).toMatch(
        /^forbidden: Only a member or above on the contributor ladder or a moderator may verify evidence\nAsk one/,
      );
      expect(text(notVerifier)).not.toContain('get_charter');
      const notMember = await call(jonas, 'add_agenda_item', { ref: 'M-1', title: 'Something I want to discuss' });
      expect(notMember.isError).toBe(true);
      expect(text(notMember)).toMatch(/^forbidden: /);
      const shortInput = await call(jonas, 'submit_written_input', { ref: 'M-1', item: 1, body: 'short' });
      expect(text(shortInput)).toMatch(/body: must carry the input itself \(at least 10 characters\)/);
      const noItem = await call(jonas, 'submit_written_input', {
        ref: 'M-1',
        item: 99,
        body: 'I would like to raise something.',
      });
      expect(text(noItem)).toMatch(/^invalid input: item: M-1 has no agenda item #99\n/);
      const missing = await call(jonas, 'get_proposal', { ref: 'P-999' });
      expect(text(missing)).toMatch(/not found: proposal 'P-999' does not exist\nCheck the reference/);
      // each unknown thing points at the tool that lists its kind, not at list_proposals
      const next = async (name: string, args: Record<string, unknown>) => text(await call(jonas, name, args));
      expect(await next('get_agenda', { ref: 'M-999' })).toMatch(
        /^not found: meeting 'M-999' .*\n.*list_upcoming_meetings/,
      );
      expect(await next('get_decision', { ref: 'D-999' })).toMatch(/\n.*list_decisions_needing_me/);
      expect(await next('get_organisation', { slug: 'nowhere' })).toMatch(/\n.*list_organisations/);
      expect(await next('get_document', { path: 'no/such.md' })).toMatch(/\n.*list_documents/);
      expect(await next('get_charter', { group: 'nowhere' })).toMatch(/\n.*list_groups.*wghub:\/\/groups\//);
      expect(await next('get_person', { handle: 'nobody' })).toMatch(/\n.*get_charter/);
      const bad = await call(jonas, 'create_draft_proposal', { title: 'x', layer: 'specification' });
      expect(bad.isError).toBe(true);
      expect(text(bad)).toMatch(/title: must be at least 5 characters/);
      expect(text(bad)).toMatch(/problem/);
      // arguments that do not fit the published schema read like every other invalid input: the
      // field, the rule in the hub's words, and what to do
      const noRef = await call(jonas, 'get_proposal', {});
      expect(noRef.isError).toBe(true);
      expect(text(noRef)).toMatch(/^invalid input: ref: is required \(string\)\n[\s\S]*Fix the named fields/);
      // null for an optional field that takes none is read as not given (a model fills every
      // argument it was shown); a required one is still refused, named as missing
      const nulls = await call(jonas, 'search', { q: 'load balancer', cursor: null, group: null, kind: null });
      expect(nulls.isError, text(nulls)).toBeFalsy();
      expect(nulls.structuredContent).toEqual((await call(jonas, 'search', { q: 'load balancer' })).structuredContent);
      const nullRef = await call(jonas, 'get_proposal', { ref: null });
      expect(text(nullRef)).toMatch(/^invalid input: ref: /);
      // a write's null is not guessed: mark_notifications_read with ids null would mark every notice read
      const nullIds = await call(jonas, 'mark_notifications_read', { ids: null });
      expect(text(nullIds)).toMatch(/^invalid input: ids: /);
      const badKind = await call(jonas, 'respond_to_decision', { ref: 'D-1', kind: 'agree' });
      expect(text(badKind)).toMatch(/^invalid input: kind: must be one of: consent, concern, block\n/);
      // a misspelt field is named, not dropped (which would list every proposal, not the group's)
      const misspelt = await call(jonas, 'list_proposals', { groups: 'hosting' });
      expect(text(misspelt)).toMatch(
        /^invalid input: groups: is not a field here; the fields are limit, cursor, route, stage, layer, group\n/,
      );
      const wrongType = await call(jonas, 'list_upcoming_meetings', { limit: 'ten' });
      expect(text(wrongType)).toMatch(
        /^invalid input: limit: must be a JSON number, without quotes \("ten" is text\)\n/,
      );
      const block = await call(jonas, 'respond_to_decision', { ref: 'D-1', kind: 'block', reason: 'Too often' });
      expect(block.isError).toBe(true);
      // either one answers a block: both are named, not only the first
      expect(text(block)).toContain(
        'alternative: a block must propose an alternative or clear criteria for resolution',
      );
      expect(text(block)).toContain(
        'resolutionCriteria: a block must give clear criteria for resolution or propose an alternative',
      );
      expect(text(block)).toContain('Fix the named fields');
      await jonas.close();

      const anon = await httpClient(anonymous.url, era);
      expect((await call(anon, 'get_proposal', { ref: 'P-1' })).structuredContent).toMatchObject({ ref: 'P-1' });
      const write = await call(anon, 'create_draft_proposal', {
        title: 'Anonymous idea',
        problem: 'Nobody can say who wrote this problem statement.',
        layer: 'specification',
      });
      expect(write.isError).toBe(true);
      expect(text(write)).toMatch(/^unauthenticated: create_draft_proposal acts as a person[\s\S]*wghub token create/);
      await anon.close();
    });
  });

  it.each(ERAS)(
    '`can` tells a reader without a token to sign in, and one who has not accepted the agreements to accept them, in output that fits its schema (%s era)',
    async (era) => {
      // the SDK's client checks structured output against the outputSchema tools/list gave it, and
      // throws when it does not fit
      const anon = await httpClient(anonymous.url, era);
      try {
        await anon.listTools();
        const proposal = await call(anon, 'get_proposal', { ref: 'P-1' });
        expect(proposal.structuredContent!.can.edit).toMatchObject({ allowed: false, remedy: 'sign-in' });
        expect((await call(anon, 'list_groups', {})).structuredContent!.can.propose).toMatchObject({
          allowed: false,
          remedy: 'sign-in',
        });
        for (const [name, args] of [
          ['get_charter', { group: 'hosting' }],
          ['get_agenda', { ref: 'M-1' }],
          ['list_organisations', {}],
        ] as const)
          expect((await call(anon, name, args)).isError, name).toBeFalsy();
      } finally {
        await anon.close();
      }
      if (!tokens.newcomer) {
        await person(hub, 'newcomer', { accepted: false });
        tokens.newcomer = (await createToken(hub, SYSTEM, 'newcomer')).token;
      }
      const newcomer = await httpClient(main.url, era, tokens.newcomer);
      try {
        await newcomer.listTools();
        const proposal = await call(newcomer, 'get_proposal', { ref: 'P-1' });
        expect(proposal.structuredContent!.can.comment).toMatchObject({ allowed: false, remedy: 'accept-agreements' });
      } finally {
        await newcomer.close();
      }
    },
  );

  it('withdraw_decision: whoever opened a decision withdraws it with a reason; someone else is refused in words', async () => {
    const mistaken = async (by: Actor, question: string) =>
      (await openDecision(hub, by, { group: 'hosting', subject: { type: 'process' }, question, significance: 'minor' }))
        .ref;
    const c = await httpClient(main.url, 'modern', tokens.priya);
    const tool = (await c.listTools()).tools.find((t) => t.name === 'withdraw_decision')!;
    // it ends the decision for everyone, so a client should ask before calling it; called again it is
    // already so and changes nothing more (test/mcp/idempotent-repeats.test.ts), so a retry is safe
    expect(tool.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true, idempotentHint: true });
    expect(tool.description).toContain('Who may: whoever opened it or a group lead.');

    const sams = await mistaken(sam, 'Move the hosting meeting to Tuesdays?');
    expect((await call(c, 'get_decision', { ref: sams })).structuredContent!.can.withdraw).toEqual({
      allowed: false,
      reason: 'Only whoever opened it or a group lead may withdraw this decision',
    });
    const refused = await call(c, 'withdraw_decision', { ref: sams, reason: 'Not needed' });
    expect(refused.isError).toBe(true);
    expect(text(refused)).toContain('Only whoever opened it or a group lead may withdraw this decision');

    const hers = await mistaken(priya, 'Adopt the session affinity guide twice?');
    const noReason = await call(c, 'withdraw_decision', { ref: hers });
    expect(noReason.isError).toBe(true);
    expect(text(noReason)).toMatch(/^invalid input: reason: /);
    const withdrawn = await call(c, 'withdraw_decision', { ref: hers, reason: 'A duplicate of the guide decision' });
    expect(withdrawn.isError).toBeFalsy();
    expect(withdrawn.structuredContent!.state).toMatchObject({
      phase: 'closed',
      outcome: 'withdrawn',
      why: [expect.stringMatching(/^withdrawn by priya at .*: A duplicate of the guide decision$/)],
    });
    expect(withdrawn.structuredContent!.can.respond).toEqual({ allowed: false, reason: 'The decision was withdrawn' });
    await c.close();
  });

  it('answers 401 with WWW-Authenticate without a valid token, and 403 to foreign hosts and origins', async () => {
    const init = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } },
    });
    const post = (headers: Record<string, string>) =>
      app.request('/mcp', {
        method: 'POST',
        headers: {
          Host: 'localhost:8787',
          'Content-Type': 'application/json',
          Accept: 'application/json, text/event-stream',
          ...headers,
        },
        body: init,
      });
    const none = await post({});
    expect(none.status).toBe(401);
    // the challenge names the protected resource metadata, where an OAuth client finds how to sign in (RFC 9728)
    expect(none.headers.get('www-authenticate')).toBe(
      'Bearer realm="wghub", scope="mcp", resource_metadata="http://localhost/.well-known/oauth-protected-resource/mcp"',
    );
    expect((await none.json()).detail).toContain('wghub token create');
    const wrong = await post({ Authorization: 'Bearer wgh_not-a-token' });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toMatch(
      /^Bearer realm="wghub", error="invalid_token", error_description="the API token is not known.*", scope="mcp", resource_metadata="http:\/\/localhost\/\.well-known\/oauth-protected-resource\/mcp"$/,
    );
    expect((await post({ Authorization: `Bearer ${tokens.priya}`, Host: 'attacker.example' })).status).toBe(403);
    expect(
      (
        await post({
          Authorization: `Bearer ${tokens.priya}`,
          Host: 'localhost:8787',
          Origin: 'https://attacker.example',
        })
      ).status,
    ).toBe(403);
    expect(
      (await post({ Authorization: `Bearer ${tokens.priya}`, Host: 'localhost:8787', Origin: 'http://localhost:3000' }))
        .status,
    ).toBe(200);
  });

  it('keeps no session state: one client can be served by two hub processes in turn', async () => {
    const other = await listen(createHttpApp(hub).fetch);
    let n = 0;
    const alternate = (input: string | URL | Request, init?: RequestInit) => {
      const u = new URL(input instanceof Request ? input.url : input);
      const target = new URL(n++ % 2 === 0 ? main.url : other.url);
      u.port = target.port;
      return fetch(u, init);
    };
    for (const era of ERAS) {
      const { Client } = await import('@modelcontextprotocol/client');
      const { StreamableHTTPClientTransport } = await import('@modelcontextprotocol/client');
      const c = new Client(
        { name: 't', version: '1' },
        { versionNegotiation: era === 'modern' ? { mode: { pin: '2026-07-28' } } : { mode: 'legacy' } },
      );
      await c.connect(
        new StreamableHTTPClientTransport(new URL(main.url), {
          fetch: alternate,
          requestInit: { headers: { Authorization: `Bearer ${tokens.priya}` } },
        }),
      );
      for (let i = 0; i < 3; i++)
        expect((await call(c, 'get_proposal', { ref: 'P-1' })).structuredContent).toMatchObject({ ref: 'P-1' });
      await c.close();
    }
    expect(n).toBeGreaterThan(6);
    other.server.close();
  });
});
