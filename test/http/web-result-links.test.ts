import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_GOVERNANCE_PATH, parseGovernance } from '../../src/app/core/governance-file.ts';
import { databases } from '../support/databases.ts';
import { webHubPerTest } from '../support/web-hub.ts';
import { signInAs, WebClient } from '../support/web-client.ts';

// Search results and prior-work matches link to where each item lives: the demo's notes of M-1
// were linked as /proposals/M-1 (a 404), and a charter or meeting notes found as prior work were
// not links at all.
describe.each(databases)('where results link on $name', (database) => {
  const web = webHubPerTest(database);

  const links = (html: string, within: string) => {
    const part = html.slice(html.indexOf(within));
    return [...part.matchAll(/<a href="([^"#]+)[^"]*"/g)].map((m) => m[1]!).filter((h) => h.startsWith('/'));
  };

  it('every search result links to a page that answers, meeting notes to their meeting', async () => {
    const visitor = new WebClient(web.app);
    const found = (await visitor.get('/search?q=session+affinity')).html;
    expect(found).toContain('href="/meetings/M-1#notes"');
    const hrefs = links(found, 'id="results"');
    expect(hrefs.length).toBeGreaterThan(2);
    for (const href of new Set(hrefs)) {
      const res = await visitor.get(href);
      // the way on from the results, the proposal form, asks a visitor to sign in first and comes back
      // with the words searched
      if (href.startsWith('/proposals/new'))
        expect(res.location).toBe('/sign-in?next=%2Fproposals%2Fnew%3Ftitle%3Dsession%2Baffinity');
      else expect([href, res.status]).toEqual([href, 200]);
    }
  });

  it('after the last results, the search says what to do next: read each, then propose if none covers the idea', async () => {
    // a newcomer checking prior work found results and no way on: the form was offered only when nothing matched
    const visitor = new WebClient(web.app);
    const found = (await visitor.get('/search?q=session+affinity')).html;
    const next = found.slice(found.indexOf('id="none-covers"'));
    expect(found).toContain('id="none-covers"');
    expect(next).toMatch(
      /^id="none-covers">Read each before you propose: build on one that covers your idea, or say on it how yours differs\. If none of them covers it, <a href="\/proposals\/new\?title=session\+affinity">propose it<\/a>/,
    );
    expect(found.indexOf('id="none-covers"')).toBeGreaterThan(found.indexOf('id="results"'));
  });

  it('"propose it" is offered only to one who may propose, and only after results an idea could duplicate', async () => {
    // it was offered to everyone, led one refused outright to a refusal, and closed a search for
    // comments as if none of them covering the idea called for a proposal
    const amara = await signInAs(web.app, 'amara');
    const offered = (await amara.get('/search?q=session+affinity')).html;
    expect(offered).toContain('id="none-covers"');
    expect(offered).toContain('<a href="/proposals/new?title=session+affinity">propose it</a>');
    const comments = (await amara.get('/search?q=session+affinity&kind=comment')).html;
    expect(comments).not.toContain('id="none-covers"');
    expect(comments).not.toContain('href="/proposals/new"');
    const noneInComments = (await amara.get('/search?q=zebra+quokka+xylophone&kind=comment')).html;
    expect(noneInComments).toContain('Nothing here matches');
    expect(noneInComments).not.toContain('href="/proposals/new"');
    // a community where only maintainers propose: a contributor is not sent to the form
    web.hub.governance = parseGovernance(
      readFileSync(DEFAULT_GOVERNANCE_PATH, 'utf8').replace(
        'proposal.create: { atLeast: contributor,',
        'proposal.create: { atLeast: maintainer,',
      ),
      'maintainers-propose.yaml',
    );
    const refused = (await amara.get('/search?q=session+affinity')).html;
    expect(refused).toContain('id="results"');
    expect(refused).not.toContain('id="none-covers"');
    expect(refused).not.toContain('href="/proposals/new"');
    const none = (await amara.get('/search?q=zebra+quokka+xylophone')).html;
    expect(none).toContain('Nothing here matches');
    expect(none).not.toContain('href="/proposals/new"');
    expect((await (await signInAs(web.app, 'kai-core')).get('/search?q=session+affinity')).html).toContain(
      '<a href="/proposals/new?title=session+affinity">propose it</a>',
    );
  });

  it('"propose it" carries the words searched into the new proposal\'s title, bounded and checked as the field is', async () => {
    // a newcomer who searched, found nothing covering the idea and followed "propose it" typed it all again
    const amara = await signInAs(web.app, 'amara');
    const found = (await amara.get('/search?q=sticky+sessions+across+regions')).html;
    const href = /<a href="([^"]+)">propose it<\/a>/.exec(found)![1]!.replace(/&amp;/g, '&');
    expect(href).toBe('/proposals/new?title=sticky+sessions+across+regions');
    const titleValue = (html: string) => /<input[^>]*name="title"[^>]*value="([^"]*)"/.exec(html)?.[1] ?? '';
    const form = (await amara.get(href)).html;
    expect(titleValue(form)).toBe('sticky sessions across regions');
    // and the prior-work panel looks at once, as it does once a title is typed
    expect(form).not.toContain('Type a title to see existing proposals');
    // a search narrowed to a group starts the form in it
    const inGroup = (await amara.get('/search?q=zebra+quokka+xylophone&group=hosting')).html;
    expect(inGroup).toContain('href="/proposals/new?title=zebra+quokka+xylophone&amp;group=hosting">propose it</a>');
    // markup stays text
    expect(titleValue((await amara.get('/proposals/new?title=%3Cscript%3Ealert(1)%3C%2Fscript%3E')).html)).toBe(
      '&lt;script&gt;alert(1)&lt;/script&gt;',
    );
    // cut to the title's length, never past it
    const long = titleValue((await amara.get(`/proposals/new?title=${'word '.repeat(100)}`)).html);
    expect(long.length).toBeLessThanOrEqual(200);
    expect(long.startsWith('word word')).toBe(true);
    // what the field would refuse (too short, control characters) is not carried
    expect(titleValue((await amara.get('/proposals/new?title=ab')).html)).toBe('');
    expect(titleValue((await amara.get('/proposals/new?title=Sticky%07sessions')).html)).toBe('');
  });

  it('prior work on a new proposal and on its page links charters and meeting notes too', async () => {
    const amara = await signInAs(web.app, 'amara');
    await amara.get('/proposals/new');
    const check = await amara.get(
      '/proposals/new/prior-work?title=Servers+lose+sessions+during+rolling+deploys&problem=Hosted+servers+behind+load+balancers+lose+session+affinity',
    );
    expect(check.html).toContain('href="/groups/hosting"');
    const filed = await amara.post('/proposals/new', {
      title: 'Servers lose sessions during rolling deploys',
      problem: 'Hosted MCP servers behind load balancers drop every session in a rolling deploy; session affinity.',
      examples: 'Our gateway lost 400 sessions in one deploy',
      interests: 'We need sessions to survive a deploy.',
      layer: 'working-group-artifact',
      route: 'contribution',
      group: 'hosting',
    });
    expect(filed.status).toBe(303);
    const page = (await amara.get(filed.location!)).html;
    const prior = page.slice(page.indexOf('Prior work found'));
    // each match by its title and what kind of item it is, not by the check's internal reference or score
    expect(prior).toMatch(
      /<a href="\/groups\/hosting"><strong>[^<]*Hosting[^<]*<\/strong><\/a> <span class="muted">\(a group charter\)/,
    );
    expect(prior).toMatch(
      /<a href="\/meetings\/M-1#notes"><strong>M-1: [^<]+<\/strong><\/a> <span class="muted">\(meeting notes\)/,
    );
    expect(prior).not.toContain('charter:hosting');
    expect(prior.slice(0, prior.indexOf('</ul>'))).not.toMatch(/score \d/);
  });
});
