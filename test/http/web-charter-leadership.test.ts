// A charter's Leadership table is the charter's text: naming a lead here does not rewrite it. The
// group's page, REST and MCP say when the two disagree, and amending the section settles it.
import type { ServerType } from '@hono/node-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { getGroup, proposeGroup, setMemberLevel, updateCharter } from '../../src/app/groups/groups.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { createHttpApp } from '../../src/http/server.ts';
import type { WebConfig } from '../../src/http/web/config.ts';
import { httpClient, serveMcpOverHttp } from '../mcp/support.ts';
import { databases } from '../support/databases.ts';
import { asActor, openDemoHub, type TestHub } from '../support/hub.ts';
import { pageText, signInAs, WebClient } from '../support/web-client.ts';

const demo: WebConfig = { oidc: null, publicUrl: null, secureCookies: true, sessionHours: 24 };

describe.each(databases)("the charter's Leadership table against the group's leads on $name", (database) => {
  let hub: TestHub;
  let app: ReturnType<typeof createHttpApp>;
  let server: ServerType | undefined;
  beforeEach(async () => {
    hub = await openDemoHub(database);
    app = createHttpApp(hub, undefined, { web: demo });
  });
  afterEach(async () => {
    server?.close();
    await hub?.close();
  });

  it('a lead named here is shown missing from the table, to a lead with the link to amend it; amending settles it', async () => {
    const visitor = new WebClient(app);
    expect((await visitor.get('/groups/hosting')).html).not.toContain('leadership-drift');

    await setMemberLevel(hub, await asActor(hub, 'sam-lead'), 'hosting', 'priya', { level: 'lead' });

    const sam = await signInAs(app, 'sam-lead');
    const page = await sam.get('/groups/hosting');
    expect(pageText(page.html)).toContain(
      "The charter's Leadership table is out of date. Priya Nair (@priya) leads the group here but is not in it.",
    );
    expect(page.html).toContain('href="/groups/hosting/charter/edit?section=Leadership"');
    const seen = pageText((await visitor.get('/groups/hosting')).html);
    expect(seen).toContain(
      'Priya Nair (@priya) leads the group here but is not in it. A group lead amends the charter',
    );
    expect((await visitor.get('/groups/hosting')).html).not.toContain('charter/edit?section=Leadership');

    const rest = await app.request('/api/groups/hosting');
    expect(((await rest.json()) as { leadershipDrift: unknown }).leadershipDrift).toEqual({
      inCharterOnly: [],
      leadsOnly: [{ handle: 'priya', name: 'Priya Nair' }],
    });

    const served = await serveMcpOverHttp(hub);
    server = served.server;
    const client = await httpClient(served.url, 'modern', (await createToken(hub, SYSTEM, 'priya')).token);
    const charter = (await client.callTool({ name: 'get_charter', arguments: { group: 'hosting' } })) as {
      structuredContent: { group: { leadershipDrift: { leadsOnly: { handle: string }[] } } };
    };
    expect(charter.structuredContent.group.leadershipDrift.leadsOnly.map((l) => l.handle)).toEqual(['priya']);
    await client.close();

    // the lead amends the section from the edit page the note links to
    const g = await getGroup(hub, 'hosting');
    const section = g.charter.leadership.map(
      (l) => `| ${l.role} | ${l.name} | ${l.organisation} | @${l.github ?? ''} | ${l.term} |`,
    );
    await updateCharter(hub, await asActor(hub, 'sam-lead'), 'hosting', g.version, {
      sections: [
        {
          heading: 'Leadership',
          markdown: [
            '| Role | Name | Organization | GitHub | Term |',
            '| --- | --- | --- | --- | --- |',
            ...section,
            '| Lead | Priya Nair | Nebula Tools | @priya | Initial |',
          ].join('\n'),
        },
      ],
      changelog: 'Priya Nair joins the leads',
    });
    expect((await getGroup(hub, 'hosting')).leadershipDrift).toBeNull();
    expect((await sam.get('/groups/hosting')).html).not.toContain('leadership-drift');
  });

  it('a group proposed naming another as lead: no drift, but named as invited and not yet accepted, on the page, REST and MCP', async () => {
    await proposeGroup(hub, SYSTEM, {
      slug: 'far',
      name: 'Far',
      kind: 'working',
      mission: 'Run servers far away.',
      scopeIn: ['Far'],
      leads: ['sam-lead'],
    });
    const seen = pageText((await new WebClient(app).get('/groups/far')).html);
    expect(seen).not.toContain('Leadership table is out of date');
    expect(seen).toContain(
      'No lead yet: the group becomes active only once someone leads it, so one named as lead must accept their invitation first.',
    );
    expect(seen).toMatch(/Named as lead, invited, not yet accepted: .*\(@sam-lead\)\. They lead once they accept\./);
    const rest = (await (await app.request('/api/groups/far')).json()) as {
      leadershipDrift: unknown;
      invitedLeads: { handle: string }[];
    };
    expect([rest.leadershipDrift, rest.invitedLeads.map((l) => l.handle)]).toEqual([null, ['sam-lead']]);
    const served = await serveMcpOverHttp(hub);
    server = served.server;
    const client = await httpClient(served.url, 'modern', (await createToken(hub, SYSTEM, 'priya')).token);
    const charter = (await client.callTool({ name: 'get_charter', arguments: { group: 'far' } })) as {
      structuredContent: { group: { leadershipDrift: unknown; invitedLeads: { handle: string }[] } };
    };
    expect(charter.structuredContent.group.leadershipDrift).toBeNull();
    expect(charter.structuredContent.group.invitedLeads.map((l) => l.handle)).toEqual(['sam-lead']);
  });

  it('a lead who stepped down is shown as still named in the table', async () => {
    const before = await getGroup(hub, 'hosting');
    expect(before.leadershipDrift).toBeNull();
    // a group keeps a lead: Priya takes over, then Sam steps down
    await setMemberLevel(hub, SYSTEM, 'hosting', 'priya', { level: 'lead' });
    await setMemberLevel(hub, SYSTEM, 'hosting', 'sam-lead', { level: 'member' });
    const drift = (await getGroup(hub, 'hosting')).leadershipDrift;
    expect(drift?.inCharterOnly.map((r) => r.name)).toEqual(['Sam Rivera']);
    expect(drift?.leadsOnly.map((r) => r.handle)).toEqual(['priya']);
    expect(pageText((await new WebClient(app).get('/groups/hosting')).html)).toContain(
      'It names Sam Rivera, who is not a lead here.',
    );
  });
});
