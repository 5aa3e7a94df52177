// A form that fails is shown again at its action, a POST-only address; reloading or sharing that
// address asked it with GET and found "Not found". Such a GET now goes to the page the form is on
// (the nearest page up the action's path, however deep), on both databases, over the demo community
// and its work (D-1, M-2, P-2).
import { Hono } from 'hono';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHttpApp } from '../../src/http/server.ts';
import { formPageOf, webApp } from '../../src/http/web/app.ts';
import type { WebEnv } from '../../src/http/web/context.ts';
import { databases } from '../support/databases.ts';
import { openDemoHub } from '../support/hub.ts';
import { pageText as text, signInAs, WebClient } from '../support/web-client.ts';
import { demoSignIn, type WebHub } from '../support/web-hub.ts';

describe.each(databases)('reloading a form action on $name', (database) => {
  const web = {} as WebHub;
  beforeEach(async () => {
    web.hub = await openDemoHub(database, { work: true });
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

  it('sends a GET of an action two or more segments down to the page its form is on', async () => {
    const { id: comment } = await web.hub.store.db
      .selectFrom('comments')
      .select('id')
      .orderBy('created_at')
      .executeTakeFirstOrThrow();
    const ref = await web.hub.store.db
      .selectFrom('proposals')
      .innerJoin('comments', 'comments.proposal_id', 'proposals.id')
      .select(['number', 'sep_number'])
      .where('comments.id', '=', comment)
      .executeTakeFirstOrThrow();
    const proposal = ref.sep_number !== null ? `SEP-${ref.sep_number}` : `P-${ref.number}`;
    const sam = await signInAs(web.app, 'sam-lead');
    for (const [action, page] of [
      ['/meetings/M-2/written-input/1/mark', '/meetings/M-2'],
      ['/meetings/M-2/actions/1/done', '/meetings/M-2'],
      ['/proposals/P-2/sponsor/end', '/proposals/P-2'],
      ['/proposals/P-2/evidence/1/verify', '/proposals/P-2'],
      ['/groups/hosting/webhooks/1/remove', '/groups/hosting/webhooks'],
      ['/people/sam-lead/tokens/1/revoke', '/people/sam-lead/edit'],
      ['/me/reply-addresses/revoke', '/me/notifications'],
    ]) {
      const res = await sam.get(action!);
      expect([action, res.status, res.location]).toEqual([action, 303, page]);
      expect([page, (await sam.get(page!)).status]).toEqual([page, 200]);
    }
    // a comment's edit and moderation forms post to /comments/:id/…: back to the comment in its thread
    for (const action of [`/comments/${comment}/edit`, `/comments/${comment}/moderate`]) {
      const res = await sam.get(action);
      expect([action, res.status, res.location]).toEqual([action, 303, `/comments/${comment}`]);
    }
    const at = await sam.get(`/comments/${comment}`);
    expect(at.status).toBe(302);
    expect(at.location).toMatch(new RegExp(`^/proposals/${proposal}(\\?upto=[^#]+)?#c-${comment}$`));
    const thread = await sam.get(at.location!.replace(/#.*/, ''));
    expect(thread.status).toBe(200);
    expect(thread.html).toContain(`id="c-${comment}"`);
    // no such comment: its own 404, which names it
    const gone = await sam.get('/comments/no-such-comment/edit');
    expect([gone.status, gone.location]).toEqual([303, '/comments/no-such-comment']);
    const missing = await sam.get(gone.location!);
    expect(missing.status).toBe(404);
    expect(text(missing.html)).toContain('no-such-comment');
  });

  it("every POST-only action of the web UI sends a GET to its form's page", async () => {
    // the page each action's form is on; a new action fails here until its page is named
    const pages: Record<string, string> = {
      '/comments/:id/edit': '/comments/:id',
      '/comments/:id/moderate': '/comments/:id',
      '/github/sync': '/github',
      '/groups/:slug/charter': '/groups/:slug/charter/edit',
      '/groups/:slug/webhooks/:id/remove': '/groups/:slug/webhooks',
      '/home/seen': '/',
      '/inbox/read': '/inbox',
      '/me/reply-addresses/revoke': '/me/notifications',
      '/people/:handle/tokens': '/people/:handle/edit',
      '/people/:handle/tokens/:id/revoke': '/people/:handle/edit',
      '/people/:handle/mcp-clients/:id/revoke': '/people/:handle/edit',
      '/people/:handle/email-confirmation': '/people/:handle/edit',
      '/people/:handle/role': '/people/:handle/edit',
      '/sign-in/demo': '/sign-in',
      '/sign-in/newcomer': '/sign-in',
      '/sign-out': '/',
      '/subscriptions': '/',
      '/welcome/agreements': '/welcome',
    };
    const routes = webApp(web.hub, demoSignIn).routes.filter((r) => r.method !== 'ALL');
    const postOnly = [
      ...new Set(
        routes.filter((r) => r.method === 'POST' && !routes.some((g) => g.method === 'GET' && g.path === r.path)),
      ),
    ].map((r) => r.path);
    const expected = (action: string) =>
      pages[action] ?? /^\/(decisions|groups|meetings|proposals)\/:(ref|slug)\//.exec(action)?.[0].slice(0, -1);
    expect(postOnly.filter((action) => !expected(action))).toEqual([]);
    const values: Record<string, string> = { ':slug': 'hosting', ':handle': 'sam-lead', ':id': '1', ':item': '1' };
    const refs: Record<string, string> = { decisions: 'D-1', meetings: 'M-2', proposals: 'P-2' };
    const fill = (route: string) =>
      route
        .split('/')
        .map((seg) => (seg === ':ref' ? refs[route.split('/')[1]!] : (values[seg] ?? seg)))
        .join('/');
    const visitor = new WebClient(web.app);
    for (const action of postOnly) {
      const res = await visitor.get(fill(action));
      expect([action, res.status, res.location]).toEqual([action, 303, fill(expected(action)!)]);
    }
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
    // a phone draws it at its own width, not 980 px wide and small
    expect(nothing.html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    // the path is not a form's action
    expect((await visitor.get('/decisions/D-1/nothing')).status).toBe(404);
    expect((await visitor.get('/meetings/M-2/written-input/1/nothing')).status).toBe(404);
    // a page that answers GET itself is not redirected
    expect((await (await signInAs(web.app, 'sam-lead')).get('/meetings/new')).status).toBe(200);
    // the parent is found by its route: a missing object gets that page's own 404, which names it
    const missing = await visitor.get('/proposals/P-999/comments');
    expect([missing.status, missing.location]).toEqual([303, '/proposals/P-999']);
    expect((await visitor.get(missing.location!)).status).toBe(404);
    // paths that read as another site match no form's action of the hub, whose routes all start with
    // a fixed segment: a 404 and no Location (the guard itself is checked below, on other routes)
    for (const path of ['//evil.example/respond', '/\\evil.example/respond', '/%2F%2Fevil.example/respond']) {
      const res = await web.app.request(`http://localhost${path}`, { headers: { Accept: 'text/html' } });
      expect([path, res.status]).toEqual([path, 404]);
      expect(res.headers.get('location')).toBeNull();
    }
    // other edges keep their own answers
    expect((await web.app.request('/api/decisions/D-1/respond')).status).not.toBe(303);
  });
});

describe('the page of a form action is always on this site', () => {
  // Routes that start with a parameter, as none of the hub's do: "/\host/respond" fits them, and its
  // page one segment up, "/\host", is another site to a browser. (A request's URL never carries a
  // backslash, which the URL parser turns into "/", so formPageOf is asked directly.)
  const web = new Hono<WebEnv>();
  web.get('/:site', (c) => c.text('page'));
  web.post('/:site/respond', (c) => c.text('done'));
  web.post('/:site/notes/:id/mark', (c) => c.text('done'));
  const pageOf = (path: string) => formPageOf(web, decodeURI(path), path);
  const onThisSite = (location: string | null) =>
    location !== null && new URL(location, 'https://hub.example/x/y').origin === 'https://hub.example';

  it('goes up to the page when it is on this site', () => {
    expect(pageOf('/hosting/respond')).toBe('/hosting');
    expect(pageOf('/hosting/notes/7/mark')).toBe('/hosting');
    // an encoded "//" stays encoded in the Location: a path here, not a host
    expect(pageOf('/%2F%2Fevil.example/respond')).toBe('/%2F%2Fevil.example');
    expect(onThisSite(pageOf('/%2F%2Fevil.example/notes/7/mark'))).toBe(true);
  });

  it('answers nothing (a 404) rather than a page on another site', () => {
    expect(onThisSite('/\\evil.example')).toBe(false);
    for (const path of ['/\\evil.example/respond', '/\\evil.example/notes/7/mark', '//evil.example/respond']) {
      expect([path, pageOf(path)]).toEqual([path, null]);
    }
  });
});
