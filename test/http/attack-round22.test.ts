// What attack round 22 found in a running hub, through a real server on the loopback with the demo
// community, on both databases: each test is what the attacker sent and what they are answered now.
import type { AddressInfo } from 'node:net';
import type { ServerType } from '@hono/node-server';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { addComment } from '../../src/app/proposals/comments.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { serveHub } from '../../src/http/node-server.ts';
import { createHttpApp } from '../../src/http/server.ts';
import { databases } from '../support/databases.ts';
import { asActor, openDemoHub, type TestHub } from '../support/hub.ts';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

describe.each(databases)('attack round 22 on $name', (database) => {
  let hub: TestHub;
  let server: ServerType;
  let base: string;
  const tokens: Record<string, string> = {};

  async function call(path: string, opts: { who?: string; method?: string; body?: unknown; headers?: object } = {}) {
    const sent = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    const res = await fetch(base + path, {
      method: opts.method ?? (sent === undefined ? 'GET' : 'POST'),
      headers: {
        ...(opts.who ? { authorization: `Bearer ${tokens[opts.who]}` } : {}),
        ...(sent === undefined ? {} : { 'content-type': 'application/json' }),
        ...opts.headers,
      },
      ...(sent === undefined ? {} : { body: sent }),
    });
    const text = await res.text();
    return { status: res.status, etag: res.headers.get('etag'), text, json: JSON.parse(text || 'null') };
  }

  /** One JSON-RPC request at /mcp, as `who`; the message it is answered with. */
  async function mcp(who: string, method: string, params: object) {
    const res = await fetch(`${base}/mcp`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${tokens[who]}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': '2025-06-18',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    });
    const text = await res.text();
    const data = text.split('\n').find((l) => l.startsWith('data: '));
    return JSON.parse(data ? data.slice(6) : text);
  }

  beforeEach(async () => {
    hub = await openDemoHub(database, { work: true });
    for (const who of ['amara', 'sam-lead', 'priya']) tokens[who] = (await createToken(hub, SYSTEM, who)).token;
    server = serveHub(createHttpApp(hub), { hostname: '127.0.0.1', port: 0 });
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    await new Promise((r) => server?.close(r));
    await hub?.close();
  });

  const proposalRefs = async () =>
    (JSON.parse((await call('/api/proposals?limit=100')).text).items as { ref: string }[]).map((p) => p.ref);

  it('a proposal whose fields together pass 50,000 characters is created once and answered 201, not 422 naming `text`', async () => {
    const before = await proposalRefs();
    // each field within its own bound: a problem of 20,000 characters and 10 examples of 5,000
    const body = {
      title: 'Caching tool lists between sessions',
      problem: `${'Servers list their tools again on every session start. '.repeat(363)}End.`,
      examples: Array.from({ length: 10 }, (_, i) => `Example ${i}: ${'a gateway refetches the list. '.repeat(160)}`),
      layer: 'working-group-artifact',
      group: 'hosting',
    };
    const created = await call('/api/proposals', { who: 'priya', body });
    expect(created.status, created.text).toBe(201);
    const ref = created.json.ref as string;
    // stored once, with its prior work checked (the record step 1 of the route asks for)
    expect((await proposalRefs()).filter((r) => !before.includes(r))).toEqual([ref]);
    expect(created.json.priorWork).not.toBeNull();
    // an edit that takes it past 50,000 again is answered 200 with the edit stored
    const edited = await call(`/api/proposals/${ref}`, {
      who: 'priya',
      method: 'PATCH',
      headers: { 'if-match': created.etag! },
      body: { problem: `${body.problem} More.` },
    });
    expect(edited.status, edited.text).toBe(200);
    expect(JSON.parse((await call(`/api/proposals/${ref}`)).text).problem).toBe(`${body.problem} More.`);
  });

  it('a thread of long comments is shown within a page of characters: the proposal page and the summarise prompt stay bounded', async () => {
    const { ref } = JSON.parse((await call('/api/proposals?group=hosting')).text).items[0] as { ref: string };
    const long = (i: number) =>
      `${i} ${'word *emphasis* [a link](https://example.org/x) @priya '.repeat(900)}`.slice(0, 50_000);
    const amara = await asActor(hub, 'amara');
    for (let i = 0; i < 40; i++) await addComment(hub, amara, ref, { body: long(i) });
    // the page showed its newest 30 comments whole: 5 MB and half a second for every visitor
    const page = await fetch(`${base}/proposals/${ref}`, { headers: { accept: 'text/html' } });
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html.length).toBeLessThan(3_000_000);
    expect(html).toContain('39 word');
    expect(html).not.toContain('>10 word');
    // the rest is a link away, and the earlier window goes on from the first comment shown
    const earlier = /href="([^"]*before=[^"#]*)/.exec(html)?.[1]?.replace(/&amp;/g, '&');
    expect(earlier).toBeDefined();
    const before = await (await fetch(base + earlier!, { headers: { accept: 'text/html' } })).text();
    expect(before.length).toBeLessThan(3_000_000);
    // the prompt quoted 200 comments whole (10 MB): now the newest within the same bound, saying so
    const prompt = await mcp('priya', 'prompts/get', { name: 'summarise_discussion', arguments: { ref } });
    const text = prompt.result.messages[0].content.text as string;
    expect(text.length).toBeLessThan(2_100_000);
    expect(text).toMatch(/the newest \d+ of 40 comments/);
    expect(text).toContain('39 word');
  });

  it('the draft_proposal prompt takes an idea of several lines, or with an emoji at its 200th character; a refusal names `idea`', async () => {
    const lines = await mcp('priya', 'prompts/get', {
      name: 'draft_proposal',
      arguments: { idea: 'Cache tool lists.\nServers list their tools again on every session start.' },
    });
    expect(lines.error, JSON.stringify(lines.error)).toBeUndefined();
    expect(JSON.stringify(lines.result.messages)).toContain('Servers list their tools again');
    const emoji = await mcp('priya', 'prompts/get', {
      name: 'draft_proposal',
      arguments: { idea: `${'a'.repeat(199)}😀 and the rest of the idea` },
    });
    expect(emoji.error, JSON.stringify(emoji.error)).toBeUndefined();
    // an override is refused, naming the argument sent (it named `title` and `text`, which it has not)
    const override = await mcp('priya', 'prompts/get', {
      name: 'draft_proposal',
      arguments: { idea: '\u202eCache tool lists between sessions' },
    });
    expect(override.error.code).toBe(-32602);
    expect(override.error.message).toContain('idea:');
    expect(override.error.message).not.toMatch(/\b(title|text):/);
  });
});
