import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { placeInGroup, proposeGroup } from '../../src/app/groups/groups.ts';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { personRow } from '../../src/app/people/people.ts';
import { createProposal } from '../../src/app/proposals/proposals.ts';
import { createHttpApp } from '../../src/http/server.ts';
import { openApiDocument } from '../../src/http/openapi.ts';
import { decisionRoutes } from '../../src/http/decision-routes.ts';
import { LIMITS } from '../../src/domain/limits.ts';
import { databases } from '../support/databases.ts';
import { openTestHub, person, type TestHub } from '../support/hub.ts';

describe.each(databases)('conditional GET (If-None-Match) over REST on $name', (database) => {
  let hub: TestHub;
  let app: ReturnType<typeof createHttpApp>;
  const tokens: Record<string, string> = {};
  const call = (method: string, path: string, who?: string, headers: Record<string, string> = {}, body?: unknown) =>
    app.request(path, {
      method,
      headers: {
        ...(who ? { Authorization: `Bearer ${tokens[who]}` } : {}),
        ...(body ? { 'Content-Type': 'application/json' } : {}),
        ...headers,
      },
      body: body ? JSON.stringify(body) : undefined,
    });
  const get = (path: string, ifNoneMatch?: string, who = 'lead') =>
    call('GET', path, who, ifNoneMatch === undefined ? {} : { 'If-None-Match': ifNoneMatch });

  beforeEach(async () => {
    hub = await openTestHub(database, '2026-03-02T12:00:00Z');
    app = createHttpApp(hub);
    const lead = await person(hub, 'lead', { role: 'member', org: 'Acme' });
    await person(hub, 'bo', { org: 'Nebula' });
    await proposeGroup(hub, lead, {
      slug: 'hosting',
      name: 'Hosting',
      kind: 'working',
      mission: 'Share practices for hosting MCP servers at scale.',
      scopeIn: ['Scaling'],
      leads: ['lead'],
    });
    await placeInGroup(hub, SYSTEM, 'hosting', 'bo', { level: 'member' });
    for (const h of ['lead', 'bo']) tokens[h] = (await createToken(hub, SYSTEM, h)).token;
  });
  afterEach(async () => hub?.close());

  it('a read sent again with its ETag is 304 with the ETag and no body; after a write it is 200 with a new ETag', async () => {
    const first = await get('/api/groups/hosting');
    expect(first.status).toBe(200);
    const tag = first.headers.get('etag')!;
    expect(tag).toMatch(/^"v1-[0-9a-f]{16}"$/);

    const same = await get('/api/groups/hosting', tag);
    expect(same.status).toBe(304);
    expect(same.headers.get('etag')).toBe(tag);
    expect(await same.text()).toBe('');
    // weak comparison (RFC 9110 §13.1.2): a proxy's W/ still matches; any tag of a list; * matches what exists
    expect((await get('/api/groups/hosting', `W/${tag}`)).status).toBe(304);
    expect((await get('/api/groups/hosting', `"v0", ${tag}`)).status).toBe(304);
    expect((await get('/api/groups/hosting', '*')).status).toBe(304);

    // what the caller may do is in the answer: another viewer's copy is not this one's
    const visitors = (await get('/api/groups/hosting', undefined, 'bo')).headers.get('etag');
    expect(visitors).not.toBe(tag);
    expect((await get('/api/groups/hosting', tag, 'bo')).status).toBe(200);

    // a change: the old ETag no longer matches, and the answer carries the new one
    const renamed = await call('PATCH', '/api/groups/hosting', 'lead', { 'If-Match': tag }, { name: 'Hosting WG' });
    expect(renamed.status).toBe(200);
    const after = await get('/api/groups/hosting', tag);
    expect(after.status).toBe(200);
    const newTag = after.headers.get('etag')!;
    expect(newTag).toMatch(/^"v2-[0-9a-f]{16}"$/);
    expect((await after.json()).name).toBe('Hosting WG');
    expect((await get('/api/groups/hosting', newTag)).status).toBe(304);
  });

  it('hostile If-None-Match values are bounded and match nothing: the full answer', async () => {
    const tag = (await get('/api/groups/hosting')).headers.get('etag')!;
    const full = async (value: string) => {
      const r = await get('/api/groups/hosting', value);
      expect(r.status, value.slice(0, 60)).toBe(200);
      expect((await r.json()).slug).toBe('hosting');
    };
    // past the bound, even holding the tag
    await full(`${'"x", '.repeat(LIMITS.ifNoneMatchChars)}${tag}`);
    // malformed: not a list of quoted tags
    await full(`garbage, ${tag}`);
    await full(tag.slice(1, -1));
    await full('"v1');
    // the version alone, or another version's tag, is not this answer
    await full('"v1"');
    await full('"v99999999999999999999-0000000000000000"');
    // a write takes no part: If-None-Match on a PATCH is not a 304
    const patched = await call(
      'PATCH',
      '/api/groups/hosting',
      'lead',
      { 'If-Match': tag, 'If-None-Match': '*' },
      { name: 'Hosting WG' },
    );
    expect(patched.status).toBe(200);
    // an answer with no ETag (a list) is answered whole
    expect((await get('/api/groups', '*')).status).toBe(200);
  });

  it('a decision read before a member is removed is not "not modified" after: its version and ETag move', async () => {
    await call(
      'POST',
      '/api/decisions',
      'lead',
      {},
      {
        group: 'hosting',
        subject: { type: 'process' },
        question: 'Meet fortnightly from April?',
        significance: 'minor',
      },
    );
    expect((await call('POST', '/api/decisions/D-1/responses', 'bo', {}, { kind: 'consent' })).status).toBe(200);
    const before = await get('/api/decisions/D-1');
    const tag = before.headers.get('etag')!;
    const version = (await before.json()).version;
    expect((await get('/api/decisions/D-1', tag)).status).toBe(304);

    expect((await call('DELETE', '/api/groups/hosting/members/bo', 'lead')).status).toBe(200);
    const after = await get('/api/decisions/D-1', tag);
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(tag);
    const view = await after.json();
    // bo's consent is shown, no longer counted, and the decision's version moved with it
    expect(view.version).toBe(version + 1);
    expect(after.headers.get('etag')).toMatch(new RegExp(`^"v${version + 1}-`));
    // an extension read before the removal is stale
    const extend = await call(
      'POST',
      '/api/decisions/D-1/extend',
      'lead',
      { 'If-Match': tag },
      { hours: 24, reason: 'More time to hear from the group' },
    );
    expect(extend.status).toBe(409);
  });

  it("an answer recorded through MCP or the CLI moves the decision's version: If-None-Match is 200, an If-Match read before it is 409", async () => {
    await call(
      'POST',
      '/api/decisions',
      'lead',
      {},
      {
        group: 'hosting',
        subject: { type: 'process' },
        question: 'Meet fortnightly from April?',
        significance: 'minor',
      },
    );
    const mcp = async (who: string, name: string, args: object) => {
      const r = await call(
        'POST',
        'http://localhost/mcp',
        who,
        { host: 'localhost', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25' },
        { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } },
      );
      const text = await r.text();
      const data = text.startsWith('event:')
        ? text
            .split('\n')
            .find((l) => l.startsWith('data:'))!
            .slice(5)
        : text;
      return JSON.parse(data).result as { isError?: boolean; content: { text: string }[] };
    };
    const before = await get('/api/decisions/D-1');
    const tag = before.headers.get('etag')!;
    const version = (await before.json()).version;

    // bo consents through MCP: the lead's copy is no longer current
    expect((await mcp('bo', 'respond_to_decision', { ref: 'D-1', kind: 'consent' })).isError).toBeFalsy();
    const after = await get('/api/decisions/D-1', tag);
    expect(after.status).toBe(200);
    const view = await after.json();
    expect(view.version).toBe(version + 1);
    expect(view.responses.map((r: { handle: string; kind: string }) => `${r.handle}:${r.kind}`)).toEqual([
      'bo:consent',
    ]);
    expect(after.headers.get('etag')).toMatch(new RegExp(`^"v${version + 1}-`));

    // an extension made from the copy read before the answer is stale: refused with the decision as it stands
    const extend = await call(
      'POST',
      '/api/decisions/D-1/extend',
      'lead',
      { 'If-Match': tag },
      { hours: 24, reason: 'More time to hear from the group' },
    );
    expect(extend.status).toBe(409);
    const problem = await extend.json();
    expect(problem.currentVersion).toBe(version + 1);
    expect(extend.headers.get('etag')).toBe(`"v${version + 1}"`);
    expect(problem.detail).toContain(`version ${version + 1}`);
    expect(problem.errors).toEqual([
      { field: 'If-Match', rule: expect.stringContaining(`is stale: it is now version ${version + 1}`) },
    ]);

    // the answer withdrawn (as the CLI's withdraw-response does, through the same use case) moves it again
    const tag2 = after.headers.get('etag')!;
    expect((await mcp('bo', 'withdraw_decision_response', { ref: 'D-1' })).isError).toBeFalsy();
    const withdrawn = await get('/api/decisions/D-1', tag2);
    expect(withdrawn.status).toBe(200);
    expect((await withdrawn.json()).version).toBe(version + 2);
    // the same response given again, word for word, is no new answer: nothing moves
    const tag3 = withdrawn.headers.get('etag')!;
    expect((await call('POST', '/api/decisions/D-1/responses', 'bo', {}, { kind: 'consent' })).status).toBe(200);
    const again = await get('/api/decisions/D-1');
    const v4 = (await again.json()).version;
    expect(v4).toBe(version + 3);
    expect((await call('POST', '/api/decisions/D-1/responses', 'bo', {}, { kind: 'consent' })).status).toBe(200);
    expect((await get('/api/decisions/D-1', again.headers.get('etag')!)).status).toBe(304);
    expect(tag3).not.toBe(again.headers.get('etag'));
  });

  it('withdrawing a decision with the version read before an answer is refused on REST (409, current version) and MCP (naming version); without one it is taken', async () => {
    await call(
      'POST',
      '/api/decisions',
      'lead',
      {},
      {
        group: 'hosting',
        subject: { type: 'process' },
        question: 'Meet fortnightly from April?',
        significance: 'minor',
      },
    );
    const read = await get('/api/decisions/D-1');
    const tag = read.headers.get('etag')!;
    const version = (await read.json()).version;
    expect(
      (
        await call(
          'POST',
          '/api/decisions/D-1/responses',
          'bo',
          {},
          { kind: 'concern', amendment: 'Yes, and monthly in summer' },
        )
      ).status,
    ).toBe(200);

    const stale = await call(
      'POST',
      '/api/decisions/D-1/withdraw',
      'lead',
      { 'If-Match': tag },
      { reason: 'A duplicate' },
    );
    expect(stale.status).toBe(409);
    const problem = await stale.json();
    expect(problem.currentVersion).toBe(version + 1);
    expect(problem.current.responses[0].amendment).toBe('Yes, and monthly in summer');

    const r = await call(
      'POST',
      'http://localhost/mcp',
      'lead',
      { host: 'localhost', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25' },
      {
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'withdraw_decision', arguments: { ref: 'D-1', reason: 'A duplicate', version } },
      },
    );
    const raw = await r.text();
    const result = JSON.parse(
      raw.startsWith('event:')
        ? raw
            .split('\n')
            .find((l) => l.startsWith('data:'))!
            .slice(5)
        : raw,
    ).result as { isError?: boolean; content: { text: string }[] };
    expect(result.isError).toBe(true);
    expect(result.content[0]!.text).toContain(`version: stale: it is now ${version + 1}`);
    expect((await (await get('/api/decisions/D-1')).json()).state.outcome).not.toBe('withdrawn');

    // with the current version, or none (nothing is overwritten by a withdrawal), it is taken
    const fresh = await call(
      'POST',
      '/api/decisions/D-1/withdraw',
      'lead',
      { 'If-Match': `"v${version + 1}"` },
      { reason: 'A duplicate' },
    );
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get('etag')).toMatch(new RegExp(`^"v${version + 2}-`));
    expect((await fresh.json()).state.outcome).toBe('withdrawn');
  });

  it('a proposal read before someone supports it through MCP is not "not modified" after: the digest covers what the version does not', async () => {
    const lead = { kind: 'person' as const, person: await personRow(hub.store.db, 'lead') };
    const { ref } = await createProposal(hub, lead, {
      title: 'Resumable streams behind load balancers',
      problem: 'A stream cut by a deploy cannot be resumed on another server process.',
      examples: ['A rolling deploy drops every open stream'],
      layer: 'working-group-artifact',
      group: 'hosting',
    });
    const before = await get(`/api/proposals/${ref}`);
    const tag = before.headers.get('etag')!;
    expect((await get(`/api/proposals/${ref}`, tag)).status).toBe(304);
    const r = await call(
      'POST',
      'http://localhost/mcp',
      'bo',
      { host: 'localhost', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25' },
      { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'support_proposal', arguments: { ref } } },
    );
    expect(await r.text()).not.toContain('"isError":true');
    const after = await get(`/api/proposals/${ref}`, tag);
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(tag);
    expect(JSON.stringify(await after.json())).toContain('"bo"');
  });

  it('the OpenAPI document says a GET takes If-None-Match and may answer 304', () => {
    type Operation = { responses: Record<string, unknown>; parameters: { name: string }[] };
    const doc = openApiDocument(decisionRoutes, '0') as { paths: Record<string, Record<string, Operation>> };
    const read = doc.paths['/api/decisions/{ref}']!.get!;
    expect(Object.keys(read.responses)).toContain('304');
    expect(read.parameters.map((p) => p.name)).toContain('If-None-Match');
    // a list carries no ETag: it takes no If-None-Match
    expect(doc.paths['/api/decisions']!.get!.parameters.map((p) => p.name)).not.toContain('If-None-Match');
  });
});
