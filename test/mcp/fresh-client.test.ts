// What an assistant that has never seen the hub does with only the tools' own words, on the demo
// community (the independent-client round): each finding is a chain of calls a fresh client makes,
// taking one tool's answer as the next one's argument, as the descriptions tell it to.
import type { ServerType } from '@hono/node-server';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { loadDemoCommunity } from '../../src/app/demo/demo.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { databases } from '../support/databases.ts';
import { openTestHub, type TestHub } from '../support/hub.ts';
import { httpClient, serveMcpOverHttp, text } from './support.ts';

describe.each(databases)('a fresh MCP client on the demo community, on $name', (database) => {
  let hub: TestHub;
  let main: { url: string; server: ServerType };
  let priya: Client;

  beforeAll(async () => {
    hub = await openTestHub(database, '2026-12-05T12:00:00Z');
    hub.governance.rateLimits = { ...hub.governance.rateLimits, enabled: false };
    await loadDemoCommunity(hub, { work: true });
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
   * null where it is done on the web and REST only (the reason in docs/mcp.md). A new `can` fails
   * here until it is given a tool or a reason, so an assistant is never told it may do what it cannot.
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
    promote: null,
    completeFollowUp: null,
    move: 'move_stage',
    openDecision: null,
    requestReview: 'ask_for_review',
    verifyEvidence: 'verify_evidence',
  };
  const DECISION_CAN: Record<string, string | null> = {
    respond: 'respond_to_decision',
    withdrawResponse: 'withdraw_decision_response',
    requestVote: 'request_vote',
    vote: 'vote_on_decision',
    designate: null,
    guide: null,
    withdraw: 'withdraw_decision',
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
    hub.clock.advance(60_000); // a later vote than the demo's; two at one instant are left in docs/mcp.md
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
});
