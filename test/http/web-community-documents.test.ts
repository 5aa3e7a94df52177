// A community on another protocol runs its own copy of governance/default.yaml: renaming its
// document route (the `sep` route's title and short name) and its protocol is enough for the pages a
// member meets to say its words; none of them still speaks of SEPs or of MCP as this community's own.
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_GOVERNANCE_PATH, parseGovernance } from '../../src/app/core/governance-file.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { createProposal } from '../../src/app/proposals/proposals.ts';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { createHttpApp } from '../../src/http/server.ts';
import type { WebConfig } from '../../src/http/web/config.ts';
import { databases } from '../support/databases.ts';
import { openDemoHub, asActor, type TestHub } from '../support/hub.ts';
import { pageText, signInAs } from '../support/web-client.ts';
import { httpClient, serveMcpOverHttp } from '../mcp/support.ts';

const demo: WebConfig = { oidc: null, publicUrl: null, secureCookies: true, sessionHours: 24 };

/** The operator's copy of the default file: her community, her protocol, her kind of document. */
function relayGovernance() {
  // she renames the community, its protocol and its document route, and rewrites the texts the file
  // itself holds (its code of conduct, the route's guidance) for her protocol
  const text = readFileSync(DEFAULT_GOVERNANCE_PATH, 'utf8')
    .replace('name: MCP Community', 'name: Open Telemetry Relay')
    .replace('title: The SEP lifecycle', 'title: The REP lifecycle')
    .replace('shortName: SEP', 'shortName: REP')
    .replaceAll('MCP', 'OTR');
  return parseGovernance(text, 'relay.yaml');
}

// "SEP"/"SEPs"/"MCP" as words; a reference's own prefix (SEP-2575, SEP-n in a hint) is an identifier, not wording
const FOREIGN = /\b(?:SEPs?|MCP)\b(?!-)/g;
// what is about MCP itself stays: the hub's own MCP server (the footer's link to it, /developers),
// and evidence verified by connecting to an implementation as an MCP client (/developers)
const ABOUT_MCP_ITSELF = 'REST API, MCP and the command line';

describe.each(databases)("a non-MCP community's words on $name", (database) => {
  let hub: TestHub;
  let app: ReturnType<typeof createHttpApp>;
  let ref: string;
  beforeEach(async () => {
    hub = await openDemoHub(database, { rules: { name: 'relay (web-community-documents)', make: relayGovernance } });
    ref = (
      await createProposal(hub, await asActor(hub, 'priya'), {
        title: 'Relay batching of spans',
        problem: 'Relays forward spans one by one and saturate links under load.',
        examples: ['A relay at 20k spans per second drops half of them.'],
        layer: 'specification',
        route: 'sep',
        group: 'hosting',
      })
    ).ref;
    app = createHttpApp(hub, undefined, { web: demo });
  });
  afterEach(async () => hub?.close());

  it('the pages a member meets name its documents and protocol as its governance file does', async () => {
    const maintainer = await signInAs(app, 'lena-core');
    const pages: Record<string, string> = {};
    for (const path of [
      '/proposals',
      '/proposals/new',
      '/search',
      '/search?q=relay',
      '/welcome',
      '/how-we-work',
      `/proposals/${ref}`,
      '/developers',
    ])
      pages[path] = pageText((await maintainer.get(path)).html);
    // each page's foreign words in their context, so a failure says where each one is
    const foreign = Object.entries(pages).flatMap(([path, text]) =>
      [...text.replaceAll(ABOUT_MCP_ITSELF, '').matchAll(path === '/developers' ? /\bSEPs?\b(?!-)/g : FOREIGN)].map(
        (m) => `${path}: …${text.slice(Math.max(0, m.index - 50), m.index + 20)}…`,
      ),
    );
    expect(foreign).toEqual([]);
    expect(pages['/proposals']).toContain('REPs on the REP lifecycle');
    expect(pages['/proposals/new']).toContain('existing proposals, REPs and artifacts');
    expect(pages['/search']).toContain('One search over proposals, REPs,');
    expect(pages[`/proposals/${ref}`]).toContain('Sponsor this REP');
    expect(pages['/developers']).toContain('List proposals and REPs');
  });

  it("an assistant connected over MCP reads the tools, resources and prompts in the community's words", async () => {
    const served = await serveMcpOverHttp(hub);
    try {
      const client = await httpClient(served.url, 'modern', (await createToken(hub, SYSTEM, 'priya')).token);
      const described = [
        client.getInstructions() ?? '',
        ...(await client.listTools()).tools.map((t) => `${t.name}: ${t.description}`),
        ...(await client.listResourceTemplates()).resourceTemplates.map((r) => `${r.name}: ${r.description}`),
        ...(await client.listPrompts()).prompts.map((p) => `${p.name}: ${p.description}`),
      ];
      await client.close();
      expect(described.filter((d) => /\bSEPs?\b(?!-)/.test(d))).toEqual([]);
      expect(described[0]).toContain('proposals on the contribution route and the REP lifecycle');
      expect(described.join('\n')).toContain('get_proposal: One proposal or REP:');
    } finally {
      served.server.close();
    }
  });
});
