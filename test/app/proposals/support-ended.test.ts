// A withdrawn proposal still took support: "+1" on something its author took back counted as demand
// nobody could act on. Support is refused on an end state the route leads nowhere open from (withdrawn,
// declined, landed, a final SEP…), in the policy's words, on every edge (the use case, REST, the web page's button),
// while one that may come back (a dormant SEP) still takes it.
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Actor, type Reaction, SYSTEM } from '../../../src/app/core/hub.ts';
import { createToken } from '../../../src/app/people/tokens.ts';
import {
  createProposal,
  getProposal,
  moveProposal,
  supportProposal,
  updateProposal,
} from '../../../src/app/proposals/proposals.ts';
import type { WebConfig } from '../../../src/http/web/config.ts';
import { createHttpApp } from '../../../src/http/server.ts';
import { databases } from '../../support/databases.ts';
import { openTestHub, person, type TestHub } from '../../support/hub.ts';
import { pageText, WebClient } from '../../support/web-client.ts';

const WITHDRAWN = 'It is withdrawn, an end state: it takes no more support';
const demo: WebConfig = { oidc: null, publicUrl: null, secureCookies: false, sessionHours: 24 };

describe.each(databases)('support for a proposal that has ended, on $name', (database) => {
  let hub: TestHub;
  let ada: Actor, priya: Actor;
  beforeEach(async () => {
    hub = await openTestHub(database, '2026-03-02T12:00:00Z');
    ada = await person(hub, 'ada', { org: 'Acme' });
    priya = await person(hub, 'priya', { org: 'Nebula Tools' });
    await createProposal(hub, ada, {
      title: 'Session affinity guide',
      problem: 'Operators cannot scale stateful servers.',
      layer: 'working-group-artifact',
    });
  });
  afterEach(async () => hub?.close());

  it('a withdrawn proposal takes no support: refused in words, `can` says so, nothing recorded', async () => {
    await supportProposal(hub, priya, 'P-1');
    await moveProposal(hub, ada, 'P-1', { to: 'withdrawn' });
    const jonas = await person(hub, 'jonas', { org: 'Galactic' });
    expect((await getProposal(hub, 'P-1', jonas)).can.support).toEqual({ allowed: false, reason: WITHDRAWN });
    await expect(supportProposal(hub, jonas, 'P-1')).rejects.toMatchObject({ kind: 'forbidden', message: WITHDRAWN });
    // support given before it was withdrawn stays on the record, and may still be taken back
    const after = await getProposal(hub, 'P-1', priya);
    expect(after.supporters.map((s) => s.handle)).toEqual(['priya']);
    expect(after.can.withdrawSupport).toEqual({ allowed: true });
    const supported = await hub.store.db
      .selectFrom('events')
      .select('seq')
      .where('kind', '=', 'proposal.supported')
      .execute();
    expect(supported).toHaveLength(1);
  });

  it('over REST a 403 with the reason; the web page shows the reason where the button was', async () => {
    await moveProposal(hub, ada, 'P-1', { to: 'withdrawn' });
    const app = createHttpApp(hub, undefined, { web: demo });
    const token = (await createToken(hub, SYSTEM, 'priya')).token;
    const res = await app.request('/api/proposals/P-1/supporters', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(403);
    expect((await res.json()).detail).toBe(WITHDRAWN);
    const w = new WebClient(app);
    await w.get('/sign-in');
    expect((await w.post('/sign-in/demo', { handle: 'priya' })).status).toBe(303);
    const page = await w.get('/proposals/P-1');
    expect(page.html).not.toContain('action="/proposals/P-1/support"');
    expect(pageText(page.html)).toContain(WITHDRAWN);
  });

  // PostgreSQL only (SQLite's writes take turns): support read the proposal unheld, so support sent as
  // its author withdrew it read it still under way and was recorded on a withdrawn proposal
  if (database.name === 'postgres')
    it('support sent as the proposal is withdrawn waits for the withdrawal and is refused', async () => {
      let release!: () => void;
      const released = new Promise<void>((r) => {
        release = r;
      });
      let held!: (pid: number) => void;
      const holder = new Promise<number>((r) => {
        held = r;
      });
      const hold: Reaction = async (trx, _hub, event) => {
        if (event.kind !== 'proposal.stage-changed') return;
        held((await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx)).rows[0]!.pid);
        await released;
      };
      hub.reactions.push(hold);
      const withdrawing = moveProposal(hub, ada, 'P-1', { to: 'withdrawn' });
      const pid = await holder;
      let settled = false;
      const supporting = supportProposal(hub, priya, 'P-1')
        .then(
          () => 'supported',
          (e: Error) => e.message,
        )
        .finally(() => {
          settled = true;
        });
      // until the support waits for the withdrawal's lock (or, unheld, has already been recorded)
      for (;;) {
        const { rows } = await sql<{
          n: number;
        }>`select count(*)::int as n from pg_stat_activity where ${pid} = any(pg_blocking_pids(pid))`.execute(
          hub.store.db,
        );
        if (rows[0]!.n > 0 || settled) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      release();
      await withdrawing;
      expect(await supporting).toBe(WITHDRAWN);
      expect((await getProposal(hub, 'P-1')).supporters).toEqual([]);
    });

  // PostgreSQL only: support that waited for a move answered the proposal as it read it before waiting
  // (its old stage and version, so an ETag a later edit sent was already stale)
  if (database.name === 'postgres')
    it('support sent as the proposal moves on answers it as moved: its stage and version as they stand', async () => {
      await updateProposal(hub, ada, 'P-1', (await getProposal(hub, 'P-1')).version, {
        examples: ['A gateway loses sessions on every deploy'],
      });
      let release!: () => void;
      const released = new Promise<void>((r) => {
        release = r;
      });
      let held!: (pid: number) => void;
      const holder = new Promise<number>((r) => {
        held = r;
      });
      const hold: Reaction = async (trx, _hub, event) => {
        if (event.kind !== 'proposal.stage-changed') return;
        held((await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx)).rows[0]!.pid);
        await released;
      };
      hub.reactions.push(hold);
      const moving = moveProposal(hub, ada, 'P-1', { to: 'prior-work-checked' });
      const pid = await holder;
      let settled = false;
      const supporting = supportProposal(hub, priya, 'P-1').finally(() => {
        settled = true;
      });
      for (;;) {
        const { rows } = await sql<{
          n: number;
        }>`select count(*)::int as n from pg_stat_activity where ${pid} = any(pg_blocking_pids(pid))`.execute(
          hub.store.db,
        );
        if (rows[0]!.n > 0 || settled) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      release();
      await moving;
      const answered = await supporting;
      const now = await getProposal(hub, 'P-1', priya);
      expect(now.stage).toBe('prior-work-checked');
      expect({ stage: answered.stage, version: answered.version }).toEqual({ stage: now.stage, version: now.version });
      expect(answered.supporters.map((s) => s.handle)).toEqual(['priya']);
    });

  it('a proposal still under way, or one that may come back, takes support as before', async () => {
    await expect(supportProposal(hub, priya, 'P-1')).resolves.toMatchObject({ ref: 'P-1' });
    await updateProposal(hub, ada, 'P-1', (await getProposal(hub, 'P-1')).version, {
      examples: ['A gateway loses sessions on every deploy'],
    });
    expect((await getProposal(hub, 'P-1', priya)).can.support).toEqual({ allowed: true });
    // a SEP gone dormant for want of a sponsor is an end state its author may bring back from
    const sep = await createProposal(hub, ada, {
      title: 'Sessions across hosts',
      problem: 'Sessions need affinity when a server is scaled across hosts.',
      layer: 'specification',
      route: 'sep',
    });
    const cora = await person(hub, 'cora', { role: 'core-maintainer' });
    await moveProposal(hub, cora, sep.ref, { to: 'dormant' });
    expect((await getProposal(hub, sep.ref, priya)).stage).toBe('dormant');
    await expect(supportProposal(hub, priya, sep.ref)).resolves.toMatchObject({ ref: sep.ref });
  });

  it('a final SEP takes no support (final → superseded is an end too), while a dormant one does', async () => {
    const sep = await createProposal(hub, ada, {
      title: 'Sessions across hosts',
      problem: 'Sessions need affinity when a server is scaled across hosts.',
      layer: 'specification',
      route: 'sep',
    });
    // reached by sponsor, review, the gate and acceptance elsewhere: here only where it ended matters
    await hub.store.db.updateTable('proposals').set({ stage: 'final' }).where('number', '=', sep.number).execute();
    const FINAL = 'It is final, an end state: it takes no more support';
    expect((await getProposal(hub, sep.ref, priya)).can.support).toEqual({ allowed: false, reason: FINAL });
    await expect(supportProposal(hub, priya, sep.ref)).rejects.toMatchObject({ kind: 'forbidden', message: FINAL });
    await hub.store.db.updateTable('proposals').set({ stage: 'dormant' }).where('number', '=', sep.number).execute();
    expect((await getProposal(hub, sep.ref, priya)).can.support).toEqual({ allowed: true });
  });
});
