// A community whose roles are not MCP's ("steering committee" and "maintainers") names them in its
// copy of governance/default.yaml (`roleNames`): the keys stay the fixed ladder's, and every page,
// REST answer and MCP description that says who may do what uses the community's words, never
// "core maintainer" or "lead maintainer".
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
import { Worker } from '../../src/app/core/worker.ts';
import { createMailer, sendConfirmationMail } from '../../src/app/notifications/mail.ts';
import { CONFIRM_QUEUE } from '../../src/app/people/email.ts';
import { notificationsReaction } from '../../src/app/notifications/notify.ts';
import { createPerson } from '../../src/app/people/people.ts';
import { startSmtp } from '../support/smtp.ts';

const demo: WebConfig = { oidc: null, publicUrl: null, secureCookies: true, sessionHours: 24 };

/** Sensorium's copy of the default file: its name, its RFCs, and its own names for the ladder's roles. */
function sensoriumGovernance() {
  const text = readFileSync(DEFAULT_GOVERNANCE_PATH, 'utf8')
    .replace('name: MCP Community', 'name: Sensorium')
    .replace('shortName: SEP', 'shortName: RFC')
    .replace(
      /^roleNames: \{\}$/m,
      'roleNames: { core-maintainer: steering committee member, lead-maintainer: steering committee chair }',
    )
    // no GitHub yet: no teams hold roles
    .replace(/^ {2}teams:\n(?: {4}- .*\n)+/m, '  teams: []\n')
    // the file's own prose (guidance, comments) is the community's to rewrite; here it names the roles too
    .replaceAll('core maintainer', 'steering committee member')
    .replaceAll('Core Maintainer', 'steering committee member');
  return parseGovernance(text, 'sensorium.yaml');
}

const MCP_ROLES = /\b(?:core|lead)[ -]maintainers?\b/gi;

describe.each(databases)("a community's own role names on $name", (database) => {
  let hub: TestHub;
  let app: ReturnType<typeof createHttpApp>;
  let ref: string;
  beforeEach(async () => {
    hub = await openDemoHub(database, {
      rules: { name: 'sensorium (web-community-roles)', make: sensoriumGovernance },
    });
    ref = (
      await createProposal(hub, await asActor(hub, 'priya'), {
        title: 'Unit suffixes in metric names',
        problem: 'Metric names mix unit suffixes, so dashboards break across vendors.',
        examples: ['Vendor A emits temp_c while vendor B emits temperature_celsius.'],
        layer: 'specification',
        route: 'sep',
        group: 'hosting',
      })
    ).ref;
    app = createHttpApp(hub, undefined, { web: demo });
  });
  afterEach(async () => hub?.close());

  it('pages and REST answers say who may do what in the governance file’s role names', async () => {
    const priya = await signInAs(app, 'priya');
    const lena = await signInAs(app, 'lena-core');
    const pages: Record<string, string> = {};
    for (const path of ['/how-we-work', '/people', '/people/kai-core', '/groups/observability', `/proposals/${ref}`])
      pages[path] = pageText((await priya.get(path)).html);
    pages['/people/priya/edit (a lead)'] = pageText((await lena.get('/people/priya/edit')).html);
    pages['/sign-in'] = pageText(await (await app.request('/sign-in')).text());
    for (const path of ['/api/governance', '/api/groups/observability', `/api/proposals/${ref}`])
      pages[path] = await (await app.request(path)).text();
    const left = Object.entries(pages).flatMap(([path, page]) => {
      // a role's key in JSON ("role":"core-maintainer", "roles":[…]) is an identifier, not wording
      const text = page.replace(/"(?:core|lead)-maintainer"/g, '');
      return [...text.matchAll(MCP_ROLES)].map(
        (m) => `${path}: …${text.slice(Math.max(0, m.index - 60), m.index + 20)}…`,
      );
    });
    expect(left).toEqual([]);
    expect(pages['/how-we-work']).toContain(
      'A group and its leadership must be sponsored by at least 2 steering committee members or 1 steering committee chair.',
    );
    expect(pages['/people']).toContain('steering committee chair');
    expect(pages['/people/kai-core']).toContain('steering committee member');
    expect(pages['/groups/observability']).toContain('(2 steering committee members or 1 steering committee chair');
    expect(pages[`/proposals/${ref}`]).toContain('a steering committee member or a steering committee chair');
    expect(pages['/people/priya/edit (a lead)']).toContain('steering committee member');
    const group = JSON.parse(pages['/api/groups/observability']!);
    expect(group.sponsorship.rule).toBe('2 steering committee members or 1 steering committee chair');
  });

  it("an assistant reads who may use each MCP tool in the community's role names", async () => {
    const served = await serveMcpOverHttp(hub);
    try {
      const client = await httpClient(served.url, 'modern', (await createToken(hub, SYSTEM, 'priya')).token);
      const described = (await client.listTools()).tools.map((t) => `${t.name}: ${t.description}`);
      await client.close();
      // no tool's description says the MCP community's role names, in "Who may:" or elsewhere
      expect(described.filter((d) => d.replace(/\b(?:core|lead)-maintainer\b/g, '').match(MCP_ROLES))).toEqual([]);
      expect(described.find((d) => d.startsWith('designate_resolver:'))).toContain(
        'Name the steering committee member who resolves',
      );
      const whoMay = described.filter((d) => d.includes('Who may:'));
      expect(whoMay.length).toBeGreaterThan(5);
      expect(whoMay.filter((d) => /\b(?:core|lead)[ -]maintainer/i.test(d.slice(d.indexOf('Who may:'))))).toEqual([]);
      expect(whoMay.join('\n')).toContain('a steering committee member or a steering committee chair');
    } finally {
      served.server.close();
    }
  });

  it('the REST endpoints are summarised, and the invitation mailed, in the role names', async () => {
    const developers = pageText(await (await app.request('/developers')).text());
    const openapi = await (await app.request('/api/openapi.json')).text();
    for (const text of [developers, openapi.replace(/"(?:core|lead)-maintainer"/g, '')])
      expect([...text.matchAll(MCP_ROLES)].map((m) => text.slice(Math.max(0, m.index - 60), m.index + 20))).toEqual([]);
    expect(developers).toContain(
      'Sponsor the group and its leadership (steering committee members or steering committee chairs)',
    );
    expect(developers).toContain('Designate the steering committee member who resolves it');

    const smtp = await startSmtp();
    try {
      const mailer = createMailer({
        smtpUrl: smtp.url,
        from: 'hub@wg.example.org',
        publicUrl: 'https://wg.example.org',
        replyDomain: null,
      });
      hub.settings.mailsOut = true;
      hub.reactions.push(notificationsReaction({ mail: true }));
      await createPerson(hub, await asActor(hub, 'lena-core'), {
        handle: 'kai',
        name: 'Kai Tanaka',
        timeZone: 'UTC',
        role: 'core-maintainer',
        email: 'kai@example.org',
        affiliations: [],
      });
      await new Worker(hub, { [CONFIRM_QUEUE]: (h, j) => sendConfirmationMail(h, mailer, j) }).drain();
      const mail = smtp.received.find((r) => r.to.includes('kai@example.org'))!.mail;
      expect(mail.text).toContain('as @kai (steering committee member)');
      expect(`${mail.text}${mail.html}`.match(MCP_ROLES)).toBeNull();
    } finally {
      await smtp.close();
    }
  });
});
