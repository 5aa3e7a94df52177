// What needs the group, for a coming meeting's agenda, over REST on both databases: the group's open
// decisions soonest to close first, then its proposals waiting for a sponsor; one already on the
// agenda is no longer suggested; only one who may add agenda items is answered (a visitor and one
// who may not are told 403 in the meeting policy's words).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { loadDemoCommunity } from '../../src/app/demo/demo.ts';
import { createProposal } from '../../src/app/proposals/proposals.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { createHttpApp } from '../../src/http/server.ts';
import { databases } from '../support/databases.ts';
import { asActor, openTestHub, type TestHub } from '../support/hub.ts';

describe.each(databases)('agenda suggestions over REST on $name', (database) => {
  let hub: TestHub;
  let app: ReturnType<typeof createHttpApp>;
  const tokens: Record<string, string> = {};
  const call = async (method: string, path: string, who?: string, body?: unknown) => {
    const res = await app.request(`http://127.0.0.1${path}`, {
      method,
      headers: {
        ...(who ? { Authorization: `Bearer ${tokens[who]}` } : {}),
        ...(body ? { 'Content-Type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, text, json: () => JSON.parse(text) };
  };

  beforeEach(async () => {
    hub = await openTestHub(database, '2026-12-07T12:00:00Z');
    app = createHttpApp(hub);
    await loadDemoCommunity(hub, { work: true });
    for (const h of ['sam-lead', 'amara']) tokens[h] = (await createToken(hub, SYSTEM, h)).token;
    // P-4: a SEP of Hosting's, waiting for a sponsor (P-1, an idea, and P-2, in community discussion, are
    // on the contribution route, which never asks for one)
    await createProposal(hub, await asActor(hub, 'jonas'), {
      title: 'Sticky sessions in the transport',
      problem: 'Servers behind load balancers lose sessions when requests land on another process.',
      examples: ['Our gateway sends each request of one session to a different process'],
      interests: 'Hosts need sessions that survive a load balancer.',
      layer: 'specification',
      route: 'sep',
      group: 'hosting',
    });
  });
  afterEach(async () => hub?.close());

  it("lists the group's open decisions, then its proposals waiting for a sponsor, and drops one put on the agenda", async () => {
    // M-2, the coming content meeting of Hosting; its organiser's group lead may add to its agenda
    const read = await call('GET', '/api/meetings/M-2/agenda-suggestions', 'sam-lead');
    expect(read.status, read.text).toBe(200);
    const items = read.json().items as { type: string; ref: string; closesBeforeMeeting?: boolean }[];
    // then, M-2 being a content meeting, the proposals Hosting is working on (P-1 and P-2, latest to move first)
    expect(items.map((i) => i.ref)).toEqual(['D-1', 'D-2', 'P-4', 'P-2', 'P-1']);
    // D-1 closes in 6 days, before the meeting in 10
    expect(items[0]).toMatchObject({ type: 'decision', phase: 'lazy-consensus', closesBeforeMeeting: true });
    expect(items[1]).toMatchObject({ type: 'decision', phase: 'vote' });
    expect(items[2]).toMatchObject({ type: 'proposal', stage: 'awaiting-sponsor', waitingForSponsor: true });
    expect(items[3]).toMatchObject({ type: 'proposal', stage: 'community-discussion', waitingForSponsor: false });

    const added = await call('POST', '/api/meetings/M-2/agenda', 'sam-lead', {
      title: 'Adopt the guide?',
      link: { type: 'decision', ref: 'D-1' },
    });
    expect(added.status, added.text).toBe(201);
    const again = (await call('GET', '/api/meetings/M-2/agenda-suggestions', 'sam-lead')).json();
    expect(again.items.map((i: { ref: string }) => i.ref)).toEqual(['D-2', 'P-4', 'P-2', 'P-1']);
  });

  it("a content meeting is offered the group's proposals being worked on, its topic area's first; a process meeting is not", async () => {
    // P-2 is in M-2's topic area (Horizontal scaling), P-1 is not: P-2 comes first, though P-1 moved later
    const db = hub.store.db;
    const m2 = await db
      .selectFrom('meetings')
      .select('topic_area_id')
      .where('number', '=', 2)
      .executeTakeFirstOrThrow();
    expect(m2.topic_area_id).not.toBeNull();
    const topics = await db.selectFrom('proposals').select(['number', 'topic_area_id']).orderBy('number').execute();
    expect(topics.slice(0, 2)).toEqual([
      { number: 1, topic_area_id: null },
      { number: 2, topic_area_id: m2.topic_area_id },
    ]);
    await db
      .updateTable('proposals')
      .set({ stage_changed_at: '2026-12-07T12:30:00.000Z' })
      .where('number', '=', 1)
      .execute();
    const content = (await call('GET', '/api/meetings/M-2/agenda-suggestions', 'sam-lead')).json();
    expect(
      content.items
        .filter((i: { waitingForSponsor?: boolean }) => i.waitingForSponsor === false)
        .map((i: { ref: string }) => i.ref),
    ).toEqual(['P-2', 'P-1']);
    // the same meeting as a process meeting (how the group operates) coordinates: no proposals being worked on
    await db.updateTable('meetings').set({ kind: 'process' }).where('number', '=', 2).execute();
    const process = (await call('GET', '/api/meetings/M-2/agenda-suggestions', 'sam-lead')).json();
    expect(process.items.map((i: { ref: string }) => i.ref)).toEqual(['D-1', 'D-2', 'P-4']);
  });

  it('names the meeting by its own ref however it was asked for', async () => {
    const read = await call('GET', '/api/meetings/m-2/agenda-suggestions', 'sam-lead');
    expect(read.status, read.text).toBe(200);
    expect(read.json().meeting).toBe('M-2');
  });

  it('still lists the proposal waiting for a sponsor when forty closed ones without a sponsor changed stage earlier', async () => {
    const db = hub.store.db;
    const p1 = await db.selectFrom('proposals').selectAll().where('number', '=', 1).executeTakeFirstOrThrow();
    for (let n = 100; n < 140; n++)
      await db
        .insertInto('proposals')
        .values({
          ...p1,
          id: crypto.randomUUID(),
          number: n,
          sep_number: null,
          route: 'contribution',
          stage: 'landed',
          stage_changed_at: '2025-03-01T00:00:00.000Z',
          sponsor_id: null,
        })
        .execute();
    const read = await call('GET', '/api/meetings/M-2/agenda-suggestions', 'sam-lead');
    expect(
      read
        .json()
        .items.filter((i: { type: string }) => i.type === 'proposal')
        .map((i: { ref: string }) => i.ref),
      // the landed ones are not being worked on either: M-2, a content meeting, lists P-2 and P-1 after P-4
    ).toEqual(['P-4', 'P-2', 'P-1']);
  });

  it('still lists the open decisions when forty escalated ones close sooner', async () => {
    const db = hub.store.db;
    const d1 = await db.selectFrom('decisions').selectAll().where('number', '=', 1).executeTakeFirstOrThrow();
    for (let n = 100; n < 140; n++)
      await db
        .insertInto('decisions')
        .values({
          ...d1,
          id: crypto.randomUUID(),
          number: n,
          deadline: '2026-01-01T00:00:00.000Z',
          recorded_state: 'escalated:pending',
        })
        .execute();
    const read = await call('GET', '/api/meetings/M-2/agenda-suggestions', 'sam-lead');
    expect(
      read
        .json()
        .items.filter((i: { type: string }) => i.type === 'decision')
        .map((i: { ref: string }) => i.ref),
    ).toEqual(['D-1', 'D-2']);
  });

  it('adding a decision already on the agenda again is already as asked, naming the item, and adds none', async () => {
    const body = { title: 'Adopt the guide?', link: { type: 'decision', ref: 'D-1' } };
    expect((await call('POST', '/api/meetings/M-2/agenda', 'sam-lead', body)).status).toBe(201);
    const again = await call('POST', '/api/meetings/M-2/agenda', 'sam-lead', { ...body, title: 'Adopt it, again' });
    expect(again.status, again.text).toBe(409);
    expect(again.json()).toMatchObject({ rule: 'already-as-asked' });
    expect(again.json().detail).toMatch(
      /^D-1 is already on the agenda of M-2: item \d+, "Adopt the guide\?", added by @sam-lead at .*: it is already so, nothing to do$/,
    );
    const items = (await call('GET', '/api/meetings/M-2', 'sam-lead')).json().agenda.items as {
      link: { ref: string } | null;
    }[];
    expect(items.filter((i) => i.link?.ref === 'D-1')).toHaveLength(1);
  });

  if (database.name === 'postgres')
    it('two adds of the same decision at once make one item', async () => {
      const body = { title: 'Adopt the guide?', link: { type: 'decision', ref: 'D-1' } };
      const answers = await Promise.all([
        call('POST', '/api/meetings/M-2/agenda', 'sam-lead', body),
        call('POST', '/api/meetings/M-2/agenda', 'sam-lead', body),
      ]);
      expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
      const rows = await hub.store.db
        .selectFrom('meeting_agenda_items')
        .select('id')
        .where('link_ref', '=', 'D-1')
        .execute();
      expect(rows).toHaveLength(1);
    });

  it('answers only one who may add agenda items', async () => {
    const visitor = await call('GET', '/api/meetings/M-2/agenda-suggestions');
    expect(visitor.status).toBe(403);
    // Amara is in no group: she may send written input, not add agenda items
    const amara = await call('GET', '/api/meetings/M-2/agenda-suggestions', 'amara');
    expect(amara.status).toBe(403);
    expect(amara.json().detail).toContain('may add an agenda item');
  });
});
