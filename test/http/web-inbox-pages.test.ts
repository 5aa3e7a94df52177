import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../src/domain/limits.ts';
import { databases } from '../support/databases.ts';
import { webHubPerTest } from '../support/web-hub.ts';
import { pageText as text, signInAs } from '../support/web-client.ts';

// The web inbox showed the newest 100 notices and no more: a member back from weeks away could not
// read what they were told before those. It pages now as REST and MCP do (a cursor, "Older notices").
// Its `?unread=` was read as "true or anything else": any other value showed every notice unseen;
// now it takes only what the page's own Show choice sends and refuses anything else naming the field.
describe.each(databases)('the web inbox, on $name', (database) => {
  const web = webHubPerTest(database);

  /** `n` notices for `handle`, one a minute apart, titled "Notice 1" (oldest) to "Notice n" (newest). */
  async function notices(handle: string, n: number): Promise<void> {
    const { hub } = web;
    const who = await hub.store.db
      .selectFrom('people')
      .select('id')
      .where('handle', '=', handle)
      .executeTakeFirstOrThrow();
    const base = hub.clock.now().getTime() - n * 60_000;
    const rows = Array.from({ length: n }, (_, i) => {
      const at = new Date(base + i * 60_000).toISOString();
      return {
        id: `inbox-test-${String(i + 1).padStart(4, '0')}`,
        person_id: who.id,
        kind: 'mention',
        subject_type: 'proposal',
        subject_ref: 'P-1',
        title: `Notice ${i + 1}`,
        detail: '',
        reason: 'mention',
        immediate: 1,
        events: 1,
        last_event_seq: 0,
        created_at: at,
        updated_at: at,
        // every third one read already
        read_at: i % 3 === 0 ? at : null,
        mail_state: null,
        mailed_at: null,
        message_id: null,
      };
    });
    await hub.store.db.insertInto('notifications').values(rows).execute();
  }

  it('pages past the newest notices with "Older notices" until every one was shown, once each', async () => {
    const total = LIMITS.webListPage * 2 + 5;
    await notices('jonas', total);
    const jonas = await signInAs(web.app, 'jonas');
    const seen: string[] = [];
    let path: string | null = '/inbox';
    let pages = 0;
    while (path && pages < 10) {
      const got = await jonas.get(path);
      expect(got.status).toBe(200);
      // past the first page, the way back to the newest
      if (pages > 0) expect(got.html).toContain('<a href="/inbox" rel="first">Newest notices</a>');
      else expect(got.html).not.toContain('Newest notices');
      seen.push(...[...got.html.matchAll(/>(Notice \d+)</g)].map((m) => m[1]!));
      path = /<a href="([^"]+)" rel="next">Older notices<\/a>/.exec(got.html)?.[1]?.replaceAll('&amp;', '&') ?? null;
      pages++;
      if (path) expect(path).toMatch(/^\/inbox\?cursor=/);
    }
    expect(pages).toBe(3);
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    expect(seen[0]).toBe(`Notice ${total}`);
    expect(seen.at(-1)).toBe('Notice 1');
  });

  it('unread only pages too, keeping the filter on the next page', async () => {
    const total = LIMITS.webListPage * 2 + 5;
    await notices('jonas', total);
    const jonas = await signInAs(web.app, 'jonas');
    const first = await jonas.get('/inbox?unread=true');
    expect(first.html).toContain('<option value="true" selected>Unread only</option>');
    const next = /<a href="([^"]+)" rel="next">Older notices<\/a>/.exec(first.html)?.[1]?.replaceAll('&amp;', '&');
    expect(next).toMatch(/^\/inbox\?unread=true&cursor=/);
    const second = await jonas.get(next!);
    const titles = [...first.html.matchAll(/>(Notice \d+)</g), ...second.html.matchAll(/>(Notice \d+)</g)].map((m) =>
      Number(m[1]!.slice('Notice '.length)),
    );
    // unread: every one but each third from the oldest (Notice 1, 4, 7…)
    expect(titles.length).toBe(total - Math.ceil(total / 3));
    expect(titles.every((n) => (n - 1) % 3 !== 0)).toBe(true);
    // the page's own "Every notice" choice sends unread= empty: every notice
    const every = await jonas.get('/inbox?unread=');
    expect(every.status).toBe(200);
    expect(every.html).toContain(`>Notice ${total}<`);
  });

  it('refuses an unread value the page does not send, naming the field, and a cursor it did not give', async () => {
    await notices('jonas', 3);
    const jonas = await signInAs(web.app, 'jonas');
    for (const bad of ['yes', '1', 'TRUE']) {
      const got = await jonas.get(`/inbox?unread=${bad}`);
      expect(got.status).toBe(422);
      const words = text(got.html);
      expect(words).toContain('There is a problem');
      expect(got.html).toContain('href="#f-unread"');
      expect(got.html).toContain('id="f-unread"');
      expect(words).not.toContain('Notice 3');
    }
    const cut = await jonas.get('/inbox?cursor=not-a-cursor');
    expect(cut.status).toBe(422);
    expect(text(cut.html)).toContain('This address is not one the list gave');
  });
});
