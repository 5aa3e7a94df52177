// A community adopting the hub names itself and its protocol in the governance file: every page's
// title and header, the topic-area goals and a new group's charter say its words, not "wghub" or "MCP".
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getCharterPage } from '../../src/app/groups/charter-history.ts';
import { proposeGroup } from '../../src/app/groups/groups.ts';
import { createHttpApp } from '../../src/http/server.ts';
import type { WebConfig } from '../../src/http/web/config.ts';
import { databases } from '../support/databases.ts';
import { openDemoHub, asActor, type TestHub, defaultGovernance } from '../support/hub.ts';
import { pageText, signInAs } from '../support/web-client.ts';

const demo: WebConfig = { oidc: null, publicUrl: null, secureCookies: true, sessionHours: 24 };

describe.each(databases)("the community's own name on $name", (database) => {
  let hub: TestHub;
  let app: ReturnType<typeof createHttpApp>;
  beforeEach(async () => {
    hub = await openDemoHub(database, {
      rules: {
        name: 'Payments Interop (web-community-name)',
        make: () => ({ ...defaultGovernance(), community: { name: 'Payments Interop', protocol: 'OpenPay' } }),
      },
    });
    app = createHttpApp(hub, undefined, { web: demo });
  });
  afterEach(async () => hub?.close());

  it('titles every page and heads it with the community name; goals and charters name its protocol', async () => {
    const visitor = await (await app.request('/groups')).text();
    expect(visitor).toContain('<title>Groups · Payments Interop</title>');
    expect(visitor).toContain('<a class="brand" href="/">Payments Interop</a>');
    expect(visitor).toContain('Runs on wghub');
    expect(visitor).not.toContain('· wghub</title>');

    const kai = await signInAs(app, 'kai-core');
    const form = pageText((await kai.get('/groups/hosting/topics/new')).html);
    expect(form).toContain('To propose changes to the OpenPay specification');
    expect(form).toContain('To agree common patterns for implementing solutions with OpenPay');
    expect(form).not.toContain('MCP specification');

    await proposeGroup(hub, await asActor(hub, 'sam-lead'), {
      slug: 'settlement',
      name: 'Settlement',
      kind: 'working',
      mission: 'Agree how payments settle across providers.',
      scopeIn: ['Settlement messages'],
      leads: ['sam-lead'],
    });
    const charter = await getCharterPage(hub, 'settlement');
    expect(JSON.stringify(charter)).toContain('Charter for the OpenPay Settlement Working Group.');
  });

  it("the welcome page's account of how the community works names its protocol, not MCP's", async () => {
    const how = pageText(await (await app.request('/welcome')).text());
    expect(how).toContain('A working group keeps continuity for a general domain of OpenPay implementation.');
    expect(how).toContain('to agree common patterns for implementing solutions with OpenPay');
    expect(how).not.toMatch(/domain of MCP|solutions with MCP/);
  });
});
