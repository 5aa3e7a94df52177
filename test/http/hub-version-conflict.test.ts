// A 409 names If-Match only when the request carried one. A write with no If-Match can still meet a
// conflict: the hub compares and sets the version it read itself (two people sponsoring a proposal at
// once, on PostgreSQL, where the second's update waits for the first and then finds the version moved).
// Before 2026-12-07 that answer told the client to fix an If-Match header it never sent.
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { placeInGroup } from '../../src/app/groups/groups.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { createProposal } from '../../src/app/proposals/proposals.ts';
import { createHttpApp } from '../../src/http/server.ts';
import { openStore, type Store } from '../../src/store/connect.ts';
import { databases } from '../support/databases.ts';
import { asActor, hostingGroup, openTestHub, person, type TestHub } from '../support/hub.ts';
import { httpClient, serveMcpOverHttp, text } from '../mcp/support.ts';

describe.each(databases)('a 409 names what the request sent, on $name', (database) => {
  let hub: TestHub;
  let other: Store | undefined;
  let app: ReturnType<typeof createHttpApp>;
  const tokens: Record<string, string> = {};
  const call = (method: string, path: string, who: string, headers: Record<string, string> = {}, body?: unknown) =>
    app.request(path, {
      method,
      headers: {
        Authorization: `Bearer ${tokens[who]}`,
        ...(body ? { 'Content-Type': 'application/json' } : {}),
        ...headers,
      },
      body: body ? JSON.stringify(body) : undefined,
    });

  beforeEach(async () => {
    hub = await openTestHub(database);
    const lead = await person(hub, 'lead', { role: 'member' });
    await hostingGroup(hub, lead, 'lead');
    await person(hub, 'ada', { role: 'maintainer' });
    await placeInGroup(hub, SYSTEM, 'hosting', 'ada', { level: 'member' });
    await person(hub, 'amara');
    await createProposal(hub, await asActor(hub, 'amara'), {
      title: 'Draining sessions on deploy',
      problem: 'A deploy drops every open session on a hosted server.',
      examples: ['Rolling deploys'],
      layer: 'working-group-artifact',
      group: 'hosting',
    });
    for (const h of ['ada', 'amara']) tokens[h] = (await createToken(hub, SYSTEM, h)).token;
    app = createHttpApp(hub);
  });
  afterEach(async () => {
    await other?.close();
    other = undefined;
    await hub?.close();
  });

  it('a stale If-Match sent is named as the field to fix', async () => {
    const read = await call('GET', '/api/proposals/P-1', 'amara');
    const tag = read.headers.get('etag')!;
    expect((await call('POST', '/api/proposals/P-1/sponsor', 'ada')).status).toBe(200);
    const stale = await call(
      'PATCH',
      '/api/proposals/P-1',
      'amara',
      { 'If-Match': tag },
      { title: 'Draining on deploy' },
    );
    expect(stale.status).toBe(409);
    expect((await stale.json()).errors).toEqual([
      { field: 'If-Match', rule: expect.stringContaining('is stale: it is now version') },
    ]);
  });

  /** Runs `act` while another process moves the proposal on and holds its row; `act`'s update waits, then finds the version moved. */
  const whileMovedOn = async <T>(act: () => Promise<T>): Promise<T> => {
    other = openStore(hub.store.url);
    let release!: () => void;
    const released = new Promise<void>((r) => {
      release = r;
    });
    let moved!: () => void;
    const movedOn = new Promise<void>((r) => {
      moved = r;
    });
    let blockerPid = 0;
    const blocker = other.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('proposals')
        .set((eb) => ({ version: eb('version', '+', 1) }))
        .execute();
      if (other!.kind === 'postgres')
        blockerPid = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx)).rows[0]!.pid;
      moved();
      await released;
    });
    await movedOn;
    const answer = act();
    if (blockerPid) {
      // released only once `act`'s update waits on the row: a fixed pause let a loaded machine's
      // request arrive after the release, find nothing held, and succeed (a CI failure)
      for (let waited = 0; waited < 20_000; waited += 25) {
        const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
          where ${blockerPid} = any(pg_blocking_pids(pid))`.execute(hub.store.db);
        if (rows[0]!.n > 0) break;
        await new Promise((r) => setTimeout(r, 25));
      }
    } else await new Promise((r) => setTimeout(r, 500));
    release();
    await blocker;
    return answer;
  };

  if (database.name === 'postgres')
    it('over MCP too: a call that sent no version is told to call again, not that its version is stale', async () => {
      const mcp = await serveMcpOverHttp(hub);
      const client = await httpClient(mcp.url, 'modern', tokens.ada);
      try {
        const r = await whileMovedOn(() => client.callTool({ name: 'sponsor_proposal', arguments: { ref: 'P-1' } }));
        expect(r.isError).toBe(true);
        const said = text(r);
        expect(said).toContain('changed meanwhile');
        expect(said).toContain('call the tool again');
        expect(said).not.toContain('send that version');
      } finally {
        await client.close();
        mcp.server.close();
      }
    });

  if (database.name === 'postgres')
    it("the hub's own check of the version it read, met with no If-Match sent, says to send the request again", async () => {
      // another process moves the proposal on and holds its row while the sponsor's request reads it
      const res = await whileMovedOn(async () => call('POST', '/api/proposals/P-1/sponsor', 'ada'));
      expect(res.status).toBe(409);
      const problem = await res.json();
      expect(typeof problem.currentVersion).toBe('number');
      expect(problem.errors).toHaveLength(1);
      expect(problem.errors[0].field).not.toBe('If-Match');
      expect(problem.errors[0].rule).toContain('changed meanwhile');
      expect(problem.errors[0].rule).toContain('send the same request again');
      expect(JSON.stringify(problem.errors)).not.toContain('If-Match');
      // and sent again, it is carried out
      expect((await call('POST', '/api/proposals/P-1/sponsor', 'ada')).status).toBe(200);
    });
});
