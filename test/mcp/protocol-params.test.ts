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
/** The 2025-11-25 era has logging/setLevel too (the 2026-07-28 era sets the level per request). */
const LEGACY: typeof MALFORMED = [
  ['logging/setLevel', { level: 'loud' }, expect.stringMatching(/^level: must be one of: debug, info, /)],
  ['logging/setLevel', {}, 'level: must be one of: debug, info, notice, warning, error, critical, alert, emergency'],
];

async function expectEachRefused(c: Client, era: Era): Promise<void> {
  for (const [method, params, message] of era === 'legacy' ? [...MALFORMED, ...LEGACY] : MALFORMED) {
    const answer = await (c.request as (r: unknown) => Promise<unknown>)({ method, params }).then(
      (result) => ({ result }),
      (e: { code: number; message: string }) => ({ code: e.code, message: e.message }),
    );
    expect(answer, `${method} ${JSON.stringify(params)}`).toEqual({ code: -32602, message });
  }
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
