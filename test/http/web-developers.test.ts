import { describe, expect, it } from 'vitest';
import { databases } from '../support/databases.ts';
import { createHttpApp } from '../../src/http/server.ts';
import { demoSignIn, webHubPerTest } from '../support/web-hub.ts';
import { pageText as text, signInAs, WebClient } from '../support/web-client.ts';

// A person who follows the footer's "REST API" link (or types /api) reads how to use the hub from
// scripts and assistants, with every REST endpoint the server has, rather than a raw JSON index.
describe.each(databases)('the page for scripts and assistants, on $name', (database) => {
  const web = webHubPerTest(database);

  it('lists every REST endpoint the hub serves, with what each needs', async () => {
    const index = (await (await web.app.request('/api')).json()) as { endpoints: string[] };
    const page = await new WebClient(web.app).get('/developers');
    expect(page.status).toBe(200);
    const words = text(page.html);
    for (const endpoint of index.endpoints) expect(words).toContain(endpoint);
    expect(words).toMatch(/POST \/api\/proposals .*? a token/);
    expect(words).toMatch(/PATCH \/api\/groups\/\{slug\} .*? a token, If-Match/);
    expect(page.html).toContain('and <code>can</code> (what the caller may do');
    expect(words).toContain('"url": "http://localhost/mcp"');
    expect(words).toMatch(/Sign in ?, then create a token on your profile/);
  });

  it('gives the address people reach the hub at, behind a proxy', async () => {
    const app = createHttpApp(web.hub, undefined, { web: { ...demoSignIn, publicUrl: 'https://hub.example.org' } });
    const words = text((await new WebClient(app).get('/developers')).html);
    expect(words).toContain('"url": "https://hub.example.org/mcp"');
    expect(words).toContain('curl https://hub.example.org/api/groups');
  });

  it('sends a signed-in person to their own tokens', async () => {
    const sam = await signInAs(web.app, 'sam-lead');
    const page = await sam.get('/developers');
    expect(page.html).toContain('href="/people/sam-lead#tokens"');
  });

  it('answers a browser at /api with the page, and a script with the JSON index', async () => {
    const browser = await web.app.request('/api', { headers: { Accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
    expect(browser.status).toBe(303);
    expect(browser.headers.get('location')).toBe('/developers');
    const script = await web.app.request('/api', { headers: { Accept: '*/*' } });
    expect(script.headers.get('content-type')).toMatch(/application\/json/);
    const footer = (await new WebClient(web.app).get('/groups')).html;
    expect(footer).toContain('<a href="/developers">');
  });
});
