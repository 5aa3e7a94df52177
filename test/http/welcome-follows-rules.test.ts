// The welcome page's "How the community works" says what the rules file says: how much one
// organisation's voices weigh together (decisions.weighting.organisationCap), and what a block needs.
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpApp } from '../../src/http/server.ts';
import type { WebConfig } from '../../src/http/web/config.ts';
import { databases } from '../support/databases.ts';
import { defaultGovernance, openDemoHub, type TestHub } from '../support/hub.ts';
import { pageText } from '../support/web-client.ts';

const web: WebConfig = { oidc: null, publicUrl: null, secureCookies: false, sessionHours: 24 };

describe.each(databases)('the welcome page follows the rules file on $name', (database) => {
  let hub: TestHub | undefined;
  afterEach(async () => hub?.close());

  const welcome = async () =>
    pageText(await (await createHttpApp(hub!, undefined, { web }).request('/welcome')).text());

  it('by default one organisation’s voices weigh as one, and a block names an alternative or what would resolve it', async () => {
    hub = await openDemoHub(database);
    const text = await welcome();
    expect(text).toContain('many voices from one organisation weigh as one.');
    expect(text).toContain('a block gives its reason and an alternative or what would resolve it.');
  });

  it('a community whose voices of one organisation weigh at most 2 is told 2, as How we work says', async () => {
    hub = await openDemoHub(database, {
      rules: {
        name: 'organisation cap 2 (welcome-follows-rules)',
        make: () => {
          const g = defaultGovernance();
          return { ...g, decisions: { ...g.decisions, weighting: { ...g.decisions.weighting, organisationCap: 2 } } };
        },
      },
    });
    const text = await welcome();
    expect(text).toContain('many voices from one organisation weigh at most 2.');
    expect(text).not.toContain('weigh as one');
    const how = pageText(await (await createHttpApp(hub, undefined, { web }).request('/how-we-work')).text());
    expect(how).toContain('weigh at most 2');
  });
});
