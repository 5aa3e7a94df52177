// Each answer in the protocol version the client speaks: a 2025-03-26 client (raw JSON-RPC, as the
// SDK's client no longer pins so old a version) is sent no field its version does not define, over
// HTTP and over a stdio-like connection; 2025-06-18 and later get what they define.
import type { ServerType } from '@hono/node-server';
import { InMemoryTransport, type JSONRPCMessage } from '@modelcontextprotocol/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { createWghubMcpServer } from '../../src/mcp/server.ts';
import { databases } from '../support/databases.ts';
import { openTestHub, person, type TestHub } from '../support/hub.ts';
import { serveMcpOverHttp } from './support.ts';

// biome-ignore lint/suspicious/noExplicitAny: the test reads whatever went over the wire and asserts its shape
type Wire = any;

const NEWER_TOOL_FIELDS = ['title', 'outputSchema', 'icons', 'execution', '_meta'];

describe.each(databases)('answers in the negotiated protocol version on $name', (database) => {
  let hub: TestHub;
  let served: { url: string; server: ServerType };
  let token: string;

  beforeAll(async () => {
    hub = await openTestHub(database);
    await person(hub, 'maya', { org: 'Nebula' });
    token = (await createToken(hub, SYSTEM, 'maya')).token;
    served = await serveMcpOverHttp(hub);
  });
  afterAll(async () => {
    await new Promise((r) => served?.server.close(r));
    await hub?.close();
  });

  let id = 0;
  async function rpc(method: string, params: object | undefined, version: string | null): Promise<Wire> {
    const res = await fetch(served.url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json',
        Authorization: `Bearer ${token}`,
        ...(version ? { 'MCP-Protocol-Version': version } : {}),
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: ++id, method, ...(params ? { params } : {}) }),
    });
    const body = (await res.json()) as Wire;
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.error).toBeUndefined();
    return body.result;
  }
  const fieldsOf = (items: object[]) => [...new Set(items.flatMap((i) => Object.keys(i)))].sort();

  it.each([
    ['2025-03-26', '2025-03-26'],
    ['2025-03-26', null], // no header after initialize: 2025-03-26, as the spec says
  ])('a client that initialized at %s (header %s) is sent only what that version defines', async (v, header) => {
    const init = await rpc(
      'initialize',
      { protocolVersion: v, capabilities: {}, clientInfo: { name: 'old', version: '1' } },
      null,
    );
    expect(init.protocolVersion).toBe(v);
    expect(Object.keys(init.serverInfo).sort()).toEqual(['name', 'version']);
    const { tools } = await rpc('tools/list', undefined, header);
    expect(tools.length).toBeGreaterThan(90);
    expect(fieldsOf(tools)).toEqual(['annotations', 'description', 'inputSchema', 'name']);
    // the title where a 2025-03-26 client reads it
    expect(tools.find((t: Wire) => t.name === 'list_groups').annotations.title).toBe('List groups');
    const called = await rpc('tools/call', { name: 'list_groups', arguments: {} }, header);
    expect(called.structuredContent).toBeUndefined();
    expect(JSON.parse(called.content[0].text)).toMatchObject({ items: [], nextCursor: null });
    expect(fieldsOf((await rpc('prompts/list', undefined, header)).prompts)).not.toContain('title');
    expect(fieldsOf((await rpc('resources/templates/list', undefined, header)).resourceTemplates)).not.toContain(
      'title',
    );
  });

  it('2024-11-05 has no tool annotations either', async () => {
    const { tools } = await rpc('tools/list', undefined, '2024-11-05');
    expect(fieldsOf(tools)).toEqual(['description', 'inputSchema', 'name']);
  });

  it('2025-06-18 gets output schemas, titles and structured content, but no icons or execution (2025-11-25)', async () => {
    const { tools } = await rpc('tools/list', undefined, '2025-06-18');
    const fields = fieldsOf(tools);
    expect(fields).toEqual(expect.arrayContaining(['title', 'outputSchema', 'annotations']));
    expect(fields).not.toContain('icons');
    expect(fields).not.toContain('execution');
    const called = await rpc('tools/call', { name: 'list_groups', arguments: {} }, '2025-06-18');
    expect(called.structuredContent).toMatchObject({ items: [] });
  });

  it('2025-11-25 gets every field as before', async () => {
    const { tools } = await rpc('tools/list', undefined, '2025-11-25');
    expect(fieldsOf(tools)).toEqual(expect.arrayContaining(['title', 'outputSchema', 'annotations']));
    expect(
      (await rpc('tools/call', { name: 'list_groups', arguments: {} }, '2025-11-25')).structuredContent,
    ).toBeTruthy();
  });

  // the server over an in-memory connection, as stdio carries it: `answer` sends a message and
  // gives the result of the answer with its id (an error fails the test)
  const connection = async () => {
    const server = createWghubMcpServer(hub, { actor: null });
    const [client, end] = InMemoryTransport.createLinkedPair();
    const got: Wire[] = [];
    client.onmessage = (m: JSONRPCMessage) => got.push(m);
    await server.connect(end);
    await client.start();
    const answer = async (message: Wire) => {
      await client.send(message);
      for (let i = 0; i < 200 && !got.some((m) => m.id === message.id); i++)
        await new Promise((r) => setTimeout(r, 10));
      const m = got.find((m) => m.id === message.id)!;
      expect(m.error, JSON.stringify(m.error)).toBeUndefined();
      return m.result;
    };
    return { server, client, answer };
  };

  it('over a connection (as stdio), the version initialize agreed decides', async () => {
    const { server, client, answer } = await connection();
    const init = await answer({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-03-26', capabilities: {}, clientInfo: { name: 'old', version: '1' } },
    });
    expect(init.serverInfo.title).toBeUndefined();
    await client.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    const { tools } = await answer({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
    for (const f of NEWER_TOOL_FIELDS) expect(fieldsOf(tools)).not.toContain(f);
    await server.close();
  });

  it('over a connection (as stdio), a 2026-07-28 request after a 2025-03-26 initialize is answered in 2026-07-28', async () => {
    const { server, answer } = await connection();
    const _meta = {
      'io.modelcontextprotocol/protocolVersion': '2026-07-28',
      'io.modelcontextprotocol/clientCapabilities': {},
      'io.modelcontextprotocol/clientInfo': { name: 'modern', version: '1' },
    };
    await answer({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-03-26', capabilities: {}, clientInfo: { name: 'old', version: '1' } },
    });
    const { tools } = await answer({ jsonrpc: '2.0', id: 2, method: 'tools/list', params: { _meta } });
    expect(fieldsOf(tools)).toEqual(expect.arrayContaining(['title', 'outputSchema', 'annotations']));
    await server.close();
  });

  // what an independent client expects of the spec, at each version (conformance, not a fix: all held)
  it.each(['2025-03-26', '2025-06-18', '2025-11-25'])(
    'at %s an unknown tool is a protocol error -32602 and a bad argument a tool result with isError',
    async (v) => {
      const res = await fetch(served.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Accept: 'application/json',
          Authorization: `Bearer ${token}`,
          'MCP-Protocol-Version': v,
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'nope', arguments: {} } }),
      });
      expect(((await res.json()) as Wire).error.code).toBe(-32602);
      const bad = await rpc('tools/call', { name: 'get_person', arguments: { handle: 5 } }, v);
      expect(bad.isError).toBe(true);
      expect(bad.content[0].text).toMatch(/^invalid input: handle: must be a string/);
    },
  );

  it('tool names, schemas and annotations are as the spec asks', async () => {
    const { tools } = await rpc('tools/list', undefined, '2025-11-25');
    // 2025-11-25: 1 to 128 of A-Z a-z 0-9 _ - ., unique
    expect(tools.filter((t: Wire) => !/^[A-Za-z0-9_.-]{1,128}$/.test(t.name))).toEqual([]);
    expect(new Set(tools.map((t: Wire) => t.name)).size).toBe(tools.length);
    expect(tools.filter((t: Wire) => t.inputSchema.type !== 'object' || t.outputSchema?.type !== 'object')).toEqual([]);
    for (const t of tools) {
      const a = t.annotations;
      expect([t.name, typeof a.readOnlyHint, typeof a.openWorldHint]).toEqual([t.name, 'boolean', 'boolean']);
      // destructive and idempotent mean something only for a tool that writes; a read says neither destructive
      if (a.readOnlyHint) expect([t.name, a.destructiveHint]).toEqual([t.name, false]);
    }
  });
});
