// A decision's earlier events say what their reader may do on it now (`can`), as every view does: the
// web's /decisions/D-1/timeline, REST GET /api/decisions/{ref}/timeline, MCP decision_timeline and
// `wghub decision timeline` said nothing of it. Both databases.
import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/app/core/hub.ts';
import {
  type DecisionTimelinePage,
  decisionTimeline,
  openDecision,
  withdrawDecision,
} from '../../../src/app/decisions/decisions.ts';
import { createToken } from '../../../src/app/people/tokens.ts';
import { showTimeline } from '../../../src/cli/decision-commands.ts';
import { createHttpApp } from '../../../src/http/server.ts';
import type { WebConfig } from '../../../src/http/web/config.ts';
import { createWghubMcpServer } from '../../../src/mcp/server.ts';
import { SYSTEM } from '../../../src/app/core/hub.ts';
import { databases } from '../../support/databases.ts';
import type { TestHub } from '../../support/hub.ts';
import { hostingGroupWithMail } from '../../support/notifications.ts';
import { pageText, signInAs } from '../../support/web-client.ts';

const demo: WebConfig = { oidc: null, publicUrl: null, secureCookies: true, sessionHours: 24 };

describe.each(databases)("a decision's timeline says what its reader may do, on $name", (database) => {
  let hub: TestHub;
  let lead: Actor, ana: Actor;

  beforeEach(async () => {
    ({ hub, lead, ana } = await hostingGroupWithMail(database));
    await openDecision(hub, lead, {
      group: 'hosting',
      subject: { type: 'process' },
      question: 'Adopt fortnightly content meetings?',
      significance: 'minor',
    });
  });
  afterEach(async () => hub?.close());

  it('a member may respond, a visitor is asked to sign in, and once it is withdrawn nobody may', async () => {
    expect((await decisionTimeline(hub, 'D-1', {}, ana)).can.respond).toEqual({ allowed: true });
    expect((await decisionTimeline(hub, 'D-1', {}, null)).can.respond).toMatchObject({
      allowed: false,
      remedy: 'sign-in',
    });
    // the web: a link to respond on the decision's page for the member; sign in for a visitor
    const app = createHttpApp(hub, undefined, { web: demo });
    const member = pageText((await (await signInAs(app, 'ana')).get('/decisions/D-1/timeline')).html);
    expect(member).toContain('What you can do Respond to D-1 : consent, raise a concern or block it, on its page.');
    const visitor = pageText(await (await app.request('/decisions/D-1/timeline')).text());
    expect(visitor).toContain('What you can do Sign in to respond.');
    // REST: the caller's own can, with a token and without
    const token = (await createToken(hub, SYSTEM, 'ana')).token;
    const rest = (await (
      await app.request('/api/decisions/D-1/timeline', { headers: { authorization: `Bearer ${token}` } })
    ).json()) as DecisionTimelinePage;
    expect(rest.can.respond).toEqual({ allowed: true });
    const anonymous = (await (await app.request('/api/decisions/D-1/timeline')).json()) as DecisionTimelinePage;
    expect(anonymous.can.respond).toMatchObject({ allowed: false, remedy: 'sign-in' });
    // MCP: decision_timeline carries it, checked against its outputSchema by the SDK's client
    const server = createWghubMcpServer(hub, { actor: ana });
    const [a, b] = InMemoryTransport.createLinkedPair();
    await server.connect(a);
    const client = new Client({ name: 'test', version: '1' });
    await client.connect(b);
    try {
      await client.listTools();
      const got = await client.callTool({ name: 'decision_timeline', arguments: { ref: 'D-1' } });
      expect(got.isError).toBeFalsy();
      expect((got.structuredContent as DecisionTimelinePage).can.respond).toEqual({ allowed: true });
    } finally {
      await client.close();
    }
    // the CLI: its last line says whether the reader may respond
    expect(
      showTimeline(await decisionTimeline(hub, 'D-1', {}, ana))
        .split('\n')
        .at(-1),
    ).toBe('you may respond: wghub decision respond D-1 consent|concern|block');

    await withdrawDecision(hub, lead, 'D-1', { reason: 'Asked twice by mistake.' });
    const closed = await decisionTimeline(hub, 'D-1', {}, ana);
    expect(closed.can.respond.allowed).toBe(false);
    expect(showTimeline(closed).split('\n').at(-1)).toMatch(/^you may not respond: /);
    const after = pageText((await (await signInAs(app, 'ana')).get('/decisions/D-1/timeline')).html);
    expect(after).not.toContain('Respond to D-1');
  });
});
