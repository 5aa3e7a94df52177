// A form refused for its token (the session ended in another tab, or with time) shows back what was
// typed in it, so a facilitator's notes or comment are not lost; only to a form the hub's own page
// sent, never text another site posted. On both databases.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getMeeting } from '../../src/app/meetings/meetings.ts';
import { createHttpApp } from '../../src/http/server.ts';
import type { WebConfig } from '../../src/http/web/config.ts';
import { databases } from '../support/databases.ts';
import { openDemoHub, type TestHub } from '../support/hub.ts';
import { pageText, signInAs } from '../support/web-client.ts';

const demo: WebConfig = { oidc: null, publicUrl: null, secureCookies: true, sessionHours: 24 };

describe.each(databases)('a form whose session ended on $name', (database) => {
  let hub: TestHub;
  let app: ReturnType<typeof createHttpApp>;
  beforeEach(async () => {
    hub = await openDemoHub(database);
    app = createHttpApp(hub, undefined, { web: demo });
  });
  afterEach(async () => hub?.close());

  const notes = 'Agreed the outline.\nPriya drafts it <b>by Friday</b>.';

  it('shows back what was typed, escaped, with the way to sign in; nothing is saved', async () => {
    const sam = await signInAs(app, 'sam-lead');
    const page = (await sam.get('/meetings/M-1')).html;
    const stale = /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
    const version = /name="version" value="(\d+)"/.exec(page.slice(page.indexOf('name="notes"') - 2000))?.[1] ?? '1';
    const before = (await getMeeting(hub, 'M-1')).notes.markdown;
    // signed out in another tab: the form, loaded before, carries the old session's token
    expect((await sam.post('/sign-out', {})).status).toBe(303);
    await sam.get('/');
    const refused = await sam.post('/meetings/M-1/notes', { version, notes }, { csrf: stale });
    expect(refused.status).toBe(403);
    const text = pageText(refused.html);
    expect(text).toContain('What you typed');
    expect(text).toContain('Nothing was saved, and you are signed out');
    expect(refused.html).toContain(
      '<textarea id="kept-0" readonly rows="3">Agreed the outline.\nPriya drafts it &lt;b&gt;by Friday&lt;/b&gt;.</textarea>',
    );
    expect(refused.html).toContain('<label for="kept-0">notes</label>');
    expect(refused.html).toContain('href="/sign-in"');
    // the token and version are the hub's, not typed: not shown
    expect(refused.html).not.toContain(stale);
    expect((await getMeeting(hub, 'M-1')).notes.markdown).toBe(before);
  });

  it('never shows back what a form from elsewhere sent', async () => {
    const sam = await signInAs(app, 'sam-lead');
    await sam.get('/meetings/M-1');
    const foreign = await sam.post(
      '/meetings/M-1/notes',
      { notes },
      { csrf: 'forged', origin: 'https://evil.example' },
    );
    expect(foreign.status).toBe(403);
    expect(foreign.html).not.toContain('Agreed the outline');
    // no referrer-free browser's word that it came from here (Origin "null", no Sec-Fetch-Site): not shown
    const unknown = await sam.post('/meetings/M-1/notes', { notes }, { csrf: 'forged', origin: 'null' });
    expect(unknown.status).toBe(403);
    expect(unknown.html).not.toContain('Agreed the outline');
    expect(pageText(unknown.html)).not.toContain('What you typed');
  });
});
