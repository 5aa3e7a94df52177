// A form that fails is shown again at its action, a POST-only address; reloading or sharing that
// address asked it with GET and found "Not found". Such a GET now goes to the page the form is on
// (one segment up), on both databases, over the demo community and its work (D-1, M-2, P-2).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadDemoCommunity } from '../../src/app/demo/demo.ts';
import { createHttpApp } from '../../src/http/server.ts';
import { databases } from '../support/databases.ts';
import { openTestHub } from '../support/hub.ts';
import { pageText as text, signInAs, WebClient } from '../support/web-client.ts';
import { demoSignIn, type WebHub } from '../support/web-hub.ts';

describe.each(databases)('reloading a form action on $name', (database) => {
  const web = {} as WebHub;
  beforeEach(async () => {
    web.hub = await openTestHub(database);
    await loadDemoCommunity(web.hub, { work: true });
    web.app = createHttpApp(web.hub, undefined, { web: demoSignIn });
  });
  afterEach(async () => web.hub?.close());

  it('sends a GET of a form action to its page with a 303', async () => {
    const visitor = new WebClient(web.app);
    for (const [action, page] of [
      ['/decisions/D-1/respond', '/decisions/D-1'],
      ['/meetings/M-2/written-input', '/meetings/M-2'],
      ['/proposals/P-2/comments', '/proposals/P-2'],
      ['/meetings/M-2/recurrence', '/meetings/M-2'],
      ['/groups/hosting/join', '/groups/hosting'],
    ]) {
      const res = await visitor.get(action!);
      expect([action, res.status, res.location]).toEqual([action, 303, page]);
      expect([page, (await visitor.get(page!)).status]).toEqual([page, 200]);
    }
    const head = await web.app.request('/decisions/D-1/respond', { method: 'HEAD', headers: { Accept: 'text/html' } });
    expect(head.status).toBe(303);
    expect(head.headers.get('location')).toBe('/decisions/D-1');
  });

  it('after a refused form, reloading the address shows the page it was on', async () => {
    const priya = await signInAs(web.app, 'priya');
    await priya.get('/proposals/P-2');
    const refused = await priya.post('/proposals/P-2/comments', { body: '' });
    expect(refused.status).toBe(422);
    const reload = await priya.get('/proposals/P-2/comments');
    expect(reload.status).toBe(303);
    expect(reload.location).toBe('/proposals/P-2');
    expect((await priya.get(reload.location!)).status).toBe(200);
  });

  it('keeps a 404 for unknown paths, and never sends anyone to another site', async () => {
    const visitor = new WebClient(web.app);
    const nothing = await visitor.get('/nothing/here');
    expect(nothing.status).toBe(404);
    expect(text(nothing.html)).toContain('Not found');
    // one segment up has no page, or the path is not a form's action
    expect((await visitor.get('/meetings/M-2/written-input/1/mark')).status).toBe(404);
    expect((await visitor.get('/decisions/D-1/nothing')).status).toBe(404);
    // a page that answers GET itself is not redirected
    expect((await (await signInAs(web.app, 'sam-lead')).get('/meetings/new')).status).toBe(200);
    // the parent is found by its route: a missing object gets that page's own 404, which names it
    const missing = await visitor.get('/proposals/P-999/comments');
    expect([missing.status, missing.location]).toEqual([303, '/proposals/P-999']);
    expect((await visitor.get(missing.location!)).status).toBe(404);
    // paths that read as another site: no form's action matches them today, so this holds the answer
    // (a 404, no Location) rather than the guard in formPageOf, which stays for routes yet to come
    for (const path of ['//evil.example/respond', '/\\evil.example/respond', '/%2F%2Fevil.example/respond']) {
      const res = await web.app.request(`http://localhost${path}`, { headers: { Accept: 'text/html' } });
      expect([path, res.status]).toEqual([path, 404]);
      expect(res.headers.get('location')).toBeNull();
    }
    // other edges keep their own answers
    expect((await web.app.request('/api/decisions/D-1/respond')).status).not.toBe(303);
  });
});
