// What an assistant that has never seen the hub does with only the tools' own words, on the demo
// community (the independent-client round): each finding is a chain of calls a fresh client makes,
// taking one tool's answer as the next one's argument, as the descriptions tell it to.
import type { ServerType } from '@hono/node-server';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { getProposal } from '../../src/app/proposals/proposals.ts';
import { importArtifact } from '../../src/app/imports/artifacts.ts';
import { databases } from '../support/databases.ts';
import { openDemoHub, type TestHub } from '../support/hub.ts';
import { httpClient, serveMcpOverHttp, text } from './support.ts';

describe.each(databases)('a fresh MCP client on the demo community, on $name', (database) => {
  let hub: TestHub;
  let main: { url: string; server: ServerType };
  let priya: Client;

  beforeAll(async () => {
    hub = await openDemoHub(database, { work: true, start: '2026-12-05T12:00:00Z' });
    hub.governance.rateLimits = { ...hub.governance.rateLimits, enabled: false };
    main = await serveMcpOverHttp(hub);
    priya = await httpClient(main.url, 'modern', (await createToken(hub, SYSTEM, 'priya')).token);
  });
  afterAll(async () => {
    main?.server.close();
    await hub?.close();
  });

  const call = async (client: Client, name: string, args: Record<string, unknown>) => {
    const r = await client.callTool({ name, arguments: args });
    expect(r.isError, `${name}: ${text(r)}`).toBeFalsy();
    return r.structuredContent as Record<string, unknown>;
  };

  it('submit_written_input says alreadySent when the same text is sent again', async () => {
    const args = { ref: 'M-2', item: '1', body: 'Sent from a client that retried.' };
    type Sent = { writtenInput: { id: string; alreadySent: boolean } };
    const first = (await call(priya, 'submit_written_input', args)) as Sent;
    expect(first.writtenInput.alreadySent).toBe(false);
    const again = (await call(priya, 'submit_written_input', args)) as Sent;
    expect(again.writtenInput).toEqual({ id: first.writtenInput.id, alreadySent: true });
  });

  it('reads a proposal check_prior_work found by the ref it gave (proposal:P-2), as a tool and as a resource', async () => {
    const found = (await call(priya, 'check_prior_work', {
      title: 'Sticky sessions behind load balancers',
      text: 'servers behind a load balancer lose session state',
    })) as { items: { ref: string; kind: string }[] };
    const first = found.items.find((i) => i.kind === 'proposal')!;
    expect(first.ref).toBe('proposal:P-2');
    expect((await call(priya, 'get_proposal', { ref: first.ref })).ref).toBe('P-2');
    const read = await priya.readResource({ uri: `wghub://proposals/${first.ref}` });
    expect((read.contents[0] as { text: string }).text).toContain('P-2');
  });

  /**
   * What each `can` of get_proposal and get_decision asks of the tools: the tool that does it, or
   * null where it is done on the web, REST and the CLI only (none now; the reason would go in
   * docs/mcp.md). A new `can` fails here until it is given a tool or a reason, so an assistant is
   * never told it may do what it cannot.
   */
  const PROPOSAL_CAN: Record<string, string | null> = {
    edit: 'update_proposal',
    comment: 'comment_on_proposal',
    support: 'support_proposal',
    withdrawSupport: 'withdraw_support',
    addEvidence: 'add_evidence',
    relate: 'relate_proposal',
    sponsor: 'sponsor_proposal',
    endSponsorship: 'end_sponsorship',
    promote: 'promote_proposal',
    completeFollowUp: 'complete_follow_up',
    move: 'move_stage',
    openDecision: 'open_decision',
    requestReview: 'ask_for_review',
    verifyEvidence: 'verify_evidence',
  };
  const DECISION_CAN: Record<string, string | null> = {
    respond: 'respond_to_decision',
    withdrawResponse: 'withdraw_decision_response',
    requestVote: 'request_vote',
    vote: 'vote_on_decision',
    designate: 'designate_resolver',
    guide: 'give_guidance',
    withdraw: 'withdraw_decision',
    extend: 'extend_decision',
  };

  it("offers a tool for each thing get_proposal's and get_decision's `can` says the person may do", async () => {
    const { tools } = await priya.listTools();
    const names = new Set(tools.map((t) => t.name));
    const proposal = await call(priya, 'get_proposal', { ref: 'P-1' });
    const decision = await call(priya, 'get_decision', { ref: 'D-1' });
    expect(Object.keys(proposal.can as object).sort()).toEqual(Object.keys(PROPOSAL_CAN).sort());
    expect(Object.keys(decision.can as object).sort()).toEqual(Object.keys(DECISION_CAN).sort());
    for (const tool of [...Object.values(PROPOSAL_CAN), ...Object.values(DECISION_CAN)])
      if (tool) expect(names, tool).toContain(tool);
    // every one has its tool now: none is left to the web, REST and the CLI
    expect([...Object.values(PROPOSAL_CAN), ...Object.values(DECISION_CAN)].filter((t) => !t)).toEqual([]);
  });

  it('objects on a proposal, takes back a response, asks for a vote and votes, as `can` said it may', async () => {
    // an objection to a proposal with no decision on it yet: a comment in its discussion
    const objection = await call(priya, 'comment_on_proposal', {
      ref: 'P-1',
      body: 'I object: retrying at the client hides the gateway fault we need fixed.',
    });
    expect(objection).toMatchObject({ proposal: 'P-1', author: 'priya', can: expect.any(Object) });
    expect(objection).not.toHaveProperty('html');
    const reply = await call(priya, 'comment_on_proposal', {
      ref: 'P-1',
      body: 'To add: the gateway is the one to fix.',
      parent: objection.id,
    });
    expect(reply.parent).toBe(objection.id);

    const supported = await call(priya, 'support_proposal', { ref: 'P-1' });
    expect((supported.supporters as { handle: string }[]).map((s) => s.handle)).toContain('priya');
    const withdrawn = await call(priya, 'withdraw_support', { ref: 'P-1' });
    expect((withdrawn.supporters as { handle: string }[]).map((s) => s.handle)).not.toContain('priya');

    // D-1: priya consented under lazy consensus; she takes it back and asks for a vote
    const taken = await call(priya, 'withdraw_decision_response', { ref: 'D-1' });
    expect((taken.responses as { handle: string }[]).map((r) => r.handle)).not.toContain('priya');
    const asked = await call(priya, 'request_vote', { ref: 'D-1' });
    expect(asked.voteRequests).toContain('priya');
    // one request does not open D-1's vote, and can.vote says so; D-2's vote is open, and a new vote replaces hers
    expect((asked.can as Record<string, { allowed: boolean }>).vote).toMatchObject({
      allowed: false,
      reason: expect.any(String),
    });
    const voted = await call(priya, 'vote_on_decision', {
      ref: 'D-2',
      choice: 'no',
      rationale: 'Not before the transport decision.',
    });
    expect((voted.votes as { handle: string; choice: string }[]).find((v) => v.handle === 'priya')?.choice).toBe('no');
    // one who may not vote is told why, in the tool's error
    const refused = await priya.callTool({ name: 'vote_on_decision', arguments: { ref: 'D-9', choice: 'yes' } });
    expect(refused.isError).toBe(true);
    expect(text(refused)).toContain("decision 'D-9' does not exist");
  });

  const as = async (handle: string) => httpClient(main.url, 'modern', (await createToken(hub, SYSTEM, handle)).token);
  const refusal = async (client: Client, name: string, args: Record<string, unknown>) => {
    const r = await client.callTool({ name, arguments: args });
    expect(r.isError, `${name} should refuse`).toBe(true);
    return text(r);
  };

  it('finds the decision about a proposal: get_proposal names it with its phase, list_decisions by subject', async () => {
    // D-1 is about P-2 (session affinity), under lazy consensus; D-2 about the group's process
    const p2 = await call(priya, 'get_proposal', { ref: 'P-2' });
    expect(p2.openDecisions).toEqual([
      expect.objectContaining({ ref: 'D-1', phase: 'lazy-consensus', question: expect.stringContaining('session') }),
    ]);
    expect(p2.openDecisionsMore).toBe(false);
    expect((await call(priya, 'get_proposal', { ref: 'P-1' })).openDecisions).toEqual([]);
    // REST's view says the same: it is the use case's, not the tool's
    expect((await getProposal(hub, 'P-2')).openDecisions.map((d) => d.ref)).toEqual(['D-1']);

    const about = (await call(priya, 'list_decisions', { subject: 'proposal:P-2', open: true })) as {
      items: { ref: string; phase: string; closesAt: string }[];
      nextCursor: string | null;
    };
    expect(about.items.map((d) => d.ref)).toEqual(['D-1']);
    expect(about.items[0]!.closesAt).toEqual(expect.any(String));
    const process = (await call(priya, 'list_decisions', { group: 'hosting', subject: 'process' })) as {
      items: { ref: string }[];
    };
    expect(process.items.map((d) => d.ref)).toContain('D-2');
    expect(process.items.map((d) => d.ref)).not.toContain('D-1');
    // paged as the other lists are
    const first = (await call(priya, 'list_decisions', { limit: 1 })) as { items: unknown[]; nextCursor: string };
    expect(first.items).toHaveLength(1);
    const next = (await call(priya, 'list_decisions', { limit: 1, cursor: first.nextCursor })) as {
      items: { ref: string }[];
    };
    expect(next.items.map((d) => d.ref)).toEqual(['D-2']);
    // a proposal or group that does not exist is refused naming it, not answered with no decisions
    expect(await refusal(priya, 'list_decisions', { subject: 'P-99' })).toMatch(
      /^not found: proposal 'P-99' does not exist/,
    );
    expect(await refusal(priya, 'list_decisions', { group: 'hostng' })).toMatch(
      /^not found: group 'hostng' does not exist/,
    );
  });

  it("opens a decision on a proposal and promotes it, as get_proposal's can said a lead may", async () => {
    const sam = await as('sam-lead');
    const p1 = await call(sam, 'get_proposal', { ref: 'P-1' });
    const can = p1.can as Record<string, { allowed: boolean }>;
    expect([can.openDecision, can.promote]).toEqual([{ allowed: true }, { allowed: true }]);
    // a proposal decision that names no proposal is refused naming the field and the rule
    expect(
      await refusal(sam, 'open_decision', {
        group: 'hosting',
        subject: { type: 'proposal' },
        question: 'Adopt the retry guidance?',
        significance: 'minor',
      }),
    ).toMatch(/subject\.ref: must name the proposal/);
    const opened = await call(sam, 'open_decision', {
      group: 'hosting',
      subject: { type: 'proposal', ref: 'P-1' },
      question: 'Adopt the retry guidance as a supporting resource?',
      significance: 'minor',
    });
    expect(opened).toMatchObject({ group: 'hosting', subject: { type: 'proposal', ref: 'P-1' } });
    expect((opened.state as { phase: string }).phase).toBe('lazy-consensus');
    const after = await call(priya, 'get_proposal', { ref: 'P-1' });
    expect((after.openDecisions as { ref: string }[]).map((d) => d.ref)).toEqual([opened.ref]);

    // one who is not in the group may not: told why
    const amara = await as('amara');
    expect(
      await refusal(amara, 'open_decision', {
        group: 'hosting',
        subject: { type: 'process' },
        question: 'Meet weekly instead of fortnightly?',
        significance: 'minor',
      }),
    ).toMatch(/^forbidden: /);

    const promoted = await call(sam, 'promote_proposal', { ref: 'P-1' });
    // one layer up, as the governance file orders them (supporting-resource, then sdk-innovation)
    const layers = hub.governance.proposals.layers.map((l) => l.id);
    expect(promoted.layer).toBe(layers[layers.indexOf('supporting-resource') - 1]);
    expect((promoted.relations as { kind: string; ref: string }[])[0]).toMatchObject({
      kind: 'promoted-from',
      ref: 'P-1',
    });
    expect(promoted.ref).not.toBe('P-1');
    const again = await call(sam, 'get_proposal', { ref: 'P-1' });
    expect((again.can as Record<string, { allowed: boolean; reason?: string }>).promote).toEqual({
      allowed: false,
      reason: `It was already promoted, as ${promoted.ref}`,
    });
    expect(await refusal(sam, 'promote_proposal', { ref: 'P-1' })).toMatch(/^conflict: It was already promoted/);
  });

  /** The same for get_charter's `group.can`: each thing a group's page offers, and its tool (null: see docs/mcp.md). */
  const GROUP_CAN: Record<string, string | null> = {
    join: 'join_group',
    askToBeMember: 'ask_to_be_member',
    withdrawMembershipRequest: 'withdraw_membership_request',
    answerMembershipRequests: 'answer_membership_request',
    leave: 'leave_group',
    setMemberLevel: 'set_member_level',
    addTopicArea: 'add_topic_area',
    editCharter: 'edit_charter',
    sponsor: 'sponsor_group',
    move: 'move_group',
    openDecision: 'open_decision',
    scheduleMeeting: 'schedule_meeting',
    assignNoteTaker: 'set_meeting_note_taker',
    manageWebhooks: 'add_group_webhook',
  };

  it("schedules a process meeting as get_charter's group.can said a lead may, with an agenda and written input", async () => {
    const sam = await as('sam-lead');
    const names = new Set((await sam.listTools()).tools.map((t) => t.name));
    const group = (await call(sam, 'get_charter', { group: 'hosting' })).group as {
      can: Record<string, { allowed: boolean }>;
    };
    expect(Object.keys(group.can).sort()).toEqual(Object.keys(GROUP_CAN).sort());
    for (const tool of Object.values(GROUP_CAN)) if (tool) expect(names, tool).toContain(tool);
    expect(group.can.scheduleMeeting).toEqual({ allowed: true });

    // a mistake is named by field and rule, every one at once, and nothing is scheduled
    expect(
      await refusal(sam, 'schedule_meeting', {
        group: 'hosting',
        kind: 'process',
        title: 'Facilitation rota',
        startsAt: '2026-12-01T16:00:00Z',
        noteTaker: 'nobody-here',
      }),
    ).toMatch(/startsAt: must be in the future[\s\S]*noteTaker: /);
    const meeting = await call(sam, 'schedule_meeting', {
      group: 'hosting',
      kind: 'process',
      title: 'Facilitation rota',
      startsAt: '2026-12-14T16:00:00Z',
      noteTaker: 'priya',
    });
    expect(meeting).toMatchObject({ group: 'hosting', kind: 'process', noteTaker: 'priya', notice: { short: false } });
    // its ref is what the agenda and written-input tools take
    const agenda = await call(sam, 'add_agenda_item', {
      ref: meeting.ref,
      title: 'Who facilitates in January',
      link: { type: 'decision', ref: 'D-1' },
    });
    const item = (agenda.agenda as { items: { position: number; kind: string }[] }).items[0]!;
    expect(item.kind).toBe('process');
    const amara = await as('amara');
    await call(amara, 'submit_written_input', {
      ref: meeting.ref,
      item: item.position,
      body: 'I cannot attend: I can facilitate in February.',
    });
    const read = await call(priya, 'get_agenda', { ref: meeting.ref });
    expect(JSON.stringify(read.agenda)).toContain('I can facilitate in February');
    // one whom the charter's can refuses is told so by the tool too
    expect(
      await refusal(amara, 'schedule_meeting', {
        group: 'hosting',
        kind: 'process',
        title: 'My own meeting',
        startsAt: '2026-12-15T16:00:00Z',
      }),
    ).toMatch(/^forbidden: /);
  });

  /** The same for get_agenda's `can`: each thing a meeting's page offers, and its tool. */
  const MEETING_CAN: Record<string, string | null> = {
    edit: 'edit_meeting',
    reschedule: 'reschedule_meeting',
    changeRecurrence: 'change_meeting_recurrence',
    cancel: 'cancel_meeting',
    restore: 'restore_meeting',
    endSeries: 'end_meeting_series',
    addAgendaItem: 'add_agenda_item',
    writtenInput: 'submit_written_input',
    // its `for`: input its sender mailed, recorded by a lead or facilitator
    recordWrittenInputFor: 'submit_written_input',
    publishAgenda: 'publish_agenda',
    orderAgenda: 'move_agenda_item',
    markWrittenInput: 'mark_written_input',
    addActionItem: 'add_action_item',
    recordOutcomes: 'record_meeting_notes',
    assignNoteTaker: 'set_meeting_note_taker',
    openOccurrence: 'schedule_meeting',
  };

  it("offers a tool for each thing get_agenda's and get_charter's `can` says, none left to the web alone", async () => {
    const names = new Set((await priya.listTools()).tools.map((t) => t.name));
    const agenda = await call(priya, 'get_agenda', { ref: 'M-1' });
    expect(Object.keys(agenda.can as object).sort()).toEqual(Object.keys(MEETING_CAN).sort());
    for (const tool of [...Object.values(MEETING_CAN), ...Object.values(GROUP_CAN)])
      if (tool) expect(names, tool).toContain(tool);
    expect([...Object.values(MEETING_CAN), ...Object.values(GROUP_CAN)].filter((t) => !t)).toEqual([]);
  });

  it("publishes, changes, cancels and restores a meeting, as get_agenda's can said a lead may", async () => {
    const sam = await as('sam-lead');
    const meeting = await call(sam, 'schedule_meeting', {
      group: 'hosting',
      kind: 'content',
      title: 'Retry budgets',
      startsAt: '2026-12-16T16:00:00Z',
    });
    const ref = meeting.ref as string;
    const empty = (await call(sam, 'get_agenda', { ref })).can as Record<string, { allowed: boolean }>;
    expect(empty.publishAgenda).toEqual({ allowed: false, reason: 'Add an agenda item before publishing the agenda' });
    await call(sam, 'add_agenda_item', { ref, title: 'Budgets per gateway' });
    const can = (await call(sam, 'get_agenda', { ref })).can as Record<string, { allowed: boolean }>;
    expect([can.publishAgenda, can.changeRecurrence, can.edit]).toEqual([
      { allowed: true },
      { allowed: true },
      { allowed: true },
    ]);
    const published = await call(sam, 'publish_agenda', { ref });
    expect((published.agenda as { publishedAt: string | null }).publishedAt).toEqual(expect.any(String));
    const edited = await call(sam, 'edit_meeting', {
      ref,
      title: 'Retry budgets and backoff',
      version: published.version,
    });
    expect(edited).toMatchObject({ title: 'Retry budgets and backoff' });
    // the version read before the edit is refused naming the argument, the change not made
    const stale = await refusal(sam, 'change_meeting_recurrence', {
      ref,
      rrule: 'FREQ=WEEKLY;COUNT=3',
      version: published.version,
    });
    expect(stale).toMatch(/^conflict: [\s\S]*\n {2}- version: stale: it is now /);
    const weekly = await call(sam, 'change_meeting_recurrence', {
      ref,
      rrule: 'FREQ=WEEKLY;COUNT=3',
      version: edited.version,
    });
    expect(weekly.rrule).toBe('FREQ=WEEKLY;COUNT=3');
    await call(sam, 'cancel_meeting', { ref });
    const cancelled = await call(sam, 'get_agenda', { ref });
    expect((cancelled.can as Record<string, { allowed: boolean }>).restore).toEqual({ allowed: true });
    expect(await call(sam, 'restore_meeting', { ref })).toMatchObject({ cancelled: false });
    // one the meeting's can refuses is told so by the tool too
    expect(await refusal(await as('amara'), 'publish_agenda', { ref })).toMatch(/^forbidden: /);
    expect(await refusal(await as('amara'), 'restore_meeting', { ref })).toMatch(/^forbidden: /);
  });

  it('tells apart the meetings of a series what_needs_me lists, by an id get_agenda takes', async () => {
    const needs = (await call(priya, 'what_needs_me', {})) as {
      items: { kind: string; ref: string; id?: string; path: string; due: string }[];
    };
    const series = needs.items.filter((i) => i.kind === 'meeting' && i.ref === 'M-1');
    expect(series.length).toBeGreaterThan(1);
    expect(new Set(series.map((i) => i.id)).size).toBe(series.length);
    expect(new Set(series.map((i) => i.path)).size).toBe(series.length);
    for (const item of series) {
      const read = await call(priya, 'get_agenda', { ref: item.id });
      const occurrence = read.occurrence as { id: string; series: string; startsAt: string; ref: string | null } | null;
      if (item.id === 'M-1') continue;
      expect(item.id).toBe(`M-1@${item.due}`);
      expect(item.path).toBe(`/meetings/M-1#series-${item.due}`);
      // no agenda of its own yet: the series answers, and says so
      expect(occurrence).toEqual({ id: item.id, series: 'M-1', startsAt: item.due, ref: null });
      expect(read.ref).toBe('M-1');
    }
    // a start the series does not hold is refused naming the argument
    expect(await refusal(priya, 'get_agenda', { ref: 'M-1@2026-12-20T09:00:00Z' })).toMatch(
      /ref: 2026-12-20T09:00:00.000Z is not one of the starts of M-1/,
    );
  });

  it('sends written input to a later meeting of a series by the id what_needs_me gave, once its agenda is opened', async () => {
    const needs = (await call(priya, 'what_needs_me', {})) as {
      items: { kind: string; ref: string; id?: string; due: string }[];
    };
    const later = needs.items.find((i) => i.kind === 'meeting' && i.id?.startsWith('M-1@'))!;
    const id = later.id!;
    // get_agenda answers for that meeting: its start, no agenda yet, and a `can` saying who opens it (it
    // answered with the series' first meeting, long past: "The agenda closed when the meeting started")
    const read = (await call(priya, 'get_agenda', { ref: id })) as {
      startsAt: string;
      agenda: { items: unknown[] };
      upcoming: string[];
      markdown: string;
      can: Record<string, { allowed: boolean; reason?: string }>;
    };
    expect(read.startsAt).toBe(later.due);
    expect(read.agenda.items).toEqual([]);
    expect(read.upcoming).toContain(later.due);
    const notYet =
      'This meeting of the series has no agenda of its own yet: only a group lead, a core maintainer or a lead maintainer may open it; then anyone taking part may add items and send written input';
    expect(read.can.writtenInput).toEqual({ allowed: false, reason: notYet });
    expect(read.can.addAgendaItem).toEqual({ allowed: false, reason: notYet });
    expect(read.markdown).toContain(notYet);
    // the tools that act on a meeting take the same id, and refuse it in the same words
    expect(await refusal(priya, 'submit_written_input', { ref: id, item: 1, body: 'I cannot make it that day.' })).toBe(
      `forbidden: ${notYet}\nIt cannot be done now for the reason given, whatever the arguments; the item's \`can\` (get_proposal, get_decision, get_agenda, get_charter, get_person) says what you may do there now.`,
    );
    // a lead is told to open it, and does, with the start get_agenda listed
    const sam = await as('sam-lead');
    const asLead = (await call(sam, 'get_agenda', { ref: id })) as { can: Record<string, { reason?: string }> };
    expect(asLead.can.addAgendaItem!.reason).toMatch(/no agenda of its own yet: open it first/);
    const opened = await call(sam, 'schedule_meeting', {
      group: 'hosting',
      kind: 'process',
      title: 'Hosting WG coordination',
      startsAt: later.due,
      seriesOf: 'M-1',
    });
    // the same id now names that meeting: an item and written input reach it
    const added = await call(sam, 'add_agenda_item', { ref: id, title: 'Outline review' });
    expect(added.ref).toBe(opened.ref);
    const sent = (await call(priya, 'submit_written_input', {
      ref: id,
      item: 1,
      body: 'I cannot make it that day: the outline reads well to me.',
    })) as { ref: string; agenda: { items: { writtenInput: { author: string }[] }[] } };
    expect(sent.ref).toBe(opened.ref);
    expect(sent.agenda.items[0]!.writtenInput.map((w) => w.author)).toEqual(['priya']);
    // and the agenda resource reads it by that id too
    const resource = await priya.readResource({ uri: `wghub://meetings/${encodeURIComponent(id)}/agenda` });
    expect((resource.contents[0] as { text: string }).text).toContain('Outline review');
  });

  it('finds every field a description sends the client to in the output of the tool it names', async () => {
    const { tools } = await priya.listTools();
    const byName = new Map(tools.map((t) => [t.name, t]));
    /** Whether a schema holds a property of that name, at any depth (`what_needs_me's id` is its items' id). */
    const holds = (schema: unknown, name: string): boolean => {
      if (!schema || typeof schema !== 'object') return false;
      const s = schema as { properties?: Record<string, unknown> };
      if (s.properties && name in s.properties) return true;
      return Object.values(schema).some((v) => holds(v, name));
    };
    const missing: string[] = [];
    for (const t of tools) {
      const texts = [
        t.description ?? '',
        ...Object.values((t.inputSchema.properties ?? {}) as Record<string, { description?: string }>).map(
          (p) => p.description ?? '',
        ),
      ];
      for (const text of texts)
        for (const m of text.matchAll(/\b([a-z]+(?:_[a-z]+)+)(?:'s|') `?([a-zA-Z]+)/g)) {
          const named = byName.get(m[1]!);
          // a field of its answer (get_agenda's upcoming), or an argument it takes (comment_on_proposal's parent)
          if (named && !holds(named.outputSchema, m[2]!) && !holds(named.inputSchema, m[2]!))
            missing.push(`${t.name}: ${m[1]}'s ${m[2]}`);
        }
    }
    expect(missing).toEqual([]);
  });

  it("reads a discussion, replies by the id search gave, and edits the reply, as each comment's can says", async () => {
    // the comment search finds names itself comment:ID (and P-2#comment-ID); a reply took the bare id alone
    const found = (await call(priya, 'search', { q: 'Envoy', kind: 'comment' })) as {
      items: { id: string; ref: string }[];
    };
    const hit = found.items[0]!;
    expect(hit.id).toMatch(/^comment:/);
    const reply = await call(priya, 'comment_on_proposal', {
      ref: 'P-2',
      body: 'Could you share the Envoy configuration?',
      parent: hit.id,
    });
    expect(reply.parent).toBe(hit.id.replace(/^comment:/, ''));
    expect(
      (await call(priya, 'comment_on_proposal', { ref: 'P-2', body: 'And the traces, please.', parent: hit.ref }))
        .parent,
    ).toBe(reply.parent);
    // the whole discussion, paged, with each comment's id, version and can
    const first = (await call(priya, 'list_comments', { ref: 'P-2', limit: 1 })) as {
      items: { id: string; can: Record<string, { allowed: boolean }> }[];
      nextCursor: string | null;
      total: number;
    };
    expect(first.items).toHaveLength(1);
    const rest = (await call(priya, 'list_comments', { ref: 'P-2', cursor: first.nextCursor, limit: 200 })) as {
      items: { id: string; parent: string | null; version: number; can: Record<string, { allowed: boolean }> }[];
      nextCursor: string | null;
    };
    expect(rest.nextCursor).toBeNull();
    expect(1 + rest.items.length).toBe(first.total);
    const mine = rest.items.find((c) => c.id === reply.id)!;
    expect(mine.parent).toBe(reply.parent);
    expect(mine.can.edit).toEqual({ allowed: true });
    const edited = await call(priya, 'edit_comment', {
      comment: `comment:${mine.id}`,
      body: 'Could you share the Envoy configuration, with its traces?',
      version: mine.version,
    });
    expect([edited.body, edited.version]).toEqual(['Could you share the Envoy configuration, with its traces?', 2]);
    // one who did not write it is told why, in the words its can gave
    const other = [...first.items, ...rest.items].find((c) => !c.can.edit!.allowed)!;
    expect(
      await refusal(priya, 'edit_comment', { comment: other.id, body: 'Not mine to change.', version: 1 }),
    ).toMatch(/^forbidden: /);
  });

  /**
   * What get_person's `can` names, each with its tool, or null where it is left to the person on the
   * web pages and the command line (docs/mcp.md says why): setRole had no tool, and the description
   * listed it among what an assistant might do.
   */
  const PERSON_CAN: Record<string, string | null> = {
    edit: 'update_person',
    addOrganisation: 'update_person',
    setRole: 'set_person_role',
    createToken: null,
    manageTokens: null,
    issueClaim: null,
    acceptAgreements: null,
  };

  it("offers a tool for each thing get_person's `can` names, and says which are the person's own to do elsewhere", async () => {
    const { tools } = await priya.listTools();
    const names = new Set(tools.map((t) => t.name));
    const me = await call(priya, 'get_person', {});
    expect(Object.keys(me.can as object).sort()).toEqual(Object.keys(PERSON_CAN).sort());
    for (const tool of Object.values(PERSON_CAN)) if (tool) expect(names, tool).toContain(tool);
    const described = tools.find((t) => t.name === 'get_person')!.description!;
    for (const [can, tool] of Object.entries(PERSON_CAN)) {
      expect(described, can).toContain(can);
      if (tool) expect(described, can).toContain(tool);
    }
    // a lead maintainer moves someone up the ladder from the version read; one who may not is told why
    const lena = await as('lena-core');
    const amara = await call(lena, 'get_person', { handle: 'amara' });
    expect((amara.can as Record<string, { allowed: boolean }>).setRole).toEqual({ allowed: true });
    const raised = await call(lena, 'set_person_role', { handle: 'amara', role: 'member', version: amara.version });
    expect([raised.role, raised.version]).toEqual(['member', (amara.version as number) + 1]);
    expect(
      await refusal(lena, 'set_person_role', { handle: 'amara', role: 'maintainer', version: amara.version }),
    ).toMatch(/^conflict: /);
    expect(
      await refusal(priya, 'set_person_role', { handle: 'amara', role: 'maintainer', version: raised.version }),
    ).toMatch(/^forbidden: /);
  });

  it("reads in the rules in force when a member's silence is not counted, as get_decision's uncounted says it", async () => {
    const read = await priya.readResource({ uri: 'wghub://governance' });
    expect((read.contents[0] as { text: string }).text).toContain(
      "- A member's silence is counted as consent only when they were told of the decision at least 24 hours before its deadline, since their voice began",
    );
  });

  it('joins a group and amends its charter, as group.can said; a lead is not offered to join', async () => {
    const sam = await as('sam-lead');
    const asLead = (await call(sam, 'get_charter', { group: 'hosting' })).group as {
      version: number;
      can: Record<string, { allowed: boolean; reason?: string }>;
    };
    expect(asLead.can.join).toEqual({ allowed: false, reason: 'You are already in this group, as a lead' });
    expect(await refusal(sam, 'join_group', { group: 'hosting' })).toMatch(
      /^forbidden: You are already in this group, as a lead/,
    );
    const newcomer = await as('ines-core');
    const before = (await call(newcomer, 'get_charter', { group: 'hosting' })).group as {
      can: Record<string, { allowed: boolean }>;
    };
    expect(before.can.join).toEqual({ allowed: true });
    const joined = (await call(newcomer, 'join_group', { group: 'hosting', level: 'observer' })) as {
      items: { handle: string; level: string }[];
    };
    expect(joined.items.find((m) => m.handle === 'ines-core')?.level).toBe('observer');
    // joining at a level the leads grant is refused naming the field
    expect(await refusal(await as('kai-core'), 'join_group', { group: 'hosting', level: 'member' })).toMatch(
      /level: anyone may join as/,
    );

    expect(asLead.can.editCharter).toEqual({ allowed: true });
    // a key in a section that is no field is refused naming it, as REST refuses it (attack round 18):
    // "body" for "markdown" and a made-up "replace" were dropped before the use case saw them
    expect(
      await refusal(sam, 'edit_charter', {
        group: 'hosting',
        sections: [
          { heading: 'Scope', markdown: '- Session affinity', replace: false },
          { heading: 'Scope', body: '-' },
        ],
        version: asLead.version,
      }),
    ).toMatch(/sections\[0\]\.replace: is not a field here[\s\S]*sections\[1\]\.body: is not a field here/);
    const amended = await call(sam, 'edit_charter', {
      group: 'hosting',
      sections: [{ heading: 'Scope', markdown: '- Session affinity\n- Retry budgets for gateways' }],
      changelog: 'Retry budgets are in scope.',
      version: asLead.version,
    });
    expect(amended.version).toBe(asLead.version + 1);
    expect(amended.markdown).toContain('Retry budgets for gateways');
    // the version read before it is refused naming the argument, nothing overwritten
    expect(
      await refusal(sam, 'edit_charter', { group: 'hosting', changelog: 'Again.', version: asLead.version }),
    ).toMatch(new RegExp(`^conflict: [\\s\\S]*\\n {2}- version: stale: it is now ${asLead.version + 1}`));
    // one whom group.can refuses is told so by the tool too
    expect(
      await refusal(await as('amara'), 'edit_charter', { group: 'hosting', changelog: 'Mine.', version: 99 }),
    ).toMatch(/^forbidden: /);
  });

  it('pages the documents and the organisations with limit and cursor, as the other lists', async () => {
    for (const [n, title] of ['Affinity', 'Backoff', 'Cookies'].entries())
      await importArtifact(hub, SYSTEM, `working-groups/hosting/guide-${n}.md`, `# ${title}\n\nNotes.`, 'hosting');
    type Listed = { items: { path?: string; slug?: string }[]; nextCursor: string | null };
    const walk = async (tool: string, key: 'path' | 'slug', args: Record<string, unknown>) => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page = (await call(priya, tool, { ...args, limit: 2, ...(cursor ? { cursor } : {}) })) as Listed;
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((i) => i[key]!));
        cursor = page.nextCursor;
      } while (cursor);
      return seen;
    };
    const all = (await call(priya, 'list_documents', { group: 'hosting', limit: 200 })) as Listed;
    expect(all.nextCursor).toBeNull();
    expect(all.items.length).toBeGreaterThanOrEqual(3);
    expect(await walk('list_documents', 'path', { group: 'hosting' })).toEqual(all.items.map((i) => i.path));
    const orgs = (await call(priya, 'list_organisations', {})) as Listed;
    expect(orgs.items.length).toBeGreaterThan(2);
    expect(await walk('list_organisations', 'slug', {})).toEqual(orgs.items.map((i) => i.slug));
    // a bound past the others' is refused naming it, as theirs are
    expect(await refusal(priya, 'list_organisations', { limit: 500 })).toMatch(/limit: /);
  });

  it("marks a follow-up and an action item done, as get_proposal's can and what_needs_me ask", async () => {
    // an accepted specification change opens follow-ups per SDK; here one is made as that cascade makes it
    const p2 = await hub.store.db
      .selectFrom('proposals')
      .select('id')
      .where('number', '=', 2)
      .executeTakeFirstOrThrow();
    await hub.store.db
      .insertInto('follow_ups')
      .values({
        id: 'fu-python',
        proposal_id: p2.id,
        kind: 'sdk',
        target: 'python',
        status: 'open',
        created_at: hub.clock.now().toISOString(),
        done_at: null,
        done_by: null,
      })
      .execute();
    hub.reads.invalidate();
    const before = await call(priya, 'get_proposal', { ref: 'P-2' });
    expect((before.can as Record<string, { allowed: boolean }>).completeFollowUp).toEqual({ allowed: true });
    const done = await call(priya, 'complete_follow_up', { ref: 'P-2', followUp: 'fu-python' });
    expect(done.followUps).toEqual([expect.objectContaining({ id: 'fu-python', status: 'done' })]);
    expect(await refusal(priya, 'complete_follow_up', { ref: 'P-2', followUp: 'nope' })).toMatch(
      /^not found: follow-up 'P-2\/nope' does not exist/,
    );

    const needs = (await call(priya, 'what_needs_me', {})) as {
      items: { kind: string; ref: string; id?: string; asked: string }[];
    };
    const item = needs.items.find((i) => i.kind === 'action-item')!;
    expect(item.asked).toMatch(/mark it done/);
    const marked = await call(priya, 'complete_action_item', { ref: item.ref, action: item.id });
    expect((marked.actions as { id: string; done: boolean }[]).find((a) => a.id === item.id)?.done).toBe(true);
    const after = (await call(priya, 'what_needs_me', {})) as { items: { kind: string }[] };
    expect(after.items.filter((i) => i.kind === 'action-item')).toEqual([]);
    expect(await refusal(priya, 'complete_action_item', { ref: item.ref, action: 'nope' })).toMatch(
      /action: M-1 has no action item 'nope'/,
    );
  });

  it("names who resolves an escalated decision and gives the guidance, as get_decision's can said", async () => {
    const sam = await as('sam-lead');
    const opened = await call(sam, 'open_decision', {
      group: 'hosting',
      subject: { type: 'charter' },
      question: 'Add registry hosting to the charter scope?',
      significance: 'minor',
    });
    const ref = opened.ref as string;
    await call(sam, 'request_vote', { ref }); // a lead calls the vote at once
    // nobody votes: the vote misses its quorum and the decision escalates
    hub.clock.advance(30 * 86_400_000);
    const lena = await as('lena-core');
    const escalated = await call(lena, 'get_decision', { ref });
    expect((escalated.state as { phase: string }).phase).toBe('escalated');
    expect((escalated.can as Record<string, { allowed: boolean }>).designate).toEqual({ allowed: true });
    const { candidates } = escalated.escalation as { candidates: string[] };
    expect(candidates).toContain('ines-core');
    // one who is not a candidate is refused naming the field, the rule and the candidates
    expect(await refusal(lena, 'designate_resolver', { ref, designee: 'priya' })).toMatch(
      /designee: priya is not a core-maintainer; candidates: /,
    );
    const named = await call(lena, 'designate_resolver', { ref, designee: 'ines-core' });
    expect((named.escalation as { designee: string }).designee).toBe('ines-core');

    // only the one named may give the guidance
    expect(await refusal(lena, 'give_guidance', { ref, kind: 'binding', guidance: 'Keep it out.' })).toMatch(
      /^forbidden: Only the designated core maintainer may give the guidance/,
    );
    const ines = await as('ines-core');
    const resolved = await call(ines, 'give_guidance', {
      ref,
      kind: 'binding',
      guidance: 'Add it, limited to the reference registry.',
    });
    expect(resolved.state).toMatchObject({ phase: 'closed', outcome: 'resolved-by-escalation' });
    const list = (await call(ines, 'list_decisions', { subject: 'charter', open: false })) as {
      items: { ref: string }[];
    };
    expect(list.items.map((d) => d.ref)).toContain(ref);
  });
});
