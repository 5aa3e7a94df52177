// What a meeting's linked decisions cost to read: where each stands is read for all of them at once
// (app/meetings/decision-standing.ts), so GET /api/meetings/{ref} (and MCP get_meeting_outcomes and
// `wghub meeting show`, the same use case) sends about as many queries with 20 linked decisions as
// with one. It sent a whole decision read, about 13 queries, per linked decision.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Actor, SYSTEM } from '../../src/app/core/hub.ts';
import { openDecision, withdrawDecision } from '../../src/app/decisions/decisions.ts';
import { placeInGroup } from '../../src/app/groups/groups.ts';
import { STANDING_READ } from '../../src/app/meetings/decision-standing.ts';
import { scheduleMeeting } from '../../src/app/meetings/meetings.ts';
import { recordMeetingDecision } from '../../src/app/meetings/outcomes.ts';
import { createHttpApp } from '../../src/http/server.ts';
import { databases } from '../support/databases.ts';
import { hostingGroup, openTestHub, person, type TestHub } from '../support/hub.ts';
import { countQueries, type QueryCounter } from '../support/queries.ts';

describe.each(databases)("the cost of a meeting's linked decisions on $name", (database) => {
  let hub: TestHub;
  let app: ReturnType<typeof createHttpApp>;
  let queries: QueryCounter;
  let lead: Actor;

  beforeAll(async () => {
    hub = await openTestHub(database, '2026-03-02T12:00:00Z');
    lead = await person(hub, 'lead', { role: 'member' });
    await hostingGroup(hub, lead, 'lead');
    await person(hub, 'bo');
    await placeInGroup(hub, SYSTEM, 'hosting', 'bo', { level: 'member' });
    for (const title of ['One decision', 'Many decisions'])
      await scheduleMeeting(hub, lead, { group: 'hosting', kind: 'process', title, startsAt: '2026-03-20T16:00:00Z' });
    hub.clock.set('2026-03-20T17:30:00Z');
    for (let i = 1; i <= STANDING_READ; i++)
      await openDecision(hub, lead, {
        group: 'hosting',
        subject: { type: 'process' },
        question: `Adopt practice number ${i} for hosting?`,
        significance: 'minor',
      });
    await withdrawDecision(hub, lead, 'D-2', { reason: 'a duplicate of D-1' });
    await recordMeetingDecision(hub, lead, 'M-1', { summary: 'We discussed practice 1', decision: 'D-1' });
    for (let i = 1; i <= STANDING_READ; i++)
      await recordMeetingDecision(hub, lead, 'M-2', { summary: `We discussed practice ${i}`, decision: `D-${i}` });
    app = createHttpApp(hub);
    queries = countQueries(hub);
  });
  afterAll(async () => {
    await hub?.close();
  });

  async function cost(ref: string): Promise<number> {
    queries.reset();
    const res = await app.request(`/api/meetings/${ref}`);
    expect(res.status).toBe(200);
    expect((await res.json()).decisionStanding.items.length).toBeGreaterThan(0);
    return queries.count;
  }

  it(`reads ${STANDING_READ} linked decisions' standing in a few queries, not a decision read each`, async () => {
    const one = await cost('M-1');
    const many = await cost('M-2');
    // the meeting's own rows grow a little with its outcomes; the standing reads a fixed handful
    expect(many - one, `one linked: ${one} queries, ${STANDING_READ} linked: ${many}`).toBeLessThanOrEqual(3);
  });
});
