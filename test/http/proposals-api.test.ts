import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { createHttpApp } from '../../src/http/server.ts';
import { writeJson } from '../../src/store/schema.ts';
import { databases } from '../support/databases.ts';
import { openTestHub, person, type TestHub } from '../support/hub.ts';

describe.each(databases)('proposals over REST on $name', (database) => {
  let hub: TestHub;
  let app: ReturnType<typeof createHttpApp>;
  let ada: string;
  let maint: string;
  const call = (method: string, path: string, token?: string, body?: unknown, ifMatch?: string) =>
    app.request(path, {
      method,
      headers: {
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
        ...(body ? { 'Content-Type': 'application/json' } : {}),
        ...(ifMatch ? { 'If-Match': ifMatch } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });

  beforeEach(async () => {
    hub = await openTestHub(database);
    app = createHttpApp(hub);
    await person(hub, 'ada', { org: 'Acme' });
    await person(hub, 'maint', { role: 'maintainer', org: 'Nebula' });
    ada = (await createToken(hub, SYSTEM, 'ada')).token;
    maint = (await createToken(hub, SYSTEM, 'maint')).token;
  });
  afterEach(async () => hub?.close());

  it('a gated move that fails answers 422 with every condition and its reason', async () => {
    const created = await call('POST', '/api/proposals', ada, {
      title: 'Resumable calls',
      problem: 'Clients lose long-running tool calls on reconnect.',
      examples: ['lost export'],
      layer: 'specification',
      route: 'sep',
    });
    expect(created.status).toBe(201);
    expect((await created.json()).ref).toBe('P-1');
    await call('POST', '/api/proposals/P-1/sponsor', maint);
    await call('POST', '/api/proposals/P-1/stage', maint, { to: 'draft' });
    await call('POST', '/api/proposals/P-1/stage', maint, { to: 'in-review' });
    const r = await call('POST', '/api/proposals/P-1/stage', maint, { to: 'accepted' });
    expect(r.status).toBe(422);
    const problem = await r.json();
    expect(problem.type).toBe('urn:wghub:problem:gate-failed');
    expect(problem.gate.conditions.map((c: { check: string; passed: boolean }) => [c.check, c.passed])).toEqual([
      ['problem-validated', true],
      ['supporters-from-organisations', false],
      ['evidence', false],
      ['prior-artifact', false],
    ]);
    const gates = await (await call('GET', '/api/proposals/P-1/gates')).json();
    expect(gates).toMatchObject({
      ref: 'P-1',
      layer: 'specification',
      passed: false,
      supportedLayer: 'working-group-artifact',
    });
  });

  it('a layer below the specification: its gate over REST fails, then holds once the evidence is in', async () => {
    await person(hub, 'mod', { role: 'moderator' });
    const mod = (await createToken(hub, SYSTEM, 'mod')).token;
    await call('POST', '/api/proposals', ada, {
      title: 'Align cancellation across SDKs',
      problem: 'Each SDK cancels in-flight requests differently, so servers leak work.',
      examples: ['Python client leaves a Go server computing'],
      layer: 'sdk-alignment',
    });
    for (const to of ['prior-work-checked', 'community-discussion'])
      await call('POST', '/api/proposals/P-1/stage', ada, { to });
    await call('POST', '/api/proposals/P-1/stage', mod, { to: 'tracked' });
    for (const to of ['forum-discussion', 'refining'])
      expect((await call('POST', '/api/proposals/P-1/stage', ada, { to })).status).toBe(200);
    const refused = await call('POST', '/api/proposals/P-1/stage', ada, { to: 'pull-request' });
    expect(refused.status).toBe(422);
    expect(
      (await refused.json()).gate.conditions.map((c: { check: string; passed: boolean }) => [c.check, c.passed]),
    ).toEqual([
      ['problem-validated', true],
      ['evidence', false],
    ]);
    for (const sdk of ['go', 'python'])
      expect(
        (
          await call('POST', '/api/proposals/P-1/evidence', maint, {
            kind: 'interoperability',
            description: `cancellation interop run against the ${sdk} SDK`,
            sdk,
          })
        ).status,
      ).toBe(200);
    expect(await (await call('GET', '/api/proposals/P-1/gates')).json()).toMatchObject({
      layer: 'sdk-alignment',
      passed: true,
      conditions: [
        { passed: true },
        { passed: true, reason: '2 interoperability tests, from 2 different SDKs; 2 needed' },
      ],
    });
    // entering the pull request stage asks for its link: none, or one not https, is a 422 naming it
    const none = await call('POST', '/api/proposals/P-1/stage', ada, { to: 'pull-request' });
    expect(none.status).toBe(422);
    expect((await none.json()).errors).toEqual([
      { field: 'pullRequest', rule: expect.stringContaining("moving to pull-request needs the pull request's link") },
    ]);
    const plain = await call('POST', '/api/proposals/P-1/stage', ada, {
      to: 'pull-request',
      pullRequest: 'http://github.com/modelcontextprotocol/modelcontextprotocol/pull/1234',
    });
    expect(plain.status).toBe(422);
    expect((await plain.json()).errors[0]).toMatchObject({
      field: 'pullRequest',
      rule: expect.stringContaining('https'),
    });
    const long = await call('POST', '/api/proposals/P-1/stage', ada, {
      to: 'pull-request',
      pullRequest: `https://github.com/${'a'.repeat(2000)}/pull/1`,
    });
    expect((await long.json()).errors[0]).toMatchObject({
      field: 'pullRequest',
      rule: 'must be at most 2000 characters',
    });
    expect((await call('GET', '/api/proposals/P-1', ada)).status).toBe(200);
    const moved = await call('POST', '/api/proposals/P-1/stage', ada, {
      to: 'pull-request',
      pullRequest: 'https://github.com/modelcontextprotocol/modelcontextprotocol/pull/1234',
    });
    expect(moved.status).toBe(200);
    const view = await moved.json();
    expect(view.stage).toBe('pull-request');
    expect(view.links.pullRequest).toBe('https://github.com/modelcontextprotocol/modelcontextprotocol/pull/1234');
    expect(view.pullRequest).toEqual({
      url: 'https://github.com/modelcontextprotocol/modelcontextprotocol/pull/1234',
      github: { repo: 'modelcontextprotocol/modelcontextprotocol', number: 1234 },
      mirrored: null,
    });
  });

  it('an illegal move names the allowed moves; comments come back as safe HTML', async () => {
    await call('POST', '/api/proposals', ada, {
      title: 'Patterns guide',
      problem: 'Nobody agrees how to resume tool calls after reconnects.',
      layer: 'working-group-artifact',
    });
    const bad = await call('POST', '/api/proposals/P-1/stage', ada, { to: 'landed' });
    expect((await bad.json()).errors[0].rule).toContain('from idea it may move to: prior-work-checked');
    const c = await call('POST', '/api/proposals/P-1/comments', ada, { body: '[x](javascript:alert(1)) see #1' });
    expect(c.status).toBe(201);
    const thread = await (await call('GET', '/api/proposals/P-1/comments')).json();
    expect(thread.items[0].html).not.toMatch(/href="(javascript|vbscript|data):/i); // shown as text, never a link
    expect(thread.items[0].html).toContain('<a href="/proposals/P-1">#1</a>');
  });

  it('an edit of the title is saved though the pull request link stored under an older rule (http) is sent back as read', async () => {
    await call('POST', '/api/proposals', ada, {
      title: 'Patterns guide',
      problem: 'Nobody agrees how to resume tool calls after reconnects.',
      layer: 'working-group-artifact',
    });
    const old = 'http://github.com/modelcontextprotocol/modelcontextprotocol/pull/1234';
    await hub.store.db
      .updateTable('proposals')
      .set({ links: writeJson({ pullRequest: old, tracker: null, discussion: null, forum: null }) })
      .where('number', '=', 1)
      .execute();
    hub.reads.invalidate(); // written past the use cases, as an older hub stored it
    const read = await call('GET', '/api/proposals/P-1');
    const { links } = await read.json();
    const edited = await call(
      'PATCH',
      '/api/proposals/P-1',
      ada,
      { title: 'Resumption patterns guide', links },
      read.headers.get('etag') ?? undefined,
    );
    expect(edited.status).toBe(200);
    expect(await edited.json()).toMatchObject({ title: 'Resumption patterns guide', links: { pullRequest: old } });
    const disguised = await call(
      'PATCH',
      '/api/proposals/P-1',
      ada,
      { links: { pullRequest: 'https://github.com@evil.example/o/r/pull/1' } },
      `"v${(await (await call('GET', '/api/proposals/P-1')).json()).version}"`,
    );
    expect(disguised.status).toBe(422);
    expect((await disguised.json()).errors).toEqual([
      { field: 'links.pullRequest', rule: expect.stringContaining('must name no user or password before its host') },
    ]);
  });

  it('edits need If-Match; the which-layer questionnaire answers without a token', async () => {
    await call('POST', '/api/proposals', ada, {
      title: 'Patterns guide',
      problem: 'Nobody agrees how to resume tool calls after reconnects.',
      layer: 'working-group-artifact',
    });
    const read = await call('GET', '/api/proposals/P-1');
    expect(read.headers.get('etag')).toMatch(/^"v1-[0-9a-f]{16}"$/);
    expect((await call('PATCH', '/api/proposals/P-1', ada, { examples: ['a'] })).status).toBe(428);
    // one who may not edit it is told that first, not asked for a version they could not use
    await person(hub, 'bo', { org: 'Bolt' });
    const other = (await createToken(hub, SYSTEM, 'bo')).token;
    const refused = await call('PATCH', '/api/proposals/P-1', other, { examples: ['a'] });
    expect(refused.status).toBe(403);
    expect((await call('PATCH', '/api/proposals/P-1', ada, { examples: ['a'] }, '"v1"')).status).toBe(200);
    expect((await call('PATCH', '/api/proposals/P-1', ada, { examples: ['b'] }, '"v1"')).status).toBe(409);
    const r = await (
      await call('POST', '/api/proposals/layer', undefined, {
        changesWire: true,
        allSdksMustChange: true,
        oneLanguageOnly: false,
        guidanceOnly: false,
      })
    ).json();
    expect(r.layer).toBe('specification');
    const bad = await call('POST', '/api/proposals', ada, { title: 'x', problem: 'short', layer: 'moon' });
    expect((await bad.json()).errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'layer',
      'problem',
      'title',
    ]);
  });
  it("drafts the pull request's description with links to the hub as the request reached it, and none for a host it does not trust", async () => {
    await call('POST', '/api/proposals', ada, {
      title: 'Resumable calls',
      problem: 'Clients lose long-running tool calls on reconnect.',
      examples: ['lost export'],
      layer: 'working-group-artifact',
      links: { forum: 'https://github.com/orgs/modelcontextprotocol/discussions/7' },
    });
    await call('POST', '/api/proposals/P-1/comments', maint, { body: 'Nebula loses them too.' });
    const r = await call('GET', '/api/proposals/P-1/pull-request-draft');
    expect(r.status).toBe(200);
    const draft = await r.json();
    expect(draft).toMatchObject({ proposal: 'P-1', title: 'Resumable calls', stage: 'idea' });
    expect(draft.gaps).toEqual(['No tracker link: the guide asks for it on the CWG Project Tracker.']);
    expect(draft.markdown).toMatch(/^# Resumable calls\n/);
    expect(draft.markdown).toContain('[P-1](http://localhost/proposals/P-1)');
    expect(draft.markdown).toContain(
      '[1 comment on the hub](http://localhost/proposals/P-1#discussion) from 1 person (1 organisation)',
    );
    expect(draft.facts.discussion.people).toEqual([{ name: 'Maint', organisation: 'Nebula' }]);
    // a Host header it does not trust is never written into a link
    const elsewhere = await (
      await app.request('http://hub.attacker.example/api/proposals/P-1/pull-request-draft')
    ).json();
    expect(elsewhere.markdown).not.toContain('attacker');
    expect(elsewhere.markdown).not.toContain('](');
    expect((await call('GET', '/api/proposals/P-9/pull-request-draft')).status).toBe(404);
  });
});
