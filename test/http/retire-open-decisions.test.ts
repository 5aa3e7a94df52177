// A group is never retired under decisions still open: its windows would run on in a group that no
// longer runs, and lazy consensus would count its members' silence as consent after it stopped (with
// notices of the outcome to all). Retiring is refused naming each open decision, and the group's view
// says so beside the move (`allowedMoves[].openDecisions`); once each is withdrawn (its opener or a
// lead, saying why, those told of it hearing so) or closed, the group retires. REST and MCP alike.
import type { ServerType } from '@hono/node-server';
import type { KyselyPlugin } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inTransaction, record, SYSTEM, type Actor } from '../../src/app/core/hub.ts';
import { closeDueDecisions, getDecision, openDecision } from '../../src/app/decisions/decisions.ts';
import { groupsAllowing, joinVerdicts } from '../../src/app/groups/group-can.ts';
import { getGroupFor, moveGroup, sponsorGroup } from '../../src/app/groups/groups.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { createHttpApp } from '../../src/http/server.ts';
import { databases } from '../support/databases.ts';
import { asActor, hostingGroup, openTestHub, person, type TestHub } from '../support/hub.ts';
import { httpClient, serveMcpOverHttp } from '../mcp/support.ts';

const REFUSAL =
  'The group still has decisions open (D-1, D-2): withdraw each (whoever opened it or a lead of the group may, saying why) or let them close, then retire the group';

describe.each(databases)('retiring a group with decisions open, on $name', (database) => {
  let hub: TestHub;
  let lead: Actor;
  let app: ReturnType<typeof createHttpApp>;
  const tokens: Record<string, string> = {};
  beforeEach(async () => {
    hub = await openTestHub(database, '2026-03-02T12:00:00Z');
    lead = await person(hub, 'lead', { role: 'member' });
    await person(hub, 'cora', { role: 'core-maintainer' });
    await hostingGroup(hub, lead, 'lead');
    for (const h of ['lead', 'cora']) tokens[h] = (await createToken(hub, SYSTEM, h)).token;
    app = createHttpApp(hub);
    for (const question of ['Meet fortnightly?', 'Publish notes in the repository?'])
      await openDecision(hub, lead, {
        group: 'hosting',
        subject: { type: 'process' },
        question,
        significance: 'minor',
      });
  });
  afterEach(async () => hub?.close());

  const rest = (path: string, init: { method?: string; body?: unknown; as?: string } = {}) =>
    app.request(path, {
      method: init.method ?? 'GET',
      headers: {
        ...(init.as ? { authorization: `Bearer ${tokens[init.as]}` } : {}),
        ...(init.body ? { 'content-type': 'application/json' } : {}),
      },
      ...(init.body ? { body: JSON.stringify(init.body) } : {}),
    });

  it('REST refuses the retirement naming the open decisions; once they are withdrawn it retires, and nothing closes after', async () => {
    const view = await (await rest('/api/groups/hosting', { as: 'cora' })).json();
    expect(view.allowedMoves).toContainEqual(expect.objectContaining({ to: 'retired', openDecisions: ['D-1', 'D-2'] }));
    const refused = await rest('/api/groups/hosting/status', { method: 'POST', as: 'cora', body: { to: 'retired' } });
    expect(refused.status).toBe(403);
    expect((await refused.json()).detail).toBe(REFUSAL);
    expect((await (await rest('/api/groups/hosting')).json()).status).toBe('proposed');
    for (const ref of ['D-1', 'D-2']) {
      const res = await rest(`/api/decisions/${ref}/withdraw`, {
        method: 'POST',
        as: 'lead',
        body: { reason: 'The group is being retired' },
      });
      expect(res.status, await res.clone().text()).toBe(200);
    }
    const retired = await rest('/api/groups/hosting/status', { method: 'POST', as: 'cora', body: { to: 'retired' } });
    expect(retired.status, await retired.clone().text()).toBe(200);
    // the deadlines pass: nothing is adopted by silence in the retired group
    hub.clock.set('2026-04-02T12:00:00Z');
    expect(await closeDueDecisions(hub)).toEqual([]);
    expect((await getDecision(hub, 'D-1')).state.outcome).toBe('withdrawn');
  });

  it('a decision whose window closed while the group ran does not hold the retirement, and keeps its outcome', async () => {
    hub.clock.set('2026-03-20T12:00:00Z'); // past both deadlines; the close job has not run yet
    const view = await (await rest('/api/groups/hosting', { as: 'cora' })).json();
    expect(view.allowedMoves).toContainEqual(expect.objectContaining({ to: 'retired', openDecisions: [] }));
    const retired = await rest('/api/groups/hosting/status', { method: 'POST', as: 'cora', body: { to: 'retired' } });
    expect(retired.status, await retired.clone().text()).toBe(200);
    const closed = await closeDueDecisions(hub);
    expect(closed.map((c) => c.ref).sort()).toEqual(['D-1', 'D-2']);
    expect(closed.every((c) => c.phase === 'closed' && c.outcome !== 'withdrawn')).toBe(true);
  });

  it('MCP move_group is refused in the same words, and get_charter says why beside the move', async () => {
    const main: { url: string; server: ServerType } = await serveMcpOverHttp(hub);
    try {
      const cora = await httpClient(main.url, 'modern', tokens.cora);
      const moved = (await cora.callTool({ name: 'move_group', arguments: { group: 'hosting', to: 'retired' } })) as {
        isError?: boolean;
        content: { type: string; text: string }[];
      };
      expect(moved.isError).toBe(true);
      expect(moved.content.map((c) => c.text).join('\n')).toContain(REFUSAL);
      const charter = (await cora.callTool({ name: 'get_charter', arguments: { group: 'hosting' } })) as {
        structuredContent?: { group?: { allowedMoves?: unknown[] } };
      };
      expect(charter.structuredContent?.group?.allowedMoves).toContainEqual(
        expect.objectContaining({ to: 'retired', openDecisions: ['D-1', 'D-2'] }),
      );
      await cora.close();
    } finally {
      main.server.close();
    }
  });

  it('a group retired with a decision open (before the rule) never adopts it by silence: the close job records it withdrawn at the retirement', async () => {
    // as a hub before 2026-12-07 could: retired while D-1 and D-2 were open
    hub.clock.set('2026-03-04T12:00:00Z');
    await inTransaction(hub, async (trx) => {
      await trx.updateTable('groups').set({ status: 'retired' }).where('slug', '=', 'hosting').execute();
      await record(
        trx,
        hub,
        SYSTEM,
        'group.status-changed',
        { type: 'group', id: 'hosting' },
        { status: 'proposed' },
        { status: 'retired' },
      );
    });
    hub.clock.set('2026-04-02T12:00:00Z');
    const closed = await closeDueDecisions(hub);
    expect(closed).toEqual([
      { ref: 'D-1', phase: 'closed', outcome: 'withdrawn' },
      { ref: 'D-2', phase: 'closed', outcome: 'withdrawn' },
    ]);
    const d = await getDecision(hub, 'D-1');
    expect(d.state.why.join(' ')).toContain('its group was retired while it was open');
    // ended by the close job, as the log says, not by the operator, who did nothing
    expect(d.state.why[0]).toMatch(/^withdrawn by the hub's deadline timer at 2026-03-04T12:00:00.000Z: /);
    const asLead = await getDecision(hub, 'D-1', undefined, lead);
    expect(asLead.can.withdraw).toMatchObject({ reason: expect.stringContaining("by the hub's deadline timer") });
    expect(await closeDueDecisions(hub)).toEqual([]);
  });

  it('a decision opened as its group was retired (two writes crossing, before the rule) is recorded withdrawn as it opened, never before', async () => {
    // the retirement's event carries a moment before D-1 and D-2 were opened (2026-03-02T12:00)
    hub.clock.set('2026-03-02T11:59:00Z');
    await inTransaction(hub, async (trx) => {
      await trx.updateTable('groups').set({ status: 'retired' }).where('slug', '=', 'hosting').execute();
      await record(
        trx,
        hub,
        SYSTEM,
        'group.status-changed',
        { type: 'group', id: 'hosting' },
        { status: 'proposed' },
        { status: 'retired' },
      );
    });
    hub.clock.set('2026-04-02T12:00:00Z');
    await closeDueDecisions(hub);
    const d = await getDecision(hub, 'D-1');
    expect(d.state.outcome).toBe('withdrawn');
    expect(d.state.why[0]).toMatch(/^withdrawn by the hub's deadline timer at 2026-03-02T12:00:00.000Z: /);
  });

  it("an active group's view says it may not be moved while its decisions are open, in the refusal's words", async () => {
    const kai = await person(hub, 'kai', { role: 'lead-maintainer' });
    await sponsorGroup(hub, kai, 'hosting');
    await moveGroup(hub, kai, 'hosting', { to: 'active' });
    const view = await getGroupFor(hub, 'hosting', kai);
    expect(view.can.move).toEqual({ allowed: false, reason: REFUSAL });
    await expect(moveGroup(hub, kai, 'hosting', { to: 'retired' })).rejects.toMatchObject({ message: REFUSAL });
  });

  it('one who may make another move but not retire the group is told that, not which decisions keep it from retiring', async () => {
    // a governance file where core maintainers activate a group and only lead maintainers retire it
    const t = hub.governance.groups.transitions.find((x) => x.from === 'proposed' && x.to === 'retired')!;
    t.allowed = { roles: ['lead-maintainer'] };
    const cora = await asActor(hub, 'cora');
    await expect(moveGroup(hub, cora, 'hosting', { to: 'retired' })).rejects.toMatchObject({
      message: 'Only a lead maintainer may move a proposed group to retired',
    });
    const res = await rest('/api/groups/hosting/status', { method: 'POST', as: 'cora', body: { to: 'retired' } });
    expect((await res.json()).detail).toBe('Only a lead maintainer may move a proposed group to retired');
  });

  it('one who may not retire an active group is told that, not which decisions keep it from retiring', async () => {
    const kai = await person(hub, 'kai', { role: 'lead-maintainer' });
    await sponsorGroup(hub, kai, 'hosting');
    await moveGroup(hub, kai, 'hosting', { to: 'active' });
    // the group's lead (a member of the community) may not retire it, decisions open or not
    const why = (await getGroupFor(hub, 'hosting', lead)).can.move;
    expect(why).toMatchObject({ allowed: false, reason: expect.stringMatching(/^Only .* may move an active group/) });
    await expect(moveGroup(hub, lead, 'hosting', { to: 'retired' })).rejects.toMatchObject({
      message: expect.stringMatching(/^Only .* may move an active group/),
    });
  });

  it("a group's view says its move is free once its open decisions' windows close by the clock, no write between", async () => {
    const kai = await person(hub, 'kai', { role: 'lead-maintainer' });
    await sponsorGroup(hub, kai, 'hosting');
    await moveGroup(hub, kai, 'hosting', { to: 'active' });
    expect((await getGroupFor(hub, 'hosting', kai)).can.move).toEqual({ allowed: false, reason: REFUSAL });
    const deadlines = (await Promise.all(['D-1', 'D-2'].map((r) => getDecision(hub, r)))).map((d) => d.deadline);
    // past both deadlines, the close job not yet run: nothing written, the cached view is stale by the clock
    hub.clock.set(new Date(Date.parse(deadlines.sort().at(-1)!) + 60_000).toISOString());
    const view = await getGroupFor(hub, 'hosting', kai);
    expect(view.allowedMoves).toContainEqual(expect.objectContaining({ to: 'retired', openDecisions: [] }));
    expect(view.can.move).toEqual({ allowed: true });
  });

  it("the decisions a group's move waits for are read for its view and its move alone, not for each verdict of a list", async () => {
    const cora = await asActor(hub, 'cora');
    const reads: string[] = [];
    const plugin: KyselyPlugin = {
      transformQuery: (args) => {
        const text = JSON.stringify(args.node);
        if (args.node.kind === 'SelectQueryNode' && text.includes('"name":"decisions"}')) reads.push(text);
        return args.node;
      },
      transformResult: async (args) => args.result,
    };
    hub.store = { ...hub.store, db: hub.store.db.withPlugin(plugin) };
    // a core maintainer (who may retire it) reading the lists that ask every group for a verdict
    await joinVerdicts(hub, cora);
    await groupsAllowing(hub, cora, 'openDecision');
    expect(reads).toEqual([]);
    // the group's view reads them once, then each viewer's answer uses the view's
    expect((await getGroupFor(hub, 'hosting', cora)).allowedMoves).toContainEqual(
      expect.objectContaining({ to: 'retired', openDecisions: ['D-1', 'D-2'] }),
    );
    const once = reads.length;
    expect(once).toBeGreaterThan(0);
    await getGroupFor(hub, 'hosting', cora);
    await getGroupFor(hub, 'hosting', lead);
    expect(reads).toHaveLength(once);
  });
});
