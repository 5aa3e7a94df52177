// Ending a proposal's sponsorship through every edge (REST, the proposal page, MCP, the command
// line): each calls the one use case (tested on both databases in test/app/proposals/), so these run
// on SQLite only and check what each edge shows: the form only for whom `can` allows, a refusal in
// words, a missing reason naming the field, and the author told.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ServerType } from '@hono/node-server';
import { serve } from '../support/serve-test.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHub, SYSTEM } from '../../src/app/core/hub.ts';
import { loadGovernance } from '../../src/app/core/governance-file.ts';
import { loadDemoCommunity } from '../../src/app/demo/demo.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { createProposal, getProposal, sponsorProposal } from '../../src/app/proposals/proposals.ts';
import { createHttpApp } from '../../src/http/server.ts';
import type { WebConfig } from '../../src/http/web/config.ts';
import { openStore } from '../../src/store/connect.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { sqliteDatabase } from '../support/databases.ts';
import { person, type TestHub } from '../support/hub.ts';
import { hostingGroupWithMail } from '../support/notifications.ts';
import { runCli } from '../support/process.ts';
import { pageText, signInAs } from '../support/web-client.ts';
import { httpClient, text } from '../mcp/support.ts';

const demo: WebConfig = { oidc: null, publicUrl: null, secureCookies: true, sessionHours: 24 };

describe('ending a sponsorship through each edge', () => {
  let hub: TestHub;
  let app: ReturnType<typeof createHttpApp>;
  const tokens: Record<string, string> = {};
  const refs: string[] = [];
  let mcp: { url: string; server: ServerType };
  beforeAll(async () => {
    const g = await hostingGroupWithMail(sqliteDatabase);
    hub = g.hub;
    const kai = await person(hub, 'kai', { role: 'core-maintainer' });
    for (let i = 0; i < 3; i++) {
      const p = await createProposal(hub, g.ana, {
        title: `Session affinity, take ${i + 1}`,
        problem: 'Hosted MCP servers lose the session when a request lands on another process.',
        examples: ['Two pods behind an ingress drop the Mcp-Session-Id'],
        layer: 'working-group-artifact',
        group: 'hosting',
      });
      await sponsorProposal(hub, kai, p.ref);
      refs.push(p.ref);
    }
    for (const h of ['kai', 'bo']) tokens[h] = (await createToken(hub, SYSTEM, h)).token;
    app = createHttpApp(hub, undefined, { web: demo });
    const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
    await new Promise((r) => server.once('listening', r));
    mcp = { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/mcp`, server };
  });
  afterAll(async () => {
    mcp?.server.close();
    await hub?.close();
  });
  const needsSponsor = async (ref: string) =>
    (
      await hub.store.db
        .selectFrom('notifications')
        .select('title')
        .where('kind', '=', 'proposal-needs-sponsor')
        .where('subject_ref', '=', ref)
        .execute()
    ).map((n) => n.title);

  it('REST: refused in words to a member, 422 naming the reason, then done and the author told', async () => {
    const ref = refs[0]!;
    const post = (token: string, body: unknown) =>
      app.request(`/api/proposals/${ref}/sponsor/end`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    const refused = await post(tokens.bo!, { reason: 'Not moving.' });
    expect(refused.status).toBe(403);
    expect((await refused.json()).detail).toMatch(/^Only its sponsor, .*may end its sponsorship$/);
    const bad = await post(tokens.kai!, {});
    expect(bad.status).toBe(422);
    expect(JSON.stringify(await bad.json())).toContain('reason');
    const ok = await post(tokens.kai!, { reason: 'Away until the summer.' });
    expect(ok.status).toBe(200);
    const body = await ok.json();
    expect(body.sponsor).toBeNull();
    expect(body.can.endSponsorship).toEqual({ allowed: false, reason: 'It has no sponsor' });
    expect(await needsSponsor(ref)).toEqual([
      `${ref} needs a sponsor: Kai (@kai) stepped down as its sponsor (Away until the summer.): Session affinity, take 1`,
    ]);
  });

  it('the proposal page: the form only for whom `can` allows; a missing reason keeps the page; a lead ends it', async () => {
    const ref = refs[1]!;
    const bo = await signInAs(app, 'bo');
    expect((await bo.get(`/proposals/${ref}`)).html).not.toContain(`action="/proposals/${ref}/sponsor/end"`);
    const lead = await signInAs(app, 'lead');
    const page = await lead.get(`/proposals/${ref}`);
    expect(page.html).toContain(`action="/proposals/${ref}/sponsor/end"`);
    expect(pageText(page.html)).toContain("End Kai's sponsorship: why?");
    const bad = await lead.post(`/proposals/${ref}/sponsor/end`, { reason: '' });
    expect(bad.status).toBe(422);
    expect(pageText(bad.html)).toContain("End Kai's sponsorship: why: must say why the sponsorship ends");
    expect((await lead.post(`/proposals/${ref}/sponsor/end`, { reason: 'No answer for two months.' })).status).toBe(
      303,
    );
    expect((await getProposal(hub, ref)).sponsor).toBeNull();
    expect(await needsSponsor(ref)).toHaveLength(1);
  });

  it('MCP: end_sponsorship refuses a member in words and lets the sponsor step down', async () => {
    const ref = refs[2]!;
    const bo = await httpClient(mcp.url, 'modern', tokens.bo);
    const refused = await bo.callTool({ name: 'end_sponsorship', arguments: { ref, reason: 'Not moving.' } });
    expect(refused.isError).toBe(true);
    expect(text(refused)).toMatch(/Only its sponsor, .*may end its sponsorship/);
    const kai = await httpClient(mcp.url, 'modern', tokens.kai);
    const done = await kai.callTool({ name: 'end_sponsorship', arguments: { ref, reason: 'Away until the summer.' } });
    expect(done.isError).toBeFalsy();
    expect((done.structuredContent as { sponsor: unknown }).sponsor).toBeNull();
    expect(await needsSponsor(ref)).toHaveLength(1);
    await Promise.all([bo.close(), kai.close()]);
  });
});

describe('wghub proposal end-sponsorship', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'wghub-end-sponsorship-'));
  const env = { WGHUB_DATABASE_URL: `sqlite:${path.join(dir, 'hub.sqlite')}` };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('asks for --reason, then ends it and says the authors are told', async () => {
    const store = openStore(env.WGHUB_DATABASE_URL);
    await migrateToLatest(store.db);
    const hub = createHub(store, loadGovernance());
    await loadDemoCommunity(hub);
    const jonas = {
      kind: 'person' as const,
      person: await hub.store.db
        .selectFrom('people')
        .selectAll()
        .where('handle', '=', 'jonas')
        .executeTakeFirstOrThrow(),
    };
    const kai = {
      kind: 'person' as const,
      person: await hub.store.db
        .selectFrom('people')
        .selectAll()
        .where('handle', '=', 'kai-core')
        .executeTakeFirstOrThrow(),
    };
    const p = await createProposal(hub, jonas, {
      title: 'Session affinity behind load balancers',
      problem: 'Hosted MCP servers lose the session when a request lands on another process.',
      examples: ['Two pods behind an ingress drop the Mcp-Session-Id'],
      layer: 'working-group-artifact',
      group: 'hosting',
    });
    await sponsorProposal(hub, kai, p.ref);
    await store.close();

    const missing = await runCli(['--as', 'kai-core', 'proposal', 'end-sponsorship', p.ref], env);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('--reason');
    const done = await runCli(
      ['--as', 'kai-core', 'proposal', 'end-sponsorship', p.ref, '--reason', 'Away until the summer.'],
      env,
    );
    expect(done.stderr).toBe('');
    expect(done.stdout.trim()).toBe(`${p.ref} has no sponsor now; its authors are told it needs one`);
    const after = openStore(env.WGHUB_DATABASE_URL);
    const told = await after.db
      .selectFrom('notifications as n')
      .innerJoin('people as p', 'p.id', 'n.person_id')
      .select(['p.handle', 'n.kind'])
      .where('n.subject_ref', '=', p.ref)
      .where('n.kind', '=', 'proposal-needs-sponsor')
      .execute();
    await after.close();
    expect(told).toEqual([{ handle: 'jonas', kind: 'proposal-needs-sponsor' }]);
  }, 120_000);
});
