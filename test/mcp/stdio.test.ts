// `wghub mcp` as an assistant starts it: a real process, the SDK's client over stdio.
import { serve } from '../support/serve-test.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { proposeGroup } from '../../src/app/groups/groups.ts';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { createProposal } from '../../src/app/proposals/proposals.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { createHttpApp } from '../../src/http/server.ts';
import { databases } from '../support/databases.ts';
import { openTestHub, person, type TestHub } from '../support/hub.ts';
import { runCli } from '../support/process.ts';
import { ERAS, httpClient, stdioClient, text, TOOLS } from './support.ts';

describe.each(databases)('wghub mcp over stdio on $name', (database) => {
  let hub: TestHub;
  let env: Record<string, string>;
  let jonasToken: string;

  beforeAll(async () => {
    hub = await openTestHub(database);
    const sam = await person(hub, 'sam', { role: 'member', org: 'Acme' });
    const priya = await person(hub, 'priya', { role: 'member', org: 'Nebula' });
    await person(hub, 'jonas', { org: 'Galactic' });
    await proposeGroup(hub, sam, {
      slug: 'hosting',
      name: 'Hosting',
      kind: 'working',
      mission: 'Share practices for hosting MCP servers at scale.',
      scopeIn: ['Scaling'],
      leads: ['sam'],
    });
    await createProposal(hub, priya, {
      title: 'Session affinity guide',
      problem: 'Operators cannot scale stateful MCP servers behind a load balancer.',
      layer: 'working-group-artifact',
      group: 'hosting',
    });
    jonasToken = (await createToken(hub, SYSTEM, 'jonas')).token;
    env = { WGHUB_DATABASE_URL: hub.store.url, WGHUB_TOKEN: '' };
  });
  afterAll(async () => hub?.close());

  it.each(ERAS)(
    'serves tools, resources and prompts as --as HANDLE (%s era)',
    async (era) => {
      const c = await stdioClient(env, ['--as', 'priya'], era);
      try {
        expect(c.getNegotiatedProtocolVersion()).toBe(era === 'modern' ? '2026-07-28' : '2025-11-25');
        expect((await c.listTools()).tools.map((t) => t.name).sort()).toEqual(TOOLS);
        expect((await c.callTool({ name: 'get_proposal', arguments: { ref: 'P-1' } })).structuredContent).toMatchObject(
          { ref: 'P-1', title: 'Session affinity guide' },
        );
        const created = await c.callTool({
          name: 'create_draft_proposal',
          arguments: {
            title: `Stdio draft ${era}`,
            problem: 'Assistants cannot draft proposals without leaving the editor.',
            layer: 'supporting-resource',
          },
        });
        expect(created.structuredContent).toMatchObject({ authors: [{ handle: 'priya' }], stage: 'idea' });
        expect(
          ((await c.readResource({ uri: 'wghub://groups/hosting/charter' })).contents[0] as { text: string }).text,
        ).toContain('Share practices for hosting MCP servers at scale.');
        expect((await c.getPrompt({ name: 'summarise_discussion', arguments: { ref: 'P-1' } })).messages).toHaveLength(
          1,
        );
        const refused = await c.callTool({ name: 'move_stage', arguments: { ref: 'P-1', to: 'tracked' } });
        expect(refused.isError).toBe(true);
        expect(text(refused)).toContain('from idea it may move to: prior-work-checked');
      } finally {
        await c.close();
      }
    },
    120_000,
  );

  it.each(ERAS)(
    'opens exactly as the full server at /mcp does: capabilities, instructions, server info (%s era)',
    async (era) => {
      // wghub mcp starts on its own short path (a bundle, cached rules): a host must not see a difference
      const server = serve({ fetch: createHttpApp(hub).fetch, hostname: '127.0.0.1', port: 0 });
      await new Promise((resolve) => server.once('listening', resolve));
      const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/mcp`;
      const overHttp = await httpClient(url, era, jonasToken);
      const overStdio = await stdioClient({ ...env, WGHUB_TOKEN: jonasToken }, [], era);
      try {
        expect(overStdio.getNegotiatedProtocolVersion()).toBe(overHttp.getNegotiatedProtocolVersion());
        expect(overStdio.getServerCapabilities()).toEqual(overHttp.getServerCapabilities());
        // neither sends a list-changed notification (the lists are fixed while a server lives), so
        // neither advertises one: a client would wait for them, or subscribe to them, in vain
        const caps = overHttp.getServerCapabilities()!;
        for (const list of ['tools', 'resources', 'prompts'] as const)
          expect(caps[list], list).toEqual({ listChanged: false });
        expect(overStdio.getServerVersion()).toEqual(overHttp.getServerVersion());
        expect(overStdio.getInstructions()).toBe(overHttp.getInstructions());
        expect(overStdio.getInstructions()).toContain('check_prior_work');
      } finally {
        await overStdio.close();
        await overHttp.close();
        server.close();
      }
    },
    120_000,
  );

  it('a script that pipes its requests in and closes stdin gets every answer, the last line without a newline too', async () => {
    const m = (id: number, method: string, params: object = {}) => ({ jsonrpc: '2.0', id, method, params });
    const lines = [
      m(1, 'initialize', {
        protocolVersion: '2025-11-25',
        capabilities: {},
        clientInfo: { name: 'script', version: '1' },
      }),
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      // a write still being worked on when stdin ends
      m(2, 'tools/call', {
        name: 'create_draft_proposal',
        arguments: {
          title: 'Piped draft',
          problem: 'Scripts pipe requests in and close stdin at once.',
          layer: 'supporting-resource',
        },
      }),
      [m(3, 'ping'), m(4, 'tools/call', { name: 'list_groups', arguments: {} })],
      m(5, 'tools/list'),
    ].map((l) => JSON.stringify(l));
    const r = await runCli(['mcp', '--as', 'jonas'], env, lines.join('\n')); // no newline after the last
    expect(r.code).toBe(0);
    const answers = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const ids = answers.map((a) => (Array.isArray(a) ? a.map((x) => x.id).sort() : a.id));
    expect(ids.sort()).toEqual([1, 2, [3, 4], 5].sort());
    const draft = answers.find((a) => a.id === 2);
    expect(draft.result.structuredContent).toMatchObject({ title: 'Piped draft', authors: [{ handle: 'jonas' }] });
    expect(answers.find((a) => a.id === 5).result.tools.length).toBe(TOOLS.length);
  }, 120_000);

  it('acts as the person whose API token is in WGHUB_TOKEN, and refuses to start as nobody', async () => {
    const c = await stdioClient({ ...env, WGHUB_TOKEN: jonasToken }, [], 'modern');
    try {
      const r = await c.callTool({
        name: 'create_draft_proposal',
        arguments: {
          title: 'Token-held draft',
          problem: 'People using tokens need their drafts attributed to them.',
          layer: 'supporting-resource',
        },
      });
      expect(r.structuredContent).toMatchObject({ authors: [{ handle: 'jonas' }] });
    } finally {
      await c.close();
    }
    const none = await runCli(['mcp'], env);
    expect(none.code).toBe(4);
    expect(none.stderr).toContain('wghub mcp acts as a person: pass --as HANDLE, or put an API token in WGHUB_TOKEN');
  }, 120_000);
});
