// A step asked of a thing already in the state it asks for (a response withdrawn twice, a vote asked
// for again by the same member, a decision withdrawn twice) is told as it is, on every edge: 409
// `already-as-asked` naming what is so and when, a message on the page in the web UI (not an error
// page), and nothing recorded or told twice (docs/rest-api.md, errors).
import type { ServerType } from '@hono/node-server';
import type { Client } from '@modelcontextprotocol/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { openDecision, requestVote, respondToDecision, withdrawResponse } from '../../src/app/decisions/decisions.ts';
import { sponsorGroup } from '../../src/app/groups/groups.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { createHttpApp } from '../../src/http/server.ts';
import type { WebConfig } from '../../src/http/web/config.ts';
import { databases } from '../support/databases.ts';
import { asActor, openDemoHub, person, type TestHub } from '../support/hub.ts';
import { pageText, signInAs } from '../support/web-client.ts';
import { httpClient, serveMcpOverHttp } from '../mcp/support.ts';

const demo: WebConfig = { oidc: null, publicUrl: null, secureCookies: true, sessionHours: 24 };
type Result = { isError?: boolean; content: { text?: string }[] };

describe.each(databases)('already as asked on $name', (database) => {
  let hub: TestHub;
  let app: ReturnType<typeof createHttpApp>;
  let ref: string;
  const tokens: Record<string, string> = {};
  let mcp: { url: string; server: ServerType } | null = null;
  let client: Client | null = null;

  beforeEach(async () => {
    hub = await openDemoHub(database);
    app = createHttpApp(hub, undefined, { web: demo });
    await person(hub, 'newbie');
    for (const h of ['priya', 'sam-lead', 'kai-core', 'newbie']) tokens[h] = (await createToken(hub, SYSTEM, h)).token;
    ref = (
      await openDecision(hub, await asActor(hub, 'sam-lead'), {
        group: 'hosting',
        subject: { type: 'process' },
        question: 'Meet fortnightly from January?',
        significance: 'minor',
      })
    ).ref;
  });
  afterEach(async () => {
    await client?.close();
    mcp?.server.close();
    client = null;
    mcp = null;
    await hub?.close();
  });

  const rest = (method: string, path: string, who: string, body?: unknown, ifMatch?: string) =>
    app.request(path, {
      method,
      headers: {
        Authorization: `Bearer ${tokens[who]}`,
        ...(body ? { 'Content-Type': 'application/json' } : {}),
        ...(ifMatch ? { 'If-Match': ifMatch } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
  const count = async (kind: string) =>
    (
      await hub.store.db
        .selectFrom('events')
        .select('seq')
        .where('kind', '=', kind)
        .where('subject_id', '=', ref)
        .execute()
    ).length;

  it('a response withdrawn twice: 409 naming when, on REST, the web (a message) and MCP; one withdrawal recorded', async () => {
    const priya = await asActor(hub, 'priya');
    await respondToDecision(hub, priya, ref, { kind: 'consent' });
    await withdrawResponse(hub, priya, ref);
    // when it was withdrawn: the response's row (kept in order just after the response it takes back)
    const { at } = await hub.store.db
      .selectFrom('decision_responses')
      .select('at')
      .where('kind', '=', 'withdrawn')
      .executeTakeFirstOrThrow();
    await expect(withdrawResponse(hub, priya, ref)).rejects.toMatchObject({
      kind: 'conflict',
      details: { rule: 'already-as-asked' },
      message: `You already withdrew your response, at ${at}`,
    });
    const again = await rest('DELETE', `/api/decisions/${ref}/responses`, 'priya');
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({
      title: 'Already as asked',
      rule: 'already-as-asked',
      detail: `You already withdrew your response, at ${at}: it is already so, nothing to do`,
    });
    // the web: a second click lands on the decision's page with the message, no error summary
    const w = await signInAs(app, 'priya');
    await w.get(`/decisions/${ref}`);
    const posted = await w.post(`/decisions/${ref}/response/withdraw`, {});
    expect(posted.status).toBe(303);
    const page = pageText((await w.get(posted.location!)).html);
    expect(page).toContain('You already withdrew your response, at');
    expect(page).toContain('it is already so, nothing to do');
    expect(page).not.toContain('There is a problem');
    // MCP: the tool's error says it is already so, not to read again and reapply
    mcp = await serveMcpOverHttp(hub);
    client = await httpClient(mcp.url, 'modern', tokens.priya);
    const tool = (await client.callTool({ name: 'withdraw_decision_response', arguments: { ref } })) as Result;
    expect(tool.isError).toBe(true);
    expect(tool.content[0]!.text).toContain('It is already so: nothing to do');
    expect(await count('decision.response-withdrawn')).toBe(1);
  });

  it('a vote asked for twice by one member: 409 naming when, on REST, the web and MCP; one request recorded and told', async () => {
    const priya = await asActor(hub, 'priya');
    const first = await requestVote(hub, priya, ref);
    expect(first.state.phase).toBe('lazy-consensus');
    const at = hub.clock.now().toISOString();
    const said = `You already asked for a vote, at ${at}: it opens when enough have asked`;
    await expect(requestVote(hub, priya, ref)).rejects.toMatchObject({
      kind: 'conflict',
      details: { rule: 'already-as-asked' },
      message: said,
    });
    const again = await rest('POST', `/api/decisions/${ref}/vote-requests`, 'priya');
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({
      rule: 'already-as-asked',
      detail: `${said}: it is already so, nothing to do`,
    });
    const w = await signInAs(app, 'priya');
    await w.get(`/decisions/${ref}`);
    const posted = await w.post(`/decisions/${ref}/request-vote`, {});
    expect(posted.status).toBe(303);
    const page = pageText((await w.get(posted.location!)).html);
    expect(page).toContain('You already asked for a vote, at');
    expect(page).not.toContain('There is a problem');
    // the reason under the unavailable button names the moment as the flash does, in the viewer's
    // zone, never as the stored ISO string
    const zone = (
      await hub.store.db
        .selectFrom('people')
        .select('time_zone')
        .where('handle', '=', 'priya')
        .executeTakeFirstOrThrow()
    ).time_zone;
    expect(page).not.toContain(at);
    expect(page).toContain(`(${zone}): it opens when enough have asked`);
    mcp = await serveMcpOverHttp(hub);
    client = await httpClient(mcp.url, 'modern', tokens.priya);
    const tool = (await client.callTool({ name: 'request_vote', arguments: { ref } })) as Result;
    expect(tool.isError).toBe(true);
    expect(tool.content[0]!.text).toContain('It is already so: nothing to do');
    // asked four times, recorded once (each record told the group again)
    expect(await count('decision.vote-requested')).toBe(1);
    // a vote already open is already as asked too, for one who may ask for it
    const lead = await asActor(hub, 'sam-lead');
    expect((await requestVote(hub, lead, ref)).state.phase).toBe('vote');
    await expect(requestVote(hub, lead, ref)).rejects.toMatchObject({
      kind: 'conflict',
      details: { rule: 'already-as-asked' },
      message: 'A vote is already open',
    });
    expect(await count('decision.vote-requested')).toBe(2);
  });

  it('a group sponsored or joined again is a 409; a meeting cancelled again from an older read is answered as it stands', async () => {
    // kai-core sponsored hosting when the demo community was made
    const sponsored = await rest('POST', '/api/groups/hosting/sponsors', 'kai-core');
    expect(sponsored.status).toBe(409);
    expect(await sponsored.json()).toMatchObject({
      rule: 'already-as-asked',
      detail: 'You already sponsor this group: it is already so, nothing to do',
    });
    // joining at the level one holds (a second click) is already as asked; one event
    expect((await rest('POST', '/api/groups/hosting/members', 'newbie', { level: 'observer' })).status).toBe(200);
    const joined = await rest('POST', '/api/groups/hosting/members', 'newbie', { level: 'observer' });
    expect(joined.status).toBe(409);
    expect(await joined.json()).toMatchObject({ rule: 'already-as-asked' });
    // a meeting cancelled twice from the same read (a double click): the second is answered with the
    // meeting as it stands, not the stale-version 409, and the group is told once
    const m = await (await rest('GET', '/api/meetings/M-2', 'sam-lead')).json();
    const read = `"v${m.version}"`;
    const first = await rest('PATCH', '/api/meetings/M-2', 'sam-lead', { cancelled: true }, read);
    expect(first.status).toBe(200);
    const second = await rest('PATCH', '/api/meetings/M-2', 'sam-lead', { cancelled: true }, read);
    expect(second.status).toBe(200);
    expect(await second.json()).toMatchObject({ cancelled: true, version: (await first.json()).version });
    const cancels = await hub.store.db
      .selectFrom('events')
      .select('seq')
      .where('kind', '=', 'meeting.cancelled')
      .where('subject_id', '=', 'M-2')
      .execute();
    expect(cancels).toHaveLength(1);
    // a stale read asking a change not yet so is still the stale-version 409
    expect((await rest('PATCH', '/api/meetings/M-2', 'sam-lead', { title: 'Another title' }, read)).status).toBe(409);
    // the web's second click says it was already so, on the page
    const w = await signInAs(app, 'sam-lead');
    await w.get('/meetings/M-2');
    const posted = await w.post('/meetings/M-2/cancel', { version: String(m.version), confirm: 'yes' });
    expect(posted.status).toBe(303);
    const page = pageText((await w.get(posted.location!)).html);
    expect(page).toContain('The meeting was already cancelled, since');
    expect(page).toContain('nobody was told again');
    expect(page).not.toContain('There is a problem');
  });

  it('sent twice at once (two tabs, a double click): one sponsorship and one cancel, the other told it was already so', async () => {
    // a group sponsored eight times at once (on PostgreSQL side by side on the pool): one sponsorship,
    // the others already-as-asked (409), never a second success that did nothing; one event
    await person(hub, 'mia-core', { role: 'core-maintainer' });
    const mia = await asActor(hub, 'mia-core');
    const tries = await Promise.allSettled(Array.from({ length: 8 }, () => sponsorGroup(hub, mia, 'hosting')));
    expect(tries.filter((t) => t.status === 'fulfilled')).toHaveLength(1);
    for (const t of tries)
      if (t.status === 'rejected')
        expect(t.reason).toMatchObject({ kind: 'conflict', details: { rule: 'already-as-asked' } });
    // and through REST, two at once (a double click): 200 and 409, as the same person's limit allows two
    await person(hub, 'noor-core', { role: 'core-maintainer' });
    tokens['noor-core'] = (await createToken(hub, SYSTEM, 'noor-core')).token;
    const sponsored = await Promise.all([
      rest('POST', '/api/groups/hosting/sponsors', 'noor-core'),
      rest('POST', '/api/groups/hosting/sponsors', 'noor-core'),
    ]);
    expect(sponsored.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(await sponsored.find((r) => r.status === 409)!.json()).toMatchObject({ rule: 'already-as-asked' });
    const sponsorships = await hub.store.db
      .selectFrom('events')
      .select('seq')
      .where('kind', '=', 'group.sponsored')
      .where('subject_id', '=', 'hosting')
      .where('actor', '=', 'mia-core')
      .execute();
    expect(sponsorships).toHaveLength(1);
    // a meeting cancelled from two tabs at once, from the same read: both land on the page, one saying
    // the group is told, the other that it was already cancelled and nobody was told again
    const m = await (await rest('GET', '/api/meetings/M-2', 'sam-lead')).json();
    const tabs = await Promise.all([signInAs(app, 'sam-lead'), signInAs(app, 'sam-lead')]);
    for (const t of tabs) await t.get('/meetings/M-2');
    const posted = await Promise.all(
      tabs.map((t) => t.post('/meetings/M-2/cancel', { version: String(m.version), confirm: 'yes' })),
    );
    expect(posted.map((p) => p.status)).toEqual([303, 303]);
    const pages = await Promise.all(tabs.map(async (t, i) => pageText((await t.get(posted[i]!.location!)).html)));
    expect(pages.some((p) => p.includes('There is a problem'))).toBe(false);
    expect(
      pages
        .map((p) => (p.includes('nobody was told again') ? 'already' : p.includes('the group is told') ? 'told' : '?'))
        .sort(),
    ).toEqual(['already', 'told']);
    const cancels = await hub.store.db
      .selectFrom('events')
      .select('seq')
      .where('kind', '=', 'meeting.cancelled')
      .where('subject_id', '=', 'M-2')
      .execute();
    expect(cancels).toHaveLength(1);
  });
});
