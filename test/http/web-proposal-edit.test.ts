// Editing a proposal in the browser (no JavaScript), on both databases: offered to its author,
// refused in words to others, bad input keeps what was typed, a stale form never overwrites.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/app/core/hub.ts';
import { createProposal, getProposal, updateProposal } from '../../src/app/proposals/proposals.ts';
import { createHttpApp } from '../../src/http/server.ts';
import type { WebConfig } from '../../src/http/web/config.ts';
import { writeJson } from '../../src/store/schema.ts';
import { databases } from '../support/databases.ts';
import { openTestHub, person, type TestHub } from '../support/hub.ts';
import { pageText, WebClient } from '../support/web-client.ts';

const demo: WebConfig = { oidc: null, publicUrl: null, secureCookies: false, sessionHours: 24 };

describe.each(databases)('editing a proposal on $name', (database) => {
  let hub: TestHub;
  let ada: Actor;
  const client = () => new WebClient(createHttpApp(hub, undefined, { web: demo }));
  async function signedIn(handle: string): Promise<WebClient> {
    const w = client();
    await w.get('/sign-in');
    expect((await w.post('/sign-in/demo', { handle })).status).toBe(303);
    return w;
  }

  beforeEach(async () => {
    hub = await openTestHub(database, '2026-03-02T12:00:00Z');
    ada = await person(hub, 'ada', { org: 'Acme' });
    await person(hub, 'jonas', { org: 'Galactic Hosting Corporation' });
    await createProposal(hub, ada, {
      title: 'Session affinity guide',
      problem: 'Operators cannot scale stateful servers horizontally.',
      layer: 'working-group-artifact',
    });
  });
  afterEach(async () => hub?.close());

  it('its author edits it; a too-short title is named and the typed problem kept; a stale form is refused', async () => {
    const w = await signedIn('ada');
    expect((await w.get('/proposals/P-1')).html).toContain('href="/proposals/P-1/edit"');
    const form = await w.get('/proposals/P-1/edit');
    expect(form.html).toContain('value="Session affinity guide"');
    const version = String((await getProposal(hub, 'P-1')).version);

    const bad = await w.post('/proposals/P-1/edit', {
      version,
      title: 'Tiny',
      problem: 'Operators lose sessions on every deploy of a stateful server.',
      layer: 'working-group-artifact',
    });
    expect(bad.status).toBe(422);
    expect(pageText(bad.html)).toContain('Title: must be at least 5 characters');
    expect(bad.html).toContain('Operators lose sessions on every deploy');
    expect((await getProposal(hub, 'P-1')).title).toBe('Session affinity guide');

    const ok = await w.post('/proposals/P-1/edit', {
      version,
      title: 'Session affinity for stateful servers',
      problem: 'Operators lose sessions on every deploy of a stateful server.',
      examples: 'A gateway drops sessions\nA load balancer without stickiness',
      layer: 'working-group-artifact',
    });
    expect(ok.status).toBe(303);
    const now = await getProposal(hub, 'P-1');
    expect(now.title).toBe('Session affinity for stateful servers');
    expect(now.examples).toEqual(['A gateway drops sessions', 'A load balancer without stickiness']);

    await updateProposal(hub, ada, 'P-1', now.version, { title: 'Changed elsewhere first' });
    const stale = await w.post('/proposals/P-1/edit', {
      version: String(now.version),
      title: 'My late change',
      problem: now.problem,
      layer: now.layer,
    });
    expect(stale.status).toBe(409);
    expect(stale.html).toContain('value="Changed elsewhere first"');
    expect((await getProposal(hub, 'P-1')).title).toBe('Changed elsewhere first');
  });

  it('another member is not offered the form and is told who may edit; a post is refused', async () => {
    const w = await signedIn('jonas');
    const page = await w.get('/proposals/P-1');
    expect(page.html).not.toContain('href="/proposals/P-1/edit"');
    expect(pageText(page.html)).toContain(
      "Only the proposal's authors, its sponsor, a group lead or a moderator may edit it",
    );
    const edit = await w.get('/proposals/P-1/edit');
    expect(edit.html).not.toContain('action="/proposals/P-1/edit"');
    const refused = await w.post('/proposals/P-1/edit', { version: '1', title: 'Taken over', problem: 'x'.repeat(30) });
    expect(refused.status).toBe(403);
    expect((await getProposal(hub, 'P-1')).title).toBe('Session affinity guide');
  });

  it('the page says what its stage asks; its author records where it lives elsewhere, a bad link named by its label', async () => {
    const w = await signedIn('ada');
    const page = pageText((await w.get('/proposals/P-1')).html);
    expect(page).toContain('At idea');
    expect(page).toMatch(/at least one real-world example.*no existing work on it/s);
    const form = await w.get('/proposals/P-1/edit');
    expect(pageText(form.html)).toContain('Where it lives elsewhere');
    const base = {
      version: String((await getProposal(hub, 'P-1')).version),
      title: 'Session affinity guide',
      problem: 'Operators cannot scale stateful servers horizontally.',
      layer: 'working-group-artifact',
    };
    const bad = await w.post('/proposals/P-1/edit', { ...base, discussion: 'not a link', tracker: '' });
    expect(bad.status).toBe(422);
    expect(pageText(bad.html)).toContain('Forum discussion (or issue): must be an http or https URL');
    expect(bad.html).toContain('value="not a link"');
    const thread = 'https://github.com/orgs/modelcontextprotocol/discussions/1234';
    const ok = await w.post('/proposals/P-1/edit', { ...base, discussion: thread, tracker: '' });
    expect(ok.status).toBe(303);
    expect((await getProposal(hub, 'P-1')).links).toMatchObject({ discussion: thread });
    const after = await w.get('/proposals/P-1');
    expect(after.html).toContain(`<a href="${thread}">Forum discussion (or issue)</a>`);
  });

  it('a pull request link stored under an older rule (http) is sent back as the form shows it, and a title edit is saved', async () => {
    const old = 'http://github.com/modelcontextprotocol/modelcontextprotocol/pull/1234';
    await hub.store.db
      .updateTable('proposals')
      .set({ links: writeJson({ pullRequest: old, tracker: null, discussion: null, forum: null }) })
      .where('number', '=', 1)
      .execute();
    hub.reads.invalidate(); // written past the use cases, as an older hub stored it
    const w = await signedIn('ada');
    const form = await w.get('/proposals/P-1/edit');
    expect(form.html).toContain(`value="${old}"`);
    const p = await getProposal(hub, 'P-1');
    const base = {
      version: String(p.version),
      problem: p.problem,
      layer: p.layer,
      discussion: '',
      tracker: '',
      forum: '',
      pullRequest: old,
    };
    const ok = await w.post('/proposals/P-1/edit', { ...base, title: 'Session affinity for stateful servers' });
    expect(ok.status).toBe(303);
    expect((await getProposal(hub, 'P-1')).title).toBe('Session affinity for stateful servers');
    // a new link is checked: one naming a user before its host is named by its label
    const disguised = 'https://github.com@evil.example/o/r/pull/1';
    const bad = await w.post('/proposals/P-1/edit', {
      ...base,
      version: String((await getProposal(hub, 'P-1')).version),
      title: 'Session affinity for stateful servers',
      pullRequest: disguised,
    });
    expect(bad.status).toBe(422);
    expect(pageText(bad.html)).toContain('must name no user or password before its host');
    expect((await getProposal(hub, 'P-1')).links.pullRequest).toBe(old);
  });
});
