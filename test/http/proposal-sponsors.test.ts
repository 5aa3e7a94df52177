// Who may sponsor a proposal, read through every edge from one use case (app/proposals/sponsors.ts):
// GET /api/proposals/{ref}/sponsors, MCP list_possible_sponsors and the proposal's web page name the
// same people, never the one reading, whose own answer is `can.sponsor`.
import type { ServerType } from '@hono/node-server';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { placeInGroup } from '../../src/app/groups/groups.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { createProposal } from '../../src/app/proposals/proposals.ts';
import { proposalSponsors } from '../../src/app/proposals/sponsors.ts';
import { createHttpApp } from '../../src/http/server.ts';
import { databases } from '../support/databases.ts';
import { asActor, hostingGroup, openTestHub, person, type TestHub } from '../support/hub.ts';
import { countQueries } from '../support/queries.ts';
import { pageText, signInAs } from '../support/web-client.ts';
import { demoSignIn } from '../support/web-hub.ts';
import { httpClient, serveMcpOverHttp } from '../mcp/support.ts';

describe.each(databases)('who may sponsor a proposal on $name', (database) => {
  let hub: TestHub;
  let app: ReturnType<typeof createHttpApp>;
  let mcp: { url: string; server: ServerType };
  const tokens: Record<string, string> = {};
  const handles = (v: { people: { handle: string }[] }) => v.people.map((p) => p.handle);

  beforeAll(async () => {
    hub = await openTestHub(database);
    const lead = await person(hub, 'lead', { role: 'member' });
    await hostingGroup(hub, lead, 'lead');
    for (const h of ['ada', 'bea']) {
      await person(hub, h, { role: 'maintainer' });
      await placeInGroup(hub, SYSTEM, 'hosting', h, { level: 'member' });
    }
    await person(hub, 'cyd', { role: 'maintainer' });
    // a maintainer who has not accepted the agreements may not sponsor yet, so is listed to nobody
    await person(hub, 'dee', { role: 'maintainer', accepted: false });
    await person(hub, 'amara');
    await createProposal(hub, await asActor(hub, 'amara'), {
      title: 'Draining sessions on deploy',
      problem: 'A deploy drops every open session on a hosted server.',
      examples: ['Rolling deploys'],
      layer: 'working-group-artifact',
      group: 'hosting',
    });
    for (const h of ['ada', 'amara']) tokens[h] = (await createToken(hub, SYSTEM, h)).token;
    app = createHttpApp(hub, undefined, { web: demoSignIn });
    mcp = await serveMcpOverHttp(hub);
  });
  afterAll(async () => {
    mcp?.server.close();
    await hub?.close();
  });

  it('names its group’s own first, never the reader, whose own answer is can.sponsor', async () => {
    const visitor = await proposalSponsors(hub, 'P-1');
    expect(visitor).toMatchObject({ ref: 'P-1', sponsor: null, wanted: true, can: { sponsor: { allowed: false } } });
    expect(handles(visitor)).toEqual(['ada', 'bea', 'cyd']);
    const ada = await proposalSponsors(hub, 'P-1', await asActor(hub, 'ada'));
    expect(handles(ada)).toEqual(['bea', 'cyd']);
    expect(ada.can.sponsor).toEqual({ allowed: true });
    const dee = await proposalSponsors(hub, 'P-1', await asActor(hub, 'dee'));
    expect(handles(dee)).toEqual(['ada', 'bea', 'cyd']);
    expect(dee.can.sponsor).toMatchObject({ allowed: false, remedy: 'accept-agreements' });
  });

  it('names only people the policy lets sponsor it (their role, the agreements accepted)', async () => {
    const listed = handles(await proposalSponsors(hub, 'P-1'));
    for (const h of listed)
      expect((await proposalSponsors(hub, 'P-1', await asActor(hub, h))).can.sponsor, h).toEqual({ allowed: true });
    // everyone whose role may, but who may not sponsor, is left out
    expect(listed).not.toContain('dee');
  });

  it('the web page reads the list from the view it already has, not the proposal again', async () => {
    // dee is shown the list, cyd (who may sponsor) the button: the list's own reads are all they differ by
    const queries = countQueries(hub);
    const cost = async (h: string) => {
      const web = await signInAs(app, h);
      await web.get('/proposals/P-1'); // what a read caches, cached for both alike
      queries.reset();
      expect((await web.get('/proposals/P-1')).status).toBe(200);
      return queries.count;
    };
    const shown = await cost('dee');
    const button = await cost('cyd');
    expect(shown - button, `with the list ${shown} queries, with the button ${button}`).toBeLessThanOrEqual(3);
  });

  it('REST and MCP give the same answer for the same reader', async () => {
    const get = async (who?: string) =>
      (
        await app.request('/api/proposals/P-1/sponsors', {
          headers: who ? { Authorization: `Bearer ${tokens[who]}` } : {},
        })
      ).json();
    const rest = await get('ada');
    expect(handles(rest)).toEqual(['bea', 'cyd']);
    expect(rest.can.sponsor).toEqual({ allowed: true });
    expect(handles(await get())).toEqual(['ada', 'bea', 'cyd']);
    const client: Client = await httpClient(mcp.url, 'modern', tokens.ada);
    try {
      const r = (await client.callTool({ name: 'list_possible_sponsors', arguments: { ref: 'P-1' } })) as {
        isError?: boolean;
        structuredContent?: unknown;
      };
      expect(r.isError).toBeFalsy();
      expect(r.structuredContent).toEqual(rest);
    } finally {
      await client.close();
    }
  });

  it('the web page names the same people, not the reader', async () => {
    const dee = await signInAs(app, 'dee');
    const text = pageText((await dee.get('/proposals/P-1')).html);
    expect(text).toMatch(
      /such as Ada \(@ada, maintainer\), Bea \(@bea, maintainer\) in its group; Cyd \(@cyd, maintainer\) elsewhere\./,
    );
    expect(text).not.toMatch(/Dee \(@dee, maintainer\)/);
  });

  it('once sponsored, nobody more is wanted', async () => {
    const r = await app.request('/api/proposals/P-1/sponsor', {
      method: 'POST',
      headers: { Authorization: `Bearer ${tokens.ada}` },
    });
    expect(r.status).toBe(200);
    const after = await proposalSponsors(hub, 'P-1', await asActor(hub, 'amara'));
    expect(after).toMatchObject({ sponsor: { handle: 'ada' }, wanted: false, people: [] });
    expect(after.can.sponsor).toMatchObject({ allowed: false, reason: 'It already has a sponsor' });
  });
});
