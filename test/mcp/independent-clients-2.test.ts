// /mcp and `wghub mcp` as strict or unusual clients meet them, beyond independent-clients.test.ts:
// raw JSON-RPC written by hand, a model filling a tool's arguments with what its person said, and a
// stdio client whose encoder or framing is not quite MCP's.
import type { ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { proposeGroup } from '../../src/app/groups/groups.ts';
import { createProposal } from '../../src/app/proposals/proposals.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { createPerson } from '../../src/app/people/people.ts';
import { databases } from '../support/databases.ts';
import { hostingGroup, openTestHub, person, type TestHub } from '../support/hub.ts';
import { serveMcpOverHttp } from './support.ts';
import { wires } from '../support/stdio-wire.ts';

// biome-ignore lint/suspicious/noExplicitAny: the test reads whatever the hub sent and asserts its shape
type Wire = any;

describe.each(databases)('strict and unusual clients over Streamable HTTP on $name', (database) => {
  let hub: TestHub;
  let http: { url: string; server: ServerType };
  let token: string;

  beforeAll(async () => {
    hub = await openTestHub(database);
    const sam = await person(hub, 'sam', { role: 'member', org: 'Acme' });
    await person(hub, 'priya', { role: 'member', org: 'Nebula' });
    await createPerson(hub, SYSTEM, { handle: 'ines-m', name: 'Inês Moreira', timeZone: 'Europe/Lisbon' });
    await hostingGroup(hub, sam, 'sam');
    await proposeGroup(hub, sam, {
      slug: 'observability',
      name: 'Observability',
      kind: 'working',
      mission: 'Agree how MCP clients and servers expose traces and metrics.',
      scopeIn: ['Tracing'],
      leads: ['sam'],
    });
    for (const title of ['Session affinity guide', 'Session resumption after a deploy'])
      await createProposal(hub, sam, {
        title,
        problem: 'Operators cannot scale stateful MCP servers behind a load balancer.',
        examples: ['A gateway loses sessions on every deploy'],
        layer: 'working-group-artifact',
        group: 'hosting',
      });
    token = (await createToken(hub, SYSTEM, 'priya')).token;
    http = await serveMcpOverHttp(hub);
  });
  afterAll(async () => {
    http?.server.close();
    await hub?.close();
  });

  /** One POST of raw JSON-RPC, answered as one JSON body (Accept: application/json). */
  async function post(body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: Wire }> {
    const r = await fetch(http.url, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${token}`,
        'Content-Type': 'application/json',
        Accept: 'application/json',
        ...headers,
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    const raw = await r.text();
    return { status: r.status, json: raw ? JSON.parse(raw) : null };
  }

  const call = async (name: string, args: Record<string, unknown>) => {
    const { json } = await post(
      { jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name, arguments: args } },
      { 'MCP-Protocol-Version': '2025-11-25' },
    );
    return json.result as { isError?: boolean; content: { type: string; text: string }[] };
  };

  it('refuses a 2025-03-26 batch whose requests share an id, naming both, rather than answer one and drop the other', async () => {
    // the SDK matched answers to requests by id: [ping 1, tools/list 1] was answered with the ping alone,
    // and a client waited for its list for ever
    for (const version of [undefined, '2025-03-26']) {
      const { status, json } = await post(
        [
          { jsonrpc: '2.0', id: 1, method: 'ping' },
          { jsonrpc: '2.0', id: 2, method: 'ping' },
          { jsonrpc: '2.0', id: 1, method: 'tools/list' },
        ],
        version ? { 'MCP-Protocol-Version': version } : {},
      );
      expect(status, JSON.stringify(json)).toBe(400);
      expect(json.error.code).toBe(-32600);
      expect(json.error.message).toBe(
        'Invalid Request: [2].id: is the id of [0] too; each request of a batch needs an id of its own, as each answer is matched to its request by id (nothing in the batch was done)',
      );
    }
    // 1 and "1" are two ids, and a notification has none: the batch is served whole
    const { status, json } = await post([
      { jsonrpc: '2.0', id: 1, method: 'ping' },
      { jsonrpc: '2.0', id: '1', method: 'tools/list' },
      { jsonrpc: '2.0', method: 'notifications/initialized' },
    ]);
    expect(status).toBe(200);
    expect((json as Wire[]).map((m) => m.id).sort()).toEqual([1, '1']);
    expect((json as Wire[]).find((m) => m.id === '1').result.tools.length).toBeGreaterThan(50);
  });

  it('tells a client that sends a notification with an id (as a request) to send it without one', async () => {
    for (const method of ['notifications/initialized', 'notifications/cancelled']) {
      const { status, json } = await post(
        { jsonrpc: '2.0', id: 4, method, ...(method.endsWith('cancelled') ? { params: { requestId: 3 } } : {}) },
        { 'MCP-Protocol-Version': '2025-11-25' },
      );
      expect(status).toBe(200);
      // it was "Method not found" of a method the spec names
      expect(json).toEqual({
        jsonrpc: '2.0',
        id: 4,
        error: {
          code: -32601,
          message: `Method not found: ${method} is a notification, not a request; send it without an "id" (a notification is answered by nothing, over HTTP by 202 with no body)`,
        },
      });
    }
    // sent as a notification it is taken, 202 with no body
    expect(
      await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, { 'MCP-Protocol-Version': '2025-11-25' }),
    ).toEqual({ status: 202, json: null });
  });

  it('reads "params": null as params omitted (a client writing an absent field as null), and still refuses params of another type', async () => {
    // JSON-RPC 2.0: params MAY be omitted; clients whose JSON writes an absent field as null (an Emacs
    // client's nil, Python models dumped with their Nones) send null, and were refused "params: must be
    // an object" (-32600), so they could list nothing
    const v = { 'MCP-Protocol-Version': '2025-11-25' };
    const listed = await post({ jsonrpc: '2.0', id: 301, method: 'tools/list', params: null }, v);
    expect(listed.status).toBe(200);
    expect(listed.json.result.tools.length).toBeGreaterThan(50);
    expect(await post({ jsonrpc: '2.0', id: 302, method: 'ping', params: null }, v)).toEqual({
      status: 200,
      json: { jsonrpc: '2.0', id: 302, result: {} },
    });
    expect(await post({ jsonrpc: '2.0', method: 'notifications/initialized', params: null }, v)).toEqual({
      status: 202,
      json: null,
    });
    // in a 2025-03-26 batch, each message alike
    const batch = await post([
      { jsonrpc: '2.0', id: 303, method: 'ping', params: null },
      { jsonrpc: '2.0', id: 304, method: 'prompts/list', params: null },
    ]);
    expect(batch.status).toBe(200);
    expect((batch.json as Wire[]).map((m) => [m.id, m.error ?? null]).sort()).toEqual([
      [303, null],
      [304, null],
    ]);
    // a request whose params are required still names what is missing, and a string is still no params
    const call = await post({ jsonrpc: '2.0', id: 305, method: 'tools/call', params: null }, v);
    expect(call.json.error.code).toBe(-32602);
    expect(call.json.error.message).toBe('params: is required (object)');
    const text = await post({ jsonrpc: '2.0', id: 306, method: 'ping', params: 'x' }, v);
    expect(text).toEqual({
      status: 400,
      json: { jsonrpc: '2.0', id: 306, error: { code: -32600, message: 'Invalid Request: params: must be an object' } },
    });
  });

  it('a proposal named by its title rather than its reference is refused naming the proposal meant and its reference', async () => {
    // it was only "does not exist": the assistant had to list or search the proposals and guess again
    const one = await call('get_proposal', { ref: 'session affinity guide' });
    expect(one.isError).toBe(true);
    expect(one.content[0]!.text).toBe(
      [
        "not found: proposal 'session affinity guide' does not exist",
        '  - ref: "session affinity guide" is no proposal\'s reference; it looks like P-1 "Session affinity guide": send "ref": "P-1"',
        'Check the reference: list_proposals, search or the wghub:// resources show what exists.',
      ].join('\n'),
    );
    // several, newest first
    const two = await call('get_proposal', { ref: 'the session proposal' });
    expect(two.content[0]!.text.split('\n')[1]).toBe(
      '  - ref: "the session proposal" is no proposal\'s reference; it may mean one of P-2 ("Session resumption after a deploy"), P-1 ("Session affinity guide"); send the reference of the one meant',
    );
    // a reference that names none, and a title that names none, are refused as before
    for (const ref of ['P-99', 'Quantum routing'])
      expect((await call('get_proposal', { ref })).content[0]!.text).toBe(
        `not found: proposal '${ref}' does not exist\nCheck the reference: list_proposals, search or the wghub:// resources show what exists.`,
      );
  });

  it('a group named as a person says it ("Hosting WG", "hostng", "obs") is refused naming the group meant and its slug', async () => {
    const refused = await call('get_charter', { group: 'Hosting WG' });
    expect(refused.isError).toBe(true);
    expect(refused.content[0]!.text).toBe(
      [
        'invalid input: group: must be letters, digits and single hyphens (capitals read as lowercase), e.g. "server-card"',
        '  - group: "Hosting WG" is no group\'s slug; it looks like the group Hosting, whose slug is "hosting": send "group": "hosting"',
        'Fix the named fields and call the tool again.',
      ].join('\n'),
    );
    // a slug's shape that names no group: the use case's not found, with the group meant
    for (const [said, slug, name] of [
      ['hosting-wg', 'hosting', 'Hosting'],
      ['hostng', 'hosting', 'Hosting'],
      ['obs', 'observability', 'Observability'],
    ] as const) {
      const r = await call('list_upcoming_meetings', { group: said });
      expect(r.isError, said).toBe(true);
      expect(r.content[0]!.text.split('\n')).toEqual([
        `not found: group '${said}' does not exist`,
        `  - group: "${said}" is no group's slug; it looks like the group ${name}, whose slug is "${slug}": send "group": "${slug}"`,
        expect.stringMatching(/^Check the slug: list_groups lists the groups/),
      ]);
    }
    // the hint sits beside the group's own issue when other fields are wrong too (a write, by its schema)
    const several = await call('schedule_meeting', {
      group: 'the hosting working group',
      title: 'x',
      startsAt: '2027-01-01T10:00:00Z',
      kind: 'process',
    });
    const lines = several.content[0]!.text.split('\n');
    expect(lines.findIndex((l) => l.includes('it looks like the group Hosting'))).toBe(
      lines.findIndex((l) => l.startsWith('  - group: must be')) + 1,
    );
    // the call it names then works
    expect((await call('get_charter', { group: 'hosting' })).isError).toBeFalsy();
    // a text like no group adds nothing: list_groups is still where to look
    const none = await call('get_charter', { group: 'auth' });
    expect(none.content[0]!.text).toBe(
      "not found: group 'auth' does not exist\nCheck the slug: list_groups lists the groups (as do the group charters in resources/list, wghub://groups/{slug}/charter).",
    );
  });

  it('a handle written as a mention ("@sam", as the web\'s forms take it) is refused saying what to send', async () => {
    for (const [tool, args, field] of [
      ['get_person', { handle: '@sam' }, 'handle'],
      ['designate_resolver', { ref: 'D-1', designee: '@sam' }, 'designee'],
    ] as const) {
      const r = await call(tool, args);
      expect(r.isError, tool).toBe(true);
      expect(r.content[0]!.text.split('\n')[0], tool).toBe(
        `invalid input: ${field}: is written without the "@": send "sam"`,
      );
    }
    // then it is found
    expect((await call('get_person', { handle: 'sam' })).isError).toBeFalsy();
    // what is no mention keeps the format rule (and echoes nothing)
    expect((await call('get_person', { handle: '@@sam' })).content[0]!.text).toContain(
      'handle: must be a GitHub-style handle',
    );
  });

  it('a person named by their name ("Inês Moreira") or a mistyped handle is refused naming them and their handle', async () => {
    const named = await call('get_person', { handle: 'Inês Moreira' });
    expect(named.content[0]!.text.split('\n')).toEqual([
      'invalid input: handle: must be a GitHub-style handle: letters, digits and hyphens, 1-39 characters, not starting with a hyphen',
      '  - handle: "Inês Moreira" is no handle; it looks like Inês Moreira (@ines-m): send "handle": "ines-m"',
      'Fix the named fields and call the tool again.',
    ]);
    // a handle's shape naming nobody: the use case's not found, then whom it looks like
    for (const said of ['ines', 'Ines', 'priay']) {
      const r = await call('get_person', { handle: said });
      const who = said === 'priay' ? 'Priya (@priya)' : 'Inês Moreira (@ines-m)';
      const handle = said === 'priay' ? 'priya' : 'ines-m';
      expect(r.content[0]!.text.split('\n'), said).toEqual([
        `not found: person '${said}' does not exist`,
        `  - handle: "${said}" is no handle; it looks like ${who}: send "handle": "${handle}"`,
        expect.stringMatching(/^Check the handle: /),
      ]);
    }
    // the owner of an action item, the designee of a resolver: every argument naming someone here
    const owner = await call('add_action_item', { ref: 'M-9', description: 'Write it up', owner: 'ines moreira' });
    expect(owner.content[0]!.text).toContain(
      '  - owner: "ines moreira" is no handle; it looks like Inês Moreira (@ines-m): send "owner": "ines-m"',
    );
    // a new person's handle names nobody here yet: no one is suggested
    const added = await call('add_person', { handle: 'Inês Moreira', name: 'Inês Moreira', timeZone: 'Europe/Lisbon' });
    expect(added.isError).toBe(true);
    expect(added.content[0]!.text).not.toContain('it looks like');
  });

  it("a prompt's group and a charter's address named as a person says it are refused naming the group meant", async () => {
    const request = async (method: string, params: Record<string, unknown>) =>
      (await post({ jsonrpc: '2.0', id: 8, method, params }, { 'MCP-Protocol-Version': '2025-11-25' })).json;
    const idea = 'Sessions should survive a load balancer between two requests';
    const prompt = await request('prompts/get', { name: 'draft_proposal', arguments: { idea, group: 'Hosting WG' } });
    expect(prompt.error).toEqual({
      code: -32602,
      message:
        'Invalid arguments for prompt draft_proposal: group: must be letters, digits and single hyphens (capitals read as lowercase), e.g. "server-card"; group: "Hosting WG" is no group\'s slug; it looks like the group Hosting, whose slug is "hosting": send "group": "hosting"',
    });
    const typo = await request('prompts/get', { name: 'draft_proposal', arguments: { idea, group: 'hostng' } });
    expect(typo.error.message).toBe(
      'group \'hostng\' does not exist; group: "hostng" is no group\'s slug; it looks like the group Hosting, whose slug is "hosting": send "group": "hosting"',
    );
    const charter = await request('resources/read', { uri: 'wghub://groups/Hosting%20WG/charter' });
    expect(charter.error.message).toBe(
      'group \'Hosting WG\' does not exist; slug: "Hosting WG" is no group\'s slug; it looks like the group Hosting, whose slug is "hosting": read wghub://groups/hosting/charter',
    );
    expect((await request('resources/read', { uri: 'wghub://groups/nope/charter' })).error.message).toBe(
      "group 'nope' does not exist",
    );
  });
});

describe('the stdio line reader, as an unusual client writes', () => {
  const wire = wires();

  it('reads a line that begins with a byte order mark (a .NET or PowerShell encoder writes one), as HTTP reads such a body', async () => {
    const { stdin, received, sent } = await wire();
    const initialize = {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'pwsh', version: '1' } },
    };
    stdin.write(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${JSON.stringify(initialize)}\r\n`)]));
    stdin.write('\uFEFF{"jsonrpc":"2.0","id":2,"method":"ping"}\n');
    // it was answered -32700 with id null, and the client waited for its initialize for ever
    await vi.waitFor(() => expect(received).toEqual([initialize, { jsonrpc: '2.0', id: 2, method: 'ping' }]));
    expect(sent).toEqual([]);
  });

  it('reads "params": null as params omitted, as /mcp over HTTP does', async () => {
    const { stdin, received, sent } = await wire();
    stdin.write('{"jsonrpc":"2.0","id":7,"method":"ping","params":null}\n');
    stdin.write('[{"jsonrpc":"2.0","id":8,"method":"tools/list","params":null}]\n');
    // it was refused "Invalid Request: params: must be an object"
    await vi.waitFor(() =>
      expect(received).toEqual([
        { jsonrpc: '2.0', id: 7, method: 'ping' },
        { jsonrpc: '2.0', id: 8, method: 'tools/list' },
      ]),
    );
    expect(sent).toEqual([]);
  });

  it('tells a client framing its messages with Content-Length headers (as LSP does) that MCP stdio is one message a line', async () => {
    const { stdin, received, sent } = await wire();
    const ping = '{"jsonrpc":"2.0","id":3,"method":"ping"}';
    stdin.write(`Content-Length: ${ping.length}\r\n\r\n${ping}\n`);
    await vi.waitFor(() => expect(received).toEqual([JSON.parse(ping)]));
    expect(sent).toEqual([
      {
        jsonrpc: '2.0',
        id: null,
        error: {
          code: -32700,
          message:
            "Parse error: a line is one JSON-RPC message (or a batch) as JSON, with no headers: MCP's stdio transport is newline-delimited (each message on one line, ended by \\n), not framed with Content-Length headers as the Language Server Protocol is",
        },
      },
    ]);
  });
});
