// Rendered charters are kept in memory, and one test worker runs file after file in one process
// (isolate: false), so what is kept must not be handed from one hub's group to another hub's group
// of the same slug and version.
import { afterEach, describe, expect, it } from 'vitest';
import { proposeGroup } from '../../src/app/groups/groups.ts';
import { createHttpApp } from '../../src/http/server.ts';
import type { WebConfig } from '../../src/http/web/config.ts';
import { databases } from '../support/databases.ts';
import { openTestHub, person, type TestHub } from '../support/hub.ts';

const web: WebConfig = { oidc: null, publicUrl: null, secureCookies: true, sessionHours: 24 };

describe.each(databases)('the charter on a group page on $name', (database) => {
  const hubs: TestHub[] = [];
  afterEach(async () => {
    for (const h of hubs.splice(0)) await h.close();
  });

  it('shows each hub its own charter when two hubs have a group of the same name at the same version', async () => {
    const pages: string[] = [];
    for (const mission of [
      'Share practices for hosting MCP servers at scale.',
      'Write down how gateways route sessions.',
    ]) {
      const hub = await openTestHub(database);
      hubs.push(hub);
      const sam = await person(hub, 'sam', { role: 'member', org: 'Acme' });
      await proposeGroup(hub, sam, {
        slug: 'hosting',
        name: 'Hosting',
        kind: 'working',
        mission,
        scopeIn: ['Scaling'],
        leads: ['sam'],
      });
      const res = await createHttpApp(hub, undefined, { web }).request('/groups/hosting');
      expect(res.status).toBe(200);
      pages.push(await res.text());
    }
    expect(pages[0]).toContain('Share practices for hosting MCP servers at scale.');
    expect(pages[1]).toContain('Write down how gateways route sessions.');
    expect(pages[1]).not.toContain('Share practices for hosting MCP servers at scale.');
  });
});
