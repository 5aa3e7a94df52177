import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { importArtifact } from '../../src/app/imports/artifacts.ts';
import { importSepText } from '../../src/app/imports/seps.ts';
import { createProposal, getProposal, moveProposal } from '../../src/app/proposals/proposals.ts';
import { createHttpApp } from '../../src/http/server.ts';
import type { WebConfig } from '../../src/http/web/config.ts';
import { LIMITS } from '../../src/domain/limits.ts';
import { workOfAsync } from '../../src/domain/work.ts';
import { databases } from '../support/databases.ts';
import { asActor, openDemoHub, type TestHub } from '../support/hub.ts';
import { pageText, signInAs, WebClient } from '../support/web-client.ts';

const demo: WebConfig = { oidc: null, publicUrl: null, secureCookies: true, sessionHours: 24 };

/** The visible text of a page, for assertions a reader would make. */
const text = pageText;

describe.each(databases)('proposal pages on $name', (database) => {
  let hub: TestHub;
  let app: ReturnType<typeof createHttpApp>;
  let web: WebClient;

  const signIn = (handle: string) => signInAs(app, handle);

  beforeEach(async () => {
    hub = await openDemoHub(database);
    await createProposal(hub, await asActor(hub, 'sam-lead'), {
      title: 'Session affinity behind load balancers',
      problem: 'Hosted MCP servers behind load balancers lose the session when a request lands on another process.',
      examples: ['Two pods behind an ingress drop the Mcp-Session-Id'],
      layer: 'working-group-artifact',
      group: 'hosting',
    });
    app = createHttpApp(hub, undefined, { web: demo });
    web = await signIn('priya');
  });
  afterEach(async () => hub?.close());

  it('lists proposals with filters, readable without signing in', async () => {
    const visitor = new WebClient(app);
    const all = await visitor.get('/proposals');
    expect(all.status).toBe(200);
    expect(text(all.html)).toContain('P-1');
    expect(text(all.html)).toContain('Session affinity behind load balancers');
    // its group by the name people call it, as the group's page does
    expect(all.html).toContain('<td><a href="/groups/hosting">Hosting</a></td>');
    const none = await visitor.get('/proposals?layer=specification');
    expect(text(none.html)).toContain('No proposal matches these filters.');
    const bad = await visitor.get('/proposals?group=NOT%20A%20SLUG');
    expect(text(bad.html)).toMatch(
      /There is a problem.*Group: must be letters, digits and single hyphens \(capitals read as lowercase\)/,
    );
  });

  it('shows the route as a stepper, the gate with reasons, and the moves with who may make them', async () => {
    const page = await new WebClient(app).get('/proposals/P-1');
    expect(page.status).toBe(200);
    // the group by its name, as its own page calls it
    expect(page.html).toContain('in <a href="/groups/hosting">Hosting</a>');
    expect(page.html).toMatch(/<li class="current" aria-current="step">.*idea/);
    const t = text(page.html);
    expect(t).toContain("The guide's contribution route");
    expect(t).toContain('Compare with the SEP lifecycle');
    expect(t).toContain('states the specific problem it solves pass a problem statement is given');
    expect(t).toContain(
      'prior work checked , by the author, a lead of the group or a facilitator of its topic area, or the moderator',
    );
    // a visitor reads everything but gets no forms
    expect(page.html).not.toContain('action="/proposals/P-1/stage"');
  });

  it('a maintainer is offered sponsorship wherever the use case allows it, and takes it', async () => {
    // P-1 is on the guide's contribution route: sponsoring is not only for SEPs
    expect(text((await web.get('/proposals/P-1')).html)).not.toContain('Sponsor this proposal');
    const kai = await signIn('kai-core');
    expect(text((await kai.get('/proposals/P-1')).html)).toContain('Sponsor this proposal');
    expect((await kai.post('/proposals/P-1/sponsor', {})).status).toBe(303);
    expect(text((await kai.get('/proposals/P-1')).html)).not.toContain('Sponsor this proposal');
  });

  it('a move by someone the route does not allow is refused with who may make it; the author moves it', async () => {
    // the page offers no move to someone the route does not name, and says who may, on the move's line
    const page = text((await web.get('/proposals/P-1')).html);
    expect(page).not.toMatch(/Move to prior work checked/);
    expect(page).toContain(
      'prior work checked , by the author, a lead of the group or a facilitator of its topic area, or the moderator',
    );
    expect(page).toContain('None of these moves is yours: each line above names who makes it.');
    const refused = await web.post('/proposals/P-1/stage', { to: 'prior-work-checked' });
    expect(refused.status).toBe(403);
    expect(text(refused.html)).toContain(
      'Only the author, a lead of the group or a facilitator of its topic area, or the moderator may move it from idea to prior work checked',
    );
    const sam = await signIn('sam-lead');
    await sam.get('/proposals/P-1');
    // the button pressed with no stage ticked: the radios ask to choose one, in words about the buttons
    const none = await sam.post('/proposals/P-1/stage', {});
    expect(none.status).toBe(422);
    expect(text(none.html)).toContain('Move to: choose one of the options');
    expect(text(none.html)).toContain('choose one of the options below');
    expect(text(none.html)).not.toContain('must name the stage');
    expect((await sam.post('/proposals/P-1/stage', { to: 'prior-work-checked' })).status).toBe(303);
    const after = await sam.get('/proposals/P-1');
    expect(after.html).toContain('The proposal moved to prior work checked.');
    expect(after.html).toMatch(/<li class="done">.*idea/);
    expect(after.html).toMatch(/aria-current="step">.*prior work checked/);
  });

  it("a lead sees why a listed move is not theirs now, in the route's words, next to that move", async () => {
    await createProposal(hub, await asActor(hub, 'sam-lead'), {
      title: 'Sticky routing hints',
      problem: 'Load balancers cannot tell which process holds a session.',
      layer: 'working-group-artifact',
      group: 'hosting',
    });
    const sam = await signIn('sam-lead');
    const page = await sam.get('/proposals/P-2');
    const t = text(page.html);
    // the form offers what the lead may do now, and the refused next stage says what would allow it
    expect(page.html).toContain('action="/proposals/P-2/stage"');
    expect(t).not.toMatch(/Move to[\s\S]*prior work checked \(by/);
    expect(t).toMatch(
      /prior work checked , by [^.]*moderator Not now: A proposal leaves idea only with at least one real-world example of the problem\. Add an example ?\./,
    );
    expect(page.html).toContain('href="/proposals/P-2/edit#f-examples"');
    // never a permission id or an API path
    expect(t).not.toMatch(/Not now: [^.]*(proposal\.\w+|\/api\/)/);
    // someone with no part in it reads, per move, who may make it, once: not again as "Not now: Only
    // the author may…" under each line, nor a call to move it; why not is one line under Move
    const priyaPage = (await web.get('/proposals/P-2')).html;
    const priya = text(priyaPage);
    expect(priya).toMatch(
      /withdrawn , by the author\s+Move\s+None of these moves is yours: each line above names who makes it\./,
    );
    expect(priya).not.toContain('Only the author may move it');
    expect(priyaPage).toContain('<h2 id="moves">Where it goes next</h2>');
    // the lead, who may make a move, is asked to
    expect(page.html).toContain('<h2 id="moves">Move along the route</h2>');
    // a visitor is told once to sign in, not on every line
    const visitor = text((await new WebClient(app).get('/proposals/P-2')).html);
    expect(visitor).not.toContain('Not now:');
    expect(visitor).toContain('Sign in to move it along the route.');
    // each refusal says what signing in would allow, once, never "Sign in first. Sign in."
    expect(visitor).toContain('Sign in to edit this proposal.');
    expect(visitor).toContain('Sign in to add your support.');
    expect(visitor).not.toMatch(/Sign in first\. Sign in/);
  });

  it("the move into the pull request stage asks for the pull request's link, and the page shows it by repository and number", async () => {
    const sam = await asActor(hub, 'sam-lead');
    const { ref } = await createProposal(hub, sam, {
      title: 'A guide to graceful shutdown',
      problem: 'Hosted MCP servers drop in-flight tool calls when a pod is stopped during a deploy.',
      examples: ['A rolling deploy cut a 10-minute export'],
      layer: 'working-group-artifact',
      group: 'hosting',
    });
    for (const to of ['prior-work-checked', 'community-discussion', 'tracked', 'forum-discussion', 'refining'])
      await moveProposal(hub, sam, ref, { to });
    const lead = await signIn('sam-lead');
    const page = (await lead.get(`/proposals/${ref}`)).html;
    expect(text(page)).toContain('Pull request link, https (needed to move to pull request;');
    expect(page).toContain('name="pullRequest"');
    // a link typed, then a move chosen that takes none: the move is made, the link not kept
    const typedThenWithdrawn = await createProposal(hub, sam, {
      title: 'A guide to graceful restarts',
      problem: 'Hosted MCP servers drop in-flight tool calls when a pod restarts during a deploy.',
      examples: ['A restart cut a 10-minute export'],
      layer: 'working-group-artifact',
      group: 'hosting',
    });
    for (const to of ['prior-work-checked', 'community-discussion', 'tracked', 'forum-discussion', 'refining'])
      await moveProposal(hub, sam, typedThenWithdrawn.ref, { to });
    const withdrawn = await lead.post(`/proposals/${typedThenWithdrawn.ref}/stage`, {
      to: 'withdrawn',
      pullRequest: 'https://github.com/modelcontextprotocol-community/working-groups/pull/78',
    });
    expect(withdrawn.status).toBe(303);
    const gone = await getProposal(hub, typedThenWithdrawn.ref);
    expect([gone.stage, gone.links.pullRequest ?? null]).toEqual(['withdrawn', null]);
    const refused = await lead.post(`/proposals/${ref}/stage`, { to: 'pull-request', pullRequest: '' });
    expect(refused.status).toBe(422);
    expect(text(refused.html)).toContain("moving to pull-request needs the pull request's link");
    expect(refused.html).toMatch(/id="f-stage-pullRequest"[^>]*aria-invalid="true"/);
    const moved = await lead.post(`/proposals/${ref}/stage`, {
      to: 'pull-request',
      pullRequest: 'https://github.com/modelcontextprotocol-community/working-groups/pull/77',
    });
    expect(moved.status).toBe(303);
    const after = (await new WebClient(app).get(`/proposals/${ref}`)).html;
    expect(text(after)).toContain(
      'Pull request: modelcontextprotocol-community/working-groups#77 (not mirrored by this hub)',
    );
    expect(after).toContain('href="https://github.com/modelcontextprotocol-community/working-groups/pull/77"');
  });

  it('a move the barrier to change refuses names the layer and the stage in words, as the page does', async () => {
    const priya = await asActor(hub, 'priya');
    await createProposal(hub, priya, {
      title: 'Replay window guidance for resumable streams',
      problem: 'Clients cannot know how long a server keeps events to replay after a dropped stream.',
      examples: ['A mobile client lost three tool results in a tunnel'],
      layer: 'supporting-resource',
      group: 'hosting',
    });
    for (const to of ['prior-work-checked', 'community-discussion', 'tracked', 'forum-discussion', 'refining'])
      await moveProposal(hub, await asActor(hub, 'sam-lead'), 'P-2', { to });
    await web.get('/proposals/P-2');
    const refused = await web.post('/proposals/P-2/stage', { to: 'pull-request' });
    expect(refused.status).toBe(422);
    const t = text(refused.html);
    expect(t).toContain(
      'it does not clear the Supporting resource barrier to change yet, so the proposal cannot move to pull request: at least 2 validations by implementers',
    );
    expect(t).not.toMatch(/supporting-resource gate|move to pull-request/);
  });

  it('a specification proposal fails its gate with a reason for each condition', async () => {
    await createProposal(hub, await asActor(hub, 'priya'), {
      title: 'Stateless sessions in the transport',
      problem: 'Servers cannot scale horizontally while sessions are pinned to one process.',
      layer: 'specification',
      route: 'sep',
    });
    const t = text((await web.get('/proposals/P-2')).html);
    expect(t).toContain('it does not clear the barrier yet');
    expect(t).toContain('supporters from at least 3 organisations fail 0 supporters from 0 organisations; 3 needed');
    expect(t).toContain('no confirmed builds-on or promoted-from link to a working-group artifact');
    expect(t).toContain('awaiting a sponsor');
    expect(t).toContain('The SEP lifecycle');
  });

  it("a new proposal's gate says when the barrier to change is checked, in the layers' names, not their ids", async () => {
    // a newcomer who just filed a specification change reads red "fail"s: the page says they are
    // what it still needs before the checked move, not a refusal of what they did
    await createProposal(hub, await asActor(hub, 'priya'), {
      title: 'Resumable sessions across server restarts',
      problem: 'Hosted servers lose every client session when a process restarts during a deploy.',
      examples: ['A rolling deploy dropped 300 sessions'],
      layer: 'specification',
      group: 'hosting',
    });
    const t = text((await web.get('/proposals/P-2')).html);
    expect(t).toContain(
      'The barrier to change is checked when it moves to pull request ; until then this shows what it still needs.',
    );
    expect(t).toContain('The evidence so far supports the Working-group artifact layer.');
    expect(t).toContain('Conditions of the Specification barrier to change');
    expect(t).not.toMatch(/working-group-artifact layer|the specification barrier/);
    // the link lands on the barriers of every layer
    expect((await web.get('/how-we-work')).html).toContain('<h2 id="contributions">Contributions</h2>');
  });

  it('support is grouped by organisation, and can be withdrawn', async () => {
    await web.get('/proposals/P-1');
    expect((await web.post('/proposals/P-1/support', {})).status).toBe(303);
    const jonas = await signIn('jonas');
    await jonas.get('/proposals/P-1');
    await jonas.post('/proposals/P-1/support', {});
    const t = text((await web.get('/proposals/P-1')).html);
    expect(t).toContain('Supporters (2)');
    expect(t).toContain('Nebula Tools (1): Priya Nair (@priya)');
    expect(t).toContain('Galactic Hosting Corporation (1): Jonas Berg (@jonas)');
    await web.post('/proposals/P-1/support/withdraw', {});
    expect(text((await web.get('/proposals/P-1')).html)).toContain('Supporters (1)');
  });

  it('evidence with a bad link is refused naming the field and keeps the input; good evidence is listed', async () => {
    await web.get('/proposals/P-1');
    const bad = await web.post('/proposals/P-1/evidence', {
      kind: 'implementation',
      description: 'Runs in production at Nebula',
      url: 'not a url',
    });
    expect(bad.status).toBe(422);
    expect(text(bad.html)).toContain('Link (optional): must be an http or https URL');
    expect(bad.html).toContain('href="#f-evidence-url"');
    expect(bad.html).toContain('id="f-evidence-url"');
    expect(bad.html).toContain('Runs in production at Nebula');
    expect(
      (
        await web.post('/proposals/P-1/evidence', {
          kind: 'implementation',
          description: 'Runs in production at Nebula',
          url: 'https://example.org/nebula',
          organisation: 'Nebula Tools',
        })
      ).status,
    ).toBe(303);
    const t = text((await web.get('/proposals/P-1')).html);
    expect(t).toContain('Evidence (1)');
    expect(t).toContain('Runs in production at Nebula');
    // its kind in words, as the form offered it
    expect((await web.get('/proposals/P-1')).html).toContain('<td>An implementation</td>');
    expect(t).toContain('not verified');
    // a crafted link is refused, and the page links only web addresses
    const crafted = await web.post('/proposals/P-1/evidence', {
      kind: 'other',
      description: 'A crafted link',
      url: 'javascript:alert(1)',
    });
    expect(crafted.status).toBe(422);
    expect(text(crafted.html)).toContain('Link (optional): must be an http or https URL');
    const page = (await web.get('/proposals/P-1')).html;
    expect(page).toContain('href="https://example.org/nebula"');
    expect(page).not.toContain('javascript:');
  });

  it('relations: a builds-on link shows on both proposals, and promotion keeps the lineage', async () => {
    await createProposal(hub, await asActor(hub, 'priya'), {
      title: 'Sticky session configuration guide',
      problem: 'Operators need a tested configuration for sticky sessions on common proxies.',
      layer: 'supporting-resource',
      group: 'hosting',
    });
    // the relations read as what one item does to the other, never their ids
    const form = (await web.get('/proposals/P-2')).html;
    expect(form).toContain('<option value="builds-on">builds on</option>');
    expect(form).toContain('<option value="duplicate-of">duplicates</option>');
    const bad = await web.post('/proposals/P-2/relations', { kind: 'builds-on', to: 'nonsense' });
    expect(bad.status).toBe(422);
    expect(text(bad.html)).toContain('The other item: must be a reference such as SEP-2575, P-12 or #12');
    expect((await web.post('/proposals/P-2/relations', { kind: 'builds-on', to: 'P-1' })).status).toBe(303);
    expect(text((await web.get('/proposals/P-2')).html)).toContain(
      'This builds on P-1: Session affinity behind load balancers',
    );
    expect(text((await web.get('/proposals/P-1')).html)).toContain(
      'P-2: Sticky session configuration guide builds on this',
    );
    const promoted = await web.post('/proposals/P-2/promote', {});
    expect(promoted.location).toBe('/proposals/P-3');
    expect(text((await web.get('/proposals/P-3')).html)).toContain('This was promoted from P-2');
  });

  it('the which-layer questionnaire recommends a layer with the reasoning and warns when evidence is short', async () => {
    const t = text((await new WebClient(app).get('/proposals/P-1?questionnaire=1&changesWire=yes')).html);
    expect(t).toContain('Recommended layer: Specification');
    expect(t).toContain('It changes what goes over the wire');
    await createProposal(hub, await asActor(hub, 'priya'), {
      title: 'Stateless sessions in the transport',
      problem: 'Servers cannot scale horizontally while sessions are pinned to one process.',
      layer: 'specification',
      route: 'sep',
    });
    const s = text((await new WebClient(app).get('/proposals/P-2?questionnaire=1&guidanceOnly=yes')).html);
    expect(s).toContain('Recommended layer: Supporting resource');
    expect(s).toContain('P-2 aims at specification but its evidence so far supports');
  });

  it('an author who may only withdraw is told the way forward is for others, and how to ask them', async () => {
    const priya = await asActor(hub, 'priya');
    await createProposal(hub, priya, {
      title: 'Retry budgets per gateway hop',
      problem: 'Clients retry without a budget and flood gateways behind them.',
      examples: ['A retry storm in the hosting WG demo'],
      layer: 'working-group-artifact',
      group: 'hosting',
    });
    for (const to of ['prior-work-checked', 'community-discussion']) await moveProposal(hub, priya, 'P-2', { to });
    const own = text((await web.get('/proposals/P-2')).html);
    expect(own).toMatch(
      /Its next step forward, to tracked ?, is not yours to take: ask the group's leads for review when it is ready\./,
    );
    // a lead, who may take it, is not told so
    const sam = text((await (await signIn('sam-lead')).get('/proposals/P-2')).html);
    expect(sam).not.toContain('is not yours to take');
  });

  it('a SEP with no sponsor says how it gets one, not that "only the sponsor" may move it', async () => {
    await createProposal(hub, await asActor(hub, 'priya'), {
      title: 'Stateless sessions in the transport',
      problem: 'Servers cannot scale horizontally while sessions are pinned to one process.',
      layer: 'specification',
      route: 'sep',
    });
    const t = text((await web.get('/proposals/P-2')).html);
    expect(t).toContain(
      'Not now: It has no sponsor yet: once a maintainer, a core maintainer or a lead maintainer sponsors it, the sponsor moves it from awaiting sponsor to draft.',
    );
    expect(t).not.toContain('Only the sponsor may');
  });

  it("the guide's hints on a comment are shown to its author, not as a label to every reader", async () => {
    await web.get('/proposals/P-1');
    const said = "We must use vendor X's protocol, end of discussion.";
    expect((await web.post('/proposals/P-1/comments', { body: said })).status).toBe(303);
    const own = text((await web.get('/proposals/P-1')).html);
    expect(own).toContain(`Hints on your comment`);
    expect(own).toMatch(/Reads as a position ?: .?We must use vendor X's protocol/);
    const sam = text((await (await signIn('sam-lead')).get('/proposals/P-1')).html);
    const visitor = text((await new WebClient(app).get('/proposals/P-1')).html);
    for (const other of [sam, visitor]) {
      expect(other).toContain(said);
      expect(other).not.toContain('Reads as a position');
      expect(other).not.toContain('Hints on');
    }
  });

  it('the hints come while a comment is written: the forms ask /hints for the text as it stands', async () => {
    const page = await web.get('/proposals/P-1');
    expect(page.html).toContain('action="/proposals/P-1/comments" data-hints');
    const script = /<script src="(\/assets\/live-hints\.[0-9a-f]+\.js)" defer>/.exec(page.html)![1]!;
    expect((await web.get(script)).status).toBe(200);
    const said = await web.get(
      `/hints?${new URLSearchParams({ text: "We must use vendor X's protocol, end of discussion." })}`,
    );
    expect(said.html).not.toContain('<html');
    expect(text(said.html)).toMatch(/Reads as a position ?: .?We must use vendor X's protocol/);
    // the flag says which words triggered it, as the CLI's cue does
    expect(text(said.html)).toContain('Triggered by "end of discussion" (there is no alternative).');
    expect((await web.get(`/hints?${new URLSearchParams({ text: 'Thanks, that helps.' })}`)).html).toBe('');
  });

  it('discussion: comment, reply, edit with history; markdown is rendered safely', async () => {
    await web.get('/proposals/P-1');
    const posted = await web.post('/proposals/P-1/comments', {
      body: 'We saw this with **two pods**. <script>alert(1)</script> See @sam-lead',
    });
    expect(posted.status).toBe(303);
    const page = await web.get('/proposals/P-1');
    expect(page.html).toContain('<strong>two pods</strong>');
    expect(page.html).not.toContain('<script>alert(1)</script>');
    expect(page.html).toContain('href="/people/sam-lead"');
    const id = /id="c-([^"]+)"/.exec(page.html)![1]!;
    const empty = await web.post('/proposals/P-1/comments', { body: '  ', parent: id });
    expect(empty.status).toBe(422);
    expect(empty.html).toContain(`href="#f-reply-${id}-body"`);
    expect(text(empty.html)).toContain('Your reply to Priya Nair (@priya): must not be empty');
    const sam = await signIn('sam-lead');
    await sam.get('/proposals/P-1');
    expect((await sam.post('/proposals/P-1/comments', { body: 'Which ingress?', parent: id })).status).toBe(303);
    expect(
      (await web.post(`/comments/${id}/edit`, { body: 'We saw this with three pods.', version: '1', ref: 'P-1' }))
        .status,
    ).toBe(303);
    // a stale edit is not applied over the newer text
    const stale = await web.post(`/comments/${id}/edit`, { body: 'Stale text', version: '1', ref: 'P-1' });
    expect(stale.status).toBe(409);
    expect(text(stale.html)).toContain('was changed by someone else');
    const noVersion = await web.post(`/comments/${id}/edit`, { body: 'No version', ref: 'P-1' });
    expect(noVersion.status).toBe(422);
    expect(text(noVersion.html)).toContain('Your comment: must be the version the form was loaded with');
    const after = text((await new WebClient(app).get('/proposals/P-1')).html);
    expect(after).toContain('Discussion (2)');
    expect(after).toContain('We saw this with three pods.');
    expect(after).toContain('Edit history (2 versions)');
    expect(after).toContain('Which ingress?');
    // each comment names its author by name with the handle beside it
    expect(after).toMatch(/Priya Nair \(@priya\) · .*We saw this with three pods\./);
    expect(after).toMatch(/Sam Rivera \(@sam-lead\) · [^·]*Which ingress\?/);
    expect(after).not.toContain('Stale text');
    expect(after).not.toContain('No version');
  });

  it('only the author may edit a comment', async () => {
    await web.get('/proposals/P-1');
    await web.post('/proposals/P-1/comments', { body: 'Mine' });
    const id = /id="c-([^"]+)"/.exec((await web.get('/proposals/P-1')).html)![1]!;
    const sam = await signIn('sam-lead');
    await sam.get('/proposals/P-1');
    const r = await sam.post(`/comments/${id}/edit`, { body: 'Not mine', version: '1', ref: 'P-1' });
    expect(r.status).toBe(403);
    expect(text(r.html)).toContain('Only its author may edit this comment');
  });

  it('new proposal: the prior-work check works without JavaScript and as a fragment, and hints never block filing', async () => {
    const form = await web.get('/proposals/new');
    expect(form.status).toBe(200);
    expect(form.html).toContain('Check for prior work');
    // the Route choice says what each route is, by its stages: "The SEP lifecycle" alone leaves a newcomer guessing
    expect(text(form.html)).toContain(
      "The stages it moves through. The guide's contribution route: idea → prior work checked → community discussion → tracked → forum discussion → refining → pull request. The SEP lifecycle: awaiting sponsor → draft → in review → accepted.",
    );
    expect(form.html).toMatch(/<select id="f-route"[^>]*aria-describedby="f-route-hint"/);
    const draft = {
      title: 'Sessions across load balancers',
      problem: 'Requests land on another process and the session is lost.',
      interests: 'We must adopt sticky sessions.',
      layer: 'working-group-artifact',
      route: 'contribution',
      group: 'hosting',
    };
    const checked = await web.post('/proposals/new', { ...draft, intent: 'check' });
    expect(checked.status).toBe(200);
    expect(text(checked.html)).toMatch(/P-1: Session affinity behind load balancers/);
    expect(text(checked.html)).toContain('Reads as a position (in interests)');
    // a draft far past what could be filed is checked as far as it could be filed, without judging
    // all of it first, and comes back with the person's text: the characters judged are counted
    // (src/domain/work.ts), at most a title's and two prose fields' worth of the 480,000 sent
    const { value: huge, read: judged } = await workOfAsync('judged', () =>
      web.post('/proposals/new', {
        ...draft,
        title: `${draft.title} ${'x'.repeat(400)}`,
        problem: '"abc" x '.repeat(60_000),
        intent: 'check',
      }),
    );
    expect(huge.status).toBe(200);
    expect(judged).toBeGreaterThan(0);
    expect(judged).toBeLessThanOrEqual(LIMITS.line + 2 * LIMITS.prose);
    // cut where the check stops reading, an emoji is not split into a stray half
    const emoji = await web.post('/proposals/new', { ...draft, title: `${'x'.repeat(299)}😀 tail`, intent: 'check' });
    expect(text(emoji.html)).not.toContain('could not read this draft');
    expect(huge.html).toContain('<form method="post" action="/proposals/new"');
    expect(huge.html).toContain('&quot;abc&quot; x &quot;abc&quot; x');
    const fragment = await web.get(
      `/proposals/new/prior-work?${new URLSearchParams({ title: draft.title, problem: draft.problem })}`,
    );
    expect(fragment.html).not.toContain('<html');
    expect(text(fragment.html)).toMatch(/P-1: Session affinity behind load balancers/);
    const filed = await web.post('/proposals/new', { ...draft, intent: 'file' });
    expect(filed.location).toBe('/proposals/P-2');
  });

  it('prior work: a docs page restating a SEP is linked under that SEP, on the new-proposal panel and the proposal', async () => {
    await importSepText(
      hub,
      SYSTEM,
      [
        '# SEP-4242: Resumable wombat streams',
        '',
        '- **Status**: Draft',
        '- **Type**: Standards Track',
        '- **Created**: 2026-01-01',
        '- **Author(s)**: Ada (@ada)',
        '',
        '## Abstract',
        '',
        'Wombat streams drop when the connection resets; clients resume wombat streams from the last event id.',
      ].join('\n'),
      'seps/4242-resumable-wombat-streams.md',
      () => {},
    );
    await importArtifact(
      hub,
      SYSTEM,
      'docs/guides/wombat-streams.md',
      '# Resuming wombat streams\n\nHow clients resume wombat streams after a reset, as SEP-4242 specifies: from the last event id.',
      null,
    );
    const draft = {
      title: 'Resumable wombat streams after resets',
      problem: 'Wombat streams drop when the connection resets and clients cannot resume from the last event id.',
      layer: 'working-group-artifact',
      route: 'contribution',
    };
    await web.get('/proposals/new');
    const checked = await web.post('/proposals/new', { ...draft, intent: 'check' });
    const t = text(checked.html);
    expect(t).toMatch(/SEP-4242: Resumable wombat streams.*also documented at: Resuming wombat streams/);
    expect(checked.html).toContain('href="/artifacts/docs/guides/wombat-streams.md"');
    // the page is shown with its SEP, not in a place of its own
    expect(t).not.toMatch(/artifact:docs\/guides\/wombat-streams\.md/);
    const filed = await web.post('/proposals/new', { ...draft, intent: 'file' });
    const page = await web.get(filed.location!);
    expect(text(page.html)).toMatch(/SEP-4242: Resumable wombat streams.*also documented at: Resuming wombat streams/);
    expect(page.html).toContain('href="/artifacts/docs/guides/wombat-streams.md"');
  });

  it('new proposal: a short problem is refused naming the field and rule, keeping the draft', async () => {
    await web.get('/proposals/new');
    const r = await web.post('/proposals/new', {
      title: 'Tiny',
      problem: 'short',
      layer: 'working-group-artifact',
      route: 'contribution',
      intent: 'file',
    });
    expect(r.status).toBe(422);
    const t = text(r.html);
    expect(t).toContain('Title: must be at least 5 characters');
    expect(t).toContain('The problem it solves: must say what specific problem this solves (at least 20 characters)');
    expect(r.html).toContain('>short</textarea>');
    expect((await web.get('/proposals')).html).not.toContain('Tiny');
  });

  it('new proposal: a title or an example past its limit is refused naming the field as labelled, keeping the draft', async () => {
    await web.get('/proposals/new');
    const problem = 'Requests land on another process and the session is lost.';
    const long = await web.post('/proposals/new', {
      title: `Sessions ${'x'.repeat(300)}`,
      problem,
      examples: `one\n${'y'.repeat(6000)}`,
      layer: 'working-group-artifact',
      route: 'contribution',
      intent: 'file',
    });
    expect(long.status).toBe(422);
    const t = text(long.html);
    expect(t).toContain('There is a problem');
    expect(t).toContain('Title: must be at most 200 characters');
    expect(t).toContain('Real-world examples (one per line), entry 2: must be at most');
    expect(long.html).toContain(`>${problem}</textarea>`);
    expect(long.html).toContain('href="#f-examples"');
  });

  it('a visitor is sent to sign in for the new-proposal page and for any form', async () => {
    const visitor = new WebClient(app);
    expect((await visitor.get('/proposals/new')).location).toBe('/sign-in?next=%2Fproposals%2Fnew');
    await visitor.get('/sign-in'); // a visitor's form token
    const r = await visitor.post('/proposals/P-1/support', {});
    expect(r.status).toBe(303);
    expect(r.location).toBe('/sign-in?next=%2Fproposals%2FP-1');
    expect(text((await visitor.get('/proposals/P-1')).html)).toContain('Supporters (0)');
  });
});
