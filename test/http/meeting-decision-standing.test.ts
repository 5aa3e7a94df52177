// Where a meeting's linked decisions stand, read through every edge from one use case
// (app/meetings/decision-standing.ts): REST's GET /api/meetings/{ref}, MCP get_meeting_outcomes and
// the web meeting page say the same, the first 20 linked decisions each once, the rest counted.
import type { ServerType } from '@hono/node-server';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Actor, SYSTEM } from '../../src/app/core/hub.ts';
import { openDecision, withdrawDecision } from '../../src/app/decisions/decisions.ts';
import { placeInGroup } from '../../src/app/groups/groups.ts';
import { STANDING_READ } from '../../src/app/meetings/decision-standing.ts';
import { scheduleMeeting } from '../../src/app/meetings/meetings.ts';
import { recordMeetingDecision } from '../../src/app/meetings/outcomes.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { createHttpApp } from '../../src/http/server.ts';
import { databases } from '../support/databases.ts';
import { hostingGroup, openTestHub, person, type TestHub } from '../support/hub.ts';
import { pageText } from '../support/web-client.ts';
import { demoSignIn } from '../support/web-hub.ts';
import { httpClient, serveMcpOverHttp } from '../mcp/support.ts';

describe.each(databases)("a meeting's linked decisions on $name", (database) => {
  let hub: TestHub;
  let app: ReturnType<typeof createHttpApp>;
  let mcp: { url: string; server: ServerType };
  let client: Client;
  let lead: Actor;

  beforeAll(async () => {
    hub = await openTestHub(database, '2026-03-02T12:00:00Z');
    lead = await person(hub, 'lead', { role: 'member' });
    await hostingGroup(hub, lead, 'lead');
    await person(hub, 'bo');
    await placeInGroup(hub, SYSTEM, 'hosting', 'bo', { level: 'member' });
    const m = await scheduleMeeting(hub, lead, {
      group: 'hosting',
      kind: 'process',
      title: 'Hosting coordination',
      startsAt: '2026-03-20T16:00:00Z',
    });
    hub.clock.set('2026-03-20T17:30:00Z');
    // 22 decisions, D-1 linked twice, D-2 withdrawn: 22 distinct, the first 20 read, 2 left out
    for (let i = 1; i <= STANDING_READ + 2; i++)
      await openDecision(hub, lead, {
        group: 'hosting',
        subject: { type: 'process' },
        question: `Adopt practice number ${i} for hosting?`,
        significance: 'minor',
      });
    await withdrawDecision(hub, lead, 'D-2', { reason: 'a duplicate of D-1' });
    for (let i = 1; i <= STANDING_READ + 2; i++)
      await recordMeetingDecision(hub, lead, m.ref, { summary: `We discussed practice ${i}`, decision: `D-${i}` });
    await recordMeetingDecision(hub, lead, m.ref, { summary: 'We came back to practice 1', decision: 'D-1' });
    await recordMeetingDecision(hub, lead, m.ref, { summary: 'Nothing linked here' });
    app = createHttpApp(hub, undefined, { web: demoSignIn });
    mcp = await serveMcpOverHttp(hub);
    client = await httpClient(mcp.url, 'modern', (await createToken(hub, SYSTEM, 'bo')).token);
  });
  afterAll(async () => {
    await client?.close();
    mcp?.server.close();
    await hub?.close();
  });

  it('REST says where the first 20 stand, each once in the order recorded, and counts the rest', async () => {
    const res = await app.request('/api/meetings/M-1');
    expect(res.status).toBe(200);
    const m = await res.json();
    expect(m.decisions).toHaveLength(STANDING_READ + 4);
    const s = m.decisionStanding;
    expect(s.items.map((d: { ref: string }) => d.ref)).toEqual(
      Array.from({ length: STANDING_READ }, (_, i) => `D-${i + 1}`),
    );
    expect(s.leftOut).toBe(2);
    expect(s.items[0]).toMatchObject({
      ref: 'D-1',
      question: 'Adopt practice number 1 for hosting?',
      phase: 'lazy-consensus',
      outcome: 'pending',
    });
    expect(s.items[1]).toMatchObject({ ref: 'D-2', outcome: 'withdrawn' });
  });

  it('MCP get_meeting_outcomes gives the same standing as REST', async () => {
    const rest = await (await app.request('/api/meetings/M-1')).json();
    const r = (await client.callTool({ name: 'get_meeting_outcomes', arguments: { ref: 'M-1' } })) as {
      isError?: boolean;
      structuredContent?: { decisionStanding: unknown; decisions: unknown[] };
    };
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent!.decisionStanding).toEqual(rest.decisionStanding);
    expect(r.structuredContent!.decisions).toHaveLength(STANDING_READ + 4);
  });

  it('the web page shows the same standing and says how many more were not read', async () => {
    const text = pageText(await (await app.request('/meetings/M-1')).text());
    expect(text).toMatch(/D-1\s*, open: silence is consent until/);
    expect(text).toMatch(/D-2\s*, withdrawn/);
    expect(text).toContain(
      `Where the first ${STANDING_READ} linked decisions stand is shown; 2 more say so on their own page.`,
    );
  });
});
