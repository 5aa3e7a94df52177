// /mcp as clients that are not the official SDK use it, on both databases: the Vercel AI SDK's
// MCP client (@ai-sdk/mcp, its own JSON-RPC and transport code) in both protocol eras, and raw
// HTTP written by hand the ways other implementations behave (older protocol versions, Accept
// headers that do not list both media types, no MCP-Protocol-Version, JSON-RPC batches,
// notifications, GET and DELETE, a wrong Content-Type). Every answer comes within seconds, and
// none is a 500.
import { spawn } from 'node:child_process';
import type { ServerType } from '@hono/node-server';
import { createMCPClient, type MCPClient } from '@ai-sdk/mcp';
import { Experimental_StdioMCPTransport } from '@ai-sdk/mcp/mcp-stdio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { placeInGroup } from '../../src/app/groups/groups.ts';
import { scheduleMeeting } from '../../src/app/meetings/meetings.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { databases } from '../support/databases.ts';
import { hostingGroup, openTestHub, person, type TestHub } from '../support/hub.ts';
import { WGHUB } from '../support/process.ts';
import { serveMcpOverHttp, text, TOOLS } from './support.ts';
import { MODERN_PROTOCOL_VERSIONS } from '../../src/mcp/http.ts';

const said = (r: unknown) => text(r as { content?: unknown });

const OLDER = ['2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05'] as const;
const BOTH = 'application/json, text/event-stream';
const clientInfo = { name: 'hand-written', version: '1.0.0' };
const MODERN_META = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientCapabilities': {},
  'io.modelcontextprotocol/clientInfo': clientInfo,
};

/** A JSON-RPC message off the wire, read by shape in the assertions. */
// biome-ignore lint/suspicious/noExplicitAny: the test reads whatever the hub sent and asserts its shape
type Wire = any;
type Answer = { status: number; type: string; headers: Headers; raw: string; messages: Wire[] };

/** One POST (or other method) to /mcp as plain fetch, its body read as JSON or as SSE events. */
async function send(
  url: string,
  token: string,
  body: unknown,
  headers: Record<string, string>,
  method = 'POST',
): Promise<Answer> {
  const r = await fetch(url, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...headers },
    body: method === 'POST' ? (typeof body === 'string' ? body : JSON.stringify(body)) : undefined,
    signal: AbortSignal.timeout(15_000),
  });
  const raw = await r.text();
  const type = r.headers.get('content-type') ?? '';
  let messages: Wire[] = [];
  if (type.startsWith('text/event-stream'))
    messages = raw
      .split('\n')
      .filter((l) => l.startsWith('data: '))
      .map((l) => JSON.parse(l.slice(6)));
  else if (raw) messages = [JSON.parse(raw)];
  expect(r.status, `${method} ${raw.slice(0, 200)}`).toBeLessThan(500);
  return { status: r.status, type, headers: r.headers, raw, messages };
}

const initialize = (id: number | string, protocolVersion: string) => ({
  jsonrpc: '2.0',
  id,
  method: 'initialize',
  params: { protocolVersion, capabilities: {}, clientInfo },
});

describe.each(databases)('independent MCP clients over Streamable HTTP on $name', (database) => {
  let hub: TestHub;
  let http: { url: string; server: ServerType };
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    hub = await openTestHub(database);
    const sam = await person(hub, 'sam', { role: 'member', org: 'Acme' });
    await person(hub, 'priya', { role: 'member', org: 'Nebula' });
    await person(hub, 'jonas', { org: 'Galactic' });
    await hostingGroup(hub, sam, 'sam');
    await placeInGroup(hub, SYSTEM, 'hosting', 'priya', { level: 'member' });
    await scheduleMeeting(hub, sam, {
      group: 'hosting',
      kind: 'process',
      title: 'Hosting WG coordination',
      startsAt: '2026-11-16T16:00:00Z',
      timeZone: 'Europe/Berlin',
    });
    for (const h of ['priya', 'jonas']) tokens[h] = (await createToken(hub, SYSTEM, h)).token;
    http = await serveMcpOverHttp(hub);
  });
  afterAll(async () => {
    http?.server.close();
    await hub?.close();
  });

  describe('the Vercel AI SDK MCP client (@ai-sdk/mcp)', () => {
    const connect = async (handle: string, discovery: boolean, errors: unknown[]): Promise<MCPClient> =>
      createMCPClient({
        transport: { type: 'http', url: http.url, headers: { Authorization: `Bearer ${tokens[handle]}` } },
        // true: it probes with server/discover and speaks 2026-07-28; false: the initialize handshake
        protocolVersionDiscovery: discovery,
        clientName: 'ai-sdk-test',
        onUncaughtError: (e) => errors.push(e),
      });

    it.each([
      ['2026-07-28', true],
      ['2025-11-25', false],
    ] as const)(
      'speaks %s: lists and wraps every tool, calls, is refused readably, reads',
      async (version, discovery) => {
        const errors: unknown[] = [];
        const priya = await connect('priya', discovery, errors);
        try {
          expect(priya.initializeResult.protocolVersion).toBe(version);
          expect(priya.serverInfo.name).toBe('wghub');

          // every tool listed, and every one turned into an AI SDK tool (in the 2026-07-28 era the
          // client drops a tool whose input schema it cannot read, so the count says none was dropped)
          const listed = await priya.listTools();
          expect(listed.tools.map((t) => t.name).sort()).toEqual(TOOLS);
          const tools = await priya.tools();
          expect(Object.keys(tools).sort()).toEqual(TOOLS);
          for (const name of TOOLS) {
            const schema = (tools[name]!.inputSchema as { jsonSchema: Record<string, unknown> }).jsonSchema;
            expect(schema.type, name).toBe('object');
            expect(tools[name]!.description, name).toBeTruthy();
          }

          // a read tool, the way an AI SDK app runs it: the wrapped tool's execute
          const run = (name: string, input: Record<string, unknown>) =>
            tools[name]!.execute!(input, { toolCallId: `call-${name}`, messages: [] } as never) as Promise<{
              isError?: boolean;
              structuredContent?: Record<string, Wire>;
              content: unknown;
            }>;
          const groups = await run('list_groups', {});
          expect(groups.isError).toBeFalsy();
          expect(groups.structuredContent?.items.map((g: { slug: string }) => g.slug)).toEqual(['hosting']);

          // a write tool: a draft proposal, which is then in the store and readable through the client
          const title = `Session affinity guide (${version})`;
          const created = await priya.callTool({
            name: 'create_draft_proposal',
            arguments: {
              title,
              problem: 'Operators cannot scale stateful MCP servers behind a load balancer.',
              layer: 'working-group-artifact',
              group: 'hosting',
            },
          });
          expect(created.isError, said(created)).toBeFalsy();
          const ref = (created.structuredContent as { ref: string }).ref;
          const stored = await hub.store.db
            .selectFrom('proposals')
            .select('title')
            .where('title', '=', title)
            .execute();
          expect(stored).toHaveLength(1);
          expect((await run('get_proposal', { ref })).structuredContent).toMatchObject({ ref, title });

          // a resource, and a resource template, read through the client
          const governance = await priya.readResource({ uri: 'wghub://governance' });
          expect(governance.contents[0]).toMatchObject({ uri: 'wghub://governance', mimeType: 'text/markdown' });
          expect((governance.contents[0] as { text: string }).text).toMatch(/^# How we work/);
          const templates = await priya.listResourceTemplates();
          expect(templates.resourceTemplates.map((t) => t.uriTemplate)).toContain('wghub://groups/{slug}/charter');
          const charter = await priya.readResource({ uri: 'wghub://groups/hosting/charter' });
          expect((charter.contents[0] as { text: string }).text).toContain('Hosting');
          expect(errors).toEqual([]);
        } finally {
          await priya.close();
        }

        // refused: someone who is not in the group adds to its agenda; the client gets a tool error
        // (not a thrown protocol error) whose text says what is wrong
        const jonas = await connect('jonas', discovery, errors);
        try {
          const refused = await jonas.callTool({
            name: 'add_agenda_item',
            arguments: { ref: 'M-1', title: 'Something I want to discuss' },
          });
          expect(refused.isError).toBe(true);
          expect(said(refused)).toMatch(
            /^forbidden: Only a group participant, member or lead, .* may add an agenda item\n/,
          );
          const invalid = await jonas.callTool({ name: 'get_proposal', arguments: {} });
          expect(invalid.isError).toBe(true);
          expect(said(invalid)).toMatch(/^invalid input: ref: is required \(string\)\n/);
        } finally {
          await jonas.close();
        }
      },
    );
  });

  describe('the Vercel AI SDK MCP client over HTTP and stdio: prompts, completion, paging, protocol errors', () => {
    const open = (transport: 'http' | 'stdio', discovery: boolean, errors: unknown[]) =>
      createMCPClient({
        transport:
          transport === 'http'
            ? { type: 'http', url: http.url, headers: { Authorization: `Bearer ${tokens.priya}` } }
            : new Experimental_StdioMCPTransport({
                command: WGHUB,
                args: ['--as', 'priya', 'mcp'],
                env: { ...(process.env as Record<string, string>), WGHUB_DATABASE_URL: hub.store.url, WGHUB_TOKEN: '' },
              }),
        protocolVersionDiscovery: discovery,
        clientName: 'ai-sdk-test',
        onUncaughtError: (e) => errors.push(e),
      });

    it.each([
      ['http', '2026-07-28', true],
      ['http', '2025-11-25', false],
      ['stdio', '2026-07-28', true],
      ['stdio', '2025-11-25', false],
    ] as const)(
      'over %s at %s',
      async (transport, version, discovery) => {
        const errors: unknown[] = [];
        const c = await open(transport, discovery, errors);
        try {
          // over stdio the client waits 1 s for server/discover, then falls back to initialize: a `wghub mcp`
          // started on a busy machine (this one runs tests beside it) may answer later, and is then spoken to at 2025-11-25
          if (transport === 'stdio' && discovery)
            expect(['2026-07-28', '2025-11-25']).toContain(c.initializeResult.protocolVersion);
          else expect(c.initializeResult.protocolVersion).toBe(version);
          expect(Object.keys(await c.tools()).sort()).toEqual(TOOLS);

          // tools with structured output: a search, and the quarterly draft (its markdown first in content)
          const found = await c.callTool({ name: 'search', arguments: { q: 'hosting' } });
          expect(found.isError, said(found)).toBeFalsy();
          expect(found.structuredContent).toMatchObject({ query: 'hosting', items: expect.any(Array) });
          const draft = await c.callTool({ name: 'draft_quarterly_update', arguments: { group: 'hosting' } });
          expect(draft.isError, said(draft)).toBeFalsy();
          expect((draft.structuredContent as { markdown: string }).markdown).toMatch(/^# Hosting Working Group/);
          expect(said(draft)).toMatch(/^# Hosting Working Group/);
          const needs = await c.callTool({ name: 'what_needs_me', arguments: {} });
          expect(needs.structuredContent).toMatchObject({ handle: 'priya' });

          // a protocol error, not a tool result: an unknown tool, and a resource that is not there
          await expect(c.callTool({ name: 'serach', arguments: {} })).rejects.toThrow(
            'unknown tool "serach": this server has no tool of that name; tools/list names the tools it has',
          );
          await expect(c.readResource({ uri: 'wghub://proposals/P-999' })).rejects.toThrow(
            "proposal 'P-999' does not exist",
          );

          // resources: every page followed by hand, none empty, then the one cursor it did not issue refused
          const uris: string[] = [];
          let cursor: string | undefined;
          do {
            const page = await c.listResources(cursor ? { params: { cursor } } : {});
            expect(page.resources.length).toBeGreaterThan(0);
            uris.push(...page.resources.map((r) => r.uri));
            cursor = page.nextCursor;
          } while (cursor);
          expect(uris).toEqual(
            expect.arrayContaining([
              'wghub://governance',
              'wghub://groups/hosting/charter',
              'wghub://meetings/M-1/agenda',
            ]),
          );
          await expect(c.listResources({ params: { cursor: 'made-up' } })).rejects.toThrow(
            'cursor: must be the nextCursor of a previous resources/list',
          );
          const agenda = await c.readResource({ uri: 'wghub://meetings/M-1/agenda' });
          expect((agenda.contents[0] as { text: string }).text).toContain('Hosting WG coordination');

          // prompts: listed with their arguments, got with one, refused naming the one missing
          const prompts = await c.listPrompts();
          expect(prompts.prompts.map((p) => p.name).sort()).toEqual([
            'draft_proposal',
            'prepare_meeting_agenda',
            'summarise_discussion',
          ]);
          expect(prompts.prompts.find((p) => p.name === 'draft_proposal')!.arguments).toEqual(
            expect.arrayContaining([expect.objectContaining({ name: 'idea', required: true })]),
          );
          const prompt = await c.getPrompt({
            name: 'draft_proposal',
            arguments: { idea: 'resume a stream after a dropped connection', group: 'hosting' },
          });
          expect(prompt.messages[0]!.content).toMatchObject({
            type: 'text',
            text: expect.stringContaining('resume a stream after a dropped connection'),
          });
          await expect(c.getPrompt({ name: 'draft_proposal', arguments: {} })).rejects.toThrow(
            'Invalid arguments for prompt draft_proposal: idea: is required (string)',
          );

          // completion of a template's argument
          const done = await c.complete({
            ref: { type: 'ref/resource', uri: 'wghub://groups/{slug}/charter' },
            argument: { name: 'slug', value: 'ho' },
          });
          expect(done.completion.values).toEqual(['hosting']);
          // after falling back, the client reports the late answer to its server/discover (id 0) as one it did not expect
          const late = (e: unknown) => String(e).includes('unknown message ID: {"jsonrpc":"2.0","id":0,');
          const fellBack = transport === 'stdio' && discovery && c.initializeResult.protocolVersion !== version;
          expect(errors.filter((e) => !(fellBack && late(e)))).toEqual([]);
        } finally {
          await c.close();
        }
      },
      60_000,
    );
  });

  describe('raw HTTP, as hand-written clients send it', () => {
    const json = { 'Content-Type': 'application/json', Accept: BOTH };
    const post = (body: unknown, headers: Record<string, string> = {}, who = 'priya') =>
      send(http.url, tokens[who]!, body, { ...json, ...headers });

    it.each(OLDER)(
      'a client speaking %s is answered with that version, and its later calls are served',
      async (version) => {
        const init = await post(initialize(1, version));
        expect(init.status).toBe(200);
        expect(init.messages).toEqual([
          expect.objectContaining({
            jsonrpc: '2.0',
            id: 1,
            result: expect.objectContaining({ protocolVersion: version }),
          }),
        ]);
        expect(init.messages[0].result.capabilities).toMatchObject({ tools: {}, resources: {}, prompts: {} });
        const initialized = await post(
          { jsonrpc: '2.0', method: 'notifications/initialized' },
          { 'MCP-Protocol-Version': version },
        );
        expect([initialized.status, initialized.raw]).toEqual([202, '']);
        const list = await post({ jsonrpc: '2.0', id: 2, method: 'tools/list' }, { 'MCP-Protocol-Version': version });
        expect(list.messages[0].result.tools).toHaveLength(TOOLS.length);
        const called = await post(
          { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'list_groups', arguments: {} } },
          { 'MCP-Protocol-Version': version },
        );
        expect(called.messages[0].id).toBe(3);
        expect(called.messages[0].result.isError).toBeFalsy();
        // 2025-06-18 added structuredContent: before it, the value is only the text's JSON
        const structured = called.messages[0].result.structuredContent;
        if (version < '2025-06-18') expect(structured).toBeUndefined();
        else expect(structured.items[0].slug).toBe('hosting');
        expect(JSON.parse(called.messages[0].result.content[0].text).items[0].slug).toBe('hosting');
      },
    );

    it('answers an initialize naming a version it does not know with the newest it speaks there, and an unknown version header 400', async () => {
      const init = await post(initialize('a', '2023-01-01'));
      expect(init.messages[0]).toMatchObject({ id: 'a', result: { protocolVersion: '2025-11-25' } });
      const unknown = await post(
        { jsonrpc: '2.0', id: 2, method: 'tools/list' },
        { 'MCP-Protocol-Version': '1999-01-01' },
      );
      expect(unknown.status).toBe(400);
      expect(unknown.messages[0].error.message).toMatch(
        /Unsupported protocol version: 1999-01-01 \(supported versions: 2025-11-25, /,
      );
    });

    it.each(['banana', '2099-01-01', '2026-07-29', '1999-01-01', ' v999.0.0 ', ''])(
      'answers MCP-Protocol-Version %j 400 naming the header, the rule and every version it speaks',
      async (version) => {
        // "banana" and 2099-01-01 sort after 2026-07-28, and the SDK read them as that era: "missing _meta"
        for (const [id, method] of [
          [2, 'tools/list'],
          ['n', 'ping'],
        ] as const) {
          const r = await post({ jsonrpc: '2.0', id, method }, { 'MCP-Protocol-Version': version });
          expect(r.status, r.raw).toBe(400);
          const { error, id: answered } = r.messages[0];
          expect(answered).toBe(id);
          expect(error.code).toBe(-32022);
          expect(error.message).toBe(
            `Bad Request: Unsupported protocol version: ${version.trim() || '(empty)'} (supported versions: 2025-11-25, 2025-06-18, 2025-03-26, 2024-11-05, 2024-10-07; and 2026-07-28 with the per-request _meta envelope). The MCP-Protocol-Version header must name the version initialize or server/discover agreed, one of these, or be left out (then 2025-03-26 is assumed)`,
          );
          expect(error.data).toEqual({
            supported: ['2026-07-28', '2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05', '2024-10-07'],
            requested: version.trim(),
            header: 'MCP-Protocol-Version',
          });
        }
        // initialize negotiates in its body, whatever header came with it (before any was agreed)
        if (version.trim() < '2026-07-28') {
          const init = await post(initialize('i', '2025-06-18'), { 'MCP-Protocol-Version': version });
          expect(init.messages[0]).toMatchObject({ id: 'i', result: { protocolVersion: '2025-06-18' } });
        }
        // a body that claims a revision is the SDK's to answer, as the conformance suite checks it:
        // a header that disagrees is -32020, an unknown claim -32022 listing the modern versions
        const claimed = await post(
          { jsonrpc: '2.0', id: 3, method: 'tools/list', params: { _meta: MODERN_META } },
          { 'MCP-Protocol-Version': version },
        );
        expect([claimed.status, claimed.messages[0].error.code]).toEqual([400, -32020]);
      },
    );

    it('lists as modern the versions server/discover says it speaks, and serves those it lists', async () => {
      const discover = await post(
        { jsonrpc: '2.0', id: 9, method: 'server/discover', params: { _meta: MODERN_META } },
        { 'MCP-Protocol-Version': '2026-07-28', 'Mcp-Method': 'server/discover' },
      );
      expect(discover.messages[0].result.supportedVersions).toEqual([...MODERN_PROTOCOL_VERSIONS]);
      const unknown = await post(
        {
          jsonrpc: '2.0',
          id: 4,
          method: 'server/discover',
          params: { _meta: { ...MODERN_META, 'io.modelcontextprotocol/protocolVersion': 'v999.0.0' } },
        },
        { 'MCP-Protocol-Version': 'v999.0.0', 'Mcp-Method': 'server/discover' },
      );
      expect(unknown.status).toBe(400);
      expect(unknown.messages[0].error).toMatchObject({
        code: -32022,
        data: { supported: [...MODERN_PROTOCOL_VERSIONS], requested: 'v999.0.0' },
      });
      // a version it speaks passes the hub's check: 2026-07-28 without its envelope is still the SDK's to refuse
      const bare = await post(
        { jsonrpc: '2.0', id: 5, method: 'tools/list' },
        { 'MCP-Protocol-Version': '2026-07-28' },
      );
      expect(bare.messages[0].error.message).toMatch(/missing the required per-request envelope key\(s\): _meta/);
    });

    it('serves a client that leaves out MCP-Protocol-Version after initialize (taken as 2025-03-26)', async () => {
      await post(initialize(1, '2025-06-18'));
      const called = await post({
        jsonrpc: '2.0',
        id: 2,
        method: 'tools/call',
        params: { name: 'get_proposal', arguments: { ref: 'P-999' } },
      });
      expect(called.status).toBe(200);
      expect(called.messages[0]).toMatchObject({ id: 2, result: { isError: true } });
      expect(called.messages[0].result.content[0].text).toMatch(/^not found: proposal 'P-999' does not exist/);
    });

    it.each([
      ['application/json only', { Accept: 'application/json' }],
      ['no Accept', { Accept: '' }],
      ['*/*', { Accept: '*/*' }],
    ])('answers a client that accepts %s in plain JSON, batches as an array', async (_, accept) => {
      const init = await post(initialize(1, '2025-06-18'), accept);
      expect([init.status, init.type]).toEqual([200, 'application/json']);
      expect(JSON.parse(init.raw)).toMatchObject({ jsonrpc: '2.0', id: 1, result: { protocolVersion: '2025-06-18' } });
      const call = await post(
        { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'list_groups', arguments: {} } },
        { ...accept, 'MCP-Protocol-Version': '2025-06-18' },
      );
      expect(call.type).toBe('application/json');
      expect(JSON.parse(call.raw).result.structuredContent.items[0].slug).toBe('hosting');
      const batch = await post(
        [
          { jsonrpc: '2.0', id: 'p', method: 'ping' },
          { jsonrpc: '2.0', id: 'x', method: 'no/such' },
          { jsonrpc: '2.0', method: 'notifications/initialized' },
        ],
        { ...accept, 'MCP-Protocol-Version': '2025-03-26' },
      );
      expect(batch.type).toBe('application/json');
      const answers = JSON.parse(batch.raw) as { id: string }[];
      expect(answers.sort((a, b) => a.id.localeCompare(b.id))).toEqual([
        { jsonrpc: '2.0', id: 'p', result: {} },
        { jsonrpc: '2.0', id: 'x', error: { code: -32601, message: 'Method not found' } },
      ]);
      const one = await post([{ jsonrpc: '2.0', id: 7, method: 'ping' }], accept);
      expect(JSON.parse(one.raw)).toEqual([{ jsonrpc: '2.0', id: 7, result: {} }]);
      // the 2026-07-28 era answers such a client in JSON too
      const discover = await post(
        { jsonrpc: '2.0', id: 9, method: 'server/discover', params: { _meta: MODERN_META } },
        { ...accept, 'MCP-Protocol-Version': '2026-07-28', 'Mcp-Method': 'server/discover' },
      );
      expect(discover.type).toBe('application/json');
      expect(JSON.parse(discover.raw).result.supportedVersions).toContain('2026-07-28');
    });

    it('answers a client that accepts only SSE in SSE, and one that accepts neither 406 saying what to send', async () => {
      const sse = await post(initialize(1, '2025-11-25'), { Accept: 'text/event-stream' });
      expect([sse.status, sse.type]).toEqual([200, 'text/event-stream']);
      expect(sse.messages[0]).toMatchObject({ id: 1, result: { protocolVersion: '2025-11-25' } });
      const html = await post(initialize(1, '2025-11-25'), { Accept: 'text/html' });
      expect(html.status).toBe(406);
      expect(html.messages[0].error.message).toBe(
        'Not Acceptable: Client must accept both application/json and text/event-stream',
      );
    });

    it('answers a JSON-RPC batch from a 2025-03-26 client with every response, and refuses the batches the spec forbids', async () => {
      const batch = await post(
        [
          { jsonrpc: '2.0', id: 1, method: 'ping' },
          { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'list_groups', arguments: {} } },
          { jsonrpc: '2.0', method: 'notifications/initialized' },
        ],
        { 'MCP-Protocol-Version': '2025-03-26' },
      );
      expect(batch.status).toBe(200);
      expect(batch.messages.map((m) => m.id).sort()).toEqual([1, 2]);
      expect(JSON.parse(batch.messages.find((m) => m.id === 2).result.content[0].text).items[0].slug).toBe('hosting');
      // initialize must not be in a batch (2025-03-26 lifecycle), nor may a batch be empty or
      // hold something that is not a JSON-RPC message; 2026-07-28 has no batches
      const refusals: [unknown, Record<string, string>, RegExp][] = [
        [
          [initialize(1, '2025-03-26'), { jsonrpc: '2.0', method: 'notifications/initialized' }],
          {},
          /^Invalid Request: initialize must be sent on its own, not in a JSON-RPC batch/,
        ],
        [[], {}, /empty JSON-RPC batch/],
        // each part named (attack round 19: the SDK said "the batch contains an invalid message")
        [
          [{ jsonrpc: '2.0', id: 1, method: 'ping' }, { hello: 1 }],
          {},
          /^Invalid Request: \[1\]\.jsonrpc: must be one of: 2\.0; \[1\]\.method: is required \(string\); \[1\]: is not a field here: hello$/,
        ],
        [
          [{ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: MODERN_META } }],
          { 'MCP-Protocol-Version': '2026-07-28' },
          /batches may not contain requests for protocol revision 2026-07-28/,
        ],
      ];
      for (const [body, headers, says] of refusals) {
        const refused = await post(body, headers);
        expect(refused.status, JSON.stringify(body)).toBe(400);
        expect(refused.messages[0].error.code).toBe(-32600);
        expect(refused.messages[0].error.message).toMatch(says);
      }
    });

    it('refuses a JSON-RPC batch at 2025-06-18, 2025-11-25 and 2026-07-28, which have none, and reads it at 2025-03-26 and 2024-11-05', async () => {
      const pings = [
        { jsonrpc: '2.0', id: 1, method: 'ping' },
        { jsonrpc: '2.0', id: 2, method: 'ping' },
      ];
      for (const version of ['2025-06-18', '2025-11-25', '2026-07-28']) {
        const refused = await post(pings, { 'MCP-Protocol-Version': version });
        expect([refused.status, refused.type], version).toEqual([400, 'application/json']);
        expect(refused.messages[0]).toEqual({
          jsonrpc: '2.0',
          id: null,
          error: {
            code: -32600,
            message: `Invalid Request: JSON-RPC batches were removed in MCP 2025-06-18, and this connection speaks ${version}: send each message in a POST of its own (a batch is read at 2025-03-26 and older)`,
          },
        });
        // one message alone at that revision is served as ever
        const alone = await post(pings[0], {
          'MCP-Protocol-Version': version === '2026-07-28' ? '2025-11-25' : version,
        });
        expect(alone.messages[0], version).toEqual({ jsonrpc: '2.0', id: 1, result: {} });
      }
      for (const version of ['2025-03-26', '2024-11-05']) {
        const read = await post(pings, { 'MCP-Protocol-Version': version });
        expect(read.status, version).toBe(200);
        expect(read.messages.map((m) => m.id).sort(), version).toEqual([1, 2]);
      }
    });

    it('lets a browser client on a local origin through CORS: its preflight is answered without a token, and every answer is readable there', async () => {
      // the MCP Inspector's web UI connecting directly, from its own localhost port
      const origin = 'http://localhost:6274';
      const preflight = (from: string, method = 'POST') =>
        fetch(http.url, {
          method: 'OPTIONS',
          headers: {
            Origin: from,
            'Access-Control-Request-Method': method,
            'Access-Control-Request-Headers': 'authorization,content-type,mcp-protocol-version',
          },
        });
      for (const method of ['POST', 'GET', 'DELETE']) {
        const pre = await preflight(origin, method);
        expect(pre.status, method).toBe(204);
        expect(pre.headers.get('access-control-allow-origin')).toBe(origin);
        expect(pre.headers.get('access-control-allow-methods')?.split(',')).toContain(method);
        expect(pre.headers.get('access-control-allow-headers')?.toLowerCase().split(',')).toEqual(
          expect.arrayContaining(['authorization', 'content-type', 'mcp-protocol-version']),
        );
      }
      const init = await post(initialize(1, '2025-11-25'), { Origin: origin });
      expect(init.messages[0].result.protocolVersion).toBe('2025-11-25');
      expect(init.headers.get('access-control-allow-origin')).toBe(origin);
      expect(init.headers.get('vary')).toMatch(/origin/i);
      const get = await send(
        http.url,
        tokens.priya!,
        undefined,
        { Accept: 'text/event-stream', Origin: origin },
        'GET',
      );
      expect([get.status, get.headers.get('access-control-allow-origin')]).toEqual([405, origin]);
      // without a token: the challenge is readable by the page, so it can ask for one
      const unauthorized = await fetch(http.url, {
        method: 'POST',
        headers: { Origin: origin, 'Content-Type': 'application/json', Accept: BOTH },
        body: JSON.stringify(initialize(1, '2025-11-25')),
      });
      expect(unauthorized.status).toBe(401);
      expect(unauthorized.headers.get('access-control-allow-origin')).toBe(origin);
      expect(unauthorized.headers.get('access-control-expose-headers')?.toLowerCase()).toContain('www-authenticate');
      // a client that is no browser sends no Origin, and its answers carry no CORS headers
      const plain = await post({ jsonrpc: '2.0', id: 2, method: 'ping' }, { 'MCP-Protocol-Version': '2025-11-25' });
      expect([...plain.headers.keys()].filter((h) => h.startsWith('access-control'))).toEqual([]);
      // a page elsewhere is refused as before, its preflight too, and told nothing it may read
      const foreign = await preflight('https://attacker.example');
      expect(foreign.status).toBe(403);
      expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('answers a notification 202 with no body, GET and DELETE 405, a wrong Content-Type 415, bad JSON -32700', async () => {
      for (const version of ['2025-11-25', '2025-06-18', '2025-03-26']) {
        const n = await post(
          { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 5 } },
          {
            'MCP-Protocol-Version': version,
          },
        );
        expect([n.status, n.raw]).toEqual([202, '']);
      }
      const onlyNotifications = await post(
        [
          { jsonrpc: '2.0', method: 'notifications/initialized' },
          { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 5 } },
        ],
        { 'MCP-Protocol-Version': '2025-03-26' },
      );
      expect([onlyNotifications.status, onlyNotifications.raw]).toEqual([202, '']);
      for (const method of ['GET', 'DELETE']) {
        const r = await send(http.url, tokens.priya!, undefined, { Accept: 'text/event-stream' }, method);
        expect(r.status, method).toBe(405);
        expect(r.headers.get('allow')).toBe('POST');
        expect(r.messages[0].error.message).toBe('Method not allowed.');
      }
      // as REST says it, naming what was sent; a body labelled Latin-1 was read as UTF-8, so
      // "AmaraÃ©" sent so was stored "Amaraé" (attack round 21), and a charset named twice is ambiguous
      for (const [type, sent] of [
        ['text/plain', 'text/plain was sent'],
        ['application/x-www-form-urlencoded', 'application/x-www-form-urlencoded was sent'],
        ['', 'none was sent'],
        ['application/json; charset=iso-8859-1', 'charset=iso-8859-1 was sent'],
        ['application/json; charset=utf-8; charset=latin1', 'charset was named 2 times'],
      ] as const) {
        const r = await post({ jsonrpc: '2.0', id: 1, method: 'ping' }, { 'Content-Type': type });
        expect(r.status, type).toBe(415);
        expect(r.messages[0].error.message, type).toBe(
          `Unsupported Media Type: Content-Type must be application/json (UTF-8) for a request with a body; ${sent}`,
        );
      }
      const charset = await post(
        { jsonrpc: '2.0', id: 1, method: 'ping' },
        { 'Content-Type': 'application/json; charset=utf-8' },
      );
      expect(charset.messages[0]).toEqual({ jsonrpc: '2.0', id: 1, result: {} });
      for (const accept of [BOTH, 'application/json']) {
        const bad = await post('{"jsonrpc":', { Accept: accept });
        expect([bad.status, bad.messages[0].error.code]).toEqual([400, -32700]);
      }
      // a Latin-1 "é" inside the arguments: refused, not stored as U+FFFD
      const latin1 = await fetch(http.url, {
        method: 'POST',
        headers: { Authorization: `Bearer ${tokens.priya}`, 'Content-Type': 'application/json', Accept: BOTH },
        body: Buffer.concat([
          Buffer.from(
            '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"search","arguments":{"query":"caf',
          ),
          Buffer.from([0xe9]),
          Buffer.from('"}}}'),
        ]),
      });
      expect(latin1.status).toBe(400);
      expect((await latin1.json()).error).toMatchObject({ code: -32700, message: expect.stringContaining('UTF-8') });
    });
  });
  it('over stdio (`wghub mcp`), answers a batch as one array and a malformed line with an error, not silence', async () => {
    const child = spawn(WGHUB, ['--as', 'priya', 'mcp'], {
      env: { ...process.env, WGHUB_DATABASE_URL: hub.store.url, WGHUB_TOKEN: '' },
    });
    const lines: Wire[] = [];
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d;
      for (let end = out.indexOf('\n'); end !== -1; end = out.indexOf('\n')) {
        lines.push(JSON.parse(out.slice(0, end)));
        out = out.slice(end + 1);
      }
    });
    const until = async (n: number) => {
      for (let i = 0; i < 300 && lines.length < n; i++) await new Promise((r) => setTimeout(r, 50));
      expect(lines.length, JSON.stringify(lines).slice(0, 500)).toBe(n);
    };
    const write = (m: unknown) => child.stdin.write(`${typeof m === 'string' ? m : JSON.stringify(m)}\n`);
    try {
      write(initialize(1, '2025-03-26'));
      await until(1);
      expect(lines[0]).toMatchObject({ id: 1, result: { protocolVersion: '2025-03-26' } });
      write({ jsonrpc: '2.0', method: 'notifications/initialized' });
      write([
        { jsonrpc: '2.0', id: 2, method: 'ping' },
        { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'list_groups', arguments: {} } },
        { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 99 } },
        { hello: 1 },
      ]);
      await until(2);
      const batch = lines[1] as Wire[];
      expect(Array.isArray(batch)).toBe(true);
      expect(batch.map((m) => m.id).sort()).toEqual([2, 3, null].sort());
      expect(JSON.parse(batch.find((m) => m.id === 3).result.content[0].text).items[0].slug).toBe('hosting');
      expect(batch.find((m) => m.id === 3).result.structuredContent).toBeUndefined(); // not in 2025-03-26
      expect(batch.find((m) => m.id === null).error).toEqual({
        code: -32600,
        message:
          'Invalid Request: jsonrpc: must be one of: 2.0; method: is required (string); (message): is not a field here: hello',
      });
      write('not json');
      await until(3);
      expect(lines[2]).toMatchObject({ id: null, error: { code: -32700 } });
      write([]);
      await until(4);
      expect(lines[3]).toMatchObject({
        id: null,
        error: { code: -32600, message: 'Invalid Request: empty JSON-RPC batch' },
      });
      write({ jsonrpc: '2.0', id: 'after', method: 'ping' });
      await until(5);
      expect(lines[4]).toEqual({ jsonrpc: '2.0', id: 'after', result: {} });
    } finally {
      child.kill();
    }
  }, 60_000);
});
