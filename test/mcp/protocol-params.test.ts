// Protocol requests whose params break the MCP schema (not a tool's arguments: the request itself)
// are the client's error, -32602, with the param and the rule, as an independent client sees them
// over Streamable HTTP and over stdio in both protocol eras; not -32603 with the SDK's zod dump.
import { spawn } from 'node:child_process';
import type { ServerType } from '@hono/node-server';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { sqliteDatabase } from '../support/databases.ts';
import { hostingGroup, openTestHub, person, type TestHub } from '../support/hub.ts';
import { WGHUB } from '../support/process.ts';
import { ERAS, type Era, httpClient, serveMcpOverHttp, stdioClient } from './support.ts';

const ARGUMENT = { name: 'ref', value: 'P-' };
const ONE_PAGE = (method: string) =>
  `cursor: must be the nextCursor of a previous ${method}, and ${method} answers on one page, with none`;

/** Each malformed request, and the one-line message it is answered with. */
const MALFORMED: [string, unknown, string][] = [
  ['resources/read', { uri: 5 }, 'uri: must be a string'],
  ['resources/read', {}, 'uri: is required (string)'],
  ['tools/call', { name: 5, arguments: {} }, 'name: must be a string'],
  ['tools/call', { name: 'search', arguments: [1] }, 'arguments: must be an object'],
  ['prompts/get', {}, 'name: is required (string)'],
  ['prompts/get', { name: 'draft_proposal', arguments: { idea: 5 } }, 'arguments.idea: must be a string'],
  [
    'completion/complete',
    { ref: { type: 'ref/bogus' }, argument: ARGUMENT },
    'ref.type: must be one of: ref/prompt, ref/resource',
  ],
  ['completion/complete', { ref: 5, argument: ARGUMENT }, 'ref: must be an object'],
  ['completion/complete', { ref: { type: 'ref/prompt' }, argument: ARGUMENT }, 'ref.name: is required (string)'],
  [
    'completion/complete',
    { ref: { type: 'ref/resource', uri: 'wghub://proposals/{ref}' } },
    'argument: is required (object)',
  ],
  ['resources/list', { cursor: 5 }, 'cursor: must be a string'],
  ['tools/list', { cursor: [] }, 'cursor: must be a string'],
  // lists that fit on one page issue no cursor, so one sent back is not theirs (as resources/list says of its own)
  ['tools/list', { cursor: 'bogus' }, ONE_PAGE('tools/list')],
  ['prompts/list', { cursor: 'bogus' }, ONE_PAGE('prompts/list')],
  ['resources/templates/list', { cursor: 'eyJwYXJ0IjoiZ3JvdXBzIn0' }, ONE_PAGE('resources/templates/list')],
  ['resources/list', { cursor: 'bogus' }, 'cursor: must be the nextCursor of a previous resources/list'],
];
/**
 * A name or address the server does not have, echoed at most 64 characters and every character
 * outside printable ASCII escaped (attack round 18: the SDK echoed a 500,000-character tool name
 * whole, its right-to-left override included), with the list that names what there is.
 */
// (8,000 characters: a client of the 2026-07-28 era sends the name in its Mcp-Name header too, where
// 16 KiB of headers is the bound; 500,000 over HTTP is below)
const LONG = `x\u202e${'a'.repeat(7_998)}`;
const SHOWN = `"x\\u202e${'a'.repeat(62)}…" (8,000 characters)`;
const UNKNOWN: typeof MALFORMED = [
  [
    'tools/call',
    { name: LONG, arguments: {} },
    `unknown tool ${SHOWN}: this server has no tool of that name; tools/list names the tools it has`,
  ],
  // a name every object has is no tool either (it was "Tool constructor disabled")
  [
    'tools/call',
    { name: 'constructor', arguments: {} },
    'unknown tool "constructor": this server has no tool of that name; tools/list names the tools it has',
  ],
  [
    'prompts/get',
    { name: LONG },
    `unknown prompt ${SHOWN}: this server has no prompt of that name; prompts/list names the prompts it has`,
  ],
  [
    'completion/complete',
    { ref: { type: 'ref/prompt', name: 'draft\u200fproposal' }, argument: ARGUMENT },
    'unknown prompt "draft\\u200fproposal": this server has no prompt of that name; prompts/list names the prompts it has',
  ],
  [
    'completion/complete',
    { ref: { type: 'ref/resource', uri: LONG }, argument: ARGUMENT },
    `unknown resource template ${SHOWN}: this server has no template of that address; resources/templates/list names the templates it has`,
  ],
  // an argument the prompt or template does not take (a typo) is named with those it takes: it was
  // answered an empty list, as if no value began so
  [
    'completion/complete',
    { ref: { type: 'ref/prompt', name: 'draft_proposal' }, argument: { name: 'grop', value: 'ho' } },
    'argument.name: "grop" is no argument of the prompt "draft_proposal": it takes "idea" and "group" (prompts/list names them)',
  ],
  [
    'completion/complete',
    { ref: { type: 'ref/resource', uri: 'wghub://proposals/{ref}' }, argument: { name: 'slug', value: 'P' } },
    'argument.name: "slug" is no argument of the resource template "wghub://proposals/{ref}": it takes "ref" (resources/templates/list names them)',
  ],
  // a fixed resource is no template: it takes no argument, and the list of templates does not name it
  [
    'completion/complete',
    { ref: { type: 'ref/resource', uri: 'wghub://governance' }, argument: { name: 'slug', value: 'h' } },
    'argument.name: "slug" is no argument of the resource "wghub://governance": a resource that is no template takes no arguments (resources/templates/list names those that do)',
  ],
  [
    'resources/read',
    { uri: 'wghub://nothing/\u202eevil' },
    'unknown resource "wghub://nothing/\\u202eevil": this server has no resource at that address; resources/list and resources/templates/list name the resources it has',
  ],
  [
    'resources/read',
    { uri: `wghub://proposals/${LONG}` },
    "uri: must be at most 500 characters (it has 8,018); no resource's address is longer",
  ],
  [
    'resources/read',
    { uri: 'x\u202e' },
    'uri: must be an absolute URI such as wghub://governance; "x\\u202e" is not one',
  ],
];
/** The 2025-11-25 era has logging/setLevel too (the 2026-07-28 era sets the level per request). */
const LEGACY: typeof MALFORMED = [
  ['logging/setLevel', { level: 'loud' }, expect.stringMatching(/^level: must be one of: debug, info, /)],
  ['logging/setLevel', {}, 'level: must be one of: debug, info, notice, warning, error, critical, alert, emergency'],
];

async function expectEachRefused(c: Client, era: Era): Promise<void> {
  for (const [method, params, message] of [...MALFORMED, ...UNKNOWN, ...(era === 'legacy' ? LEGACY : [])]) {
    const answer = await (c.request as (r: unknown) => Promise<unknown>)({ method, params }).then(
      (result) => ({ result }),
      (e: { code: number; message: string }) => ({ code: e.code, message: e.message }),
    );
    expect(answer, `${method} ${JSON.stringify(params).slice(0, 200)}`).toEqual({ code: -32602, message });
  }
  // the address as sent comes back as the SDK's "resource not found" data, when it is short and printable
  const missing = await c.readResource({ uri: 'wghub://nothing' }).catch((e: { data?: unknown }) => e.data);
  expect(missing).toEqual({ uri: 'wghub://nothing' });
  // a method named like a property every object has is no method of MCP's either: -32601, not a
  // parse error (HTTP) or an internal one (stdio) leaking a TypeError
  for (const method of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) {
    // (the SDK's client sends a method it does not know only with a schema for its result)
    const answer = await (c.request as (r: unknown, result: unknown) => Promise<unknown>)(
      { method },
      z.object({}),
    ).then(
      (result) => ({ result }),
      (e: { code: number; message: string }) => ({ code: e.code, message: e.message }),
    );
    // (over HTTP in the 2026-07-28 era the SDK's client reports the body of a non-200 answer as its message)
    expect(answer, method).toMatchObject({ message: expect.stringContaining('Method not found') });
    expect(JSON.stringify(answer), method).toContain('-32601');
  }
  // and well-formed requests of the same kinds are served as before; an empty cursor, as some
  // clients send for the first page, is no cursor (resources/list takes it so too)
  expect((await c.listTools({ cursor: '' })).tools.length).toBeGreaterThan(40);
  expect((await c.listPrompts({ cursor: '' })).prompts.length).toBeGreaterThan(0);
  expect((await c.listResources({ cursor: '' })).resources.length).toBeGreaterThan(0);
  // and so is a null one, as clients whose JSON writes an absent field as null send (it was refused "must be a string")
  const none = { cursor: null as unknown as string };
  expect((await c.listTools(none)).tools.length).toBeGreaterThan(40);
  expect((await c.listPrompts(none)).prompts.length).toBeGreaterThan(0);
  expect((await c.listResourceTemplates(none)).resourceTemplates.length).toBeGreaterThan(0);
  expect((await c.listResources(none)).resources.map((r) => r.uri)).toContain('wghub://governance');
  expect((await c.readResource({ uri: 'wghub://groups/hosting/charter' })).contents).toHaveLength(1);
  expect(
    (
      await c.complete({
        ref: { type: 'ref/prompt', name: 'draft_proposal' },
        argument: { name: 'group', value: 'ho' },
      })
    ).completion.values,
  ).toEqual(['hosting']);
}

describe('malformed protocol params', () => {
  let hub: TestHub;
  let token: string;
  let http: { url: string; server: ServerType };

  beforeAll(async () => {
    hub = await openTestHub(sqliteDatabase);
    const sam = await person(hub, 'sam', { role: 'member', org: 'Acme' });
    await hostingGroup(hub, sam, 'sam');
    token = (await createToken(hub, SYSTEM, 'sam')).token;
    http = await serveMcpOverHttp(hub);
  });
  afterAll(async () => {
    http?.server.close();
    await hub?.close();
  });

  it.each(ERAS)('are answered -32602 naming the param and the rule over Streamable HTTP (%s era)', async (era) => {
    const c = await httpClient(http.url, era, token);
    try {
      await expectEachRefused(c, era);
    } finally {
      await c.close();
    }
  });

  it('a tool named with 500,000 characters is answered with its first 64, escaped, in both eras over HTTP, whatever the Mcp-Name header says', async () => {
    const name = `x\u202e${'a'.repeat(500_000)}`;
    const message = `unknown tool "x\\u202e${'a'.repeat(62)}…" (500,002 characters): this server has no tool of that name; tools/list names the tools it has`;
    const modern = {
      'io.modelcontextprotocol/protocolVersion': '2026-07-28',
      'io.modelcontextprotocol/clientInfo': { name: 't', version: '1' },
      'io.modelcontextprotocol/clientCapabilities': {},
    };
    for (const [version, headers, meta] of [
      ['2025-11-25', {}, {}],
      // the SDK compared the name with the Mcp-Name header and echoed it whole, twice, when they disagreed
      ['2026-07-28', { 'Mcp-Method': 'tools/call' }, { _meta: modern }],
      ['2026-07-28', { 'Mcp-Method': 'tools/call', 'Mcp-Name': 'search' }, { _meta: modern }],
    ] as const) {
      const r = await fetch(http.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Accept: 'application/json, text/event-stream',
          Authorization: `Bearer ${token}`,
          'MCP-Protocol-Version': version,
          ...headers,
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name, arguments: {}, ...meta } }),
      });
      const body = await r.text();
      expect(body.length, JSON.stringify(headers)).toBeLessThan(1_000);
      expect(JSON.parse(body.startsWith('{') ? body : body.replace(/^[\s\S]*?data: /, '')), version).toEqual({
        jsonrpc: '2.0',
        id: 7,
        error: { code: -32602, message },
      });
    }
  });

  // attack round 19: the SDK answered each of these "the request body is not a valid JSON-RPC message"
  it('a body that is no JSON-RPC message is answered -32600 naming the part and its rule, the id echoed when it is one', async () => {
    const sent = async (body: unknown) => {
      const r = await fetch(http.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Accept: 'application/json, text/event-stream',
          Authorization: `Bearer ${token}`,
          'MCP-Protocol-Version': '2025-11-25',
        },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      expect(r.status).toBe(400);
      return r.json();
    };
    const call = { jsonrpc: '2.0', id: 3, method: 'tools/call' };
    for (const [body, message, id] of [
      [{ ...call, params: [] }, 'params: must be an object', 3],
      [{ ...call, params: { name: 'search', arguments: {}, _meta: [] } }, 'params._meta: must be an object', 3],
      [
        { ...call, params: { name: 'search', arguments: {}, _meta: { progressToken: { a: 1 } } } },
        'params._meta.progressToken: must be a string or a number',
        3,
      ],
      [{ ...call, jsonrpc: '1.0' }, 'jsonrpc: must be one of: 2.0', 3],
      [
        { ...call, id: 1.5 },
        'id: must be a string or a whole number from -9007199254740991 to 9007199254740991 (send a larger one as a string; MCP takes no null id)',
        null,
      ],
      [
        { ...call, id: null },
        'id: must be a string or a whole number from -9007199254740991 to 9007199254740991 (send a larger one as a string; MCP takes no null id)',
        null,
      ],
      [{ jsonrpc: '2.0', id: 4 }, 'method: is required (string)', 4],
      // read as 9007199254740992, another request's id: refused naming the bound, and not echoed (attack round 21)
      [
        '{"jsonrpc":"2.0","id":9007199254740993,"method":"ping"}',
        'id: must be a string or a whole number from -9007199254740991 to 9007199254740991 (send a larger one as a string; MCP takes no null id)',
        null,
      ],
      [
        '{"jsonrpc":"2.0","id":12345678901234567890123,"method":"ping"}',
        'id: must be a string or a whole number from -9007199254740991 to 9007199254740991 (send a larger one as a string; MCP takes no null id)',
        null,
      ],
      [{ jsonrpc: '2.0', method: 'notifications/initialized', params: 'x' }, 'params: must be an object', null],
      [
        [
          { jsonrpc: '2.0', id: 1, method: 'ping' },
          { jsonrpc: '2.0', id: 2, method: 'ping', params: [1] },
        ],
        '[1].params: must be an object',
        null,
      ],
      [
        5,
        '(message): must be a JSON-RPC 2.0 message: an object with "jsonrpc": "2.0" and a "method" (with an "id" for a request)',
        null,
      ],
    ] as const)
      expect(await sent(body), JSON.stringify(body)).toEqual({
        jsonrpc: '2.0',
        id,
        error: { code: -32600, message: `Invalid Request: ${message}` },
      });
    // an id echoed in every answer is bounded: 200 KB was echoed whole; refused with id null
    const long = await sent({ jsonrpc: '2.0', id: 'i'.repeat(200_000), method: 'ping' });
    expect(long).toEqual({
      jsonrpc: '2.0',
      id: null,
      error: {
        code: -32600,
        message: 'Invalid Request: id: must be at most 256 characters when a string (each answer echoes it)',
      },
    });
    // a progress token is echoed in every progress notification: bounded as an id is (attack round 29:
    // 900 KB of token made a prior-work check's answer 3.6 MB); its id is echoed
    const longToken = await sent({
      jsonrpc: '2.0',
      id: 5,
      method: 'ping',
      params: { _meta: { progressToken: 'p'.repeat(200_000) } },
    });
    expect(longToken).toEqual({
      jsonrpc: '2.0',
      id: 5,
      error: {
        code: -32600,
        message:
          'Invalid Request: params._meta.progressToken: must be at most 256 characters when a string (each progress notification echoes it)',
      },
    });
    // what is a message goes on as before, an id at its bound too
    const atBound = await fetch(http.url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json, text/event-stream',
        Authorization: `Bearer ${token}`,
        'MCP-Protocol-Version': '2025-11-25',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 'i'.repeat(256), method: 'ping' }),
    });
    expect(atBound.status).toBe(200);
    expect(await atBound.text()).toContain(`"id":"${'i'.repeat(256)}"`);
    const r = await fetch(http.url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json, text/event-stream',
        Authorization: `Bearer ${token}`,
        'MCP-Protocol-Version': '2025-11-25',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'ping', params: { _meta: { progressToken: 7 } } }),
    });
    expect(r.status).toBe(200);
    expect(await r.text()).toContain('"id":9');
  });

  it('an initialize whose params break the schema is answered -32602 too, over HTTP and stdio', async () => {
    const initialize = async (params: unknown) => {
      const r = await fetch(http.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Accept: 'application/json, text/event-stream',
          Authorization: `Bearer ${token}`,
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params }),
      });
      const body = await r.text();
      return JSON.parse(body.startsWith('{') ? body : body.replace(/^[\s\S]*?data: /, '')).error;
    };
    const clientInfo = { name: 't', version: '1' };
    expect(await initialize({ protocolVersion: 5, capabilities: {}, clientInfo })).toEqual({
      code: -32602,
      message: 'protocolVersion: must be a string',
    });
    expect(await initialize({ protocolVersion: '2025-11-25', capabilities: 5, clientInfo })).toEqual({
      code: -32602,
      message: 'capabilities: must be an object',
    });
    expect(await initialize({ protocolVersion: '2025-11-25', capabilities: {}, clientInfo: {} })).toEqual({
      code: -32602,
      message: 'clientInfo.name: is required (string); clientInfo.version: is required (string)',
    });
    // a client named at a length no client is named (500 KB was taken, kept and logged): refused naming the field
    expect(
      await initialize({
        protocolVersion: '2025-11-25',
        capabilities: {},
        clientInfo: { name: 'n'.repeat(500_000), version: '1' },
      }),
    ).toEqual({ code: -32602, message: 'clientInfo.name: must be at most 200 characters' });
    expect(
      await initialize({
        protocolVersion: '2025-11-25',
        capabilities: {},
        clientInfo: { name: 't', version: '9'.repeat(201) },
      }),
    ).toEqual({ code: -32602, message: 'clientInfo.version: must be at most 200 characters' });
    // at the bound it is read
    expect(
      await initialize({
        protocolVersion: '2025-11-25',
        capabilities: {},
        clientInfo: { name: 'é'.repeat(200), version: '1' },
      }),
    ).toBeUndefined();
    // and over stdio, as the first line `wghub mcp` reads
    const child = spawn(WGHUB, ['--as', 'sam', 'mcp'], {
      env: { ...process.env, WGHUB_DATABASE_URL: hub.store.url, WGHUB_TOKEN: '' },
    });
    try {
      const line = new Promise<string>((resolve) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d;
          if (out.includes('\n')) resolve(out.slice(0, out.indexOf('\n')));
        });
      });
      const params = { protocolVersion: 5, capabilities: {}, clientInfo };
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params })}\n`);
      expect(JSON.parse(await line)).toEqual({
        jsonrpc: '2.0',
        id: 1,
        error: { code: -32602, message: 'protocolVersion: must be a string' },
      });
    } finally {
      child.kill();
    }
  }, 60_000);

  it.each(ERAS)(
    'are answered -32602 naming the param and the rule over stdio (%s era)',
    async (era) => {
      const c = await stdioClient({ WGHUB_DATABASE_URL: hub.store.url, WGHUB_TOKEN: '' }, ['--as', 'sam'], era);
      try {
        await expectEachRefused(c, era);
      } finally {
        await c.close();
      }
    },
    120_000,
  );
});
