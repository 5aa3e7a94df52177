// The GitHub bridge's state through MCP: only those the governance file lets see it get it, with
// whether they may sync now; everyone else gets a tool error saying who may.
import type { ServerType } from '@hono/node-server';
import { serve } from '../support/serve-test.ts';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { createHttpApp } from '../../src/http/server.ts';
import { databases } from '../support/databases.ts';
import { mirrorRepo } from '../support/github.ts';
import { MCP_REPO } from '../support/github-standin.ts';
import { openTestHub, person, type TestHub } from '../support/hub.ts';
import { httpClient, text } from './support.ts';

const call = async (c: Client, name: string, args: Record<string, unknown>) =>
  (await c.callTool({ name, arguments: args })) as {
    isError?: boolean;
    structuredContent?: Record<string, any>;
    content: unknown;
  };

describe.each(databases)('get_github_status over MCP on $name', (database) => {
  let hub: TestHub;
  const tokens: Record<string, string> = {};
  let server: ServerType;
  let url: string;

  beforeAll(async () => {
    hub = await openTestHub(database);
    mirrorRepo(hub, MCP_REPO, true);
    await person(hub, 'jonas');
    await person(hub, 'kai', { role: 'core-maintainer' });
    for (const h of ['jonas', 'kai']) tokens[h] = (await createToken(hub, SYSTEM, h)).token;
    server = serve({ fetch: createHttpApp(hub).fetch, hostname: '127.0.0.1', port: 0 });
    await new Promise((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/mcp`;
  });
  afterAll(async () => {
    server?.close();
    await hub?.close();
  });

  it('a core maintainer sees the repositories and may sync; a contributor is told who may see it', async () => {
    const kai = await httpClient(url, 'modern', tokens.kai);
    const seen = await call(kai, 'get_github_status', {});
    expect(seen.isError).toBeFalsy();
    expect(seen.structuredContent).toMatchObject({
      configured: true,
      repositories: [{ name: MCP_REPO, writeBack: true, lastSyncFinishedAt: null, mirrored: 0 }],
      can: { syncNow: { allowed: true } },
    });
    await kai.close();
    const jonas = await httpClient(url, 'modern', tokens.jonas);
    const refused = await call(jonas, 'get_github_status', {});
    expect(refused.isError).toBe(true);
    expect(text(refused)).toContain("Only a maintainer or above or a moderator may see the GitHub bridge's state");
    await jonas.close();
  });
});
