// Every error page a browser meets says whose hub it is in its title, as every other page does (the
// governance file's community name): the Not-found page of a mistyped address and the server's own
// failure said "wghub". Not found is also a page of the hub (its header, navigation and sign-in),
// so one who mistyped an address goes on from there. On both databases, over the demo community.
import { describe, expect, it } from 'vitest';
import { webApp } from '../../src/http/web/app.ts';
import { databases } from '../support/databases.ts';
import { signInAs, WebClient } from '../support/web-client.ts';
import { demoSignIn, webHubPerTest } from '../support/web-hub.ts';

const titleOf = (html: string) => /<title>([^<]*)<\/title>/.exec(html)?.[1];

describe.each(databases)('error pages on $name', (database) => {
  const web = webHubPerTest(database);

  it("404, 403, 422 and 500 pages are titled with the community's name, never wghub", async () => {
    const name = web.hub.governance.community.name;
    expect(name).not.toBe('wghub');
    const visitor = new WebClient(web.app);
    // an address no page answers: a page of the hub, with its navigation and a way to sign in
    const nowhere = await visitor.get('/no-such-page');
    expect(nowhere.status).toBe(404);
    expect(titleOf(nowhere.html)).toBe(`Not found · ${name}`);
    expect(nowhere.html).toContain('<nav class="main" aria-label="Main">');
    expect(nowhere.html).toContain('href="/sign-in?next=%2Fno-such-page"');
    // a group that is not there
    const noGroup = await visitor.get('/groups/no-such-group');
    expect(noGroup.status).toBe(404);
    expect(titleOf(noGroup.html)).toBe(`Not found · ${name}`);
    // not allowed: proposing a group takes a role a contributor does not hold
    const jonas = await signInAs(web.app, 'jonas');
    const forbidden = await jonas.get('/groups/new');
    expect(forbidden.status).toBe(403);
    expect(titleOf(forbidden.html)).toBe(`Propose a group · ${name}`);
    const signedInNowhere = await jonas.get('/no-such-page');
    expect(titleOf(signedInNowhere.html)).toBe(`Not found · ${name}`);
    expect(signedInNowhere.html).toContain('Signed in as');
    // a form's refusal and a bad list cursor
    const bad = await visitor.get('/people?cursor=nonsense');
    expect(bad.status).toBe(422);
    expect(titleOf(bad.html)).toBe(`People · ${name}`);
    // signing in is asked for on the sign-in page, under the same name
    const asked = await visitor.get('/me/notifications');
    expect(asked.status).toBe(303);
    const signIn = await visitor.get(asked.location!);
    expect(titleOf(signIn.html)).toBe(`Sign in · ${name}`);
  });

  it("the server's own failure is a page in the community's name, in the reader's language and sized for the device", async () => {
    const pages = webApp(web.hub, demoSignIn);
    pages.get('/fails', () => {
      throw new Error('a failure of the server in a test');
    });
    const failed = await pages.request('/fails', { headers: { Accept: 'text/html' } });
    expect(failed.status).toBe(500);
    const html = await failed.text();
    expect(titleOf(html)).toBe(`Error · ${web.hub.governance.community.name}`);
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<meta name="viewport"');
    expect(html).toContain('<main><h1>The server failed</h1>');
  });
});
