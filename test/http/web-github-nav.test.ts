// The GitHub bridge's page is in the main navigation only for those the policy lets open it
// (github.viewStatus: a maintainer or above, or a moderator); others never see the link.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHttpApp } from '../../src/http/server.ts';
import type { WebConfig } from '../../src/http/web/config.ts';
import { databases } from '../support/databases.ts';
import { openTestHub, person, type TestHub } from '../support/hub.ts';
import { WebClient } from '../support/web-client.ts';

const demo: WebConfig = { oidc: null, publicUrl: null, secureCookies: false, sessionHours: 24 };
const navLink = /<nav class="main"[\s\S]*?<a href="\/github"( aria-current="page")?>GitHub<\/a>[\s\S]*?<\/nav>/;

describe.each(databases)('the GitHub link in the navigation on $name', (database) => {
  let hub: TestHub;
  const signedIn = async (handle: string) => {
    const w = new WebClient(createHttpApp(hub, undefined, { web: demo }));
    await w.get('/sign-in');
    expect((await w.post('/sign-in/demo', { handle })).status).toBe(303);
    return w;
  };

  beforeEach(async () => {
    hub = await openTestHub(database, '2026-03-02T12:00:00Z');
    await person(hub, 'mara', { role: 'maintainer' });
    await person(hub, 'jonas', { role: 'contributor' });
  });
  afterEach(async () => hub?.close());

  it('shows a maintainer the link (marked current on the page itself), and not a contributor or a visitor', async () => {
    const maintainer = await signedIn('mara');
    const home = await maintainer.get('/groups');
    expect(home.html).toMatch(navLink);
    const page = await maintainer.get('/github');
    expect(page.status).toBe(200);
    expect(navLink.exec(page.html)?.[1]).toBe(' aria-current="page"');

    const contributor = await signedIn('jonas');
    expect((await contributor.get('/groups')).html).not.toContain('href="/github"');
    expect((await contributor.get('/github')).status).toBe(403);
    const visitor = new WebClient(createHttpApp(hub, undefined, { web: demo }));
    expect((await visitor.get('/groups')).html).not.toContain('href="/github"');
  });
});
