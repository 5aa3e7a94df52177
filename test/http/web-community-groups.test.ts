// A community whose groups are "special interest groups" and "community forums", and whose levels in a
// group have names of their own, says so in its copy of governance/default.yaml (`groupKindNames`,
// `levelNames`): the keys (`working`, `member`…) stay the API's and the CLI's, and the welcome page, the
// groups, a group's page, the propose form, the charter it writes, people pages, the REST endpoints'
// summaries and MCP descriptions use the community's words.
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_GOVERNANCE_PATH, parseGovernance } from '../../src/app/core/governance-file.ts';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { createHttpApp } from '../../src/http/server.ts';
import type { WebConfig } from '../../src/http/web/config.ts';
import { httpClient, serveMcpOverHttp } from '../mcp/support.ts';
import { databases } from '../support/databases.ts';
import { openDemoHub, type TestHub } from '../support/hub.ts';
import { pageText, signInAs } from '../support/web-client.ts';

const demo: WebConfig = { oidc: null, publicUrl: null, secureCookies: true, sessionHours: 24 };

const sensorium = () =>
  parseGovernance(
    readFileSync(DEFAULT_GOVERNANCE_PATH, 'utf8')
      .replace('name: MCP Community', 'name: Sensorium')
      .replace(
        /^groupKindNames: \{\}$/m,
        'groupKindNames: { working: special interest group, interest: community forum }',
      )
      .replace(/^levelNames: \{\}$/m, 'levelNames: { observer: follower, member: voting member, lead: chair }'),
    'sensorium.yaml',
  );

/** The fixed words for group kinds, as a badge, a heading or a sentence says them (not "working-group artifact"). */
const FIXED_KINDS = /(?<!special )\b(?:working|interest) groups?\b/i;

describe.each(databases)("a community's own names for group kinds and levels on $name", (database) => {
  let hub: TestHub;
  let app: ReturnType<typeof createHttpApp>;
  beforeEach(async () => {
    hub = await openDemoHub(database, { rules: { name: 'sensorium (web-community-groups)', make: sensorium } });
    app = createHttpApp(hub, undefined, { web: demo });
  });
  afterEach(async () => hub?.close());

  it('pages name the kinds and levels as the governance file does; the keys stay', async () => {
    const priya = await signInAs(app, 'priya');
    const welcome = pageText((await priya.get('/welcome')).html);
    expect(welcome).toContain('Special interest group · active');
    expect(welcome).not.toMatch(/(?:Working|Interest) group ·/);
    const groups = pageText((await priya.get('/groups')).html);
    expect(groups).toContain('Special interest groups');
    expect(groups).toContain('Community forums');
    const hosting = pageText((await priya.get('/groups/hosting')).html);
    expect(hosting).toContain('Special interest group');
    expect(hosting).toContain('Voting members (');
    expect(hosting).toContain('You are a voting member of this group.');
    expect(hosting).not.toMatch(/\bMembers \(\d/);
    const propose = pageText((await priya.get('/groups/new')).html);
    expect(propose).toContain('Special interest group: produces specification changes');
    expect(propose).toContain('Community forum: shares experience');
    expect(propose).not.toMatch(FIXED_KINDS);
    expect(pageText((await priya.get('/people/priya')).html)).toMatch(/Hosting \(voting member\)/);

    // a group proposed from the form: its charter is for a special interest group, its kind the key
    const made = await priya.post('/groups/new', {
      name: 'Metrics',
      slug: 'metrics',
      kind: 'working',
      mission: 'Agree how Sensorium exporters name and unit their metrics.',
      scopeIn: 'Metric names',
      scopeOut: '',
      relatedGroups: '',
      leads: 'priya',
    });
    expect(made.status).toBe(303);
    const rest = (await (await app.request('/api/groups/metrics')).json()) as { kind: string };
    expect(rest.kind).toBe('working');
    const charter = await (await app.request('/api/groups/metrics/charter.md')).text();
    expect(charter).toContain('Charter for the MCP Metrics Special Interest Group.');

    // REST summaries say the community's words; the API's keys are unchanged
    const developers = pageText(await (await app.request('/developers')).text());
    expect(developers).toContain('List special interest groups and community forums');
    expect(developers).not.toMatch(FIXED_KINDS);
  });

  it("an advisory response's flash names the levels that count as the governance file does", async () => {
    // it said "only its members' and leads' responses count" in a community whose levels are voting
    // members and chairs
    const sam = await signInAs(app, 'sam-lead');
    await sam.get('/decisions/new');
    await sam.post('/decisions/new', {
      group: 'hosting',
      question: 'Adopt the session affinity guide?',
      'subject.type': 'process',
      significance: 'minor',
      matter: 'routine',
    });
    const amara = await signInAs(app, 'amara');
    await amara.get('/decisions/D-1');
    const blocked = await amara.post('/decisions/D-1/respond', {
      kind: 'block',
      reason: 'Its examples use one gateway only.',
      alternative: 'Show two gateways.',
    });
    expect(blocked.status).toBe(303);
    const page = pageText((await amara.get('/decisions/D-1')).html);
    expect(page).toContain(
      'Your block is recorded as advisory: the group reads it, but it does not count and does not stop the consensus; only the responses of its voting members and chairs count.',
    );
    expect(page).not.toMatch(/only its members' and leads'/);
  });

  it('an assistant reads tools described with the community’s group kinds', async () => {
    const served = await serveMcpOverHttp(hub);
    try {
      const client = await httpClient(served.url, 'modern', (await createToken(hub, SYSTEM, 'priya')).token);
      const described = (await client.listTools()).tools.map((t) => `${t.name}: ${t.title ?? ''} ${t.description}`);
      await client.close();
      expect(described.filter((d) => FIXED_KINDS.test(d.replace(/MCP Community Working Groups/g, '')))).toEqual([]);
      expect(described.join('\n')).toContain('Special interest groups have open membership');
    } finally {
      served.server.close();
    }
  });
});
