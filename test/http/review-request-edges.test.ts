// "Ask my sponsor for review" through every edge (REST, the proposal page, MCP, the command line):
// each calls the one use case (tested on both databases in test/app/proposals/review-request.test.ts),
// so these run on SQLite only and check what each edge shows: the button only for an author whom
// `can` allows, the refusal in words (not an author; asked too recently, with when), the sponsor told.
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
const AGAIN = /^Review was asked for less than an hour ago; it may be asked again in 24 hours \(once every 24 hours\)$/;

describe('asking for review through each edge', () => {
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
      // the second has no sponsor: its group's leads are asked
      if (i !== 1) await sponsorProposal(hub, kai, p.ref);
      refs.push(p.ref);
    }
    for (const h of ['ana', 'bo']) tokens[h] = (await createToken(hub, SYSTEM, h)).token;
    app = createHttpApp(hub, undefined, { web: demo });
    const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
    await new Promise((r) => server.once('listening', r));
    mcp = { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/mcp`, server };
  });
  afterAll(async () => {
    mcp?.server.close();
    await hub?.close();
  });
  const told = async (ref: string) =>
    (
      await hub.store.db
        .selectFrom('notifications as n')
        .innerJoin('people as p', 'p.id', 'n.person_id')
        .select(['p.handle', 'n.title'])
        .where('n.kind', '=', 'proposal-waiting')
        .where('n.subject_ref', '=', ref)
        .where('n.title', 'like', '%to review%')
        .execute()
    ).map((n) => `${n.handle}: ${n.title}`);

  it('REST: refused in words to a member, done for the author (the sponsor told), then refused for a day', async () => {
    const ref = refs[0]!;
    const post = (token: string) =>
      app.request(`/api/proposals/${ref}/review-requests`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}` },
      });
    const refused = await post(tokens.bo!);
    expect(refused.status).toBe(403);
    expect((await refused.json()).detail).toBe('Only its authors may ask for its review');
    const ok = await post(tokens.ana!);
    expect(ok.status).toBe(200);
    const body = await ok.json();
    expect(body.reviewRequest).toMatchObject({ by: 'ana', asked: ['kai'], as: 'sponsor' });
    expect(body.can.requestReview.reason).toMatch(AGAIN);
    expect(await told(ref)).toEqual([
      `kai: Ana (@ana) asks you, its sponsor, to review ${ref}: Session affinity, take 1`,
    ]);
    const again = await post(tokens.ana!);
    expect(again.status).toBe(403);
    expect((await again.json()).detail).toMatch(AGAIN);
    expect(await told(ref)).toHaveLength(1);
    // the visitor's view carries the refusal too, asking them to sign in
    const visitor = await (await app.request(`/api/proposals/${ref}`)).json();
    expect(visitor.can.requestReview).toMatchObject({ allowed: false, remedy: 'sign-in' });
  });

  it("the proposal page: the button only for the author; with no sponsor it asks the group's leads; then why not", async () => {
    const ref = refs[1]!;
    const bo = await signInAs(app, 'bo');
    const boPage = await bo.get(`/proposals/${ref}`);
    expect(boPage.html).not.toContain(`action="/proposals/${ref}/review-request"`);
    expect(pageText(boPage.html)).not.toContain('Only its authors may ask for its review');
    const ana = await signInAs(app, 'ana');
    const page = await ana.get(`/proposals/${ref}`);
    expect(page.html).toContain(`action="/proposals/${ref}/review-request"`);
    expect(pageText(page.html)).toContain("Ask the group's leads for review");
    // a forged post from someone else is refused with the reason, on the page
    const forged = await bo.post(`/proposals/${ref}/review-request`, {});
    expect(forged.status).toBe(403);
    expect(pageText(forged.html)).toContain('Only its authors may ask for its review');
    const done = await ana.post(`/proposals/${ref}/review-request`, {});
    expect(done.status).toBe(303);
    const after = pageText((await ana.get(`/proposals/${ref}`)).html);
    expect(after).toContain('Asked: they are told it waits for their review.');
    expect(after).toMatch(/Review asked of Lead \(@lead\) \(the group's leads\) by Ana \(@ana\)/);
    expect(after).toMatch(/Review was asked for less than an hour ago; it may be asked again in 24 hours/);
    expect((await ana.get(`/proposals/${ref}`)).html).not.toContain(`action="/proposals/${ref}/review-request"`);
    expect(await told(ref)).toEqual([
      `lead: Ana (@ana) asks the group's leads to review ${ref}, which has no sponsor yet: Session affinity, take 2`,
    ]);
    const sponsored = await ana.get(`/proposals/${refs[2]!}`);
    expect(pageText(sponsored.html)).toContain('Ask my sponsor for review');
  });

  it('MCP: ask_for_review refuses a member in words and tells the sponsor for the author', async () => {
    const ref = refs[2]!;
    const bo = await httpClient(mcp.url, 'modern', tokens.bo);
    const refused = await bo.callTool({ name: 'ask_for_review', arguments: { ref } });
    expect(refused.isError).toBe(true);
    expect(text(refused)).toContain('Only its authors may ask for its review');
    const ana = await httpClient(mcp.url, 'modern', tokens.ana);
    const done = await ana.callTool({ name: 'ask_for_review', arguments: { ref } });
    expect(done.isError).toBeFalsy();
    expect((done.structuredContent as { reviewRequest: { asked: string[] } }).reviewRequest.asked).toEqual(['kai']);
    const again = await ana.callTool({ name: 'ask_for_review', arguments: { ref } });
    expect(again.isError).toBe(true);
    expect(text(again)).toContain('it may be asked again in 24 hours');
    expect(await told(ref)).toHaveLength(1);
    expect((await getProposal(hub, ref)).reviewRequest?.by).toBe('ana');
    await Promise.all([bo.close(), ana.close()]);
  });
});

describe('wghub proposal ask-review', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'wghub-ask-review-'));
  const env = { WGHUB_DATABASE_URL: `sqlite:${path.join(dir, 'hub.sqlite')}` };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('tells the sponsor and says so; a second ask is refused with when; a non-author is refused', async () => {
    const store = openStore(env.WGHUB_DATABASE_URL);
    await migrateToLatest(store.db);
    const hub = createHub(store, loadGovernance());
    await loadDemoCommunity(hub);
    const actor = async (handle: string) => ({
      kind: 'person' as const,
      person: await hub.store.db
        .selectFrom('people')
        .selectAll()
        .where('handle', '=', handle)
        .executeTakeFirstOrThrow(),
    });
    const p = await createProposal(hub, await actor('jonas'), {
      title: 'Session affinity behind load balancers',
      problem: 'Hosted MCP servers lose the session when a request lands on another process.',
      examples: ['Two pods behind an ingress drop the Mcp-Session-Id'],
      layer: 'working-group-artifact',
      group: 'hosting',
    });
    await sponsorProposal(hub, await actor('kai-core'), p.ref);
    await store.close();

    const other = await runCli(['--as', 'priya', 'proposal', 'ask-review', p.ref], env);
    expect(other.code).not.toBe(0);
    expect(other.stderr).toContain('Only its authors may ask for its review');
    const done = await runCli(['--as', 'jonas', 'proposal', 'ask-review', p.ref], env);
    expect(done.stderr).toBe('');
    expect(done.stdout.trim()).toBe(`${p.ref}: its sponsor @kai-core is told it waits for their review`);
    const again = await runCli(['--as', 'jonas', 'proposal', 'ask-review', p.ref], env);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('it may be asked again in 24 hours');
    const after = openStore(env.WGHUB_DATABASE_URL);
    const rows = await after.db
      .selectFrom('notifications as n')
      .innerJoin('people as p', 'p.id', 'n.person_id')
      .select(['p.handle', 'n.kind'])
      .where('n.subject_ref', '=', p.ref)
      .where('n.title', 'like', '%to review%')
      .execute();
    await after.close();
    expect(rows).toEqual([{ handle: 'kai-core', kind: 'proposal-waiting' }]);
  }, 120_000);
});
