// What attack round 25 found over the web and REST, in-process (`app.request`), on both databases:
// each test is what the attacker sent and what they are answered now.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { moveGroup } from '../../src/app/groups/groups.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { createHttpApp } from '../../src/http/server.ts';
import type { WebConfig } from '../../src/http/web/config.ts';
import { databases } from '../support/databases.ts';
import { asActor, openDemoHub, type TestHub } from '../support/hub.ts';
import { signInAs } from '../support/web-client.ts';

const demo: WebConfig = { oidc: null, publicUrl: null, secureCookies: true, sessionHours: 24 };

describe.each(databases)('attack round 25 over the web and REST on $name', (database) => {
  let hub: TestHub;
  let app: ReturnType<typeof createHttpApp>;
  beforeEach(async () => {
    hub = await openDemoHub(database);
    app = createHttpApp(hub, undefined, { web: demo });
  });
  afterEach(async () => hub?.close());

  it('a retired group is not offered for a new proposal, and REST refuses one placed in it', async () => {
    await moveGroup(hub, await asActor(hub, 'kai-core'), 'security', { to: 'retired' });
    const priya = await signInAs(app, 'priya');
    const form = await priya.get('/proposals/new');
    expect(form.html).toContain('<option value="hosting"');
    expect(form.html).not.toContain('<option value="security"');
    const { token } = await createToken(hub, await asActor(hub, 'priya'), 'priya', {});
    const res = await app.request('/api/proposals', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        title: 'Tokens for hosted servers',
        problem: 'Hosted servers need tokens scoped to one tenant at a time.',
        layer: 'specification',
        group: 'security',
      }),
    });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({
      errors: [
        {
          field: 'group',
          rule: 'Security (security) is retired and takes no new proposals: choose another group, or none',
        },
      ],
    });
  });
});
