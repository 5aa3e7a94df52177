// The proposal's page leads to the draft of its pull request description (the guide's last step):
// what the route still lacks first, then the markdown to copy or download, with links to this hub
// only where the request reached it by an address the hub trusts.
import { describe, expect, it } from 'vitest';
import { databases } from '../support/databases.ts';
import { pageText, signInAs, WebClient } from '../support/web-client.ts';
import { webHubPerTest } from '../support/web-hub.ts';

const fromHtml = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

describe.each(databases)('the pull request description page on $name', (database) => {
  const w = webHubPerTest(database, { work: true });

  it('is linked from the proposal, lists what the route lacks, and gives the markdown to copy or download', async () => {
    const visitor = new WebClient(w.app);
    const proposal = await visitor.get('/proposals/P-2');
    expect(proposal.html).toContain(
      '<a href="/proposals/P-2/pull-request-draft">Draft its pull request description</a>',
    );
    const page = await visitor.get('/proposals/P-2/pull-request-draft');
    expect(page.status).toBe(200);
    const t = pageText(page.html);
    // the way back is a landmark a screen reader lists, as on every page below a list
    expect(page.html).toContain(
      '<nav aria-label="Breadcrumb"><p class="muted"><a href="/proposals">Proposals</a> › <a href="/proposals/P-2">P-2</a> › Pull request description</p></nav>',
    );
    expect(t).toContain('Before you open it');
    // where a working-group artifact's pull request is opened, as the governance file says
    expect(page.html).toContain(
      'repository (for a working-group artifact: <a href="https://github.com/modelcontextprotocol-community/working-groups"',
    );
    expect(t).toContain('No tracker link: the guide asks for it on the CWG Project Tracker.');
    // a visitor is not offered an edit they may not make
    expect(page.html).not.toContain('/proposals/P-2/edit');
    const draft = fromHtml(/<textarea id="draft"[^>]*>([\s\S]*?)<\/textarea>/.exec(page.html)![1]!);
    expect(draft).toMatch(/^# Session affinity guide for load-balanced MCP servers\n/);
    expect(draft).toContain('[P-2](http://localhost/proposals/P-2)');
    expect(draft).toContain('- Galactic Hosting Corporation: Jonas Berg and Sam Rivera');

    const file = await w.app.request('http://localhost/proposals/P-2/pull-request-draft.md');
    expect(file.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    expect(file.headers.get('content-disposition')).toBe('attachment; filename="P-2-pull-request.md"');
    expect(await file.text()).toBe(draft);

    // its author is led to add what is missing
    const priya = await signInAs(w.app, 'priya');
    const own = await priya.get('/proposals/P-2/pull-request-draft');
    expect(own.html).toContain(
      '<a href="/proposals/P-2/edit?back=pull-request-draft#f-links-tracker">Add the missing links</a> to the proposal; saving brings you back here.',
    );
    expect(pageText(own.html)).toContain('Once the pull request is open, put its address on the proposal');
    // the form it opens comes back to the draft once saved, without any script
    const form = await priya.get('/proposals/P-2/edit?back=pull-request-draft');
    expect(form.html).toContain('<input type="hidden" name="back" value="pull-request-draft">');
    expect(form.html).toContain('<a href="/proposals/P-2/pull-request-draft">Cancel</a>');
    const saved = await priya.post('/proposals/P-2/edit', {
      version: /name="version" value="(\d+)"/.exec(form.html)![1]!,
      back: 'pull-request-draft',
      title: 'Session affinity guide for load-balanced MCP servers',
      problem: 'Teams hosting MCP servers behind load balancers lose sessions when requests land on another process.',
      examples: 'A hosted server lost every session during a rolling deploy',
      interests: 'Hosted deployments need sessions that survive scaling.',
      layer: 'working-group-artifact',
      tracker: 'https://github.com/orgs/modelcontextprotocol-community/projects/3',
    });
    expect(saved.status).toBe(303);
    expect(saved.location).toBe('/proposals/P-2/pull-request-draft');
    const after = await priya.get('/proposals/P-2/pull-request-draft');
    expect(pageText(after.html)).not.toContain('No tracker link');
    expect(after.html).toContain(
      '<a href="/proposals/P-2/edit?back=pull-request-draft#f-links-discussion">Add the missing link</a>',
    );
    // only the pages it names: any other "back" is the proposal, never an address from the request
    const elsewhere = await priya.get('/proposals/P-2/edit?back=https://evil.example/');
    expect(elsewhere.html).not.toContain('name="back"');
    expect(elsewhere.html).toContain('<a href="/proposals/P-2">Cancel</a>');
    expect((await visitor.get('/proposals/P-99/pull-request-draft')).status).toBe(404);
  });

  it('leaves links to the hub out, and says why, when the request named a host the hub does not trust', async () => {
    const page = await new WebClient(w.app, 'http://hub.attacker.example').get('/proposals/P-2/pull-request-draft');
    expect(page.status).toBe(200);
    expect(pageText(page.html)).toContain("Links to this hub's pages are left out");
    expect(page.html).not.toContain('attacker.example/');
  });
});
