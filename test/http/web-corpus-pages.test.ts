// The real community's content as a newcomer reads it, after `import corpus`: a SEP's whole text
// with its contents, its state told honestly, charters and the group directory without raw markdown.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { importCorpus } from '../../src/app/imports/corpus.ts';
import { getProposal } from '../../src/app/proposals/proposals.ts';
import { createHttpApp } from '../../src/http/server.ts';
import type { WebConfig } from '../../src/http/web/config.ts';
import { CORPUS } from '../support/corpus.ts';
import { databases } from '../support/databases.ts';
import { openTestHub, type TestHub } from '../support/hub.ts';
import { pageText, WebClient } from '../support/web-client.ts';

const demo: WebConfig = { oidc: null, publicUrl: null, secureCookies: false, sessionHours: 24 };

describe.each(databases)('imported SEPs and charters read right on $name', (database) => {
  let hub: TestHub;
  let w: WebClient;
  beforeAll(async () => {
    hub = await openTestHub(database, '2026-12-02T09:00:00Z');
    await importCorpus(hub, SYSTEM, CORPUS);
    w = new WebClient(createHttpApp(hub, undefined, { web: demo }));
  }, 300_000);
  afterAll(async () => hub?.close());

  it('a final SEP shows its whole text with contents, as made, with no gate, sponsor plea or import box', async () => {
    const r = await w.get('/proposals/SEP-1686');
    expect(r.status).toBe(200);
    const text = pageText(r.html);
    for (const h of ['Abstract', 'Motivation', 'Specification', 'Rationale', 'Backward Compatibility'])
      expect(r.html).toMatch(new RegExp(`<li><a href="#sep-[a-z-]+">${h}</a>`));
    expect(r.html).toContain('id="sep-abstract"');
    expect(text).toContain('preserved as a historical record');
    expect(text).not.toContain('awaiting a sponsor');
    expect(text).not.toContain('Notes from import');
    expect(text).not.toContain('Barrier to change:');
    expect(text).toMatch(/records its status as Final ?, created 2025-10-20/);
    // every step of the lifecycle before final stays done
    expect(r.html.match(/class="done"/g)?.length).toBe(4);
    // the SEP file link is offered on SEPs, the relative link to another SEP leads to it
    expect(r.html).toContain('/api/proposals/SEP-1686/sep.md');
    expect(r.html).toContain('<a href="/proposals/SEP-2663">SEP-2663</a>');
  });

  it('a SEP carries the group its authors name and its own Created date', async () => {
    const p = await getProposal(hub, 'SEP-2663');
    expect(p.group).toBe('agents');
    expect(p.createdAt.slice(0, 10)).toBe('2026-04-27');
    expect(pageText((await w.get('/proposals/SEP-2663')).html)).toContain('in Agents');
  });

  it('an active charter from before the sponsorship rule does not read "not met yet"', async () => {
    const text = pageText((await w.get('/groups/agents')).html);
    expect(text).not.toContain('not met yet');
    expect(text).toContain('chartered before this hub recorded sponsorship');
    // its history says who imported it in words, not "system:operator"
    expect(text).toContain('imported by an operator (command line or import)');
  });

  it('a SEP title with code in it shows the code as code, never backticks', async () => {
    const page = (await w.get('/proposals/SEP-2106')).html;
    expect(page).toContain('<h1>SEP-2106: Tools <code>inputSchema</code> &amp; <code>outputSchema</code> Conform');
    expect(page).toMatch(/<title>SEP-2106: Tools inputSchema &amp; outputSchema Conform/);
    const list = (await w.get('/proposals')).html;
    expect(list).toContain('>Tools <code>inputSchema</code> &amp; <code>outputSchema</code> Conform');
    expect(pageText(list)).not.toContain('`');
    // the list dates a SEP by its own Created date, not the day of the import
    expect(list).toMatch(
      /href="\/proposals\/SEP-2663">Tasks Extension<\/a><\/td>.*?<td>created <time datetime="2026-04-27/,
    );
  });

  it('the group directory shows no raw markdown', async () => {
    for (const path of ['/groups', '/welcome']) {
      const text = pageText((await w.get(path)).html);
      expect(text).not.toMatch(/\]\(\/|`|\*\*/);
    }
  });

  it('the proposals list shows SEPs in the order of their numbers', async () => {
    const html = (await w.get('/proposals?route=sep')).html;
    const numbers = [...html.matchAll(/<a href="\/proposals\/SEP-(\d+)">/g)].map((m) => Number(m[1]));
    expect(numbers.length).toBeGreaterThan(30);
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    expect(numbers.indexOf(414)).toBeLessThan(numbers.indexOf(1024));
  });

  it('searching a reference finds that item first, and SEP results show their number', async () => {
    for (const q of ['SEP-1686', 'sep-1686', '#1686']) {
      const r = await w.get(`/search?q=${encodeURIComponent(q)}`);
      const first = /<ol aria-labelledby="results"[^>]*><li><p><a href="([^"]+)"><strong>([^<]+)</.exec(r.html);
      expect(first?.slice(1)).toEqual(['/proposals/SEP-1686', 'SEP-1686: Tasks']);
      expect(r.html.match(/href="\/proposals\/SEP-1686"/g)).toHaveLength(1);
    }
    const tasks = await w.get('/search?q=tasks');
    expect(tasks.html).toMatch(/<strong>SEP-\d+: [^<]*Tasks/);
    // a SEP result carries its own Created date, not the day of the import, as the lists show a day, and its group's name
    expect(pageText(tasks.html)).toContain('SEP-2663: Tasks Extension SEP · Agents · final · created Mon 27 Apr 2026');
    expect((await w.get('/search?q=D-99')).html).not.toContain('the item this reference names');
  });

  it('a misspelt search says what it searched for instead, and finds it', async () => {
    const page = pageText((await w.get('/search?q=stateless+sesion')).html);
    expect(page).toContain('Nothing matched “stateless sesion” as typed. Showing results for “stateless session”');
    expect(page).toContain('SEP-2575: Make MCP Stateless');
  });

  it('a sentence nothing holds whole shows what holds some of its words, and says which', async () => {
    const page = pageText((await w.get('/search?q=keep+my+sessions+alive+when+a+Heroku+dyno+restarts')).html);
    expect(page).toContain(
      'Nothing holds every word of “keep my sessions alive when a Heroku dyno restarts”. Showing what holds some of keep, sessions, alive, heroku, dyno, restarts',
    );
    expect(page).toMatch(/SEP-\d+: /);
  });

  it('a search with more than a page of results links the next page, which goes on where the first stopped', async () => {
    const first = await w.get('/search?q=server');
    expect(pageText(first.html)).toContain('30+ results');
    const more = /href="(\/search\?q=server&(?:amp;)?cursor=[\w-]+)" rel="next">Next page<\/a>/.exec(first.html);
    expect(more).not.toBeNull();
    const second = await w.get(more![1]!.replaceAll('&amp;', '&'));
    expect(pageText(second.html)).toMatch(/Results 31–\d+/);
    const links = (h: string) => [...h.matchAll(/<li><p><a href="([^"]+)"><strong>/g)].map((m) => m[1]);
    expect(links(first.html)).toHaveLength(30);
    expect(links(second.html).filter((l) => links(first.html).includes(l))).toEqual([]);
  });

  it('the log says what happened in words', async () => {
    const text = pageText((await w.get('/log')).html);
    expect(text).toContain('Proposal imported');
    expect(text).not.toContain('proposal.imported');
    // who did it, in words too: the import ran as an operator, not "system:operator"
    expect(text).toContain('an operator (command line or import)');
    expect(text).not.toContain('system:');
  });
});
