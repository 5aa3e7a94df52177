// A decision's timeline is bounded per decision, not only per person: one read (its page, REST, MCP)
// carries the latest `LIMITS.decisionTimeline.events` events and no more than its `chars` of facts,
// says how many came before them, and every edge reads those a page at a time (the decision's
// /timeline page and route, MCP decision_timeline, `wghub decision timeline`). Nothing stored is cut.
import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/app/core/hub.ts';
import {
  type DecisionTimelinePage,
  decisionTimeline,
  getDecision,
  openDecision,
  respondToDecision,
} from '../../../src/app/decisions/decisions.ts';
import { showTimeline } from '../../../src/cli/decision-commands.ts';
import { LIMITS } from '../../../src/domain/limits.ts';
import { createHttpApp } from '../../../src/http/server.ts';
import { createWghubMcpServer } from '../../../src/mcp/server.ts';
import { eventsFor } from '../../../src/store/events.ts';
import { databases } from '../../support/databases.ts';
import { hostingGroupWithMail } from '../../support/notifications.ts';
import type { TestHub } from '../../support/hub.ts';

describe.each(databases)("a decision's timeline on $name", { timeout: 120_000 }, (database) => {
  let hub: TestHub;
  let lead: Actor, ana: Actor, bo: Actor;

  beforeEach(async () => {
    ({ hub, lead, ana, bo } = await hostingGroupWithMail(database));
    await openDecision(hub, lead, {
      group: 'hosting',
      subject: { type: 'process' },
      question: 'Adopt fortnightly content meetings?',
      significance: 'minor',
    });
  });
  afterEach(async () => hub?.close());

  const stored = async () => (await eventsFor(hub.store.db, 'decision', 'D-1')).map((e) => e.seq);

  it('carries the latest events, counts the earlier ones, and each edge reads them all', async () => {
    // 120 responses from three people, each within their own bound: 121 events with the opening
    for (let i = 0; i < 40; i++)
      for (const who of [lead, ana, bo]) await respondToDecision(hub, who, 'D-1', { kind: 'consent', reason: `r${i}` });
    const all = await stored();
    expect(all).toHaveLength(121);

    const d = await getDecision(hub, 'D-1');
    expect(d.timeline).toHaveLength(LIMITS.decisionTimeline.events);
    expect(d.timeline.map((e) => e.seq)).toEqual(all.slice(-LIMITS.decisionTimeline.events));
    expect(d.timelineEarlier).toEqual({ count: 21, before: d.timeline[0]!.seq });

    // the earlier ones, read a page at a time, are every event before, in order, the opening first
    const page = await decisionTimeline(hub, 'D-1', { before: d.timelineEarlier!.before, limit: 15 }, null);
    expect(page.items.map((e) => e.seq)).toEqual(all.slice(6, 21));
    expect(page.earlier).toEqual({ count: 6, before: all[6] });
    const first = await decisionTimeline(hub, 'D-1', { before: page.earlier!.before }, null);
    expect(first.items.map((e) => e.seq)).toEqual(all.slice(0, 6));
    expect(first.items[0]).toMatchObject({ kind: 'decision.opened', actor: 'lead' });
    expect(first.earlier).toBeNull();
    expect(first.names).toMatchObject({ lead: expect.any(String) });

    // REST: the decision says how many came before; its timeline route reads them, and refuses a bad cursor naming it
    const app = createHttpApp(hub);
    const rest = (await (await app.request('/api/decisions/D-1')).json()) as typeof d;
    expect(rest.timeline).toHaveLength(LIMITS.decisionTimeline.events);
    expect(rest.timelineEarlier).toEqual(d.timelineEarlier);
    const earlier = await app.request(`/api/decisions/D-1/timeline?before=${d.timelineEarlier!.before}`);
    expect(earlier.status).toBe(200);
    expect(((await earlier.json()) as DecisionTimelinePage).items.map((e) => e.seq)).toEqual(all.slice(0, 21));
    const bad = await app.request('/api/decisions/D-1/timeline?before=soon');
    expect(bad.status).toBe(422);
    expect(JSON.stringify(await bad.json())).toMatch(/before/);

    // the web: the page says how many came before and links to them; that page lists them from the opening
    const html = await (await app.request('/decisions/D-1')).text();
    expect(html).toContain('21 earlier events came before them');
    expect(html).toContain(`href="/decisions/D-1/timeline?before=${d.timelineEarlier!.before}"`);
    const older = await app.request(`/decisions/D-1/timeline?before=${d.timelineEarlier!.before}`);
    expect(older.status).toBe(200);
    const olderHtml = await older.text();
    expect(olderHtml).toContain('opened the decision');
    expect(olderHtml).toContain('responded: consent, saying “r6”');
    // a cursor that is no number is refused in its own words, not as "null"
    const garbled = await app.request('/decisions/D-1/timeline?before=soon');
    expect(garbled.status).toBe(422);
    const garbledHtml = await garbled.text();
    expect(garbledHtml).toContain('soon');
    expect(garbledHtml).not.toContain('null is not');

    // MCP: decision_timeline reads them, checked against its outputSchema by the SDK's client
    const server = createWghubMcpServer(hub, { actor: ana });
    const [a, b] = InMemoryTransport.createLinkedPair();
    await server.connect(a);
    const client = new Client({ name: 'test', version: '1' });
    await client.connect(b);
    try {
      await client.listTools();
      const got = await client.callTool({
        name: 'decision_timeline',
        arguments: { ref: 'D-1', before: d.timelineEarlier!.before },
      });
      expect(got.isError).toBeFalsy();
      expect((got.structuredContent as DecisionTimelinePage).items.map((e) => e.seq)).toEqual(all.slice(0, 21));
    } finally {
      await client.close();
    }

    // the CLI: one event a line, and the command that reads the earlier ones
    const cli = showTimeline(page);
    expect(cli.split('\n')[0]).toBe(`6 earlier events: wghub decision timeline D-1 --before ${all[6]}`);
    expect(cli).toContain('decision.responded');
  });

  it('carries no more than its characters of facts: long objections leave the rest for the next read', async () => {
    const long = (c: string) => c.repeat(LIMITS.prose);
    for (let i = 0; i < 6; i++)
      await respondToDecision(hub, ana, 'D-1', {
        kind: 'block',
        reason: long(String(i)),
        alternative: long('a'),
        resolutionCriteria: long('c'),
      });
    const d = await getDecision(hub, 'D-1');
    const chars = d.timeline.reduce((n, e) => n + JSON.stringify(e.after).length, 0);
    expect(chars).toBeLessThanOrEqual(LIMITS.decisionTimeline.chars);
    expect(d.timeline.length).toBeGreaterThan(0);
    expect(d.timeline.at(-1)).toMatchObject({ kind: 'decision.responded', after: { reason: long('5') } });
    const shown = d.timeline.length;
    expect(d.timelineEarlier?.count).toBe(7 - shown);
    const rest = await decisionTimeline(hub, 'D-1', { before: d.timelineEarlier!.before }, null);
    // every stored event is read across the two
    expect([...rest.items, ...d.timeline].map((e) => e.seq)).toEqual(await stored());
  });
});
